"""The annual report's trial figures (tianping/annual), by the definitions of the 三比 pages."""

from __future__ import annotations

from typing import Any

from tianping.core.registry import ReportFigure, report_figures
from tianping.core.request_context import once_per_request


@report_figures.register(order=10)
def trial_figures(court: Any, year: int) -> dict[str, ReportFigure]:
    """cases_closed, party_member_closed_share, acceptance_rate (first instance, the trials formula and the
    court's setting on petitions) and leadership_cases (closed in the year, handled or sat on by a leader).

    The court row of the 三比 page (`metrics(court, period, "court")`) from the sets these figures need
    (`closed_counts`, one query on the cases closed in the year) after the same refresh of party membership
    (once per request)."""
    from tianping.trials import selectors as sel
    from tianping.trials.views import case_list_url

    period = sel.year_period(year)
    # the dashboards gather two years in one request: the copy of party membership is brought up to date once
    once_per_request(f"trials.refresh_membership:{court.pk}", lambda: sel.refresh_membership(court))
    counts = sel.closed_counts(court, period)
    row = sel.figures_from_counts(counts, period,
                                  counts_petitions=sel.court_settings(court).acceptance_counts_petitions)
    return {
        "cases_closed": ReportFigure(row["closed"], case_list_url(period, "closed", {}) or ""),
        "party_member_closed_share": ReportFigure(row["party_member_closed_share"],
                                                  case_list_url(period, "party_closed", {}) or ""),
        "acceptance_rate": ReportFigure(row["acceptance_rate"], case_list_url(period, "first_closed", {}) or ""),
        "leadership_cases": ReportFigure(counts["leadership"],
                                         case_list_url(period, "closed", {"leadership": "panel"}) or ""),
    }
