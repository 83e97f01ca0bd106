"""Reads of the integrity desk: letter figures, cases without a letter, the 三个规定 figures and the judges who
have not reported a month. Every figure is counted from the records, in the database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import ExtractMonth

from tianping.integrity.choices import InterferenceKind
from tianping.integrity.models import InterferenceRecord, JudgeLetter, LetterTemplate, MonthlyReport

# a month's 三个规定 report is due by this day of the following month (later is filed late)
REPORT_DUE_DAY = 5


def first_template_day(court_id: int) -> date | None:
    t = LetterTemplate.objects.filter(court_id=court_id).order_by("effective_from").first()
    return t.effective_from if t else None


def cases_without_letter(court_id: int) -> QuerySet[Any]:
    """The court's filed cases that have no letter, from the first template's effective date on (cases
    filed before the court issued letters are not owed one)."""
    from tianping.trials.models import Case

    start = first_template_day(court_id)
    qs = Case.objects.filter(court_id=court_id, judge_letter__isnull=True)
    return qs.filter(filed_on__gte=start) if start else qs.none()


@dataclass
class LetterFigures:
    year: int
    filed: int
    with_letter: int
    by_month: list[dict[str, Any]]
    by_department: list[dict[str, Any]]
    by_handover: list[dict[str, Any]]

    @property
    def share(self) -> float | None:
        return round(100 * self.with_letter / self.filed, 1) if self.filed else None


def _filed_with_letters(court_id: int, year: int) -> tuple[Any, dict[str, int]]:
    """The court's cases filed in `year` and {"n": how many, "letters": how many of them have a letter}."""
    from tianping.trials.models import Case

    filed = Case.objects.filter(court_id=court_id, filed_on__year=year)
    return filed, filed.aggregate(n=Count("id"), letters=Count("judge_letter"))


def letter_share(court_id: int, year: int) -> LetterFigures:
    """The year's filed cases and those with a letter (the figures of the home page's panel), without the
    breakdowns by month, department and handover (empty lists): one query."""
    _filed, counts = _filed_with_letters(court_id, year)
    return LetterFigures(year=year, filed=counts["n"], with_letter=counts["letters"], by_month=[],
                         by_department=[], by_handover=[])


def letter_figures(court_id: int, year: int) -> LetterFigures:
    """Letters issued in `year` by month, by the case's department and by handover; the share of the year's
    filed cases that have a letter (cases filed ÷ cases filed with a letter)."""
    filed, counts = _filed_with_letters(court_id, year)
    letters = JudgeLetter.objects.filter(court_id=court_id, issued_on__year=year)
    months = dict(letters.annotate(m=ExtractMonth("issued_on")).values("m").order_by("m")
                  .annotate(n=Count("id")).values_list("m", "n"))
    filed_months = dict(filed.annotate(m=ExtractMonth("filed_on")).values("m").order_by("m")
                        .annotate(n=Count("id")).values_list("m", "n"))
    by_month = [{"month": m, "letters": months.get(m, 0), "filed": filed_months.get(m, 0)} for m in range(1, 13)]
    by_department = [
        {"department_id": r["case__department_id"], "department": r["case__department__name"] or "—", "letters": r["n"]}
        for r in letters.values("case__department_id", "case__department__name").order_by()
        .annotate(n=Count("id")).order_by("-n", "case__department__name")]
    by_handover = [dict(r) for r in letters.values("handover").order_by().annotate(n=Count("id")).order_by("handover")]
    return LetterFigures(year=year, filed=counts["n"], with_letter=counts["letters"], by_month=by_month,
                         by_department=by_department, by_handover=by_handover)


# --- 三个规定 ---------------------------------------------------------------------------------------------------
def next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def judges_in_month(court_id: int, month: date) -> QuerySet[Any]:
    """The quota judges (员额法官) who owe a report for `month`: in post on some day of the month."""
    from tianping.org.models import Person

    end = next_month(month)
    return Person.objects.filter(court_id=court_id, is_quota_judge=True).filter(
        Q(hired_on__isnull=True) | Q(hired_on__lt=end)).filter(Q(left_on__isnull=True) | Q(left_on__gte=month))


def missing_reports(court_id: int, month: date) -> QuerySet[Any]:
    """The judges who owe a report for `month` and have not filed it."""
    filed = MonthlyReport.objects.filter(court_id=court_id, month=month).values("person_id")
    return judges_in_month(court_id, month).exclude(pk__in=filed).order_by("department__sort_order", "name")


def late_reports(court_id: int, month: date) -> QuerySet[Any]:
    due = next_month(month).replace(day=REPORT_DUE_DAY)
    return MonthlyReport.objects.filter(court_id=court_id, month=month, filed_on__gt=due)


def report_figures(court_id: int, year: int, today: date) -> list[dict[str, Any]]:
    """Per month of `year` up to the last finished month: records by kind, zero reports, reports with records,
    late reports and missing reports."""
    rows = []
    kinds = (InterferenceRecord.objects.filter(court_id=court_id, recorded_on__year=year)
             .annotate(m=ExtractMonth("recorded_on")).values("m", "kind").order_by().annotate(n=Count("id")))
    per: dict[int, dict[str, int]] = {m: {} for m in range(1, 13)}
    for r in kinds:
        per[r["m"]][r["kind"]] = r["n"]
    reports = (MonthlyReport.objects.filter(court_id=court_id, month__year=year)
               .annotate(m=ExtractMonth("month")).values("m").order_by()
               .annotate(zeros=Count("id", filter=Q(zero=True)), nonzeros=Count("id", filter=Q(zero=False))))
    rep = {r["m"]: r for r in reports}
    for m in range(1, 13):
        month = date(year, m, 1)
        if month > today.replace(day=1):
            break
        finished = next_month(month) <= today
        rows.append({
            "month": month, "finished": finished,
            "by_kind": [(k, label, per[m].get(k, 0)) for k, label in InterferenceKind.choices],
            "records": sum(per[m].values()),
            "zero": rep.get(m, {}).get("zeros", 0), "nonzero": rep.get(m, {}).get("nonzeros", 0),
            "late": late_reports(court_id, month).count() if finished else 0,
            "missing": missing_reports(court_id, month).count() if finished else None,
        })
    return rows
