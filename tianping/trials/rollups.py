"""Monthly rollups of the cases (CaseRollup): building, keeping current, and reading figures from them.

A case contributes to the rows of its key (court, department, judge, the judge's party flag at closing):
  - `filed` += 1 in its filing month;
  - in its closing month: `closed` and the closed sets of selectors.set_q (closed_within, mediated, …), the
    days taken and the enforcement sums;
  - `pending` (and `over12` where it was filed more than 12 months before that month's end) in every month from
    its filing month to the month before its closing month — the stock at each month end.
Cases not closed at all are counted from the case table when the figures are read (`open_counts`).

Kept current: every case write in trials.services calls `case_changed(old, new)` with the case's state before and
after (`case_state`); the old contribution is subtracted and the new one added by one
INSERT … ON CONFLICT DO UPDATE SET c = c + excluded.c (PostgreSQL and SQLite; Django's
bulk_create(update_conflicts=True) overwrites instead of adding). A membership refresh rebuilds the rows of the
people whose periods changed; bulk loads call `rebuild_rollups`.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction
from django.db.models import Count, Max, Min, Q, Sum
from django.utils import timezone

from tianping.trials.models import AppealResult, Case, CaseRollup, Outcome, RollupState, add_months

if TYPE_CHECKING:
    from collections.abc import Iterable

    from tianping.trials.selectors import Period

EVENT_COLUMNS = ["filed", "closed", "closed_within", "mediated", "mediated_withdrawn", "first_closed", "appealed",
                 "appealed_or_petitioned", "reversed", "enforcement", "days_sum", "applied_sum", "recovered_sum"]
COLUMNS = [*EVENT_COLUMNS, "pending", "over12"]
KEY = ["court_id", "department", "judge", "judge_party", "month"]
# department and judge of a court's total rows (the sum of its other rows by party flag and month): the
# province table reads 170 courts × 13 months of these instead of every judge's rows
TOTAL = -1
STATE_FIELDS = ["court_id", "department_id", "judge_id", "judge_party_closed", "type_code", "filed_on", "closed_on",
                "limit_end", "outcome", "first_instance", "appealed", "retrial_petition", "appeal_result",
                "enforcement_applied", "enforcement_recovered", "days_taken"]


# -- months ------------------------------------------------------------------------------------------------
def ym(day: date) -> int:
    return day.year * 100 + day.month


def ym_add(m: int, k: int) -> int:
    n = (m // 100) * 12 + m % 100 - 1 + k
    return (n // 12) * 100 + n % 12 + 1


def month_end(m: int) -> date:
    return add_months(date(m // 100, m % 100, 1), 1) - timedelta(days=1)


def month_aligned(period: Period) -> bool:
    """Rollups answer periods made of whole calendar months."""
    return period.start.day == 1 and (period.end + timedelta(days=1)).day == 1 and period.start <= period.end


# -- one case's contribution -------------------------------------------------------------------------------
def case_state(case: Case | None) -> dict[str, Any] | None:
    """What the rollups need of a case, taken before and after a write."""
    if case is None or case.pk is None:
        return None
    return {f: getattr(case, f) for f in STATE_FIELDS}


def contribution(s: dict[str, Any], sign: int = 1) -> dict[tuple, dict[str, Any]]:
    """{(court, department, judge, party, month): {column: delta}} of one case (the same rules as rebuild's SQL)."""
    out: dict[tuple, dict[str, Any]] = defaultdict(lambda: defaultdict(int))
    base = (s["court_id"], s["department_id"] or 0, s["judge_id"] or 0, bool(s["judge_party_closed"]))
    filed, closed = s["filed_on"], s["closed_on"]
    out[(*base, ym(filed))]["filed"] += sign
    if closed is None:
        return out
    c = out[(*base, ym(closed))]
    first = bool(s["first_instance"])
    appealed = first and bool(s["appealed"])
    enforcement = s["type_code"].startswith("执") and s["enforcement_applied"] is not None
    flags = {
        "closed": True,
        "closed_within": s["limit_end"] is None or closed <= s["limit_end"],
        "mediated": s["outcome"] == Outcome.MEDIATION,
        "mediated_withdrawn": s["outcome"] in (Outcome.MEDIATION, Outcome.WITHDRAWAL),
        "first_closed": first,
        "appealed": appealed,
        "appealed_or_petitioned": first and (bool(s["appealed"]) or bool(s["retrial_petition"])),
        "reversed": appealed and s["appeal_result"] in (AppealResult.REVISED, AppealResult.REMANDED),
        "enforcement": enforcement,
    }
    for col, on in flags.items():
        if on:
            c[col] += sign
    c["days_sum"] += sign * (s["days_taken"] or 0)
    if enforcement:
        c["applied_sum"] += sign * Decimal(s["enforcement_applied"])
        c["recovered_sum"] += sign * Decimal(s["enforcement_recovered"] or 0)
    m, last = ym(filed), ym(closed)
    while m < last:
        row = out[(*base, m)]
        row["pending"] += sign
        if filed < month_end(ym_add(m, -12)):  # selectors' over12: filed before add_months(month end, -12)
            row["over12"] += sign
        m = ym_add(m, 1)
    return out


def court_has_rollups(court_id: int) -> bool:
    return RollupState.objects.filter(court_id=court_id).exists()


def case_changed(old: dict[str, Any] | None, new: dict[str, Any] | None) -> None:
    """Move a case's contribution from its old state to its new one (None: created / deleted). Call inside the
    write's transaction, so the rollups and the case commit together."""
    from tianping.trials.selectors import metric_types_excluded

    court_id = (new or old or {}).get("court_id")
    if court_id is None or not court_has_rollups(court_id):
        return
    excluded = set(metric_types_excluded())
    delta: dict[tuple, dict[str, Any]] = defaultdict(lambda: defaultdict(int))
    for state, sign in ((old, -1), (new, 1)):
        if state is None or state["type_code"] in excluded:
            continue
        for key, cols in contribution(state, sign).items():
            total = (key[0], TOTAL, TOTAL, key[3], key[4])
            for col, v in cols.items():
                delta[key][col] += v
                delta[total][col] += v
    rows = [(key, cols) for key, cols in delta.items() if any(cols.values())]
    if rows:
        _upsert_add(rows)


def _upsert_add(rows: list[tuple[tuple, dict[str, Any]]]) -> None:
    """Add the deltas to the rows (creating them): one statement for all rows of one write."""
    table = CaseRollup._meta.db_table
    cols = [*KEY, *COLUMNS]
    qn = connection.ops.quote_name
    values = ", ".join(["(" + ", ".join(["%s"] * len(cols)) + ")"] * len(rows))
    params: list[Any] = []
    for key, deltas in rows:
        params += [*key, *[deltas.get(c, 0) for c in COLUMNS]]
    # names are the model's; every value is a parameter
    sql = (f"INSERT INTO {table} ({', '.join(qn(c) for c in cols)}) VALUES {values} "  # noqa: S608
           f"ON CONFLICT ({', '.join(qn(c) for c in KEY)}) DO UPDATE SET "
           + ", ".join(f"{qn(c)} = {table}.{qn(c)} + excluded.{qn(c)}" for c in COLUMNS))
    with connection.cursor() as cur:
        cur.execute(sql, params)


# -- rebuilding ----------------------------------------------------------------------------------------------
def _ym_sql(col: str) -> str:
    if connection.vendor == "postgresql":
        return f"(EXTRACT(YEAR FROM {col}) * 100 + EXTRACT(MONTH FROM {col}))::int"
    return f"CAST(strftime('%%Y%%m', {col}) AS INTEGER)"


def _rebuild_sql(where: str, months: list[tuple[int, date, date]]) -> str:
    """INSERT … SELECT of the rollup rows of the cases matching `where` (columns of trials_case as c)."""
    ym_filed, ym_closed = _ym_sql("c.filed_on"), _ym_sql("c.closed_on")
    key = ("c.court_id, COALESCE(c.department_id, 0) AS dep, COALESCE(c.judge_id, 0) AS judge, "
           "c.judge_party_closed AS party")
    zeros = {col: "0" for col in COLUMNS}

    def select(month: str, cols: dict[str, str]) -> str:
        merged = {**zeros, **cols}
        return f"SELECT {key}, {month} AS ym, " + ", ".join(f"{merged[c]} AS {c}" for c in COLUMNS)

    first = "c.first_instance"
    appealed = f"({first} AND c.appealed)"
    enf = "(c.type_code LIKE '执%%' AND c.enforcement_applied IS NOT NULL)"

    def when(cond: str) -> str:
        return f"CASE WHEN {cond} THEN 1 ELSE 0 END"

    filed = select(ym_filed, {"filed": "1"}) + f" FROM trials_case c WHERE {where}"
    closed = select(ym_closed, {
        "closed": "1",
        "closed_within": when("c.limit_end IS NULL OR c.closed_on <= c.limit_end"),
        "mediated": when(f"c.outcome = '{Outcome.MEDIATION}'"),
        "mediated_withdrawn": when(f"c.outcome IN ('{Outcome.MEDIATION}', '{Outcome.WITHDRAWAL}')"),
        "first_closed": when(first),
        "appealed": when(appealed),
        "appealed_or_petitioned": when(f"{first} AND (c.appealed OR c.retrial_petition)"),
        "reversed": when(f"{appealed} AND c.appeal_result IN ('{AppealResult.REVISED}', '{AppealResult.REMANDED}')"),
        "enforcement": when(enf),
        "days_sum": "COALESCE(c.days_taken, 0)",
        "applied_sum": f"CASE WHEN {enf} THEN c.enforcement_applied ELSE 0 END",
        "recovered_sum": f"CASE WHEN {enf} THEN COALESCE(c.enforcement_recovered, 0) ELSE 0 END",
    }) + f" FROM trials_case c WHERE {where} AND c.closed_on IS NOT NULL"
    if connection.vendor == "postgresql":
        # each closed case expands to its open month ends (generate_series: work in proportion to the output)
        g = ("generate_series(date_trunc('month', c.filed_on::timestamp), "
             "date_trunc('month', c.closed_on::timestamp) - interval '1 month', interval '1 month')")
        stock = select("(EXTRACT(YEAR FROM g.m) * 100 + EXTRACT(MONTH FROM g.m))::int", {
            "pending": "1",
            # the end of the month 12 months before: the first of the month 11 months before, less a day
            "over12": when("c.filed_on < (g.m - interval '11 months')::date - 1"),
        }) + (f" FROM trials_case c CROSS JOIN LATERAL {g} AS g(m) "
              f"WHERE {where} AND c.closed_on IS NOT NULL")
        with_months = ""
    else:
        stock = select("mo.ym", {"pending": "1", "over12": when("c.filed_on < mo.eom12")}) + (
            f" FROM trials_case c JOIN rollup_months mo ON c.filed_on <= mo.eom AND c.closed_on > mo.eom "
            f"WHERE {where} AND c.closed_on IS NOT NULL")
        rows = ", ".join(f"({m}, '{e.isoformat()}', '{e12.isoformat()}')" for m, e, e12 in months)
        with_months = f"WITH rollup_months(ym, eom, eom12) AS (VALUES {rows}) "
    sums = ", ".join(f"SUM({c})" for c in COLUMNS)
    cols = ", ".join(connection.ops.quote_name(c) for c in [*KEY, *COLUMNS])
    # names, month numbers and dates built here, court and judge ids as int(); type codes are parameters
    return (f"{with_months}INSERT INTO {CaseRollup._meta.db_table} ({cols}) "  # noqa: S608
            f"SELECT court_id, dep, judge, party, ym, {sums} FROM ({filed} UNION ALL {closed} UNION ALL {stock}) x "
            f"GROUP BY court_id, dep, judge, party, ym")


@transaction.atomic
def rebuild_rollups(courts: Iterable[Any] | None = None, *, judge_ids: Iterable[int] | None = None) -> int:
    """Rewrite the rollup rows of these courts (all courts when None) from their cases — of the given judges
    only (ids, 0 for cases without a judge) when `judge_ids` is set — and mark the courts as having rollups.
    Returns the number of rows written.

    Race handled: a case write of the court committing while its rows are rewritten would add its delta to
    rows about to be deleted (or collide with the insert); the court rows are locked first, as
    membership_refresh does, so rebuilds of one court run one at a time."""
    from tianping.org.models import Court
    from tianping.trials.selectors import metric_types_excluded

    ids = sorted({getattr(c, "pk", c) for c in courts} if courts is not None
                 else set(Court.objects.values_list("pk", flat=True)))
    if not ids:
        return 0
    list(Court.objects.select_for_update().filter(pk__in=ids).values_list("pk", flat=True))
    rows = CaseRollup.objects.filter(court_id__in=ids)
    where, params = ["c.court_id IN (" + ", ".join(str(int(i)) for i in ids) + ")"], []
    if judge_ids is not None:
        judges = sorted({int(j) for j in judge_ids})
        if not judges:
            return 0
        rows = rows.filter(judge__in=judges)
        where.append("COALESCE(c.judge_id, 0) IN (" + ", ".join(str(j) for j in judges) + ")")
    excluded = metric_types_excluded()
    if excluded:
        where.append("c.type_code NOT IN (" + ", ".join(["%s"] * len(excluded)) + ")")
        params += excluded
    rows.delete()
    months: list[tuple[int, date, date]] = []
    if connection.vendor != "postgresql":
        bounds = Case.objects.filter(court_id__in=ids).aggregate(lo=Min("filed_on"), hi=Max("closed_on"))
        if bounds["lo"] and bounds["hi"]:
            m, last = ym(bounds["lo"]), ym(bounds["hi"])
            while m < last:
                months.append((m, month_end(m), month_end(ym_add(m, -12))))
                m = ym_add(m, 1)
        if not months:  # no case ever closed after its filing month: no stock rows
            months = [(0, date(1, 1, 1), date(1, 1, 1))]
    sql = _rebuild_sql(" AND ".join(where), months)
    court_list = ", ".join(str(int(i)) for i in ids)
    table = CaseRollup._meta.db_table
    cols = ", ".join(connection.ops.quote_name(c) for c in [*KEY, *COLUMNS])
    sums = ", ".join(f"SUM({connection.ops.quote_name(c)})" for c in COLUMNS)
    with connection.cursor() as cur:
        cur.execute(sql, params * 3)  # the case filter appears in each of the three parts
        written = cur.rowcount
        # the courts' total rows, summed again from their other rows
        CaseRollup.objects.filter(court_id__in=ids, department=TOTAL).delete()
        cur.execute(f"INSERT INTO {table} ({cols}) SELECT court_id, {TOTAL}, {TOTAL}, judge_party, month, {sums} "  # noqa: S608
                    f"FROM {table} WHERE court_id IN ({court_list}) AND department <> {TOTAL} "
                    "GROUP BY court_id, judge_party, month", [])
    now = timezone.now()
    for cid in ids:
        RollupState.objects.update_or_create(court_id=cid, defaults={"rebuilt_at": now})
    return written


# -- reading -----------------------------------------------------------------------------------------------
def ready(court_ids: Iterable[int], period: Period, extra_q: Q | None = None) -> bool:
    """True when the figures of these courts for this period can be summed from the rollups."""
    ids = set(court_ids)
    return (extra_q is None and bool(ids) and month_aligned(period)
            and RollupState.objects.filter(court_id__in=ids).count() == len(ids))


def _sum_aggregates(period: Period) -> dict[str, Any]:
    m1, m2 = ym(period.start), ym(period.end)
    before = ym_add(m1, -1)
    inside = Q(month__gte=m1)
    # aliases carry a prefix: an alias equal to a column name would shadow it
    aggs: dict[str, Any] = {f"s_{c}": Sum(c, filter=inside) for c in EVENT_COLUMNS}
    aggs["s_party_closed"] = Sum("closed", filter=inside & Q(judge_party=True))
    aggs["s_pending"] = Sum("pending", filter=Q(month=m2))
    aggs["s_over12"] = Sum("over12", filter=Q(month=m2))
    aggs["s_carried_over"] = Sum("pending", filter=Q(month=before))
    return aggs


def rollup_rows(court_ids: list[int], period: Period, group: list[str], *, totals: bool = False
                ) -> list[dict[str, Any]]:
    """The rollups summed over the period by `group` (columns of CaseRollup): the courts' total rows, or the
    (department, judge) rows."""
    m1, m2 = ym(period.start), ym(period.end)
    rows = CaseRollup.objects.filter(department=TOTAL) if totals else CaseRollup.objects.exclude(department=TOTAL)
    qs = (rows.filter(court_id__in=court_ids, month__gte=ym_add(m1, -1), month__lte=m2)
          .order_by().values(*group).annotate(**_sum_aggregates(period)))
    return [{k[2:] if k.startswith("s_") else k: v for k, v in row.items()} for row in qs]


def monthly_closed(court_id: int, period: Period) -> dict[tuple[int, int], dict[str, Any]]:
    """{(year, month): closed, party_closed, closed_within, mediated_withdrawn} of one court (selectors'
    monthly_trend)."""
    rows = (CaseRollup.objects.filter(court_id=court_id, department=TOTAL, month__gte=ym(period.start),
                                      month__lte=ym(period.end))
            .order_by().values("month").annotate(
                s_closed=Sum("closed"), s_party_closed=Sum("closed", filter=Q(judge_party=True)),
                s_closed_within=Sum("closed_within"), s_mediated_withdrawn=Sum("mediated_withdrawn")))
    return {(r["month"] // 100, r["month"] % 100): {k[2:]: v or 0 for k, v in r.items() if k.startswith("s_")}
            for r in rows}


def open_counts(court_ids: list[int], period: Period, group: list[str], excluded: list[str]
                ) -> list[dict[str, Any]]:
    """Cases never closed that were filed by the period's end: pending at its end, over 12 months, carried over
    into it (one query on the open-case index)."""
    qs = Case.objects.filter(court_id__in=court_ids, closed_on__isnull=True, filed_on__lte=period.end)
    if excluded:
        qs = qs.exclude(type_code__in=excluded)
    return list(qs.order_by().values(*group).annotate(
        o_pending=Count("id"), o_over12=Count("id", filter=Q(filed_on__lt=period.over12_before)),
        o_carried=Count("id", filter=Q(filed_on__lt=period.start))))


def _finish(c: dict[str, Any]) -> dict[str, Any]:
    """Set counts in the shape selectors' grouped queries give (None sums as 0)."""
    out = {k: (c.get(k) or 0) for k in (*EVENT_COLUMNS, "party_closed", "pending", "over12", "carried_over")}
    out["caseload"] = out["carried_over"] + out["filed"]
    return out


def _add(into: dict[str, Any], row: dict[str, Any], names: Iterable[str]) -> None:
    for k in names:
        into[k] = (into.get(k) or 0) + (row.get(k) or 0)


def court_counts(court_ids: list[int], period: Period, excluded: list[str]) -> dict[int, dict[str, Any]]:
    """{court id: set counts} for the by-court table."""
    out: dict[int, dict[str, Any]] = {}
    names = [*EVENT_COLUMNS, "party_closed", "pending", "over12", "carried_over"]
    for r in rollup_rows(court_ids, period, ["court_id"], totals=True):
        _add(out.setdefault(r["court_id"], {}), r, names)
    for r in open_counts(court_ids, period, ["court_id"], excluded):
        c = out.setdefault(r["court_id"], {})
        c["pending"] = (c.get("pending") or 0) + r["o_pending"]
        c["over12"] = (c.get("over12") or 0) + r["o_over12"]
        c["carried_over"] = (c.get("carried_over") or 0) + r["o_carried"]
    result = {cid: _finish(c) for cid, c in out.items()}
    return {cid: c for cid, c in result.items() if c["caseload"]}


def cube(court_id: int, period: Period, excluded: list[str]) -> tuple[dict[Any, dict[str, Any]], set[int]]:
    """The (department, judge, party status) groups of one court from the rollups, and the judges (0: none)
    whose cases the rollups cannot split by party status for this period — those whose cases closed in the
    period carry a party flag other than the judge's status on the period's last day (a judge who joined or
    left mid-period, or stored flags of cases without a judge). Their groups are left out: the caller counts
    them from the cases."""
    from tianping.trials.selectors import members_on_day

    names = [*EVENT_COLUMNS, "party_closed", "pending", "over12", "carried_over"]
    rows = rollup_rows([court_id], period, ["department", "judge", "judge_party"])
    opened = open_counts([court_id], period, ["department_id", "judge_id"], excluded)
    judges = {r["judge"] for r in rows} | {r["judge_id"] or 0 for r in opened}
    members = members_on_day([j for j in judges if j], period.end)
    mixed = {r["judge"] for r in rows if (r["closed"] or 0) and bool(r["judge_party"]) != (r["judge"] in members)}
    groups: dict[tuple[int, int], dict[str, Any]] = {}
    for r in rows:
        if r["judge"] not in mixed:
            _add(groups.setdefault((r["department"], r["judge"]), {}), r, names)
    for r in opened:
        j = r["judge_id"] or 0
        if j in mixed:
            continue
        c = groups.setdefault((r["department_id"] or 0, j), {})
        c["pending"] = (c.get("pending") or 0) + r["o_pending"]
        c["over12"] = (c.get("over12") or 0) + r["o_over12"]
        c["carried_over"] = (c.get("carried_over") or 0) + r["o_carried"]
    out: dict[Any, dict[str, Any]] = {}
    for (dep, judge), c in groups.items():
        counts = _finish(c)
        if counts["caseload"]:
            out[(dep or None, judge or None, judge in members)] = counts
    return out, mixed
