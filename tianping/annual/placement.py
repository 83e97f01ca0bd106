"""Staff placement (人员配置): where each recruit was first posted, and party members by department type
(the people's tribunals against the rest). The recruits are the annual report's (`tianping.org.report`:
`recruits`, `first_departments`), so the page and the report's recruits_3y / recruits_to_tribunals_3y count the
same people."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _


def people_url(people: list[Any]) -> str | None:
    """The person list narrowed to these people (`?ids=`), or None for nobody (the number is not a link)."""
    if not people:
        return None
    return reverse("org:person_list") + "?ids=" + ",".join(str(p.pk) for p in people)


def recruit_placement(court: Any, year: int) -> dict[str, Any]:
    """The recruits of the year and the two before it, each with their first department (earliest assignment),
    grouped by that department's type: rows per type and per first department, and the tribunal total."""
    from tianping.org.models import DepartmentType
    from tianping.org.report import first_departments, recruits

    people = sorted(recruits(court, year), key=lambda p: (p.hired_on, p.name))
    first = first_departments([p.pk for p in people])
    recruits_rows = []
    for p in people:
        dep = first.get(p.pk) or p.department
        recruits_rows.append({"person": p, "first": dep, "type": getattr(dep, "type", ""),
                              "type_label": DepartmentType(dep.type).label if dep else _("未分配部门"),
                              "now": p.department})
    by_dep: dict[Any, list[Any]] = {}
    for r in recruits_rows:
        by_dep.setdefault(r["first"], []).append(r["person"])
    departments = [{"department": d, "name": d.name if d else _("未分配部门"),
                    "tribunal": getattr(d, "type", "") == DepartmentType.TRIBUNAL,
                    "count": len(ps), "url": people_url(ps)}
                   for d, ps in sorted(by_dep.items(), key=lambda kv: (-len(kv[1]), kv[0].name if kv[0] else ""))]
    to_tribunals = [r["person"] for r in recruits_rows if r["type"] == DepartmentType.TRIBUNAL]
    this_year = [r["person"] for r in recruits_rows if r["person"].hired_on.year == year]
    return {"rows": recruits_rows, "departments": departments,
            "total": {"count": len(people), "url": people_url(people)},
            "year_only": {"count": len(this_year), "url": people_url(this_year)},
            "to_tribunals": {"count": len(to_tribunals), "url": people_url(to_tribunals)},
            "elsewhere": {"count": len(people) - len(to_tribunals),
                          "url": people_url([p for p in people if p not in to_tribunals])}}


def departments_on(court: Any, day: date, people: list[Any]) -> dict[int, Any]:
    """person id -> the department they were in on `day` (the assignment history; their department field when the
    history says nothing of that day), one query."""
    from tianping.org.models import DepartmentAssignment

    out: dict[int, Any] = {}
    rows = (DepartmentAssignment.objects.filter(court=court, person_id__in=[p.pk for p in people], start__lte=day)
            .filter(Q(end__isnull=True) | Q(end__gte=day)).select_related("department").order_by("start", "pk"))
    for a in rows:
        out[a.person_id] = a.department  # the latest assignment begun by `day` wins
    for p in people:
        out.setdefault(p.pk, p.department)
    return out


def members_by_department_type(court: Any, day: date) -> dict[str, Any]:
    """Staff in service on `day` and the party members among them (probationary or full on that day), by the
    type of the department they were in that day; and the people's tribunals against all the other departments."""
    from tianping.org.models import DepartmentType, Person
    from tianping.party.selectors import party_membership_intervals

    staff = list(Person.objects.filter(court=court).filter(Q(hired_on__isnull=True) | Q(hired_on__lte=day))
                 .filter(Q(left_on__isnull=True) | Q(left_on__gt=day)).select_related("department"))
    where = departments_on(court, day, staff)
    intervals = party_membership_intervals(court)

    def member(pid: int) -> bool:
        return any(s <= day and (e is None or day <= e) for s, e in intervals.get(pid, []))

    def cell(label: str, people: list[Any], key: str) -> dict[str, Any]:
        members = [p for p in people if member(p.pk)]
        return {"key": key, "label": label, "staff": len(people), "staff_url": people_url(people),
                "members": len(members), "members_url": people_url(members),
                "share": round(len(members) / len(people), 4) if people else None}

    def of_type(types: set[str]) -> list[Any]:
        return [p for p in staff if getattr(where.get(p.pk), "type", "") in types]

    rows = [cell(str(label), of_type({value}), value) for value, label in DepartmentType.choices]
    unplaced = [p for p in staff if where.get(p.pk) is None]
    if unplaced:
        rows.append(cell(_("未分配部门"), unplaced, "none"))
    others = [p for p in staff if getattr(where.get(p.pk), "type", "") != DepartmentType.TRIBUNAL]
    return {"day": day, "rows": rows,
            "tribunals": cell(_("人民法庭"), of_type({DepartmentType.TRIBUNAL}), "tribunals"),
            "others": cell(_("其他部门"), others, "others"),
            "total": cell(_("全院"), staff, "total")}
