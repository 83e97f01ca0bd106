"""The annual report's trial figures (tianping/annual), by the definitions of the 三比 pages."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from tianping.core.registry import ReportFigure, report_figures


@report_figures.register(order=10)
def trial_figures(court: Any, year: int) -> dict[str, ReportFigure]:
    """cases_closed, party_member_closed_share, acceptance_rate (first instance, the trials formula and the
    court's setting on petitions) and leadership_cases (closed in the year, handled or sat on by a leader)."""
    from tianping.trials import selectors as sel
    from tianping.trials.views import case_list_url

    period = sel.year_period(year)
    row = sel.metrics(court, period, "court")[0]
    leadership_ids = leadership_case_ids(court, year)
    return {
        "cases_closed": ReportFigure(row["closed"], case_list_url(period, "closed", {}) or ""),
        "party_member_closed_share": ReportFigure(row["party_member_closed_share"],
                                                  case_list_url(period, "party_closed", {}) or ""),
        "acceptance_rate": ReportFigure(row["acceptance_rate"], case_list_url(period, "first_closed", {}) or ""),
        "leadership_cases": ReportFigure(len(leadership_ids),
                                         case_list_url(period, "closed", {"leadership": "panel"}) or ""),
    }


def leadership_case_ids(court: Any, year: int) -> list[int]:
    """The cases closed in the year that a court leader handled or sat on (as `leadership_total` counts)."""
    from tianping.trials import selectors as sel
    from tianping.trials.models import Case

    period = sel.year_period(year)
    with sel.fast_plan():
        return list(Case.objects.filter(court=court, closed_on__gte=period.start, closed_on__lte=period.end)
                    .exclude(type_code__in=sel.metric_types_excluded())
                    .filter(Q(judge__is_leadership=True) | Q(panel__is_leadership=True))
                    .values_list("id", flat=True).distinct())
