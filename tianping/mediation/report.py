"""The annual report's dispute-centre figure (tianping/annual), as the 诉调对接统计 page counts it."""

from __future__ import annotations

from datetime import date
from typing import Any

from tianping.core.registry import ReportFigure, provides, report_figures


@report_figures.register(order=40)
@provides("disputes_diverted")
def mediation_figures(court: Any, year: int) -> dict[str, ReportFigure]:
    """disputes_diverted: disputes registered in the year and diverted to pre-litigation mediation."""
    from tianping.mediation.models import Dispute
    from tianping.mediation.selectors import list_url, stage_q

    start, end = date(year, 1, 1), date(year, 12, 31)
    n = Dispute.objects.filter(stage_q("diverted"), court=court, registered_on__gte=start,
                               registered_on__lte=end).count()
    return {"disputes_diverted": ReportFigure(n, list_url({"registered_from": start.isoformat(),
                                                           "registered_to": end.isoformat()}, "diverted"))}
