"""Reads of the service records: satisfaction figures (overall, by judge / department / branch / party status /
month), the sample population, the year's counts of the service page.

Satisfaction rate (DOMAIN.md, "Service to the public") = people whose rating is at or above the court's
"satisfied" level (ServiceSettings.satisfied_from, default 基本满意) ÷ people who gave a rating. People reached
who gave no rating are counted as revisited people but not in the rate."""

from __future__ import annotations

import random
from collections.abc import Iterable
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.urls import reverse

from tianping.service.models import (
    CircuitTrial,
    Complaint,
    ComplaintStatus,
    FollowUp,
    FollowUpStatus,
    OutreachEvent,
    PartnerVisit,
    Revisit,
    ServiceSettings,
)


def satisfied_from(court: Any) -> int:
    return int(ServiceSettings.for_court(court).satisfied_from)


def satisfaction_aggregates(threshold: int) -> dict[str, Any]:
    return {
        "people": Count("id"),
        "cases": Count("case_id", distinct=True),
        "rated": Count("id", filter=Q(rating__isnull=False)),
        "satisfied": Count("id", filter=Q(rating__gte=threshold)),
        "dissatisfied": Count("id", filter=Q(rating__isnull=False, rating__lt=threshold)),
    }


def with_rate(counts: dict[str, Any]) -> dict[str, Any]:
    rated = counts.get("rated") or 0
    counts["rate"] = (counts.get("satisfied", 0) / rated) if rated else None
    return counts


def satisfaction(qs: QuerySet[Revisit], threshold: int) -> dict[str, Any]:
    """{"people", "cases", "rated", "satisfied", "dissatisfied", "rate"} of the revisits in `qs`."""
    return with_rate(dict(qs.order_by().aggregate(**satisfaction_aggregates(threshold))))


GROUP_FIELDS = {"judge": "case__judge_id", "department": "case__department_id",
                "party": "case__judge_party_closed", "month": "month"}


def satisfaction_by(qs: QuerySet[Revisit], threshold: int, by: str) -> dict[Any, dict[str, Any]]:
    """One grouped query: {group key: counts with rate}. `by`: judge, department, party, month, branch
    (branch: the party branch built on the case's department, as the 三比 page groups cases)."""
    if by == "branch":
        by_dep = satisfaction_by(qs, threshold, "department")
        court_ids = set(qs.values_list("court_id", flat=True).distinct())
        out: dict[Any, dict[str, Any]] = {}
        for court_id in court_ids:
            for bid, info in _branch_departments(court_id).items():
                total: dict[str, Any] = {"people": 0, "cases": 0, "rated": 0, "satisfied": 0, "dissatisfied": 0}
                for dep in info["departments"]:
                    for k in total:
                        total[k] += by_dep.get(dep, {}).get(k, 0)
                out[bid] = with_rate({**total, "name": info["name"]})
        return out
    field = GROUP_FIELDS[by]
    base = qs.order_by()
    if by == "month":
        base = base.annotate(month=TruncMonth("revisited_on"))
    rows = base.values(field).annotate(**satisfaction_aggregates(threshold))
    result: dict[Any, dict[str, Any]] = {}
    for row in rows:
        key = row.pop(field)
        if by == "month" and key is not None and not isinstance(key, date):
            key = key.date()
        result[key] = with_rate(row)
    return result


def _branch_departments(court_id: int) -> dict[int, dict[str, Any]]:
    from tianping.org.models import Court
    from tianping.trials.selectors import branch_departments

    return branch_departments(Court.objects.get(pk=court_id))


def rate_text(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.2f}%"


# --- the population of a sample ----------------------------------------------------------------------------
def sample_population(*, court: Any, user: Any, closed_from: date, closed_to: date, judge: Any = None,
                      type_code: str = "", department: Any = None) -> QuerySet[Any]:
    """Closed cases matching the criteria, within the drawer's reach (the court's for the trial office and the
    political department; a branch secretary's: the cases handled by the people on the branch roster), in a
    fixed order (id) so that the seed reproduces the drawing."""
    from tianping.service.models import reach
    from tianping.trials.models import Case

    qs = Case.objects.filter(court=court, closed_on__gte=closed_from, closed_on__lte=closed_to)
    if user is not None:
        whole, ids = reach(user)
        if not whole:
            qs = qs.filter(judge_id__in=ids)
    if judge is not None:
        qs = qs.filter(judge=judge)
    if type_code:
        qs = qs.filter(type_code=type_code)
    if department is not None:
        qs = qs.filter(department=department)
    return qs.order_by("id")


def draw(population_ids: list[int], size: int, seed: int) -> list[int]:
    """The sample: `size` case ids (all when fewer) chosen by a random generator seeded with `seed`, in the
    order drawn. The same ids and seed always give the same sample."""
    ids = sorted(population_ids)
    return random.Random(seed).sample(ids, min(size, len(ids)))  # noqa: S311 - a sample, not a secret


def sample_redraw(sample: Any) -> list[int]:
    """Draw the sample again from its recorded criteria and seed (the cases as they are now)."""
    ids = list(sample_population(court=sample.court, user=None, closed_from=sample.closed_from,
                                 closed_to=sample.closed_to, judge=sample.judge, type_code=sample.type_code,
                                 department=sample.department).values_list("id", flat=True))
    if sample.drawn_by_id is not None:
        from tianping.service.models import reach

        whole, reached = reach(sample.drawn_by)
        if not whole:
            allowed = set(sample_population(court=sample.court, user=sample.drawn_by, closed_from=sample.closed_from,
                                            closed_to=sample.closed_to).values_list("id", flat=True))
            ids = [i for i in ids if i in allowed]
    return draw(ids, sample.size, sample.seed)


