"""Trial quality and efficiency figures (审判质效), computed in the database.

Every figure is a ratio of counts of *case sets*. Each set is one Q object (`set_q`), used twice:
inside `Count(filter=...)` for the grouped aggregation, and as the filter of the drill-down case list,
so a list always has exactly as many rows as the figure counted. Formulas: shared/DOMAIN.md.

For a period [start, end] (both inclusive):
- filed         filed_on in [start, end]
- carried_over  filed before start and not closed before start (still open on the morning of `start`)
- closed        closed_on in [start, end]
- pending       filed on/before end and not closed by end (open at the end of the period)
- closed_within closed, and closed on/before the deadline + excluded days (`limit_end`; no recorded
                limit = within)
- mediated / mediated_withdrawn, first_closed (closed, type code ends in 初), appealed (first_closed and
  appealed), appealed_or_petitioned, reversed (first_closed with appeal result 改判 or 发回重审),
  over12 (pending and filed more than 12 months before end), enforcement (closed 执* cases with an applied
  amount), party_closed (closed, handling judge a probationary or full party member ON THE CLOSING DATE).

Party status of a case = of its handling judge on its closing date (for cases still open at the end
of the period: on the period's last day). It is read from `MembershipSpan`, trials' copy of
party.selectors.party_membership_intervals, refreshed by `refresh_membership(court)`.

Scopes: court, department (the case's own department, i.e. the one at the time), branch (the party
branch built on that department), judge (handling judge), party status, leadership (handling judge is a
院领导/党组成员).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Sum,
)
from django.db.models import Case as When_
from django.db.models import When as WhenClause
from django.utils.translation import gettext_lazy as _

from tianping.core.request_context import once_per_request
from tianping.trials.models import (
    AppealResult,
    Case,
    CaseType,
    MembershipSpan,
    Outcome,
    TrialSettings,
    add_months,
)

if TYPE_CHECKING:
    from tianping.org.models import Court

# The JSON keys of `manage.py trial_metrics`, in order.
FIGURE_KEYS = ["filed", "carried_over", "closed", "pending", "closure_rate", "within_limit_rate", "avg_days",
               "mediation_rate", "mediation_withdrawal_rate", "appeal_rate", "acceptance_rate",
               "reversal_remand_rate", "party_member_closed_share", "clearance_rate", "disposition_time"]

SET_LABELS = {
    "filed": _("新收"),
    "carried_over": _("旧存"),
    "closed": _("已结"),
    "pending": _("未结"),
    "closed_within": _("法定审限内结案"),
    "mediated": _("调解结案"),
    "mediated_withdrawn": _("调解和撤诉结案"),
    "first_closed": _("一审结案"),
    "appealed": _("一审上诉"),
    "appealed_or_petitioned": _("一审上诉或申请再审/申诉"),
    "reversed": _("改判和发回重审"),
    "over12": _("超12个月未结"),
    "enforcement": _("执行结案（有申请标的额）"),
    "party_closed": _("党员承办结案"),
    "caseload": _("收案（旧存＋新收）"),
}
SETS = list(SET_LABELS)

# figure key -> (numerator set, denominator sets summed)
FIGURE_SETS: dict[str, tuple[str | None, tuple[str, ...]]] = {
    "filed": ("filed", ()),
    "carried_over": ("carried_over", ()),
    "closed": ("closed", ()),
    "pending": ("pending", ()),
    "closure_rate": ("closed", ("caseload",)),
    "within_limit_rate": ("closed_within", ("closed",)),
    "avg_days": ("closed", ("closed",)),
    "mediation_rate": ("mediated", ("closed",)),
    "mediation_withdrawal_rate": ("mediated_withdrawn", ("closed",)),
    "appeal_rate": ("appealed", ("first_closed",)),
    "acceptance_rate": ("appealed", ("first_closed",)),
    "reversal_remand_rate": ("reversed", ("first_closed",)),
    "party_member_closed_share": ("party_closed", ("closed",)),
    "clearance_rate": ("closed", ("filed",)),
    "disposition_time": ("pending", ("closed",)),
    "over12": ("over12", ()),
    "enforcement_rate": ("enforcement", ("enforcement",)),
}

FIGURE_LABELS = {
    "filed": _("新收"), "carried_over": _("旧存"), "closed": _("已结"), "pending": _("未结"),
    "closure_rate": _("结案率"), "within_limit_rate": _("法定审限内结案率"), "avg_days": _("平均审理天数"),
    "mediation_rate": _("调解率"), "mediation_withdrawal_rate": _("调撤率"), "appeal_rate": _("上诉率"),
    "acceptance_rate": _("一审服判息诉率"), "reversal_remand_rate": _("改判发回重审率"),
    "party_member_closed_share": _("党员结案占比"), "clearance_rate": _("结收比（CEPEJ）"),
    "disposition_time": _("处置时间（天，CEPEJ）"), "over12": _("超12个月未结"),
    "enforcement_rate": _("执行到位率"),
}
RATE_KEYS = {"closure_rate", "within_limit_rate", "mediation_rate", "mediation_withdrawal_rate", "appeal_rate",
             "acceptance_rate", "reversal_remand_rate", "party_member_closed_share", "clearance_rate",
             "enforcement_rate"}

DIMENSIONS = ["court", "department", "branch", "judge", "party", "leadership"]


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def over12_before(self) -> date:
        """Cases filed before this day and still open at the end are 超12个月未结."""
        return add_months(self.end, -12)


# -- membership (party status) -------------------------------------------------------------------------
def membership_intervals(court: Court) -> dict[int, list[tuple[date, date | None]]] | None:
    """The party app's membership periods of the court's people, or None while the party app lacks them."""
    by_court = membership_intervals_by_court([court.pk])
    return None if by_court is None else by_court[court.pk]


def membership_intervals_by_court(court_ids: list[int]
                                  ) -> dict[int, dict[int, list[tuple[date, date | None]]]] | None:
    """membership_intervals of several courts, one query; None while the party app lacks them."""
    try:
        from tianping.party.selectors import party_membership_intervals_by_court
    except ImportError:
        return None
    return party_membership_intervals_by_court(court_ids)


def refresh_membership(court: Court, intervals: dict[int, list[tuple[date, date | None]]] | None = None
                       ) -> bool:
    """Bring trials' MembershipSpan copy of `court` in line with the party app (the write is the service
    `trials.services.membership_refresh`). Returns True if changed."""
    from tianping.trials.services import membership_refresh

    return membership_refresh(court=court, intervals=intervals)


def party_member_on_day(person_id: int, day: date) -> bool:
    return MembershipSpan.objects.filter(person_id=person_id, start__lte=day).filter(
        Q(end__isnull=True) | Q(end__gte=day)).exists()


# -- sets ------------------------------------------------------------------------------------------------
def with_party(qs: QuerySet[Case], period: Period) -> QuerySet[Case]:
    """Annotate `judge_party`: the handling judge was a party member on the closing date, or — for cases
    still open at the end of the period — on the period's last day. Closed cases read the stored
    `judge_party_closed`; only open ones look up MembershipSpan (CASE evaluates the subquery lazily)."""
    open_spans = MembershipSpan.objects.filter(person_id=OuterRef("judge_id"), start__lte=period.end).filter(
        Q(end__isnull=True) | Q(end__gte=period.end))
    return qs.annotate(judge_party=When_(
        WhenClause(closed_on__lte=period.end, then=F("judge_party_closed")),
        default=Exists(open_spans), output_field=BooleanField()))


def set_q(name: str, period: Period, *, counts_petitions: bool = False) -> Q:
    s, e = period.start, period.end
    open_at_end = Q(filed_on__lte=e) & (Q(closed_on__isnull=True) | Q(closed_on__gt=e))
    closed = Q(closed_on__gte=s, closed_on__lte=e)
    first_closed = closed & Q(first_instance=True)
    if name == "filed":
        return Q(filed_on__gte=s, filed_on__lte=e)
    if name == "caseload":
        return Q(filed_on__lte=e) & (Q(closed_on__isnull=True) | Q(closed_on__gte=s))
    if name == "carried_over":
        return Q(filed_on__lt=s) & (Q(closed_on__isnull=True) | Q(closed_on__gte=s))
    if name == "closed":
        return closed
    if name == "pending":
        return open_at_end
    if name == "closed_within":
        return closed & (Q(limit_end__isnull=True) | Q(closed_on__lte=F("limit_end")))
    if name == "mediated":
        return closed & Q(outcome=Outcome.MEDIATION)
    if name == "mediated_withdrawn":
        return closed & Q(outcome__in=[Outcome.MEDIATION, Outcome.WITHDRAWAL])
    if name == "first_closed":
        return first_closed
    if name == "appealed":
        return first_closed & Q(appealed=True)
    if name == "appealed_or_petitioned":
        return first_closed & (Q(appealed=True) | Q(retrial_petition=True))
    if name == "reversed":
        return first_closed & Q(appealed=True, appeal_result__in=[AppealResult.REVISED, AppealResult.REMANDED])
    if name == "over12":
        return open_at_end & Q(filed_on__lt=period.over12_before)
    if name == "enforcement":
        return closed & Q(type_code__startswith="执", enforcement_applied__isnull=False)
    if name == "party_closed":
        return closed & Q(judge_party=True)
    raise KeyError(name)


def metric_types_excluded() -> list[str]:
    """Type codes kept out of the figures (e.g. 民诉前调: pre-litigation mediation is not a case). Read once per
    request (a dashboard asks for every figure of two years)."""
    codes = once_per_request("trials.metric_types_excluded", lambda: tuple(
        CaseType.objects.filter(counts_in_metrics=False).values_list("code", flat=True)))
    return list(codes)


def base_cases(court_ids: list[int], period: Period, excluded: list[str] | None = None) -> QuerySet[Case]:
    """Cases of the courts that touch the period: filed by its end and not closed before its start."""
    excluded = metric_types_excluded() if excluded is None else excluded
    qs = Case.objects.filter(court_id__in=court_ids, filed_on__lte=period.end).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gte=period.start))
    if excluded:
        qs = qs.exclude(type_code__in=excluded)
    return qs


# -- scope filters ---------------------------------------------------------------------------------------
def branch_departments(court: Court) -> dict[int, dict[str, Any]]:
    """{branch id: {"name", "departments": [department ids]}} — party branches (党支部) built on the
    court's divisions and tribunals (支部建在庭上). Empty until the party app provides organisations."""
    try:
        from tianping.party.models import PartyOrganisation
    except ImportError:
        return {}
    out: dict[int, dict[str, Any]] = {}
    orgs = PartyOrganisation.objects.filter(court=court).prefetch_related("departments")
    for org in orgs:
        deps = [d.pk for d in org.departments.all()]
        if deps and getattr(org, "kind", "") in ("党支部", "branch", "党总支", "general_branch"):
            out[org.pk] = {"name": org.name, "departments": deps}
    if not out:  # kinds stored under other codes: take any organisation with departments
        for org in orgs:
            deps = [d.pk for d in org.departments.all()]
            if deps:
                out[org.pk] = {"name": org.name, "departments": deps}
    return out


