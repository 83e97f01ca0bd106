from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from tianping.mediation.models import Dispute, Mediator


class DisputeTable(tables.Table):
    number = tables.Column(linkify=("mediation:dispute_detail", {"pk": tables.A("pk")}),
                           attrs={"a": {"data-testid": "dispute-link"}, "td": {"class": "text-nowrap"}})
    registered_on = tables.DateColumn(attrs={"td": {"class": "text-nowrap"}})
    status = tables.Column(attrs={"td": {"class": "text-nowrap"}})
    parties = tables.Column(verbose_name=_("当事人"), accessor="pk", orderable=False)
    handler = tables.Column(verbose_name=_("调解员或工作室"), accessor="handler_label", orderable=False)

    class Meta:
        model = Dispute
        fields = ["number", "registered_on", "cause", "parties", "source", "status", "handler", "deadline_on",
                  "closed_on"]
        order_by = ("-registered_on",)
        attrs = {"class": "table table-sm table-hover", "data-testid": "dispute-table"}

    def render_parties(self, record):
        return "、".join(p.name for p in record.parties.all())


class MediatorTable(tables.Table):
    name = tables.Column(linkify=("mediation:mediator_edit", {"pk": tables.A("pk")}))
    user = tables.Column(verbose_name=_("登录账号"))
    open_count = tables.Column(verbose_name=_("在办"), orderable=False)

    class Meta:
        model = Mediator
        fields = ["name", "kind", "organisation", "speciality", "user", "active", "open_count"]
