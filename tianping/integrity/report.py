"""The annual report's integrity figure (tianping/annual), as the letter desk counts it."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.urls import reverse

from tianping.core.registry import ReportFigure, provides, report_figures


@report_figures.register(order=15)
@provides("judge_letters")
def integrity_figures(court: Any, year: int) -> dict[str, ReportFigure]:
    """judge_letters: 法官寄语 issued in the year (issued_on), as the desk and the letter list (`?year=`) count."""
    from tianping.integrity.models import JudgeLetter

    n = JudgeLetter.objects.filter(court=court, issued_on__gte=date(year, 1, 1),
                                   issued_on__lte=date(year, 12, 31)).count()
    return {"judge_letters": ReportFigure(n, f"{reverse('integrity:letter_list')}?year={year}")}
