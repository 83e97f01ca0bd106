"""Helpers to build cases in tests (synthetic data only)."""

from __future__ import annotations

import itertools
from datetime import date

from tianping.trials.casenumbers import format_case_number
from tianping.trials.models import Case

_seq = itertools.count(1)


def make_case(court, type_code: str = "民初", *, filed_on: date, closed_on: date | None = None, seq: int | None = None,
              procedure: str = "ordinary", outcome: str = "", judge=None, department=None, panel=(), **extra) -> Case:
    """A validated, saved case; the number is formatted from the court code, filing year and a sequence."""
    seq = seq or next(_seq)
    if closed_on and not outcome:
        outcome = "judgment"
    case = Case(court=court, number=format_case_number(filed_on.year, court.code, type_code, seq),
                filed_on=filed_on, closed_on=closed_on, procedure=procedure, outcome=outcome, judge=judge,
                department=department or (judge.department if judge else None), **extra)
    case.full_clean()
    case.save()
    if panel:
        case.panel.set(panel)
    return case
