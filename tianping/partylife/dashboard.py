"""The dashboards' organisational-life figures (tianping/annual): party meetings held month by month, and each
branch's compliance with its required meetings (the matrix of 组织生活合规情况) and study hours per member."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tianping.core.registry import (
    BranchColumn,
    BranchFigures,
    MonthlySeries,
    ReportFigure,
    branch_figures,
    monthly_figures,
)


def _ids_url(ids: list[int]) -> str:
    return f"{reverse('partylife:meeting_list')}?ids={','.join(str(i) for i in sorted(ids))}" if ids else ""


@monthly_figures.register(order=20)
def meeting_months(court: Any, year: int) -> list[MonthlySeries]:
    """Party meetings held per month: the types that earn points (三会一课, 主题党日 …; not the staff roll call
    nor the party group's meeting)."""
    from tianping.partylife.choices import MeetingStatus
    from tianping.partylife.models import Meeting

    by_month: dict[int, list[int]] = defaultdict(list)
    for pk, day in (Meeting.objects.filter(court=court, status=MeetingStatus.HELD, date__gte=date(year, 1, 1),
                                           date__lte=date(year, 12, 31), meeting_type__awards_points=True)
                    .values_list("pk", "date")):
        by_month[day.month].append(pk)
    months = range(1, 13)
    return [MonthlySeries("meetings_held", _("召开组织生活"), [len(by_month[m]) for m in months],
                          [_ids_url(by_month[m]) for m in months])]


def branch_life(court: Any, year: int, rosters: dict[int, list[int]]) -> dict[int, dict[str, ReportFigure]]:
    """meetings_compliance: of the branch's required (duty, period) cells of the year that are over or already
    met, the share met (已完成 ÷ 已完成 + 未完成), linking to the meetings that met them; study_hours: study hours
    of the year per person on the roster (the 学时与出勤 page's figures)."""
    from tianping.party.models import PartyOrganisation
    from tianping.partylife.choices import ComplianceStatus
    from tianping.partylife.compliance import court_matrix
    from tianping.partylife.selectors import study_hours

    today = timezone.localdate()
    orgs = list(PartyOrganisation.objects.filter(court=court, pk__in=list(rosters)))
    cells = court_matrix(court=court, year=year, today=today, organisations=orgs)
    met: dict[int, int] = defaultdict(int)
    owed: dict[int, int] = defaultdict(int)
    meetings: dict[int, list[int]] = defaultdict(list)
    for c in cells:
        if c.required <= 0:
            continue
        if c.status == ComplianceStatus.OK:
            met[c.organisation_id] += 1
            owed[c.organisation_id] += 1
            meetings[c.organisation_id].extend(c.meeting_ids)
        elif c.status == ComplianceStatus.MISSED:
            owed[c.organisation_id] += 1
    everyone = sorted({pid for ids in rosters.values() for pid in ids})
    hours = study_hours(court=court, year=year, person_ids=everyone)
    study_url = f"{reverse('partylife:study')}?year={year}"
    out: dict[int, dict[str, ReportFigure]] = {}
    for bid, roster in rosters.items():
        total = sum((hours[p]["total"] for p in roster if p in hours), Decimal("0"))
        out[bid] = {
            "meetings_compliance": ReportFigure(round(met[bid] / owed[bid], 4) if owed[bid] else None,
                                                _ids_url(meetings[bid])),
            "study_hours": ReportFigure(round(float(total) / len(roster), 1) if roster else None, study_url),
        }
    return out


branch_figures.register(BranchFigures("partylife", (
    BranchColumn("meetings_compliance", _("组织生活合规率"), "rate"),
    BranchColumn("study_hours", _("人均学时"), "number"),
), branch_life), order=10)
