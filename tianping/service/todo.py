"""To-do items of the service work: follow-ups of revisits for their owners, calls assigned and not yet made,
and complaints whose answer deadline (30 days by default) is near or past — each for the people who must act."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tianping.core import registry
from tianping.core.policy import can
from tianping.service.models import (
    Complaint,
    ComplaintStatus,
    FollowUp,
    FollowUpStatus,
    RevisitAssignment,
)

WARNING_DAYS = 5


def _level(left: int) -> str:
    return "danger" if left < 0 else ("warning" if left <= WARNING_DAYS else "info")


@registry.todo.register(order=65)
def todo_items(user: Any) -> list[dict[str, Any]]:
    if not getattr(user, "is_authenticated", False) or not getattr(user, "court_id", None):
        return []
    today = timezone.localdate()
    items: list[dict[str, Any]] = []
    person_id = getattr(user, "person_id", None)
    if person_id:
        for f in (FollowUp.objects.filter(owner_id=person_id, status=FollowUpStatus.OPEN)
                  .select_related("revisit__case").order_by("due_on")[:30]):
            left = (f.due_on - today).days
            label = (_("%(n)s 回访问题整改已超期 %(d)d 天") % {"n": f.revisit.case.number, "d": -left} if left < 0
                     else _("%(n)s 回访问题整改，还剩 %(d)d 天") % {"n": f.revisit.case.number, "d": left})
            items.append({"label": label, "url": reverse("service:follow_up_close", args=[f.pk]), "due": f.due_on,
                          "kind": _("案件回访"), "level": _level(left)})
        waiting = (RevisitAssignment.objects.filter(caller_id=person_id, revisits__isnull=True)
                   .values("sample_id", "sample__title").distinct())
        for row in waiting[:10]:
            n = RevisitAssignment.objects.filter(caller_id=person_id, sample_id=row["sample_id"],
                                                 revisits__isnull=True).count()
            items.append({"label": _("%(t)s：%(n)d 件案件待回访") % {"t": row["sample__title"], "n": n},
                          "url": reverse("service:sample_detail", args=[row["sample_id"]]), "due": None,
                          "kind": _("案件回访"), "level": "info"})
    complaints = Complaint.objects.visible_to(user).filter(
        status__in=[ComplaintStatus.RECEIVED, ComplaintStatus.ASSIGNED])
    if not can(user, "assign", Complaint):
        complaints = complaints.filter(handler_id=person_id, status=ComplaintStatus.ASSIGNED)
    for c in complaints.filter(due_on__lte=today + timedelta(days=WARNING_DAYS * 2)).order_by("due_on")[:30]:
        left = (c.due_on - today).days
        what = c.get_category_display()
        label = (_("作风投诉（%(w)s，%(r)s 收到）答复已超期 %(d)d 天") % {"w": what, "r": c.received_on.isoformat(), "d": -left}
                 if left < 0 else _("作风投诉（%(w)s，%(r)s 收到）答复期限还剩 %(d)d 天")
                 % {"w": what, "r": c.received_on.isoformat(), "d": left})
        items.append({"label": label, "url": reverse("service:complaint_detail", args=[c.pk]), "due": c.due_on,
                      "kind": _("作风投诉"), "level": _level(left)})
    if can(user, "assign", Complaint):
        unassigned = Complaint.objects.visible_to(user).filter(status=ComplaintStatus.RECEIVED).count()
        if unassigned:
            items.append({"label": _("%(n)d 件作风投诉待交办") % {"n": unassigned},
                          "url": reverse("service:complaint_list") + "?status=received", "due": None,
                          "kind": _("作风投诉"), "level": "info"})
    return items