def scope_q(*, department: Any = None, branch: Any = None, judge: Any = None, party: Any = None,
            leadership: Any = None, court: Court | None = None, participant: Any = None) -> Q:
    """The filter of one scope. `party`/`leadership` are True/False (`leadership="panel"`: a leader handled or
    sat on the case, as the annual report's leadership_cases counts); `branch` is a branch id (needs court)."""
    q = Q()
    if department:
        q &= Q(department_id=int(department))
    if branch:
        deps = branch_departments(court).get(int(branch), {}).get("departments", []) if court else []
        q &= Q(department_id__in=deps)
    if judge:
        q &= Q(judge_id=int(judge))
    if participant:
        q &= Q(judge_id=int(participant)) | Q(panel__id=int(participant))
    if party is not None:
        q &= Q(judge_party=bool(party))
    if leadership == "panel":
        q &= Q(judge__is_leadership=True) | Q(panel__is_leadership=True)
    elif leadership is not None:
        q &= Q(judge__is_leadership=True) if leadership else (Q(judge__isnull=True) | Q(judge__is_leadership=False))
    return q


# -- aggregation -----------------------------------------------------------------------------------------
@contextmanager
def fast_plan(jit: bool = False) -> Iterator[None]:
    """Settings for the figures' grouped queries on PostgreSQL, for this transaction only.

    JIT: PostgreSQL compiles queries whose estimated cost is high; measured on these aggregations the
    compilation costs more than it saves (90 ms for one court's query, 2.5 s of 4.2 s for the province
    table), so it is off. work_mem: the province table groups ~600,000 rows; with the default 4 MB the
    sort spills to disk, 64 MB lets PostgreSQL aggregate in memory. The settings go to the connection the
    figures are read from (the streaming replica inside `core.replica.read_replica()`)."""
    from django.db import connections, router

    alias = router.db_for_read(Case)
    connection = connections[alias]
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(using=alias), connection.cursor() as cur:
        if not jit:
            cur.execute("SET LOCAL jit = off")
        cur.execute("SET LOCAL work_mem = '64MB'")
        yield
