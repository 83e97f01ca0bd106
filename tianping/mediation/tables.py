from __future__ import annotations

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tianping.core.tables import DateColumn
from tianping.mediation.models import Dispute, Mediator, Status


class DisputeTable(tables.Table):
    number = tables.Column(linkify=("mediation:dispute_detail", {"pk": tables.A("pk")}),
                           attrs={"a": {"data-testid": "dispute-link"}, "td": {"class": "text-nowrap"}})
    registered_on = DateColumn(attrs={"td": {"class": "text-nowrap"}})
    status = tables.Column(attrs={"td": {"class": "text-nowrap"}})
    parties = tables.Column(verbose_name=gettext_lazy("当事人"), accessor="pk", orderable=False)
    handler = tables.Column(verbose_name=gettext_lazy("调解员或工作室"), accessor="handler_label", orderable=False)
    site = tables.Column(verbose_name=gettext_lazy("登记地点"), accessor="site_label", orderable=False)

    class Meta:
        model = Dispute
        fields = ["number", "registered_on", "site", "cause", "parties", "source", "status", "handler",
                  "deadline_on", "closed_on"]
        order_by = ("-registered_on",)
        attrs = {"class": "table table-sm table-hover", "data-testid": "dispute-table"}

    def __init__(self, *args, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def render_parties(self, record):
        return "、".join(p.name for p in record.parties.all())

    def render_status(self, value, record):
        """An overdue mediation (the period ran out and nobody extended it or ended it) is marked."""
        if self.today is not None and record.status == Status.MEDIATING and record.deadline_on \
                and record.deadline_on < self.today:
            days = (self.today - record.deadline_on).days
            return format_html('{} <span class="badge text-bg-danger" data-testid="overdue-{}">{}</span>', value,
                               record.pk, _("已超期 %(n)d 天") % {"n": days})
        return value


class MediatorTable(tables.Table):
    name = tables.Column()
    user = tables.Column(verbose_name=gettext_lazy("登录账号"))
    open_count = tables.Column(verbose_name=gettext_lazy("在办"), orderable=False)

    class Meta:
        model = Mediator
        fields = ["name", "kind", "organisation", "speciality", "user", "active", "open_count"]

    def __init__(self, *args, can_edit=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.can_edit = can_edit

    def render_name(self, value, record):
        if not self.can_edit:
            return value
        from django.urls import reverse

        return format_html('<a href="{}">{}</a>', reverse("mediation:mediator_edit", args=[record.pk]), value)
