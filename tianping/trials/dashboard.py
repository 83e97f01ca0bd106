"""The dashboards' trial figures (tianping/annual): cases closed month by month, and each party branch's cases
closed and the share closed by party members (the 三比 page's branch rows, 支部建在庭上)."""

from __future__ import annotations

import calendar
from datetime import date
from typing import Any

from django.utils.translation import gettext_lazy as _

from tianping.core.registry import (
    BranchColumn,
    BranchFigures,
    MonthlySeries,
    ReportFigure,
    branch_figures,
    monthly_figures,
)


@monthly_figures.register(order=10)
def trial_months(court: Any, year: int) -> list[MonthlySeries]:
    """Cases closed per month, and of them those a party member handled (on the closing day): the annual
    report's cases_closed month by month (`closed_by_month`, the query the report's figures of the year read)."""
    from tianping.trials import selectors as sel
    from tianping.trials.views import case_list_url

    months = sel.closed_by_month(court, sel.year_period(year))
    empty: dict[str, int] = {}
    trend = [months.get((year, m), empty) for m in range(1, 13)]
    periods = [sel.Period(date(year, m, 1), date(year, m, calendar.monthrange(year, m)[1])) for m in range(1, 13)]
    return [
        MonthlySeries("cases_closed", _("审结案件"), [r.get("closed", 0) for r in trend],
                      [case_list_url(p, "closed", {}) or "" for p in periods]),
        MonthlySeries("party_closed", _("党员干警办结案件"), [r.get("party_closed", 0) for r in trend],
                      [case_list_url(p, "party_closed", {}) or "" for p in periods]),
    ]


def branch_cases(court: Any, year: int, rosters: dict[int, list[int]]) -> dict[int, dict[str, ReportFigure]]:
    """Cases closed in the year in the departments a branch is built on, and the share a party member closed."""
    from tianping.trials import selectors as sel
    from tianping.trials.views import case_list_url

    period = sel.year_period(year)
    out: dict[int, dict[str, ReportFigure]] = {}
    for row in sel.metrics(court, period, "branch"):
        key = row["key"]
        out[int(key["branch"])] = {
            "cases_closed": ReportFigure(row["closed"], case_list_url(period, "closed", key) or ""),
            "party_member_closed_share": ReportFigure(row["party_member_closed_share"],
                                                      case_list_url(period, "party_closed", key) or ""),
        }
    return out


branch_figures.register(BranchFigures("trials", (
    BranchColumn("cases_closed", _("审结案件")),
    BranchColumn("party_member_closed_share", _("党员办结占比"), "rate"),
), branch_cases), order=40)
