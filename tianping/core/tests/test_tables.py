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