def _aggregates(period: Period, counts_petitions: bool) -> dict[str, Any]:
    # aliases carry a prefix: an alias equal to a field name (appealed) would shadow the column in FILTER
    aggs: dict[str, Any] = {f"n_{name}": Count("id", filter=set_q(name, period))
                            for name in SETS}
    closed = set_q("closed", period)
    aggs["n_days_sum"] = Sum("days_taken", filter=closed)
    enf = set_q("enforcement", period)
    aggs["n_applied_sum"] = Sum("enforcement_applied", filter=enf)
    aggs["n_recovered_sum"] = Sum("enforcement_recovered", filter=enf)
    return aggs


def _ratio(num: Any, den: Any, digits: int = 4) -> float | None:
    if not den:
        return None
    return round(float(num) / float(den), digits)


def figures_from_counts(c: dict[str, Any], period: Period, *, counts_petitions: bool = False) -> dict[str, Any]:
    """The figures (FIGURE_KEYS plus over12 and enforcement_rate) from one group's set counts."""
    closed, filed, pending = c.get("closed", 0), c.get("filed", 0), c.get("pending", 0)
    first = c.get("first_closed", 0)
    not_accepting = c.get("appealed_or_petitioned", 0) if counts_petitions else c.get("appealed", 0)
    year_days = 365 if period.days in (365, 366) else period.days
    out = {
        "filed": filed,
        "carried_over": c.get("carried_over", 0),
        "closed": closed,
        "pending": pending,
        "closure_rate": _ratio(closed, c.get("carried_over", 0) + filed),
        "within_limit_rate": _ratio(c.get("closed_within", 0), closed),
        "avg_days": _ratio(c.get("days_sum") or 0, closed, 2),
        "mediation_rate": _ratio(c.get("mediated", 0), closed),
        "mediation_withdrawal_rate": _ratio(c.get("mediated_withdrawn", 0), closed),
        "appeal_rate": _ratio(c.get("appealed", 0), first),
        "acceptance_rate": round(1 - float(not_accepting) / first, 4) if first else None,
        "reversal_remand_rate": _ratio(c.get("reversed", 0), first),
        "party_member_closed_share": _ratio(c.get("party_closed", 0), closed),
        "clearance_rate": _ratio(closed, filed),
        "disposition_time": round(year_days * pending / closed, 2) if closed else None,
        "over12": c.get("over12", 0),
        "enforcement_rate": _ratio(c.get("recovered_sum") or Decimal(0), c.get("applied_sum") or 0),
    }
    return out


