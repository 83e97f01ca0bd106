"""core/tables.py: date columns format directly, template columns compile once, Meta.fields use them."""

from __future__ import annotations

from datetime import date, datetime
from unittest import mock
from zoneinfo import ZoneInfo

import django_tables2 as tables
from django.test import RequestFactory

from tianping.core import tables as core_tables


def test_meta_generated_date_and_datetime_columns_are_cores():
    from tianping.mediation.tables import DisputeTable

    table = DisputeTable([])
    assert type(table.base_columns["closed_on"]) is core_tables.DateColumn
    assert type(table.base_columns["registered_on"]) is core_tables.DateColumn


def test_dates_and_moments_render_in_the_courts_format():
    class T(tables.Table):
        day = core_tables.DateColumn()
        moment = core_tables.DateTimeColumn()

    moment = datetime(2016, 3, 1, 1, 30, tzinfo=ZoneInfo("UTC"))  # 09:30 in Beijing
    table = T([{"day": date(2016, 3, 1), "moment": moment}, {"day": None, "moment": None}])
    rows = list(table.rows)
    assert rows[0].get_cell("day") == "2016-03-01"
    assert rows[0].get_cell("moment") == "2016-03-01 09:30"
    assert rows[1].get_cell("day") == "—"
    assert list(table.as_values())[1] == ["2016-03-01", moment.isoformat()]  # exports carry ISO values


def test_a_template_column_compiles_its_template_once():
    class T(tables.Table):
        both = core_tables.TemplateColumn("{{ record.a }}/{{ record.b }}")

    table = T([{"a": i, "b": i * 2} for i in range(5)])
    table.context = None
    table.request = RequestFactory().get("/")
    with mock.patch.object(core_tables, "Template", wraps=core_tables.Template) as compiled:
        cells = [row.get_cell("both") for row in table.rows]
    assert cells == [f"{i}/{i * 2}" for i in range(5)]
    assert compiled.call_count == 1


# the rows of a list page: render_rows writes what django-tables2's template loop wrote ----------------------
OLD_LOOP = ("{% load l10n %}{% for row in table.paginated_rows %}<tr {{ row.attrs.as_html }}>"
            "{% for column, cell in row.items %}<td {{ column.attrs.td.as_html }}>{% if column.localize == None %}"
            "{{ cell }}{% else %}{% if column.localize %}{{ cell|localize }}{% else %}{{ cell|unlocalize }}{% endif %}"
            "{% endif %}</td>{% endfor %}</tr>\n  {% endfor %}")


def _sample_table():
    from decimal import Decimal

    from django.utils.html import format_html

    from tianping.mediation.models import Dispute, Source, Status

    class T(tables.Table):
        number = tables.Column(linkify=("mediation:dispute_detail", {"pk": tables.A("pk")}),
                               attrs={"a": {"data-testid": "link"}, "td": {"class": "text-nowrap"}})
        status = tables.Column(attrs={"td": {"data-state": lambda record: record.status}})
        amount = tables.Column(localize=False)
        cause = tables.Column(default="无")
        site = tables.Column(accessor="site_label")  # a property, read directly (render_rows' plain path)

        class Meta:
            model = Dispute
            fields = ["number", "registered_on", "status", "source", "cause", "amount", "closed_on"]
            row_attrs = {"data-id": lambda record: record.pk}

        def render_status(self, value, record):
            return format_html("<b>{}</b> {}", value, record.pk)

    records = [Dispute(pk=i, number=f"(2016)鲁0403民诉前调{i}号", registered_on=date(2016, 3, i),
                       status=[Status.MEDIATING, Status.FAILED, "gone"][i % 3], source=Source.APPLICATION,
                       cause="" if i == 2 else "<民间借贷>", amount=Decimal("12345.5") if i % 2 else None,
                       closed_on=date(2016, 4, i) if i == 1 else None) for i in range(1, 5)]
    return T(records)


def test_render_rows_writes_the_cells_the_template_loop_wrote():
    from django.template import Context, Template

    table = _sample_table()
    expected = Template(OLD_LOOP).render(Context({"table": table})).rstrip("\n ")
    got = core_tables.render_rows(_sample_table(), Context())
    assert got == expected
    # what the rows show, worked out here rather than trusted to the comparison
    assert 'href="/mediation/1/"' in got and "(2016)鲁0403民诉前调1号" in got
    assert "&lt;民间借贷&gt;" in got and "<td >无</td>" in got  # escaped text, the column's default
    assert 'data-state="gone"' in got and "<b>gone</b>" in got  # a value outside the choices shows as stored
    assert "<b>调解中</b> 3" in got and "<td >12345.5</td>" in got  # the label; unlocalized as the column asks
    assert got.count("<td >诉讼服务中心</td>") == 4  # the property's value on every row


def test_render_rows_of_an_empty_page_is_empty():
    from django.template import Context

    assert core_tables.render_rows(type(_sample_table())([]), Context()) == ""
