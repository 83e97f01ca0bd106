"""To-do items of organisational life: meetings to record, minutes missing, follow-up tasks due, newly admitted
members who have not taken the oath (入党宣誓)."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tianping.core import registry
from tianping.partylife.choices import MeetingStatus
from tianping.partylife.models import FollowUpTask, Meeting
from tianping.partylife.scope import managed_org_ids

MINUTES_LOOKBACK_DAYS = 90
TASK_HORIZON_DAYS = 7


@registry.todo.register(order=30)
def todo_items(user) -> list[dict]:
    if not user.is_authenticated or not user.court_id:
        return []
    today = timezone.localdate()
    items: list[dict] = []
    org_ids = managed_org_ids(user)
    if org_ids:
        mine = Meeting.objects.filter(court_id=user.court_id, organisation_id__in=org_ids)
        for m in (mine.filter(status=MeetingStatus.PLANNED, date__lt=today)
                  .select_related("meeting_type", "organisation").order_by("date")[:20]):
            items.append({"label": _("登记会议：%(o)s %(t)s（%(d)s）") % {
                              "o": m.organisation.name, "t": m.meeting_type.name, "d": f"{m.date:%m-%d}"},
                          "url": reverse("partylife:meeting_detail", args=[m.pk]), "due": m.date,
                          "kind": _("组织生活"), "level": "danger"})
        for m in (mine.filter(status=MeetingStatus.HELD, minutes="", date__gte=today - timedelta(
                days=MINUTES_LOOKBACK_DAYS), date__lte=today).exclude(meeting_type__code__in=["roll_call"])
                  .select_related("meeting_type", "organisation").order_by("date")[:20]):
            items.append({"label": _("补写会议记录：%(o)s %(t)s（%(d)s）") % {
                "o": m.organisation.name, "t": m.meeting_type.name, "d": f"{m.date:%m-%d}"},
                "url": reverse("partylife:meeting_edit", args=[m.pk]), "due": m.date + timedelta(days=7),
                "kind": _("组织生活"), "level": "warning"})
    if org_ids:
        items.extend(oath_items(user.court_id, org_ids, today))
    cond = Q(owner_id=user.person_id) if user.person_id else Q(pk__in=[])
    if org_ids:
        cond |= Q(meeting__organisation_id__in=org_ids)
    tasks = (FollowUpTask.objects.filter(cond, meeting__court_id=user.court_id, done_on__isnull=True,
                                         due_on__lte=today + timedelta(days=TASK_HORIZON_DAYS))
             .select_related("owner", "meeting").order_by("due_on")[:20])
    for t in tasks:
        items.append({"label": _("跟进任务：%(d)s（%(o)s）") % {"d": t.description, "o": t.owner.name},
                      "url": reverse("partylife:meeting_detail", args=[t.meeting_id]) + "#tasks", "due": t.due_on,
                      "kind": _("组织生活"), "level": "danger" if t.due_on < today else "info"})
    return items


def oath_items(court_id: int, org_ids: set[int], today) -> list[dict]:
    """One item per branch with newly admitted members who have not taken the oath (入党宣誓): it opens a new
    入党宣誓 meeting of that branch; recording it with their attendance clears the item."""
    from tianping.party.models import PartyOrganisation
    from tianping.partylife.selectors import OATH_TYPE, oath_pending

    pending = oath_pending(court_id, org_ids, today)
    if not pending:
        return []
    names = dict(PartyOrganisation.objects.filter(pk__in=pending).values_list("pk", "name"))
    new = reverse("partylife:meeting_create")
    return [{"label": _("入党宣誓：%(o)s 有 %(n)d 名新党员尚未宣誓") % {"o": names.get(org, ""), "n": len(people)},
             "url": f"{new}?{urlencode({'organisation': org, 'type': OATH_TYPE})}", "due": today,
             "kind": _("组织生活"), "level": "warning"}
            for org, people in sorted(pending.items(), key=lambda kv: names.get(kv[0], ""))]