def _add(into: dict[str, Any], row: dict[str, Any]) -> None:
    for k, v in row.items():
        if k in SETS or k in ("days_sum", "applied_sum", "recovered_sum"):
            into[k] = (into.get(k) or 0) + (v or 0)


GROUP_FIELDS = {"court": "court_id", "department": "department_id", "judge": "judge_id", "party": "judge_party",
                "leadership": "judge__is_leadership", "branch": "department_id"}
CUBE = ("department_id", "judge_id", "judge_party")


def cube_counts(court_ids: list[int], period: Period, *, extra_q: Q | None = None) -> dict[Any, dict[str, Any]]:
    """One grouped query by (department, judge, party status): every scope of a court — court, department,
    branch, judge, party, leadership — is a sum over these groups (see `rollup`)."""
    from tianping.trials import rollups

    if len(court_ids) == 1 and rollups.ready(court_ids, period, extra_q):
        # the monthly rollups, and the cases of the few judges they cannot split by party status
        summed, mixed = rollups.cube(court_ids[0], period, metric_types_excluded())
        if not mixed:
            return summed
        judges = Q(judge_id__in=[j for j in mixed if j])
        if 0 in mixed:
            judges |= Q(judge__isnull=True)
        return {**summed, **_raw_cube(court_ids, period, judges)}
    return _raw_cube(court_ids, period, extra_q)


def _raw_cube(court_ids: list[int], period: Period, extra_q: Q | None) -> dict[Any, dict[str, Any]]:
    qs = with_party(base_cases(court_ids, period), period)
    if extra_q is not None:
        qs = qs.filter(extra_q)
    rows = qs.order_by().values(*CUBE).annotate(**_aggregates(period, False))
    with fast_plan():
        rows = list(rows)
    out: dict[Any, dict[str, Any]] = {}
    for row in rows:
        key = tuple(row.pop(f) for f in CUBE)
        _add(out.setdefault(key, {}), {k[2:]: v for k, v in row.items()})
    return out


