"""The annual report's staff figures (tianping/annual): recruits and where they were first posted, and the
leadership's education."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Q
from django.urls import reverse

from tianping.core.registry import ReportFigure, report_figures

BACHELOR_OR_ABOVE = ("bachelor", "master", "doctor")


def recruits(court: Any, year: int) -> list[Any]:
    """Staff who joined the court in the year and the two before it (入职日期)."""
    from tianping.org.models import Person

    return list(Person.objects.filter(court=court, hired_on__gte=date(year - 2, 1, 1), hired_on__lte=date(year, 12, 31)))


def first_departments(person_ids: list[int]) -> dict[int, Any]:
    """person id -> the department of their earliest assignment (or their department when no history)."""
    from tianping.org.models import DepartmentAssignment

    first: dict[int, Any] = {}
    for a in DepartmentAssignment.objects.filter(person_id__in=person_ids).select_related("department") \
            .order_by("person_id", "start", "pk"):
        first.setdefault(a.person_id, a.department)
    return first


def leaders_in_post(court: Any, day: date) -> list[Any]:
    """Court leaders (院领导/党组成员) in post on `day`: hired by then and not yet left."""
    from tianping.org.models import Person

    return list(Person.objects.filter(court=court, is_leadership=True)
                .filter(Q(hired_on__isnull=True) | Q(hired_on__lte=day))
                .filter(Q(left_on__isnull=True) | Q(left_on__gt=day)))


@report_figures.register(order=60)
def staff_figures(court: Any, year: int) -> dict[str, ReportFigure]:
    """recruits_3y, recruits_to_tribunals_3y (of them, those whose first department was a 人民法庭) and
    leaders_bachelor_or_above_share (leaders in post at year end with a bachelor's degree or higher)."""
    from tianping.org.models import DepartmentType

    people = recruits(court, year)
    first = first_departments([p.pk for p in people])
    to_tribunals = [p for p in people
                    if getattr(first.get(p.pk) or p.department, "type", None) == DepartmentType.TRIBUNAL]
    leaders = leaders_in_post(court, date(year, 12, 31))
    educated = [p for p in leaders if p.education in BACHELOR_OR_ABOVE]
    base = reverse("org:person_list")

    def ids(rows: list[Any]) -> str:
        return f"{base}?ids={','.join(str(p.pk) for p in rows)}"

    this_year = [p for p in people if p.hired_on.year == year]
    return {
        "recruits_3y": ReportFigure(len(people), ids(people)),
        "recruits_year": ReportFigure(len(this_year), ids(this_year)),  # the three-year table's column
        "recruits_to_tribunals_3y": ReportFigure(len(to_tribunals), ids(to_tribunals)),
        "leaders_bachelor_or_above_share": ReportFigure(
            round(len(educated) / len(leaders), 4) if leaders else None, ids(leaders)),
    }
