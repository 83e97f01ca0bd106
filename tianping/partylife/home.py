"""Home-page figures of organisational life (each links to the records behind it)."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tianping.core import registry
from tianping.core.policy import allowed
from tianping.partylife.choices import ATTENDED, ComplianceStatus, MeetingStatus
from tianping.partylife.models import Attendance, Meeting
from tianping.partylife.scope import managed_org_ids, reads_whole_court


@registry.home_panels.register(order=30)
def home_panels(user) -> list[dict]:
    if not allowed(user, "partylife.view_home"):
        return []
    today = timezone.localdate()
    year = today.year
    figures = []
    visible = Meeting.objects.visible_to(user).filter(date__year=year, status=MeetingStatus.HELD)
    figures.append({"label": _("本年会议活动"), "value": visible.count(),
                    "url": reverse("partylife:meeting_list") + f"?status=held&date_from={year}-01-01"
                                                               f"&date_to={year}-12-31"})
    if allowed(user, "partylife.view_compliance") and (reads_whole_court(user) or managed_org_ids(user)):
        from tianping.partylife.compliance import court_matrix
        from tianping.partylife.views import _matrix_orgs

        cells = court_matrix(court=user.court, year=year, today=today, organisations=list(_matrix_orgs(user)))
        figures.append({"label": _("本年未完成的组织生活"),
                        "value": sum(1 for c in cells if c.status == ComplianceStatus.MISSED),
                        "url": reverse("partylife:compliance") + f"?year={year}"})
        figures.append({"label": _("即将到期"), "value": sum(1 for c in cells if c.status == ComplianceStatus.DUE),
                        "url": reverse("partylife:compliance") + f"?year={year}"})
    if user.person_id:
        mine = Attendance.objects.filter(person_id=user.person_id, expected=True, meeting__date__year=year,
                                         meeting__status=MeetingStatus.HELD)
        total = mine.count()
        attended = mine.filter(Q(status__in=ATTENDED)).count()
        figures.append({"label": _("本人出勤率"), "value": f"{round(100 * attended / total)}%" if total else "—",
                        "url": reverse("partylife:person_attendance", args=[user.person_id]) + f"?year={year}"})
    return [{"title": _("组织生活"), "figures": figures}]