def rollup(cube: dict[Any, dict[str, Any]], by: str) -> dict[Any, dict[str, Any]]:
    """Sum the (department, judge, party) groups into the groups of dimension `by`."""
    leaders: set[int] = set()
    if by == "leadership":
        from tianping.org.models import Person

        leaders = set(Person.objects.filter(pk__in={k[1] for k in cube if k[1]}, is_leadership=True)
                      .values_list("pk", flat=True))
    out: dict[Any, dict[str, Any]] = {}
    for (dep, judge, party), c in cube.items():
        key = {"court": None, "department": dep, "branch": dep, "judge": judge, "party": bool(party),
               "leadership": judge in leaders}[by]
        _add(out.setdefault(key, {}), c)
    return out


def grouped_counts(court_ids: list[int], period: Period, by: str, *, extra_q: Q | None = None,
                   counts_petitions: bool = False) -> dict[Any, dict[str, Any]]:
    """One grouped query: {group key: {set name: count, days_sum, applied_sum, recovered_sum}}."""
    qs = with_party(base_cases(court_ids, period), period)
    if extra_q is not None:
        qs = qs.filter(extra_q)
    field = GROUP_FIELDS[by]
    rows = qs.order_by().values(field).annotate(**_aggregates(period, counts_petitions))
    with fast_plan():
        rows = list(rows)
    out: dict[Any, dict[str, Any]] = {}
    for row in rows:
        key = row.pop(field)
        if by == "leadership":
            key = bool(key)
        _add(out.setdefault(key, {}), {k[2:]: v for k, v in row.items()})
    return out


def court_settings(court: Court) -> TrialSettings:
    """The court's settings, read once per request (do not change the answer: it is shared)."""
    return once_per_request(f"trials.court_settings:{court.pk}", lambda: TrialSettings.for_court(court))


def metrics(court: Court, period: Period, by: str = "court", *, refresh: bool = True, extra_q: Q | None = None,
            counts_petitions: bool | None = None, counts: dict[Any, dict[str, Any]] | None = None
            ) -> list[dict[str, Any]]:
    """Figures of one court for the period, one dict per scope of dimension `by`. `counts`: a
    `cube_counts` result to reuse (a page showing several dimensions runs the grouped query once).

    Each dict: {"scope": label, "key": {filter params}, **figures}. Ordered: court; departments in the
    court's order; branches by name; judges by closed count; party members first; leadership first."""
    from tianping.org.models import Department, Person

    if by not in DIMENSIONS:
        raise ValueError(f"by must be one of {DIMENSIONS}")
    if refresh:
        refresh_membership(court)
    if counts_petitions is None:
        counts_petitions = court_settings(court).acceptance_counts_petitions
    if counts is None:
        counts = cube_counts([court.pk], period, extra_q=extra_q)
    counts = rollup(counts, by)
    rows: list[dict[str, Any]] = []

    def emit(label: Any, params: dict[str, Any], c: dict[str, Any]) -> None:
        rows.append({"scope": str(label), "key": params, "counts": c,
                     **figures_from_counts(c, period, counts_petitions=counts_petitions)})

    if by == "court":
        total: dict[str, Any] = {}
        for c in counts.values():
            _add(total, c)
        emit(court.name, {}, total)
    elif by == "department":
        deps = {d.pk: d for d in Department.objects.filter(pk__in=[k for k in counts if k])}
        for dep in sorted(deps.values(), key=lambda d: (d.sort_order, d.name)):
            emit(dep.name, {"department": dep.pk}, counts[dep.pk])
        if None in counts:
            emit(_("未指定部门"), {"department": "none"}, counts[None])
    elif by == "branch":
        branches = branch_departments(court)
        for bid, info in sorted(branches.items(), key=lambda kv: kv[1]["name"]):
            total = {}
            for dep in info["departments"]:
                if dep in counts:
                    _add(total, counts[dep])
            emit(info["name"], {"branch": bid}, total)
    elif by == "judge":
        people = {p.pk: p for p in Person.objects.filter(pk__in=[k for k in counts if k])}
        order = sorted(counts, key=lambda k: (-counts[k].get("closed", 0), people[k].name if k in people else ""))
        for key in order:
            if key is None:
                emit(_("未指定承办人"), {"judge": "none"}, counts[key])
            else:
                emit(people[key].label, {"judge": key}, counts[key])
    elif by == "party":
        emit(_("党员（预备党员和正式党员）"), {"party": 1}, counts.get(True, {}))
        emit(_("非党员"), {"party": 0}, counts.get(False, {}))
    elif by == "leadership":
        emit(_("院领导"), {"leadership": 1}, counts.get(True, {}))
        emit(_("其他人员"), {"leadership": 0}, counts.get(False, {}))
    return rows


