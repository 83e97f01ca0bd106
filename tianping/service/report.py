"""The annual report's service figures (tianping/annual): revisits, circuit trials, publicity events and
双包双联 visits dated in the year, each linking to the list of the records it counts."""

from __future__ import annotations

from datetime import date
from typing import Any

from tianping.core.registry import ReportFigure, provides, report_figures


def revisit_figures(court: Any, year: int) -> dict[str, int | float | None]:
    """Revisits dated in the year: `cases` (distinct cases), `people` (distinct case + person reached), `rated`
    (people who gave a rating; a person rated more than once counts with their latest rating), `satisfied` (of
    them, rating 基本满意 or better) and `rate` = satisfied ÷ rated, rounded to 4 places (None when no one rated).
    The report's definition is the issue's (基本满意 or better), whatever the court's page setting."""
    from tianping.service.models import Rating, Revisit

    rows = (Revisit.objects.filter(court=court, revisited_on__gte=date(year, 1, 1),
                                   revisited_on__lte=date(year, 12, 31))
            .order_by("revisited_on", "id").values_list("case_id", "contact_name", "rating"))
    cases: set[int] = set()
    people: set[tuple[int, str]] = set()
    latest: dict[tuple[int, str], int] = {}
    for case_id, name, rating in rows:
        cases.add(case_id)
        people.add((case_id, name))
        if rating is not None:
            latest[(case_id, name)] = rating
    satisfied = sum(1 for r in latest.values() if r >= Rating.BASIC)
    return {"cases": len(cases), "people": len(people), "rated": len(latest), "satisfied": satisfied,
            "rate": round(satisfied / len(latest), 4) if latest else None}


@report_figures.register(order=30)
@provides("revisited_cases", "revisited_people", "revisit_satisfaction_rate", "circuit_trials", "outreach_events",
          "partner_visits")
def service_figures(court: Any, year: int) -> dict[str, ReportFigure]:
    """revisited_cases, revisited_people, revisit_satisfaction_rate (revisit_figures above); circuit_trials,
    outreach_events and partner_visits: the records dated in the year (each list's `?year=`)."""
    from tianping.service.models import CircuitTrial, OutreachEvent, PartnerVisit
    from tianping.service.selectors import list_url

    start, end = date(year, 1, 1), date(year, 12, 31)
    r = revisit_figures(court, year)
    revisits = list_url("service:revisit_list", year=year)
    return {
        "revisited_cases": ReportFigure(r["cases"], revisits),
        "revisited_people": ReportFigure(r["people"], revisits),
        "revisit_satisfaction_rate": ReportFigure(r["rate"], list_url("service:revisit_list", year=year, rated="1")),
        "circuit_trials": ReportFigure(
            CircuitTrial.objects.filter(court=court, held_on__gte=start, held_on__lte=end).count(),
            list_url("service:circuit_list", year=year)),
        "outreach_events": ReportFigure(
            OutreachEvent.objects.filter(court=court, held_on__gte=start, held_on__lte=end).count(),
            list_url("service:outreach_list", year=year)),
        "partner_visits": ReportFigure(
            PartnerVisit.objects.filter(court=court, visited_on__gte=start, visited_on__lte=end).count(),
            list_url("service:visit_list", year=year)),
    }