# --- the service page's figures ----------------------------------------------------------------------------
def figure_scope(user: Any) -> tuple[list[int], bool]:
    """(court ids whose figures the user reads, whether the figures link to records). A reader of records
    counts the records in their scope; the higher court counts the courts below it, without links."""
    from tianping.core.policy import allowed
    from tianping.core.scope import readable_court_ids

    ids = readable_court_ids(user) or []
    linked = allowed(user, "service.view_revisit")
    return list(ids), linked


def scoped(model: Any, user: Any, court_ids: list[int], linked: bool) -> QuerySet[Any]:
    qs: QuerySet[Any] = model.objects.visible_to(user) if linked else model.objects.filter(court_id__in=court_ids)
    return qs


def list_url(name: str, **params: Any) -> str:
    query = {k: v for k, v in params.items() if v not in (None, "")}
    return reverse(name) + ("?" + urlencode(query) if query else "")


def year_figures(user: Any, year: int, *, person: Any = None, person_ids: Iterable[int] | None = None
                 ) -> list[dict[str, Any]]:
    """The year's counts and rates, each with the list behind it ({"label", "value", "url", "key"}).
    `person`: one member's own records (the member timeline's card); `person_ids`: a branch roster."""
    from django.utils.translation import gettext as _

    court_ids, linked = figure_scope(user)
    start, end = date(year, 1, 1), date(year, 12, 31)
    revisits = scoped(Revisit, user, court_ids, linked).filter(revisited_on__gte=start, revisited_on__lte=end)
    trials = scoped(CircuitTrial, user, court_ids, linked).filter(held_on__gte=start, held_on__lte=end)
    events = scoped(OutreachEvent, user, court_ids, linked).filter(held_on__gte=start, held_on__lte=end)
    visits = scoped(PartnerVisit, user, court_ids, linked).filter(visited_on__gte=start, visited_on__lte=end)
    follow_ups = scoped(FollowUp, user, court_ids, linked).filter(revisit__revisited_on__gte=start,
                                                                   revisit__revisited_on__lte=end)
    extra: dict[str, Any] = {}
    if person is not None:
        pid = person.pk
        revisits = revisits.filter(case__judge_id=pid)
        follow_ups = follow_ups.filter(revisit__case__judge_id=pid)
        trials = trials.filter(judge_id=pid)
        events = events.filter(participants__id=pid).distinct()
        visits = visits.filter(visitors__id=pid).distinct()
        extra = {"person": pid}
    elif person_ids is not None:
        ids = sorted(person_ids)
        extra = {"people": ",".join(str(i) for i in ids)}
        revisits = revisits.filter(case__judge_id__in=ids)
        follow_ups = follow_ups.filter(revisit__case__judge_id__in=ids)
        trials = trials.filter(judge_id__in=ids)
        events = events.filter(pk__in=OutreachEvent.objects.filter(participants__id__in=ids).values("pk"))
        visits = visits.filter(pk__in=PartnerVisit.objects.filter(visitors__id__in=ids).values("pk"))
    threshold = satisfied_from(user.court) if user.court_id else 3
    s = satisfaction(revisits, threshold)
    base = {"year": year, **extra}

    def url(name: str, **more: Any) -> str | None:
        return list_url(name, **base, **more) if linked else None

    figures = [
        {"key": "cases", "label": _("回访案件（件）"), "value": s["cases"], "url": url("service:revisit_list")},
        {"key": "people", "label": _("回访人数（人）"), "value": s["people"], "url": url("service:revisit_list")},
        {"key": "rate", "label": _("满意率"), "value": rate_text(s["rate"]),
         "url": url("service:revisit_list", rated="1")},
        {"key": "dissatisfied", "label": _("不满意（人）"), "value": s["dissatisfied"],
         "url": url("service:revisit_list", satisfied="0")},
        {"key": "follow_ups_open", "label": _("待办结的回访问题"),
         "value": follow_ups.filter(status=FollowUpStatus.OPEN).count(),
         "url": url("service:follow_up_list", status="open")},
        {"key": "circuit", "label": _("巡回审判（次）"), "value": trials.count(), "url": url("service:circuit_list")},
        {"key": "outreach", "label": _("法官六进与法制宣传（次）"), "value": events.count(),
         "url": url("service:outreach_list")},
        {"key": "visits", "label": _("双包双联走访（次）"), "value": visits.count(),
         "url": url("service:visit_list")},
    ]
    if person is None and person_ids is None:
        complaints = Complaint.objects.filter(court_id__in=court_ids, received_on__gte=start, received_on__lte=end)
        may_list = linked and _may_list_complaints(user)
        figures.append({"key": "complaints", "label": _("作风投诉（件）"), "value": complaints.count(),
                        "url": list_url("service:complaint_list", year=year) if may_list else None})
        figures.append({"key": "complaints_closed", "label": _("投诉已办结（件）"),
                        "value": complaints.filter(status=ComplaintStatus.CLOSED).count(),
                        "url": list_url("service:complaint_list", year=year, status="closed") if may_list else None})
    return figures


def _may_list_complaints(user: Any) -> bool:
    from tianping.core.roles import Role, has_role

    return has_role(user, Role.PARTY_OFFICE)


def monthly(qs: QuerySet[Revisit], threshold: int, year: int) -> list[dict[str, Any]]:
    by_month = satisfaction_by(qs.filter(revisited_on__year=year), threshold, "month")
    out = []
    for m in range(1, 13):
        c = by_month.get(date(year, m, 1), {"people": 0, "cases": 0, "rated": 0, "satisfied": 0, "dissatisfied": 0,
                                            "rate": None})
        out.append({"month": date(year, m, 1), **c})
    return out
