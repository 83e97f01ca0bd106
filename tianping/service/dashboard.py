"""The dashboards' service figures (tianping/annual): revisits month by month, and per branch the service
records of the people on its roster (circuit trials they held, outreach events and partner visits they took part
in), each linking to its list narrowed to the roster (`people=`), as the branch page's service card does."""

from __future__ import annotations

import calendar
from collections import defaultdict
from datetime import date
from typing import Any

from django.db.models import Count
from django.db.models.functions import ExtractMonth
from django.utils.translation import gettext_lazy as _

from tianping.core.registry import (
    BranchColumn,
    BranchFigures,
    MonthlySeries,
    ReportFigure,
    branch_figures,
    monthly_figures,
)


@monthly_figures.register(order=50)
def revisit_months(court: Any, year: int) -> list[MonthlySeries]:
    """People revisited per month (回访当事人)."""
    from tianping.service.models import Revisit
    from tianping.service.selectors import list_url

    counts = dict(Revisit.objects.filter(court=court, revisited_on__gte=date(year, 1, 1),
                                         revisited_on__lte=date(year, 12, 31))
                  .order_by().annotate(m=ExtractMonth("revisited_on")).values("m").annotate(n=Count("id"))
                  .values_list("m", "n"))
    urls = [list_url("service:revisit_list", start=date(year, m, 1).isoformat(),
                     end=date(year, m, calendar.monthrange(year, m)[1]).isoformat()) for m in range(1, 13)]
    return [MonthlySeries("revisited_people", _("回访人数（人）"), [counts.get(m, 0) for m in range(1, 13)], urls)]


def branch_service(court: Any, year: int, rosters: dict[int, list[int]]) -> dict[int, dict[str, ReportFigure]]:
    from tianping.service.models import CircuitTrial, OutreachEvent, PartnerVisit
    from tianping.service.selectors import list_url

    start, end = date(year, 1, 1), date(year, 12, 31)
    everyone = sorted({pid for ids in rosters.values() for pid in ids})
    circuit = list(CircuitTrial.objects.filter(court=court, held_on__gte=start, held_on__lte=end,
                                               judge_id__in=everyone).values_list("pk", "judge_id"))
    events_through: Any = OutreachEvent.participants.through
    events = list(events_through.objects.filter(outreachevent__court=court, outreachevent__held_on__gte=start,
                                                outreachevent__held_on__lte=end, person_id__in=everyone)
                  .values_list("outreachevent_id", "person_id"))
    visits_through: Any = PartnerVisit.visitors.through
    visits = list(visits_through.objects.filter(partnervisit__court=court, partnervisit__visited_on__gte=start,
                                                partnervisit__visited_on__lte=end, person_id__in=everyone)
                  .values_list("partnervisit_id", "person_id"))
    out: dict[int, dict[str, ReportFigure]] = {}
    for bid, roster in rosters.items():
        members = set(roster)
        people = ",".join(str(p) for p in sorted(members))
        found: dict[str, set[int]] = defaultdict(set)
        for name, pairs in (("circuit_trials", circuit), ("outreach_events", events), ("partner_visits", visits)):
            found[name] = {rid for rid, pid in pairs if pid in members}
        out[bid] = {
            "circuit_trials": ReportFigure(len(found["circuit_trials"]),
                                           list_url("service:circuit_list", year=year, people=people)),
            "outreach_events": ReportFigure(len(found["outreach_events"]),
                                            list_url("service:outreach_list", year=year, people=people)),
            "partner_visits": ReportFigure(len(found["partner_visits"]),
                                           list_url("service:visit_list", year=year, people=people)),
        }
    return out


branch_figures.register(BranchFigures("service", (
    BranchColumn("circuit_trials", _("巡回审判")),
    BranchColumn("outreach_events", _("法制宣传")),
    BranchColumn("partner_visits", _("双包双联走访")),
), branch_service), order=50)
