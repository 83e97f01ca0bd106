"""Demo cases for 薛城区人民法院: synthetic cases from 2014 to today (`timezone.localdate()` at seeding time),
about 7,000 closed a year; and aggregate-only cases of the five other basic courts under 枣庄中院, so the
higher court's supervision table has figures for every court it supervises.

Case numbers follow the SPC format per year and type and are issued in filing order (one sequence per court,
year and type code, across departments). Volumes, procedures, outcomes, durations and appeal rates are in
the range a basic court reports (appeal rate ~5%, 服判息诉率 ~96%, 调撤率 ~55% of civil); a small-claims case
(小额诉讼) is final at first instance, so it is never appealed, and only money claims are heard as small claims
(never divorce, maintenance, inheritance or injury). Nothing closes after today: a case whose closing date
would lie in the future is still pending. Handling judges are the demo staff's quota judges in the case's
department on the filing date; party members among them receive about 85% of the cases (the seed's
headline), leaders handle or sit on ~230 cases a year (2016's are then brought to the seed's 235 by
`match_leadership_cases`, without a draw of the shared random generator). The other courts' rows carry no people (no judge,
no panel, no parties): figures only. Written with `bulk_insert` so the demo stays fast; idempotent (skips
what exists).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from tianping.core.management.commands.seed_demo import bulk_insert, demo_years
from tianping.trials.casenumbers import format_case_number
from tianping.trials.models import (
    AppealResult,
    Case,
    CaseSequence,
    Outcome,
    Procedure,
    TrialSettings,
    limits_index,
    statutory_deadline,
)

DEMO_NOTE = "演示数据"
OTHER_COURTS_NOTE = "演示数据（仅统计）"
START = date(2013, 10, 1)  # filings from the last quarter of 2013 make 2014's carried-over cases

# department name -> [(type code, cases filed per year)]
WORKLOAD = {
    "民事审判第一庭": [("民初", 1150)],
    "民事审判第二庭": [("民初", 1050)],
    "沙沟人民法庭": [("民初", 470)],
    "临山人民法庭": [("民初", 450)],
    "陶庄人民法庭": [("民初", 430)],
    "邹坞人民法庭": [("民初", 420)],
    "立案庭": [("民初", 380), ("民特", 220)],
    "刑事审判庭": [("刑初", 620)],
    "行政审判庭": [("行初", 160)],
    "执行局": [("执", 1250), ("执恢", 150), ("执保", 160), ("执异", 100)],
}
# The other basic courts of 枣庄中院 (created by org.demo with these departments): figures only, scaled
# down (a tenth or less of a real court's caseload) so that the demo loads fast; rates are what matter.
OTHER_WORKLOAD = {
    "民事审判庭": [("民初", 150)],
    "人民法庭": [("民初", 100)],
    "立案庭": [("民特", 20)],
    "刑事审判庭": [("刑初", 50)],
    "行政审判庭": [("行初", 15)],
    "执行局": [("执", 160), ("执异", 10)],
}
OTHER_SCALE = {"鲁0402": 1.2, "鲁0404": 0.8, "鲁0405": 0.7, "鲁0406": 0.7, "鲁0481": 1.6}
CIVIL_CAUSES = ["民间借贷纠纷", "离婚纠纷", "机动车交通事故责任纠纷", "买卖合同纠纷", "劳务合同纠纷", "物业服务合同纠纷",
                "金融借款合同纠纷", "房屋租赁合同纠纷", "赡养纠纷", "继承纠纷", "提供劳务者受害责任纠纷", "追索劳动报酬纠纷"]
# 小额诉讼 is for simple money claims (民事诉讼法 165–166): never personal-status (divorce, maintenance),
# inheritance or injury cases that need an assessment
SMALL_CLAIMS_CAUSES = {"民间借贷纠纷", "买卖合同纠纷", "劳务合同纠纷", "物业服务合同纠纷", "金融借款合同纠纷",
                       "房屋租赁合同纠纷", "追索劳动报酬纠纷"}
CRIMINAL_CAUSES = ["危险驾驶罪", "盗窃罪", "故意伤害罪", "诈骗罪", "交通肇事罪", "寻衅滋事罪", "开设赌场罪", "非法吸收公众存款罪"]
ADMIN_CAUSES = ["行政处罚", "行政强制", "行政登记", "政府信息公开", "工伤认定", "房屋征收补偿"]
ENFORCEMENT_CAUSES = ["民间借贷纠纷", "买卖合同纠纷", "金融借款合同纠纷", "机动车交通事故责任纠纷", "离婚纠纷"]


def _pick(rng, weighted):
    roll, acc = rng.random(), 0.0
    for value, weight in weighted:
        acc += weight
        if roll < acc:
            return value
    return weighted[-1][0]


def _filing_dates(rng, per_year: int, year: int):
    # fewer filings around the Spring Festival (Jan/Feb), more in the spring and autumn
    month_weights = [0.6, 0.6, 1.1, 1.1, 1.1, 1.0, 1.0, 0.9, 1.0, 1.0, 1.2, 1.2]
    total = sum(month_weights)
    out = []
    for m, w in enumerate(month_weights, start=1):
        n = round(per_year * w / total)
        days = (date(year + (m == 12), m % 12 + 1, 1) - date(year, m, 1)).days
        out.extend(date(year, m, rng.randint(1, days)) for _ in range(n))
    return sorted(out)


def _duration(rng, type_code: str, procedure: str) -> int:
    if type_code == "民初":
        base = {"small_claims": (12, 50), "summary": (20, 85), "ordinary": (60, 175)}[procedure]
    elif type_code == "刑初":
        base = (15, 85) if procedure == "ordinary" else (5, 19)
    elif type_code == "行初":
        base = (40, 175)
    elif type_code == "民特":
        base = (3, 28)
    elif type_code == "执异":
        base = (5, 14)
    else:
        base = (20, 175)
    days = rng.randint(*base)
    if rng.random() < 0.03:  # a few overrun the statutory limit
        days += rng.randint(20, 90)
    if rng.random() < 0.004:  # and a handful drag on for more than a year
        days += rng.randint(365, 500)
    return days


def seed(ctx) -> None:
    court = ctx.data["court"]
    today = timezone.localdate()
    if not Case.objects.filter(court=court, source_note=DEMO_NOTE).exists():
        ctx.data["cases"] = generate_cases(court, ctx.data["departments"], demo_years(today), ctx.rng,
                                           first_day=START, until=today)
        for year, target in SEED_LEADERSHIP_CASES.items():
            if year <= today.year:
                match_leadership_cases(court, year, target)
    TrialSettings.objects.get_or_create(court=court, defaults={
        "expert_min_closed": 200, "expert_min_within_limit_rate": Decimal("0.97"),
        "expert_max_reversal_rate": Decimal("0.03"), "mediator_min_closed": 120,
        "mediator_min_mediation_withdrawal_rate": Decimal("0.60")})
    for other in ctx.data.get("other_courts", []):
        if not Case.objects.filter(court=other, source_note=OTHER_COURTS_NOTE).exists():
            scale = OTHER_SCALE.get(other.code, 1.0)
            workload = {dep: [(t, round(n * scale)) for t, n in loads] for dep, loads in OTHER_WORKLOAD.items()}
            generate_cases(other, ctx.data["other_departments"][other.pk], demo_years(today), ctx.rng,
                           first_day=START, until=today, note=OTHER_COURTS_NOTE, workload=workload)
    # the figures of the demo courts are summed from the monthly rollups (kept current by the services from here)
    from tianping.trials.rollups import rebuild_rollups

    rebuild_rollups([court, *ctx.data.get("other_courts", [])])


# the seed's "院领导带头办理案件235件" (2016): the cases closed in the year that a leader handled or sat on
SEED_LEADERSHIP_CASES = {2016: 235}


def match_leadership_cases(court, year: int, target: int) -> int:
    """Seat leaders on panels of the year's closed cases until `target` of them were handled or sat on by a court
    leader (the annual report's leadership_cases). A case gains a leader in the last seat of its panel that is not
    its handling judge — cases in filing order, leaders in post on the closing day in turn — so the panel's size,
    the handling judge, the party flags and every other figure stay as they were, and no draw of the shared random
    generator is made (the later generators' draws do not move). Only adds: a year already at or above the target
    is left alone. Returns the number of cases changed."""
    from django.db.models import Q

    from tianping.org.models import Person
    from tianping.trials.selectors import metric_types_excluded

    closed = (Case.objects.filter(court=court, closed_on__gte=date(year, 1, 1), closed_on__lte=date(year, 12, 31))
              .exclude(type_code__in=metric_types_excluded()))
    # as the report counts them (selectors.closed_counts): a leader handled the case or sat on its panel
    have = set(closed.filter(Q(judge__is_leadership=True) | Q(panel__is_leadership=True)).values_list("pk", flat=True))
    gap = target - len(have)
    if gap <= 0:
        return 0
    seats = Case.panel.through
    leaders = list(Person.objects.filter(court=court, is_leadership=True).order_by("pk"))
    candidates = (closed.filter(pk__in=seats.objects.values("case_id")).exclude(pk__in=have)
                  .order_by("filed_on", "pk"))
    changed = 0
    for case in candidates.iterator():
        if changed == gap:
            break
        in_post = [p for p in leaders if (p.hired_on is None or p.hired_on <= case.closed_on)
                   and (p.left_on is None or p.left_on > case.closed_on)]
        seat = seats.objects.filter(case_id=case.pk).exclude(person_id=case.judge_id).order_by("pk").last()
        if not in_post or seat is None:
            continue
        seat.person_id = in_post[changed % len(in_post)].pk
        seat.save(update_fields=["person"])
        changed += 1
    return changed


def generate_cases(court, deps: dict, years, rng, *, first_day: date | None = None, note: str = DEMO_NOTE,
                   until: date | None = None, workload: dict | None = None) -> int:
    """Bulk-insert synthetic cases filed in `years` (and from `first_day` in the year before, for cases
    carried over into the first year), none filed or closed after `until` (default today). Numbers are
    issued in filing order and continue after numbers already used. Returns the count.

    A court without quota judges (the other courts of the demo) gets aggregate-only rows: no judge and no
    panel; their party flag follows the share party members close in the demo court."""
    from django.db.models import Max

    from tianping.org.models import DepartmentAssignment, Person
    from tianping.trials.selectors import membership_intervals, refresh_membership

    until = until or timezone.localdate()
    workload = workload or WORKLOAD
    limits = limits_index()
    intervals = membership_intervals(court) or {}
    # spans first, so the stored party flags computed below need no correcting UPDATE over every case
    refresh_membership(court, intervals)

    def member_on(pid: int, day: date) -> bool:
        return any(s <= day and (e is None or day <= e) for s, e in intervals.get(pid, []))

    # quota judges by department with their assignment periods
    judges_by_dep: dict[int, list[tuple[int, date, date | None]]] = defaultdict(list)
    for a in DepartmentAssignment.objects.filter(court=court, person__is_quota_judge=True,
                                                 person__is_leadership=False):
        judges_by_dep[a.department_id].append((a.person_id, a.start, a.end))
    leaders = list(Person.objects.filter(court=court, is_leadership=True).values_list("pk", flat=True))

    def judges_on(dep_id: int, day: date) -> list[int]:
        pool = [p for p, s, e in judges_by_dep.get(dep_id, []) if s <= day and (e is None or day <= e)]
        return pool or sorted({p for p, _s, _e in judges_by_dep.get(dep_id, [])})

    seqs: dict[tuple[int, str], int] = defaultdict(int)
    for y, t, m in (Case.objects.filter(court=court).values_list("year", "type_code").annotate(m=Max("seq"))
                    .order_by()):
        seqs[(y, t)] = m
    # filings of each (year, type) across departments, numbered in date order as a filing desk issues them
    filings: dict[tuple[int, str], list[tuple[date, int, object]]] = defaultdict(list)
    all_years = ([first_day.year] if first_day else []) + list(years)
    for year in all_years:
        for dep_name, loads in workload.items():
            dep = deps.get(dep_name)
            if dep is None:
                continue
            for type_code, per_year in loads:
                dates = _filing_dates(rng, per_year, year)
                if first_day and year == first_day.year:
                    dates = [d for d in dates if d >= first_day]
                filings[(year, type_code)].extend((d, dep.pk, dep) for d in dates if d <= until)
    rows: list[dict] = []
    for (year, type_code), items in filings.items():
        items.sort(key=lambda t: (t[0], t[1]))
        for filed, _dep_id, dep in items:
            seqs[(year, type_code)] += 1
            rows.append(_make_case(rng, court, dep, type_code, filed, seqs[(year, type_code)], limits, note,
                                   until))
    panels: list[tuple[str, list[int]]] = []
    for row in rows:
        pool = judges_on(row["department_id"], row["filed_on"])
        if not pool:
            # aggregate-only: no people; the party flag as party members' share of closings in the demo court
            row["judge_party_closed"] = bool(row["closed_on"]) and rng.random() < 0.85
            continue
        closed = row["closed_on"]
        members = [p for p in pool if member_on(p, closed or row["filed_on"])]
        others = [p for p in pool if p not in members]
        use_members = members and (not others or rng.random() < 0.82)
        judge = rng.choice(members if use_members else others)
        ordinary = row["procedure"] == Procedure.ORDINARY and row["type_code"] in ("民初", "刑初", "行初")
        if ordinary and leaders and rng.random() < 0.055:
            judge = rng.choice(leaders)  # a leader handles the case (承办)
        row["judge_id"] = judge
        row["judge_party_closed"] = bool(closed) and member_on(judge, closed)
        if ordinary:
            mates = [p for p in pool if p != judge]
            rng.shuffle(mates)
            panel = [judge, *mates[:2]]
            if leaders and rng.random() < 0.135:
                panel[-1] = rng.choice(leaders)  # a leader sits on the panel (参与合议)
            panels.append((row["number"], panel))
    bulk_insert(Case, rows)
    if panels:
        ids = dict(Case.objects.filter(court=court, source_note=note).values_list("number", "pk"))
        bulk_insert(Case.panel.through, [{"case_id": ids[number], "person_id": p} for number, panel in panels
                                         for p in dict.fromkeys(panel)])
    have = {(q.year, q.type_code): q for q in CaseSequence.objects.filter(court=court)}
    CaseSequence.objects.bulk_create([CaseSequence(court=court, year=y, type_code=t, last=n)
                                      for (y, t), n in seqs.items() if (y, t) not in have])
    for key, seq in have.items():
        if seq.last < seqs.get(key, 0):
            seq.last = seqs[key]
            seq.save(update_fields=["last"])
    from tianping.trials.rollups import court_has_rollups, rebuild_rollups

    if court_has_rollups(court.pk):  # a bulk insert bypasses the services: rewrite the court's rollups once
        rebuild_rollups([court])
    return len(rows)


def _make_case(rng, court, dep, type_code: str, filed: date, seq: int, limits, note: str, until: date) -> dict:
    """One case as the row bulk_insert writes (the derived columns as Case.compute_derived sets them)."""
    procedure, outcome, cause = "", "", ""
    applied = recovered = None
    if type_code == "民初":
        cause = rng.choice(CIVIL_CAUSES)
        small = cause in SMALL_CLAIMS_CAUSES and rng.random() < 0.2
        procedure = Procedure.SMALL_CLAIMS if small else _pick(rng, [(Procedure.SUMMARY, 0.77),
                                                                     (Procedure.ORDINARY, 0.23)])
        outcome = _pick(rng, [(Outcome.MEDIATION, 0.34), (Outcome.WITHDRAWAL, 0.25), (Outcome.JUDGMENT, 0.36),
                              (Outcome.DISMISSAL, 0.03), (Outcome.TRANSFER, 0.01), (Outcome.OTHER, 0.01)])
    elif type_code == "刑初":
        procedure = _pick(rng, [(Procedure.SUMMARY, 0.55), (Procedure.ORDINARY, 0.45)])
        outcome = _pick(rng, [(Outcome.JUDGMENT, 0.97), (Outcome.WITHDRAWAL, 0.02), (Outcome.OTHER, 0.01)])
        cause = rng.choice(CRIMINAL_CAUSES)
    elif type_code == "行初":
        procedure = Procedure.ORDINARY
        outcome = _pick(rng, [(Outcome.JUDGMENT, 0.5), (Outcome.WITHDRAWAL, 0.4), (Outcome.DISMISSAL, 0.1)])
        cause = rng.choice(ADMIN_CAUSES)
    elif type_code == "民特":
        procedure = Procedure.SPECIAL
        outcome = _pick(rng, [(Outcome.OTHER, 0.9), (Outcome.WITHDRAWAL, 0.1)])
        cause = "申请司法确认调解协议"
    else:
        procedure = Procedure.ENFORCEMENT
        outcome = _pick(rng, [(Outcome.OTHER, 0.55), (Outcome.TERMINATION, 0.43), (Outcome.WITHDRAWAL, 0.02)])
        cause = rng.choice(ENFORCEMENT_CAUSES)
        if type_code in ("执", "执恢"):
            applied = Decimal(int(rng.lognormvariate(10.8, 1.0))).quantize(Decimal("1"))
            share = 1.0 if outcome == Outcome.OTHER else rng.uniform(0, 0.4)
            recovered = (applied * Decimal(str(round(share, 4)))).quantize(Decimal("1"))
    excluded = rng.choice([15, 30, 30, 45, 60]) if rng.random() < 0.08 else 0
    days = _duration(rng, type_code, procedure) + excluded
    closed: date | None = filed + timedelta(days=days)
    if closed > until:
        closed = None  # not closed yet: nothing closes after today
    appealed, result, petition = False, "", False
    final = procedure == Procedure.SMALL_CLAIMS  # 小额诉讼 一审终审: no appeal
    if closed and type_code.endswith("初") and outcome == Outcome.JUDGMENT:
        rate = {"民初": 0.09, "刑初": 0.07, "行初": 0.30}[type_code]
        if not final and rng.random() < rate:
            appealed = True
            result = _pick(rng, [(AppealResult.AFFIRMED, 0.76), (AppealResult.REVISED, 0.09),
                                 (AppealResult.REMANDED, 0.05), (AppealResult.WITHDRAWN, 0.07),
                                 (AppealResult.MEDIATED, 0.03)])
            if closed + timedelta(days=90) > until:
                result = ""  # the second instance has not decided yet
        elif rng.random() < 0.015:
            petition = True
    deadline = statutory_deadline(type_code, procedure, filed, limits)
    return {
        "court_id": court.pk, "number": format_case_number(filed.year, court.code, type_code, seq),
        "year": filed.year, "court_code": court.code, "type_code": type_code, "seq": seq,
        "first_instance": type_code.endswith("初"), "cause": cause, "procedure": procedure, "filed_on": filed,
        "closed_on": closed, "department_id": dep.pk, "judge_id": None, "outcome": outcome if closed else "",
        "deadline": deadline, "excluded_days": excluded, "appealed": appealed, "appeal_result": result,
        "retrial_petition": petition, "enforcement_applied": applied,
        "enforcement_recovered": recovered if closed else None, "source_note": note,
        "limit_end": deadline + timedelta(days=excluded) if deadline else None,
        "days_taken": (closed - filed).days - excluded if closed else None, "judge_party_closed": False,
    }
