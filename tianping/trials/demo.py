"""Demo cases for 薛城区人民法院: three years (2014–2016) of synthetic cases, about 7,000 closed a year.

Case numbers follow the SPC format per year and type; volumes, procedures, outcomes, durations and appeal
rates are in the range a basic court reports (appeal rate ~5%, 服判息诉率 ~95%, 调撤率 ~55% of civil).
Handling judges are the demo staff's quota judges in the case's department on the filing date; party
members among them receive about 85% of the cases (the seed's headline), leaders handle or sit on ~230
cases a year. Written with bulk_create so `make run` stays fast; idempotent (skips if cases exist).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from tianping.trials.models import (
    AppealResult,
    Case,
    CaseSequence,
    Outcome,
    Procedure,
    TimeLimit,
    TrialSettings,
)

YEARS = (2014, 2015, 2016)
DEMO_NOTE = "演示数据"
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
CIVIL_CAUSES = ["民间借贷纠纷", "离婚纠纷", "机动车交通事故责任纠纷", "买卖合同纠纷", "劳务合同纠纷", "物业服务合同纠纷",
                "金融借款合同纠纷", "房屋租赁合同纠纷", "赡养纠纷", "继承纠纷", "提供劳务者受害责任纠纷", "追索劳动报酬纠纷"]
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
    if Case.objects.filter(court=court, source_note=DEMO_NOTE).exists():
        return
    n = generate_cases(court, ctx.data["departments"], YEARS, ctx.rng, first_day=START)
    TrialSettings.objects.get_or_create(court=court, defaults={
        "expert_min_closed": 200, "expert_min_within_limit_rate": Decimal("0.97"),
        "expert_max_reversal_rate": Decimal("0.03"), "mediator_min_closed": 120,
        "mediator_min_mediation_withdrawal_rate": Decimal("0.60")})
    ctx.data["cases"] = n


def generate_cases(court, deps: dict, years, rng, *, first_day: date | None = None, note: str = DEMO_NOTE,
                   open_after: date = date(2016, 12, 31)) -> int:
    """Bulk-create synthetic cases filed in `years` (and from `first_day` in the year before, for cases
    carried over into the first year). Sequences continue after numbers already used. Returns the count."""
    from django.db.models import Max

    from tianping.org.models import DepartmentAssignment, Person
    from tianping.trials.selectors import membership_intervals, refresh_membership

    limits = {(t.type_code, t.procedure): t for t in TimeLimit.objects.all()}
    intervals = membership_intervals(court) or {}

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
    cases: list[Case] = []
    panels: list[tuple[int, list[int]]] = []
    all_years = ([first_day.year] if first_day else []) + list(years)
    for year in all_years:
        for dep_name, loads in WORKLOAD.items():
            dep = deps.get(dep_name)
            if dep is None:
                continue
            for type_code, per_year in loads:
                dates = _filing_dates(rng, per_year, year)
                if first_day and year == first_day.year:
                    dates = [d for d in dates if d >= first_day]
                for filed in dates:
                    seqs[(year, type_code)] += 1
                    cases.append(_make_case(rng, court, dep, type_code, filed, seqs[(year, type_code)], limits,
                                            note, open_after))
    for i, case in enumerate(cases):
        pool = judges_on(case.department_id, case.filed_on)
        if not pool:
            continue
        members = [p for p in pool if member_on(p, case.closed_on or case.filed_on)]
        others = [p for p in pool if p not in members]
        use_members = members and (not others or rng.random() < 0.80)
        judge = rng.choice(members if use_members else others)
        ordinary = case.procedure == Procedure.ORDINARY and case.type_code in ("民初", "刑初", "行初")
        if ordinary and leaders and rng.random() < 0.05:
            judge = rng.choice(leaders)  # a leader handles the case (承办)
        case.judge_id = judge
        case.compute_party_flag(member_on)
        if ordinary:
            mates = [p for p in pool if p != judge]
            rng.shuffle(mates)
            panel = [judge, *mates[:2]]
            if leaders and rng.random() < 0.12:
                panel[-1] = rng.choice(leaders)  # a leader sits on the panel (参与合议)
            panels.append((i, panel))
    Case.objects.bulk_create(cases, batch_size=2000)
    Through = Case.panel.through
    Through.objects.bulk_create([Through(case_id=cases[i].pk, person_id=p) for i, panel in panels
                                 for p in dict.fromkeys(panel)], batch_size=5000)
    for (y, t), n in seqs.items():
        seq, _ = CaseSequence.objects.get_or_create(court=court, year=y, type_code=t)
        if seq.last < n:
            seq.last = n
            seq.save(update_fields=["last"])
    refresh_membership(court)
    return len(cases)


def _make_case(rng, court, dep, type_code: str, filed: date, seq: int, limits, note: str = DEMO_NOTE,
               open_after: date = date(2016, 12, 31)) -> Case:
    procedure, outcome, cause = "", "", ""
    applied = recovered = None
    if type_code == "民初":
        procedure = _pick(rng, [(Procedure.SUMMARY, 0.68), (Procedure.SMALL_CLAIMS, 0.12), (Procedure.ORDINARY, 0.20)])
        outcome = _pick(rng, [(Outcome.MEDIATION, 0.34), (Outcome.WITHDRAWAL, 0.25), (Outcome.JUDGMENT, 0.36),
                              (Outcome.DISMISSAL, 0.03), (Outcome.TRANSFER, 0.01), (Outcome.OTHER, 0.01)])
        cause = rng.choice(CIVIL_CAUSES)
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
    closed = filed + timedelta(days=days)
    if closed > open_after and rng.random() < 0.02:
        closed = None  # a few long-running cases are still open
    appealed, result, petition = False, "", False
    if closed and type_code.endswith("初") and outcome == Outcome.JUDGMENT:
        rate = {"民初": 0.10, "刑初": 0.08, "行初": 0.30}[type_code]
        if rng.random() < rate:
            appealed = True
            result = _pick(rng, [(AppealResult.AFFIRMED, 0.76), (AppealResult.REVISED, 0.09),
                                 (AppealResult.REMANDED, 0.05), (AppealResult.WITHDRAWN, 0.07),
                                 (AppealResult.MEDIATED, 0.03)])
        elif rng.random() < 0.015:
            petition = True
    case = Case(court=court, year=filed.year, court_code=court.code, type_code=type_code, seq=seq, cause=cause,
                procedure=procedure, filed_on=filed, closed_on=closed, department=dep,
                outcome=outcome if closed else "", excluded_days=excluded, appealed=appealed, appeal_result=result,
                retrial_petition=petition, enforcement_applied=applied,
                enforcement_recovered=recovered if closed else None, source_note=note)
    case.compute_derived(limits)
    return case
