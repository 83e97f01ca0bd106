"""The annual report's organisational-life figures (tianping/annual), as the 廉政大讲堂 page counts them."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from tianping.core.registry import ReportFigure, provides, report_figures


@report_figures.register(order=20)
@provides("integrity_lectures_court", "integrity_lectures_branch")
def lecture_figures(court: Any, year: int) -> dict[str, ReportFigure]:
    """integrity_lectures_court / _branch: 廉政大讲堂 sessions held in the year, organised at court level (the
    party group or the organ party committee) and by the branches."""
    from tianping.partylife.selectors import lecture_sessions

    sessions = lecture_sessions(court, year)  # what the 廉政大讲堂 page counts (lecture_hall's "sessions")
    base = reverse("partylife:meeting_list")
    return {
        "integrity_lectures_court": ReportFigure(sessions["court"], f"{base}?ids={sessions['court_ids']}"),
        "integrity_lectures_branch": ReportFigure(sessions["branch"], f"{base}?ids={sessions['branch_ids']}"),
    }