def metrics_json(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows in the shape of `manage.py trial_metrics --format json` (exactly the issue's keys)."""
    return [{"scope": r["scope"], **{k: r[k] for k in FIGURE_KEYS}} for r in rows]


def court_table(court_ids: list[int], period: Period) -> list[dict[str, Any]]:
    """By-court figures for a higher court's supervision (never a public ranking): summed from the monthly
    rollups (trials.rollups) when every court has them and the period is whole months, else one grouped query
    over the cases. Party share uses each court's MembershipSpan rows as they are (refresh per court beforehand)."""
    from tianping.org.models import Court
    from tianping.trials import rollups

    if rollups.ready(court_ids, period):
        counts = rollups.court_counts(court_ids, period, metric_types_excluded())
    else:
        counts = grouped_counts(court_ids, period, "court")
    courts = {c.pk: c for c in Court.objects.filter(pk__in=court_ids)}
    rows = []
    for cid in sorted(courts, key=lambda i: courts[i].code):
        rows.append({"scope": courts[cid].name, "code": courts[cid].code, "court_id": cid,
                     "counts": counts.get(cid, {}), **figures_from_counts(counts.get(cid, {}), period)})
    return rows


CLOSED_SETS = ("closed", "party_closed", "first_closed", "appealed", "appealed_or_petitioned")


def closed_counts(court: Court, period: Period) -> dict[str, Any]:
    """The counts of CLOSED_SETS (by `set_q`, the excluded types left out as in `base_cases`) and `leadership`:
    of the cases closed in the period, those a court leader handled or sat on (as `leadership_total`). A
    court's closed figures — cases_closed, party_member_closed_share, acceptance_rate — need none of the other
    sets `metrics` groups, which read every case that touches the period. The sum of `closed_by_month`."""
    out: dict[str, Any] = {name: 0 for name in (*CLOSED_SETS, "leadership")}
    for counts in closed_by_month(court, period).values():
        for name, n in counts.items():
            out[name] += n
    return out


def closed_by_month(court: Court, period: Period) -> dict[tuple[int, int], dict[str, int]]:
    """{(year, month): the counts of `closed_counts` of the cases closed in that month of the period} (months
    without cases absent): one grouped query over the closing-date index, once per request (the annual report's
    figures and the dashboards' monthly series read the same one; treat the answer as read-only)."""
    key = f"trials.closed_by_month:{court.pk}:{period.start}:{period.end}"
    return once_per_request(key, lambda: _closed_by_month(court, period))


def _closed_by_month(court: Court, period: Period) -> dict[tuple[int, int], dict[str, int]]:
    from django.db.models.functions import ExtractMonth, ExtractYear

    from tianping.org.models import Person

    # every case here closed by the period's end: `with_party` would read the stored judge_party_closed for each
    qs = Case.objects.filter(court=court, closed_on__gte=period.start, closed_on__lte=period.end).annotate(
        judge_party=F("judge_party_closed"))
    excluded = metric_types_excluded()
    if excluded:
        qs = qs.exclude(type_code__in=excluded)
    through: Any = Case.panel.through
    # aliases carry a prefix (an alias equal to a field name, appealed, would shadow the column)
    aggs: dict[str, Any] = {f"n_{name}": Count("id", filter=set_q(name, period)) for name in CLOSED_SETS}
    # (no fast_plan: one court's year is far below the cost at which PostgreSQL would compile it)
    leaders = once_per_request("trials.leaders", lambda: list(
        Person.objects.filter(is_leadership=True).values_list("pk", flat=True)))
    if leaders:  # IN (not EXISTS): PostgreSQL hashes the leaders' panels once instead of a probe per case
        aggs["n_leadership"] = Count("id", filter=Q(judge_id__in=leaders) | Q(
            pk__in=through.objects.filter(person_id__in=leaders).values("case_id")))
    rows: Any = (qs.order_by().annotate(y=ExtractYear("closed_on"), m=ExtractMonth("closed_on")).values("y", "m")
                 .annotate(**aggs))
    out: dict[tuple[int, int], dict[str, int]] = {}
    for row in rows:
        counts = {k[2:]: int(v) for k, v in row.items() if k.startswith("n_")}
        counts.setdefault("leadership", 0)
        out[(int(row["y"]), int(row["m"]))] = counts
    return out


def monthly_trend(court: Court, period: Period, extra_q: Q | None = None) -> list[dict[str, Any]]:
    """Per calendar month of the period: closed, closed by party members, within limit, mediated+withdrawn.
    One grouped query (by year and month of closing) — over the monthly rollups when the court has them and
    the period is whole months; months without cases show zeros."""
    from tianping.trials import rollups

    if rollups.ready([court.pk], period, extra_q):
        by_month = rollups.monthly_closed(court.pk, period)
    else:
        by_month = _monthly_closed_raw(court, period, extra_q)
    out = []
    for month in months_between(period):
        r = by_month.get((month.year, month.month), {})
        out.append({"month": month, "closed": r.get("closed", 0), "party_closed": r.get("party_closed", 0),
                    "closed_within": r.get("closed_within", 0), "mediated_withdrawn": r.get("mediated_withdrawn", 0)})
    return out


def _monthly_closed_raw(court: Court, period: Period, extra_q: Q | None) -> dict[tuple[int, int], dict[str, Any]]:
    from django.db.models.functions import ExtractMonth, ExtractYear

    qs: QuerySet[Case] = Case.objects.filter(court=court, closed_on__gte=period.start,
                                             closed_on__lte=period.end).exclude(type_code__in=metric_types_excluded())
    if extra_q is not None:
        qs = with_party(qs, period).filter(extra_q)
    within = Q(limit_end__isnull=True) | Q(closed_on__lte=F("limit_end"))
    mw = Q(outcome__in=[Outcome.MEDIATION, Outcome.WITHDRAWAL])
    rows = (qs.order_by().annotate(y=ExtractYear("closed_on"), m=ExtractMonth("closed_on")).values("y", "m")
            .annotate(closed=Count("id"), party_closed=Count("id", filter=Q(judge_party_closed=True)),
                      closed_within=Count("id", filter=within), mediated_withdrawn=Count("id", filter=mw)))
    with fast_plan():
        return {(r["y"], r["m"]): dict(r) for r in rows}


def leadership_participation(court: Court, period: Period) -> list[dict[str, Any]]:
    """Cases closed in the period that each leader handled (承办) or sat on (参与合议, not as handler)."""
    from tianping.org.models import Person

    closed = Q(closed_on__gte=period.start, closed_on__lte=period.end)
    leaders = list(Person.objects.filter(court=court, is_leadership=True).order_by("staff_number", "name"))
    ids = [p.pk for p in leaders]
    excluded = metric_types_excluded()
    with fast_plan():
        return _leadership_rows(court, period, leaders, ids, closed, excluded)


def _leadership_rows(court: Court, period: Period, leaders: list[Any], ids: list[int], closed: Q,
                     excluded: list[str]) -> list[dict[str, Any]]:
    handled = dict(Case.objects.filter(closed, court=court, judge_id__in=ids).exclude(type_code__in=excluded)
                   .order_by().values("judge_id")
                   .annotate(n=Count("id")).values_list("judge_id", "n"))
    through: Any = Case.panel.through
    sat = dict(through.objects.filter(case__court=court, case__closed_on__gte=period.start,
                                      case__closed_on__lte=period.end, person_id__in=ids)
               .exclude(case__judge_id=F("person_id")).exclude(case__type_code__in=excluded).order_by().values("person_id")
               .annotate(n=Count("case_id", distinct=True)).values_list("person_id", "n"))
    rows = [{"person": p, "handled": handled.get(p.pk, 0), "sat": sat.get(p.pk, 0),
             "total": handled.get(p.pk, 0) + sat.get(p.pk, 0)} for p in leaders]
    return rows


def leadership_total(court: Court, period: Period) -> int:
    """Distinct cases closed in the period that any leader handled or sat on."""
    from tianping.org.models import Person

    # the court's leaders by id (as leadership_participation lists them) and the panels by a subquery: joining
    # both made the count DISTINCT over the joins
    leaders = list(Person.objects.filter(court=court, is_leadership=True).values_list("pk", flat=True))
    if not leaders:
        return 0
    through: Any = Case.panel.through
    q = Q(judge_id__in=leaders) | Q(pk__in=through.objects.filter(person_id__in=leaders).values("case_id"))
    with fast_plan():
        return (Case.objects.filter(court=court, closed_on__gte=period.start, closed_on__lte=period.end)
                .exclude(type_code__in=metric_types_excluded()).filter(q).count())


def members_on_day(person_ids: Iterable[int], day: date) -> set[int]:
    """Which of these people were party members on `day` (one query)."""
    return set(MembershipSpan.objects.filter(person_id__in=list(person_ids), start__lte=day)
               .filter(Q(end__isnull=True) | Q(end__gte=day)).values_list("person_id", flat=True))


def candidates(court: Court, period: Period, judge_rows: list[dict[str, Any]] | None = None
               ) -> dict[str, list[dict[str, Any]]]:
    """办案能手 / 调解能手 candidates: judges meeting the thresholds the party office set (TrialSettings).
    Each carries `party_member` (a member on the period's last day) for the share of members among them."""
    st = court_settings(court)
    rows = judge_rows if judge_rows is not None else metrics(court, period, "judge", refresh=False)
    expert, mediator = [], []
    for r in rows:
        jid = r["key"].get("judge")
        if not isinstance(jid, int):
            continue
        within = r["within_limit_rate"]
        reversal = r["reversal_remand_rate"] or 0
        if (r["closed"] >= st.expert_min_closed and within is not None
                and within >= float(st.expert_min_within_limit_rate)
                and reversal <= float(st.expert_max_reversal_rate)):
            expert.append(dict(r))
        mw = r["mediation_withdrawal_rate"]
        if (r["closed"] >= st.mediator_min_closed and mw is not None
                and mw >= float(st.mediator_min_mediation_withdrawal_rate)):
            mediator.append(dict(r))
    members = members_on_day({r["key"]["judge"] for r in expert + mediator}, period.end)
    for r in expert + mediator:
        r["party_member"] = r["key"]["judge"] in members
    return {"expert": expert, "mediator": mediator}


def drilldown_queryset(qs: QuerySet[Case], period: Period, set_name: str, **scope: Any) -> QuerySet[Case]:
    """The cases behind one figure: the period's base cases of the scope, restricted to one set."""
    qs = with_party(qs.filter(filed_on__lte=period.end).filter(Q(closed_on__isnull=True) |
                                                               Q(closed_on__gte=period.start)), period)
    excluded = metric_types_excluded()
    if excluded:
        qs = qs.exclude(type_code__in=excluded)
    q = scope_q(**scope)
    if q:
        qs = qs.filter(q)
    if set_name:
        qs = qs.filter(set_q(set_name, period))
    if scope.get("participant") or scope.get("leadership") == "panel":
        qs = qs.distinct()
    return qs


def default_period(today: date | None = None) -> Period:
    from django.utils import timezone

    today = today or timezone.localdate()
    return Period(date(today.year, 1, 1), today)


def year_period(year: int) -> Period:
    return Period(date(year, 1, 1), date(year, 12, 31))


def months_between(period: Period) -> list[date]:
    out, d = [], date(period.start.year, period.start.month, 1)
    while d <= period.end:
        out.append(d)
        d = add_months(d, 1)
    return out


# -- a judge's open cases and their time limits (审限) -------------------------------------------------------
DEADLINE_SOON_DAYS = 15
DEADLINE_LABELS = {
    "open": _("未结案件"),
    "due_soon": _("审限将届满（15 日内）"),
    "overdue": _("已超审限"),
}


def deadline_q(kind: str, today: date) -> Q:
    """Open cases (no closing date) and their 审限: `limit_end` is the 审限届满日期 (statutory limit plus approved
    extensions) plus the 扣除审限天数, derived on save. "due_soon": it falls in [today, today + 15 days];
    "overdue": it lay before today. A case with no recorded limit is never due."""
    from datetime import timedelta

    open_q = Q(closed_on__isnull=True)
    if kind == "open":
        return open_q
    if kind == "due_soon":
        return open_q & Q(limit_end__gte=today, limit_end__lte=today + timedelta(days=DEADLINE_SOON_DAYS))
    if kind == "overdue":
        return open_q & Q(limit_end__lt=today)
    raise KeyError(kind)


def branch_roster_ids(organisations: Iterable[Any], day: date) -> list[int]:
    """The people on the roster (党员名册) of these party organisations (and their 党小组) on `day`."""
    from tianping.party.selectors import branch_roster_on

    ids: set[int] = set()
    for org in organisations:
        ids.update(branch_roster_on(org, day).values_list("pk", flat=True))
    return sorted(ids)
