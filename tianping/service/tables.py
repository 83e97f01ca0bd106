from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy

from tianping.service.models import (
    CircuitTrial,
    Complaint,
    FollowUp,
    OutreachEvent,
    PartnerVisit,
    Revisit,
    RevisitSample,
)

ATTRS = {"class": "table table-sm table-hover"}


class RevisitTable(tables.Table):
    revisited_on = tables.DateColumn(linkify=("service:revisit_detail", {"pk": tables.A("pk")}),
                                     attrs={"a": {"data-testid": "revisit-link"}, "td": {"class": "text-nowrap"}})
    case = tables.Column(accessor="case__number", verbose_name=gettext_lazy("案号"),
                         attrs={"td": {"class": "text-nowrap"}})
    judge = tables.Column(accessor="case__judge__name", verbose_name=gettext_lazy("承办人"))
    caller = tables.Column(accessor="caller__name")
    rating = tables.Column()

    class Meta:
        model = Revisit
        fields = ["revisited_on", "case", "judge", "contact_name", "relation", "method", "caller", "rating",
                  "comments"]
        order_by = ("-revisited_on",)
        attrs = {**ATTRS, "data-testid": "revisit-table"}

    def render_rating(self, value: Any, record: Revisit) -> Any:
        if record.dissatisfied:
            return format_html('<span class="badge text-bg-danger">{}</span>', value)
        return value


class FollowUpTable(tables.Table):
    case = tables.Column(accessor="revisit__case__number", verbose_name=gettext_lazy("案号"))
    contact = tables.Column(accessor="revisit__contact_name", verbose_name=gettext_lazy("被回访人"))
    owner = tables.Column(accessor="owner__name")
    close = tables.Column(accessor="pk", verbose_name="", orderable=False)

    class Meta:
        model = FollowUp
        fields = ["case", "contact", "problem", "owner", "due_on", "status", "answer", "closed_on", "close"]
        attrs = {**ATTRS, "data-testid": "follow-up-table"}

    def __init__(self, *args: Any, can_close: Any = None, today: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.can_close = can_close or (lambda obj: False)
        self.today = today

    def render_due_on(self, value: Any, record: FollowUp) -> Any:
        if record.status == "open" and self.today and value < self.today:
            return format_html('<span class="text-danger">{}</span>', value.isoformat())
        return value.isoformat()

    def render_close(self, value: Any, record: FollowUp) -> Any:
        if record.status == "open" and self.can_close(record):
            from django.utils.translation import gettext as _

            return format_html('<a class="btn btn-sm btn-outline-primary" href="{}" data-testid="close-{}">{}</a>',
                               reverse("service:follow_up_close", args=[record.pk]), record.pk, _("办结"))
        return ""


class SampleTable(tables.Table):
    title = tables.Column(linkify=("service:sample_detail", {"pk": tables.A("pk")}),
                          attrs={"a": {"data-testid": "sample-link"}})
    assigned = tables.Column(accessor="n_assignments", verbose_name=gettext_lazy("抽中件数"))
    done = tables.Column(accessor="n_done", verbose_name=gettext_lazy("已回访件数"))

    class Meta:
        model = RevisitSample
        fields = ["title", "drawn_on", "method", "closed_from", "closed_to", "population", "assigned", "done",
                  "seed"]
        attrs = ATTRS


class CircuitTable(tables.Table):
    township = tables.Column(accessor="place__township", verbose_name=gettext_lazy("乡镇街道"))
    place = tables.Column(accessor="place__name", verbose_name=gettext_lazy("地点"))
    case = tables.Column(accessor="case__number", verbose_name=gettext_lazy("案号"), default="")
    judge = tables.Column(accessor="judge__name")
    department = tables.Column(accessor="department__name")

    class Meta:
        model = CircuitTrial
        fields = ["held_on", "form", "township", "place", "case", "department", "judge", "audience", "note"]
        order_by = ("-held_on",)
        attrs = {**ATTRS, "data-testid": "circuit-table"}


class OutreachTable(tables.Table):
    organiser = tables.Column(accessor="pk", verbose_name=gettext_lazy("组织部门或支部"), orderable=False)
    participants = tables.Column(accessor="pk", verbose_name=gettext_lazy("参加人员"), orderable=False)

    class Meta:
        model = OutreachEvent
        fields = ["held_on", "title", "kind", "place", "organiser", "participants", "audience", "materials"]
        order_by = ("-held_on",)
        attrs = {**ATTRS, "data-testid": "outreach-table"}

    def render_organiser(self, record: OutreachEvent) -> str:
        return record.organiser_label

    def render_participants(self, record: OutreachEvent) -> str:
        return "、".join(p.name for p in record.participants.all())


class VisitTable(tables.Table):
    partner = tables.Column(accessor="partnership__partner", verbose_name=gettext_lazy("联系点"))
    paired = tables.Column(accessor="pk", verbose_name=gettext_lazy("结对支部或领导"), orderable=False)
    visitors = tables.Column(accessor="pk", verbose_name=gettext_lazy("走访人员"), orderable=False)

    class Meta:
        model = PartnerVisit
        fields = ["visited_on", "partner", "paired", "visitors", "matters", "solved", "follow_up"]
        order_by = ("-visited_on",)
        attrs = {**ATTRS, "data-testid": "visit-table"}

    def render_paired(self, record: PartnerVisit) -> str:
        return record.partnership.paired_label

    def render_visitors(self, record: PartnerVisit) -> str:
        return "、".join(p.name for p in record.visitors.all())


class ComplaintTable(tables.Table):
    received_on = tables.DateColumn(linkify=("service:complaint_detail", {"pk": tables.A("pk")}),
                                    attrs={"a": {"data-testid": "complaint-link"}})
    subject = tables.Column(accessor="subject__name", default="")
    handler = tables.Column(accessor="handler__name", default="")

    class Meta:
        model = Complaint
        fields = ["received_on", "category", "channel", "subject", "handler", "status", "due_on", "answered_on",
                  "substantiated"]
        order_by = ("-received_on",)
        attrs = {**ATTRS, "data-testid": "complaint-table"}
