"""Demo data of the dispute-resolution centre: a mediator roster (people's and invited mediators, a
traffic-accident mediation committee), two judges' studios (one for road-traffic accidents, led by the
demo judge), the centre's intake account, Shandong statistics labelled as demo values, and disputes from
2014 to today: the last six months in every state, each one walked through the real services (so
numbers, dates and audit entries are what the application itself would write); the years before, concluded,
written with `bulk_insert` so the demo stays fast. Synthetic (Faker zh_CN via ctx), deterministic, idempotent.

Numbers follow the order of events, as the desks issue them: 民诉前调 numbers in registration order; a dispute
transferred to filing (转立案) is linked to a 民初 case the trials demo filed that day (or within the week) in
民事审判第一庭, and a judicial confirmation takes a 民特 number of the 立案庭's filings that day, so the court's
民初 and 民特 numbers stay in filing order (without the trials demo, the services number them). Every ruling
names its 书记员, a clerk of the 立案庭.

Accounts: mediator_demo is one of the people's mediators (sees only its disputes); centre_demo (role
mediator + CentreStaff: intake, triage, transfer and judicial confirmation) works the centre's desks;
station_shagou works the intake desk of 沙沟人民法庭's service station (only that station's disputes);
judge_demo leads the traffic studio.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from tianping.core.management.commands.seed_demo import FIRST_YEAR, bulk_insert
from tianping.mediation import calculator, services
from tianping.mediation.models import (
    MEDIATION_PERIOD_DAYS,
    CentreStaff,
    Committee,
    CommitteeKind,
    Dispute,
    DisputeParty,
    GuidanceKind,
    Material,
    MediationSession,
    Mediator,
    MediatorKind,
    PartyKind,
    PartyRole,
    ProvinceStatistic,
    Room,
    Route,
    Ruling,
    Site,
    Source,
    Status,
    Studio,
)
from tianping.org.demo import synthetic_id
from tianping.org.models import Department, DepartmentType, Person, Post, Role, User, UserRole
from tianping.trials.casenumbers import format_case_number
from tianping.trials.models import Case, CaseSequence, Procedure

_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def synthetic_credit_code(rng) -> str:
    """A synthetic unified social credit code with a valid GB 32100 check character."""
    body = "91370403" + "".join(rng.choice(_USCC_CHARS) for _ in range(9))
    total = sum(_USCC_CHARS.index(c) * w for c, w in zip(body, _USCC_WEIGHTS, strict=True))
    return body + _USCC_CHARS[(31 - total % 31) % 31]


# Demo values, NOT figures published by the Shandong statistics bureau (labelled so on every page).
SHANDONG_DEMO = [
    # year, urban income, rural income, urban consumption, rural consumption, average wage
    (2021, "47066", "20794", "29314", "14299", "96153"),
    (2022, "49050", "22110", "29555", "15245", "102283"),
    (2023, "51571", "23776", "31727", "17076", "108125"),
    (2024, "53800", "25300", "33100", "18200", "113600"),
]

# registrations of the seed's year (2016): the report says 今年以来，共化解分流案件1300余件
SEED_YEAR_INTAKE = {2016: 1540}

CAUSES = [
    ("机动车交通事故责任纠纷", 0.30), ("民间借贷纠纷", 0.16), ("买卖合同纠纷", 0.12), ("婚姻家庭纠纷", 0.08),
    ("物业服务合同纠纷", 0.08), ("劳务合同纠纷", 0.08), ("相邻关系纠纷", 0.06), ("房屋租赁合同纠纷", 0.06),
    ("人身损害赔偿纠纷", 0.06),
]
INSURERS = ["中国人民财产保险股份有限公司枣庄市分公司", "中国平安财产保险股份有限公司枣庄中心支公司",
            "中国太平洋财产保险股份有限公司枣庄中心支公司"]
COMPANIES = ["枣庄市薛城区鑫源物业管理有限公司", "山东临山建材有限公司", "枣庄市顺达运输有限公司",
             "薛城区永兴商贸有限公司"]


def _pick(rng, weighted):
    r, acc = rng.random(), 0.0
    for value, w in weighted:
        acc += w
        if r < acc:
            return value
    return weighted[-1][0]


def _person_party(ctx, role, today):
    rng, faker = ctx.rng, ctx.faker
    male = rng.random() < 0.55
    born = date(rng.randint(1950, 2000), rng.randint(1, 12), rng.randint(1, 28))
    return {"role": role, "kind": PartyKind.PERSON, "name": faker.name_male() if male else faker.name_female(),
            "id_number": synthetic_id(rng, born, male), "phone": f"13{rng.randint(0, 9)}{rng.randint(10000000, 99999999)}",
            "address": f"山东省枣庄市薛城区{faker.street_name()}{rng.randint(1, 200)}号",
            "agent_name": faker.name() if rng.random() < 0.25 else ""}


def _org_party(ctx, role, name):
    return {"role": role, "kind": PartyKind.ORGANISATION, "name": name,
            "credit_code": synthetic_credit_code(ctx.rng), "representative": ctx.faker.name(),
            "address": f"山东省枣庄市薛城区{ctx.faker.street_name()}{ctx.rng.randint(1, 200)}号"}


def _account(username, court, person, roles):
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, court=court, person=person, must_change_password=False,
                    password_changed_at=timezone.now())
        user.set_password(settings.TIANPING_DEMO_PASSWORD)
        user.save()
    for role in roles:
        UserRole.objects.get_or_create(user=user, role=role)
    return user


def seed(ctx) -> None:
    court = ctx.data["court"]
    deps = ctx.data["departments"]
    users = ctx.data["users"]
    rng = ctx.rng

    for year, ui, ri, uc, rc, wage in SHANDONG_DEMO:
        ProvinceStatistic.objects.get_or_create(province="山东", year=year, defaults={
            "urban_disposable_income": Decimal(ui), "rural_disposable_income": Decimal(ri),
            "urban_consumption": Decimal(uc), "rural_consumption": Decimal(rc), "average_wage": Decimal(wage),
            "hospital_food_daily": Decimal("100"), "is_demo": True, "note": "演示数值，非统计部门公布数据"})

    # the centre's desk: a 立案庭 judge working intake, triage and judicial confirmation
    filing_judge = (Person.objects.filter(court=court, department=deps["立案庭"], is_quota_judge=True)
                    .order_by("id").first())
    centre = _account("centre_demo", court, filing_judge, [Role.CENTRE])
    CentreStaff.objects.get_or_create(user=centre, defaults={"court": court, "can_intake": True, "can_confirm": True})
    # the litigation service centre and a service station at each people's tribunal (sites of registration)
    services.sites_ensure(court=court, actor=centre)
    stations = {s.department.name: s for s in Site.objects.filter(court=court, department__isnull=False)
                .select_related("department")}
    # 沙沟人民法庭's service station has its own intake desk: it registers and triages the disputes brought to
    # the station and sees only those (DisputeQuerySet.scoped_to); a 404 for any other site's
    shagou = stations.get("沙沟人民法庭")
    if shagou is not None:
        without_account = Person.objects.filter(court=court, department=shagou.department,
                                                user__isnull=True).order_by("id")
        desk_person = without_account.filter(post=Post.CLERK).first() or without_account.first()
        station_desk = _account("station_shagou", court, desk_person, [Role.CENTRE])
        CentreStaff.objects.get_or_create(user=station_desk, defaults={"court": court, "can_intake": True,
                                                                       "site": shagou})

    if Dispute.objects.filter(court=court).exists():
        return

    # roster
    mediator_user = users.get("mediator_demo") or User.objects.get(username="mediator_demo")
    roster = [
        ("peoples", mediator_user.person.name if mediator_user.person_id else ctx.faker.name(), "薛城区人民调解委员会",
         "民间借贷、相邻关系", mediator_user),
        ("peoples", ctx.faker.name(), "薛城区人民调解委员会", "婚姻家庭", None),
        ("peoples", ctx.faker.name(), "常庄街道人民调解委员会", "物业、租赁", None),
        ("peoples", ctx.faker.name(), "沙沟镇人民调解委员会", "劳务合同", None),
        ("invited", ctx.faker.name(), "枣庄市律师协会", "买卖合同、借贷", None),
        ("invited", ctx.faker.name(), "薛城区工商联", "企业纠纷", None),
        ("organisation", "薛城区道路交通事故纠纷人民调解委员会", "", "道路交通事故", None),
        ("organisation", "薛城区医疗纠纷人民调解委员会", "", "医疗纠纷", None),
    ]
    mediators = []
    for kind, name, org, spec, user in roster:
        # a township committee's mediator sits at its tribunal's service station (沙沟镇 → 沙沟法庭)
        site = next((st for dept, st in stations.items() if org and dept[:2] == org[:2]), None)
        m = Mediator(court=court, name=name, kind=kind, organisation=org, speciality=spec, user=user,
                     phone=f"139{rng.randint(10000000, 99999999)}", site=site)
        mediators.append(services.mediator_save(actor=centre, mediator=m))
    mediator_demo_entry = mediators[0]
    traffic_committee = mediators[6]
    committees = _committees(ctx, court, centre, mediators, stations)

    judge_person = ctx.data["people"].get("judge")
    other_judge = (Person.objects.filter(court=court, department=deps["民事审判第二庭"], post=Post.JUDGE)
                   .order_by("id").first())
    traffic = services.studio_save(actor=centre, studio=Studio(
        court=court, name=f"{judge_person.name}法官工作室", judge=judge_person, speciality="道路交通事故损害赔偿",
        is_traffic=True))
    family = services.studio_save(actor=centre, studio=Studio(
        court=court, name=f"{other_judge.name}法官工作室", judge=other_judge, speciality="婚姻家庭", is_traffic=False))

    civil_judges = list(Person.objects.filter(court=court, department=deps["民事审判第一庭"], is_quota_judge=True))
    clerks = (list(Person.objects.filter(court=court, department=deps["立案庭"], post=Post.CLERK).order_by("id"))
              or list(Person.objects.filter(court=court, post=Post.CLERK).order_by("id")))
    ctx.data["mediation_clerks"] = clerks
    pools = _CasePools(court, deps)
    ctx.data["mediation_pools"] = pools
    today = timezone.localdate()
    walked = 183  # the last six months go through the services (audit trail, open disputes); before: bulk
    start = today - timedelta(days=walked)
    _history(ctx, court, centre, date(FIRST_YEAR, 1, 1), start, mediators, mediator_demo_entry, traffic_committee,
             traffic, family, pools, clerks)
    # Every dispute is planned first, then registered in date order (a registration desk numbers files in
    # the order they arrive, so 民诉前调 numbers follow registration dates), then walked through its steps.
    plans: list[tuple[date, str, dict, object]] = []  # (registered on, cause, register kwargs, walk)
    n = 100
    for i in range(n):
        registered = min(start + timedelta(days=int(i * walked / n) + rng.randint(0, 1)), today)
        cause = _pick(rng, CAUSES)
        consent = rng.random() < 0.88

        def walk(d, registered=registered, cause=cause, consent=consent):
            _walk_dispute(ctx, d, cause, consent, centre, registered, today, mediators, mediator_demo_entry,
                          traffic_committee, traffic, family, civil_judges, deps)

        plans.append((registered, cause, {"consent": consent}, walk))
    plans.extend(_showcase(ctx, court, centre, today, mediator_demo_entry))
    # agreements of the people's mediation committees brought for judicial confirmation (指导人民调解)
    for k in range(8):
        agreed = start + timedelta(days=10 + k * 20)
        committee = committees[k % len(committees)]

        def confirm(d, agreed=agreed):
            _committee_confirmation(ctx, d, centre, agreed, today)

        plans.append((agreed + timedelta(days=rng.randint(1, 5)), "相邻关系纠纷" if k % 2 else "婚姻家庭纠纷",
                      {"committee": committee, "agreed_on": agreed}, confirm))
    _guidance(ctx, court, centre, committees, traffic, start, today)
    # one registered today, waiting for triage; one assigned to mediator_demo, not yet accepted
    plans.append((today, "相邻关系纠纷", {}, None))

    def assign(d):
        services.dispute_triage(dispute=d, actor=centre, route=Route.MEDIATION, reason="物业费争议，适宜调解",
                                triaged_on=today, room=Room.PEOPLES, mediator=mediator_demo_entry)

    plans.append((today - timedelta(days=1), "物业服务合同纠纷", {}, assign))
    # explicit cases for the warnings: mediator_demo has one period ending in 3 days and one overdue
    for days_ago, label in ((27, "warning"), (33, "overdue")):
        reg = today - timedelta(days=days_ago)

        def warn(d, reg=reg, label=label):
            services.dispute_triage(dispute=d, actor=centre, route=Route.MEDIATION, reason="小额借贷，适宜调解",
                                    triaged_on=reg, room=Room.PEOPLES, mediator=mediator_demo_entry)
            services.mediation_accept(dispute=d, actor=centre, accepted_on=reg)
            services.session_record(dispute=d, actor=centre, held_on=reg + timedelta(days=2), place="人民调解室",
                                    attendees="双方当事人", notes=f"双方对还款期限分歧较大（{label}）。")

        plans.append((reg, "民间借贷纠纷", {}, warn))
    plans.sort(key=lambda plan: plan[0])  # stable: same-day files keep the order they were planned in
    registered = [(_register(ctx, court, centre, day, cause, **kwargs), walk) for day, cause, kwargs, walk in plans]
    for d, walk in registered:
        if walk is not None:
            walk(d)


def _register(ctx, court, actor, registered, cause, *, consent=True, source=None, committee=None, agreed_on=None):
    rng = ctx.rng
    if committee is not None:  # a committee's agreement, registered with the agreement reached
        parties = [_person_party(ctx, PartyRole.APPLICANT, registered), _person_party(ctx, PartyRole.RESPONDENT, registered)]
        amount = Decimal(rng.randint(20, 300) * 100)
        return services.committee_agreement_register(
            court=court, actor=actor, committee=committee, registered_on=registered, cause=cause, agreed_on=agreed_on,
            terms=f"一、被申请人于三十日内向申请人支付人民币{amount}元；\n二、双方再无其他争议。", parties=parties,
            amount=amount, agreement_amount=amount)
    if cause == "机动车交通事故责任纠纷":
        parties = [_person_party(ctx, PartyRole.APPLICANT, registered), _person_party(ctx, PartyRole.RESPONDENT, registered),
                   _org_party(ctx, PartyRole.RESPONDENT, rng.choice(INSURERS))]
    elif cause in {"买卖合同纠纷", "物业服务合同纠纷"} and rng.random() < 0.6:
        parties = [_org_party(ctx, PartyRole.APPLICANT, rng.choice(COMPANIES)),
                   _person_party(ctx, PartyRole.RESPONDENT, registered)]
    else:
        parties = [_person_party(ctx, PartyRole.APPLICANT, registered), _person_party(ctx, PartyRole.RESPONDENT, registered)]
    amount = Decimal(rng.randint(20, 3000) * 100)
    summary = {
        "机动车交通事故责任纠纷": "双方发生交通事故，申请人受伤住院治疗，就赔偿数额协商未果。",
        "民间借贷纠纷": "申请人主张被申请人借款到期未还。",
        "婚姻家庭纠纷": "双方就子女抚养及财产分割发生争议。",
    }.get(cause, f"双方因{cause[:-2]}发生争议，协商未果。")
    tribunals = list(Department.objects.filter(court=court, type=DepartmentType.TRIBUNAL).order_by("id"))
    intake = rng.choice(tribunals) if tribunals and rng.random() < 0.2 else None  # a tribunal's service station
    return services.dispute_register(
        court=court, actor=actor, registered_on=registered, cause=cause, summary=summary,
        source=source or _pick(rng, [(Source.APPLICATION, 0.55), (Source.DELEGATED, 0.3), (Source.ENTRUSTED, 0.05),
                                     (Source.INVITED, 0.1)]),
        parties=parties, amount=amount, consent_to_mediation=consent, intake_department=intake,
        materials=[{"title": "调解申请书", "submitted_by": parties[0]["name"], "pages": 2},
                   {"title": "身份证明", "submitted_by": parties[0]["name"], "pages": 1}])


def _walk_dispute(ctx, d, cause, consent, centre, registered, today, mediators, mediator_demo_entry,
                  traffic_committee, traffic, family, civil_judges, deps):
    rng = ctx.rng
    age = (today - registered).days
    if age < 2 and rng.random() < 0.6:
        return  # still waiting for triage
    triaged = min(registered + timedelta(days=rng.randint(0, 1)), today)
    if not consent:
        if rng.random() < 0.15:
            services.dispute_withdraw(dispute=d, actor=centre, withdrawn_on=triaged, reason="申请人决定暂不起诉")
            return
        case = ctx.data["mediation_pools"].civil(triaged, today)
        if case is None and ctx.data["mediation_pools"].civil_by_day:
            return  # the filing desk has not registered it yet (numbers stay in filing order)
        services.dispute_triage(dispute=d, actor=centre, route=Route.FILING, reason="当事人不同意调解，直接立案",
                                triaged_on=case.filed_on if case else triaged, filed_case=case)
        return
    if cause == "机动车交通事故责任纠纷":
        room, mediator, studio = (Room.STUDIO, None, traffic) if rng.random() < 0.6 else \
            (Room.PEOPLES, traffic_committee, None)
    elif cause == "婚姻家庭纠纷" and rng.random() < 0.5:
        room, mediator, studio = Room.STUDIO, None, family
    else:
        room, studio = Room.PEOPLES, None
        mediator = mediator_demo_entry if rng.random() < 0.22 else rng.choice(
            [m for m in mediators if m.kind != MediatorKind.ORGANISATION and m is not mediator_demo_entry])
    services.dispute_triage(dispute=d, actor=centre, route=Route.MEDIATION, reason="适宜诉前调解", triaged_on=triaged,
                            room=room, mediator=mediator, studio=studio)
    if age < 4 and rng.random() < 0.5:
        return  # assigned, not yet accepted
    accepted = min(triaged + timedelta(days=rng.randint(0, 2)), today)
    services.mediation_accept(dispute=d, actor=centre, accepted_on=accepted)
    place = "诉调对接中心人民调解室" if room == Room.PEOPLES else studio.name
    duration = rng.randint(5, 29)
    if rng.random() < 0.08:  # an extension with every party's consent
        ext_on = accepted + timedelta(days=rng.randint(20, 28))
        if ext_on <= today:
            d.refresh_from_db()
            services.deadline_extend(dispute=d, actor=centre, days=15, reason="当事人均同意继续调解",
                                     granted_on=ext_on, consents={p.pk: ext_on for p in d.parties.all()})
            duration = rng.randint(30, 44)
    end = accepted + timedelta(days=duration)
    for k in range(rng.randint(1, 3)):
        held = accepted + timedelta(days=min(duration, 2 + k * 6))
        if held > today:
            break
        services.session_record(dispute=d, actor=centre, held_on=held, online=rng.random() < 0.2, place=place,
                                attendees="、".join(p.name for p in d.parties.all()),
                                notes=rng.choice(["释法明理，双方分歧缩小。", "核对票据和损失清单。",
                                                  "背对背调解，了解各自底线。", "双方同意再次协商。"]))
    if end > today:
        return  # still mediating
    outcome = _pick(rng, [("agree", 0.62), ("fail", 0.28), ("withdraw", 0.10)])
    d.refresh_from_db()
    if outcome == "agree":
        amount = (d.amount * Decimal(rng.randint(50, 95)) / 100).quantize(Decimal("1"))
        services.agreement_record(dispute=d, actor=centre, agreed_on=end, amount=amount,
                                  terms=f"一、被申请人于协议签订后十五日内向申请人支付人民币{amount}元；\n二、双方就本纠纷再无其他争议。",
                                  performance_deadline=end + timedelta(days=15))
        if cause == "机动车交通事故责任纠纷" and rng.random() < 0.5:
            _attach_calculation(d, centre, rng, registered)
        nxt = end + timedelta(days=rng.randint(3, 25))
        if nxt > today:
            return  # agreed, waiting
        if rng.random() < 0.5:
            services.performance_record(dispute=d, actor=centre, performed_on=nxt)
            return
        special = ctx.data["mediation_pools"].special(nxt, min(today, end + timedelta(days=30)))
        if special is not None:  # the 民特 case the filing desk registered that day
            nxt = special[0]
        elif ctx.data["mediation_pools"].special_by_day:
            return  # not docketed yet: agreed, waiting
        services.confirmation_apply(dispute=d, actor=centre, applied_on=nxt, number=special[1] if special else "",
                                    applicant_ids=list(d.parties.values_list("pk", flat=True)))
        ruled = nxt + timedelta(days=rng.randint(2, 12))
        if ruled > today:
            return
        clerk = rng.choice(ctx.data["mediation_clerks"]) if ctx.data["mediation_clerks"] else None
        if rng.random() < 0.9:
            services.confirmation_rule(dispute=d, actor=centre, ruling=Ruling.CONFIRMED, ruled_on=ruled, clerk=clerk)
            return
        services.confirmation_rule(dispute=d, actor=centre, ruling=Ruling.REJECTED, ruled_on=ruled,
                                   reason="协议约定的利息超过法律规定的上限，损害对方合法权益。", clerk=clerk)
        if ruled + timedelta(days=10) <= today and rng.random() < 0.5:
            _transfer(ctx, d, centre, ruled + timedelta(days=10), today, civil_judges, deps, rng)
        return
    if outcome == "fail":
        services.mediation_fail(dispute=d, actor=centre, ended_on=end, reason="双方对赔偿数额分歧较大，调解不成")
    else:
        services.dispute_withdraw(dispute=d, actor=centre, withdrawn_on=end, reason="申请人撤回调解申请")
    filed = end + timedelta(days=rng.randint(1, 5))
    if filed <= today and rng.random() < 0.85:
        _transfer(ctx, d, centre, filed, today, civil_judges, deps, rng)


def _transfer(ctx, d, actor, filed_on, today, judges, deps, rng):
    case = ctx.data["mediation_pools"].civil(filed_on, today)
    if case is not None:  # the 民初 case the filing desk registered that day: numbers stay in filing order
        services.filing_transfer(dispute=d, actor=actor, filed_on=case.filed_on, case=case)
        return
    if ctx.data["mediation_pools"].civil_by_day:
        return  # not filed yet (the last days): a new number now would come before earlier filings' numbers
    services.filing_transfer(dispute=d, actor=actor, filed_on=filed_on, department=deps["民事审判第一庭"],
                             judge=rng.choice(judges) if judges else None)


class _CasePools:
    """The demo cases a dispute's later steps are linked to, by filing day: 民初 cases of 民事审判第一庭 (not
    small claims: a transferred dispute may be any civil cause) and 民特 cases of the 立案庭 (judicial
    confirmation). Each is taken once."""

    WINDOW = 7  # days the filing desk may take after the transfer or application

    def __init__(self, court, deps) -> None:
        from collections import defaultdict, deque

        from tianping.trials.demo import DEMO_NOTE

        self.civil_by_day: dict[date, deque] = defaultdict(deque)
        self.special_by_day: dict[date, deque] = defaultdict(deque)
        base = Case.objects.filter(court=court, source_note=DEMO_NOTE, mediation_disputes__isnull=True)
        civil = deps.get("民事审判第一庭")
        if civil is not None:
            for case in (base.filter(type_code="民初", department=civil).exclude(procedure=Procedure.SMALL_CLAIMS)
                         .only("pk", "number", "filed_on", "court_id", "type_code").order_by("filed_on", "seq")):
                self.civil_by_day[case.filed_on].append(case)
        filing = deps.get("立案庭")
        if filing is not None:
            for number, filed in (base.filter(type_code="民特", department=filing).order_by("filed_on", "seq")
                                  .values_list("number", "filed_on")):
                self.special_by_day[filed].append(number)

    def _take(self, pool, day: date, last: date):
        for k in range(self.WINDOW + 1):
            d = day + timedelta(days=k)
            if d > last:
                break
            if pool.get(d):
                return d, pool[d].popleft()
        return None

    def civil(self, day: date, last: date):
        """A 民初 case filed on `day` or within the week after (not after `last`), or None."""
        hit = self._take(self.civil_by_day, day, last)
        return hit[1] if hit else None

    def special(self, day: date, last: date) -> tuple[date, str] | None:
        """(filing day, number) of a 民特 case filed on `day` or within the week after, or None."""
        return self._take(self.special_by_day, day, last)


def _attach_calculation(d, actor, rng, registered):
    year = max(y for y, *_r in SHANDONG_DEMO if y < registered.year) if registered.year > 2021 else 2021
    inp = calculator.Inputs(
        accident_on=registered - timedelta(days=rng.randint(20, 90)), victim_age=rng.randint(20, 78),
        medical=Decimal(rng.randint(5000, 60000)), lost_days=rng.randint(30, 180), nursing_days=rng.randint(10, 60),
        transport=Decimal(rng.randint(200, 1500)), hospital_days=rng.randint(5, 40), nutrition_days=rng.randint(0, 60),
        nutrition_daily=Decimal("30"),
        disability_coefficient=Decimal(rng.choice(["0", "0.1", "0.2"])), mental_solace=Decimal(rng.choice([0, 5000])),
        property_loss=Decimal(rng.randint(0, 5000)), liability_share=Decimal(rng.choice(["1", "0.7", "0.5"])),
        commercial_limit=Decimal(rng.choice([0, 500000, 1000000])))
    services.calculation_attach(dispute=d, actor=actor, inputs=inp, province="山东", year=year)


def _showcase(ctx, court, centre, today, mediator) -> list[tuple[date, str, dict, object]]:
    """Plans of one dispute in each state that the random year might miss, handled by mediator_demo."""
    def mediate(d, days_ago):
        reg = today - timedelta(days=days_ago)
        services.dispute_triage(dispute=d, actor=centre, route=Route.MEDIATION, reason="适宜调解", triaged_on=reg,
                                room=Room.PEOPLES, mediator=mediator)
        services.mediation_accept(dispute=d, actor=centre, accepted_on=reg)
        services.session_record(dispute=d, actor=centre, held_on=reg + timedelta(days=3), place="人民调解室",
                                attendees="双方当事人", notes="释法明理，双方逐步接近。")
        return d

    def agree(d, days_ago):
        on = today - timedelta(days=days_ago)
        return services.agreement_record(dispute=d, actor=centre, agreed_on=on, amount=Decimal("30000"),
                                         terms="一、被申请人于三十日内支付申请人人民币30000元；\n二、双方再无其他争议。",
                                         performance_deadline=on + timedelta(days=30))

    def reserve(day: date, earliest: date, last: date):
        # the 民特 case the filing desk registered for the application: that day, a day before (not before the
        # agreement took effect) or after (up to `last`); taken now, before the walked disputes use the days
        pools = ctx.data.get("mediation_pools")
        if pools is None:
            return None
        back = day
        while back >= earliest:
            hit = pools.special(back, back)
            if hit is not None:
                return hit
            back -= timedelta(days=1)
        return pools.special(day, last)

    reserved = {"applied": reserve(today - timedelta(days=2), today - timedelta(days=10), today),
                "rejected": reserve(today - timedelta(days=20), today - timedelta(days=25), today - timedelta(days=15))}

    def _apply(ctx, d, centre, day, last, which):
        special = reserved[which]
        services.confirmation_apply(dispute=d, actor=centre, applied_on=special[0] if special else day,
                                    number=special[1] if special else "",
                                    applicant_ids=list(d.parties.values_list("pk", flat=True)))

    def agreed(d):  # agreed, within the confirmation window
        agree(mediate(d, 20), 6)

    def applied(d):
        d = agree(mediate(d, 24), 10)
        _apply(ctx, d, centre, today - timedelta(days=2), today, "applied")

    def rejected(d):
        d = agree(mediate(d, 40), 25)
        _apply(ctx, d, centre, today - timedelta(days=20), today - timedelta(days=15), "rejected")
        clerks = ctx.data.get("mediation_clerks") or [None]
        services.confirmation_rule(dispute=d, actor=centre, ruling=Ruling.REJECTED,
                                   ruled_on=today - timedelta(days=15),
                                   reason="协议约定的违约金明显过高，损害被申请人合法权益。", clerk=clerks[0])

    def failed(d):
        services.mediation_fail(dispute=mediate(d, 15), actor=centre, ended_on=today - timedelta(days=2),
                                reason="被申请人否认借款事实，调解不成。")

    def withdrawn(d):
        services.dispute_withdraw(dispute=mediate(d, 12), actor=centre, withdrawn_on=today - timedelta(days=1),
                                  reason="申请人撤回调解申请，拟自行协商。")

    return [(today - timedelta(days=days), "民间借贷纠纷", {}, walk)
            for days, walk in ((20, agreed), (24, applied), (40, rejected), (15, failed), (12, withdrawn))]


def _history(ctx, court, centre, first: date, until: date, mediators, mediator_demo_entry, traffic_committee,
             traffic, family, pools: _CasePools, clerks) -> None:
    """Concluded disputes registered from `first` to the day before `until`, written with bulk_insert: the
    same steps and dates the services would record (registration, triage, acceptance with its 30-day period,
    sessions, agreement and its performance or judicial confirmation, failure or withdrawal, transfer to
    filing), numbered per year in registration order; the years' sequences are set so the services continue
    after them. No audit entries: these are the years before the platform (as if imported)."""
    rng = ctx.rng
    tribunals = list(Department.objects.filter(court=court, type=DepartmentType.TRIBUNAL).order_by("id"))
    people_mediators = [m for m in mediators if m.kind != MediatorKind.ORGANISATION and m is not mediator_demo_entry]
    disputes: list[dict] = []
    parties: dict[str, list[dict]] = {}
    sessions: dict[str, list[dict]] = {}
    linked: list[tuple[int, str, list[dict], str]] = []  # (case pk, cause, case parties, number)
    seqs: dict[int, int] = {}
    for year in range(first.year, until.year + 1):
        # the centre's intake grows year by year; the seed's year diverted 1,300-odd disputes (分流案件1300余件)
        # once the four tribunals' stations opened: ~88 % consent to mediation, so 1,540 registrations
        n = SEED_YEAR_INTAKE.get(year, 120 + 12 * (year - FIRST_YEAR))
        days = [date(year, 1, 1) + timedelta(days=rng.randint(0, 364)) for _ in range(n)]
        for registered in sorted(d for d in days if first <= d < until and d.year == year):
            seqs[year] = seqs.get(year, 0) + 1
            number = format_case_number(year, court.code, services.DISPUTE_TYPE_CODE, seqs[year])
            row, people, held = _history_row(ctx, court, centre, number, registered, tribunals, people_mediators,
                                             mediator_demo_entry, traffic_committee, traffic, family, pools,
                                             clerks, until)
            disputes.append(row)
            parties[number] = people
            sessions[number] = held
            if row["filed_case_id"]:
                linked.append((row["filed_case_id"], row["cause"], people, number))
    if not disputes:
        return
    bulk_insert(Dispute, disputes)
    ids = dict(Dispute.objects.filter(court=court, number__in=list(parties)).values_list("number", "pk"))
    role_map = {PartyRole.APPLICANT: "原告", PartyRole.RESPONDENT: "被告"}
    bulk_insert(DisputeParty, [{**p, "dispute_id": ids[number], "sort_order": i}
                               for number, people in parties.items() for i, p in enumerate(people)])
    bulk_insert(Material, [{"dispute_id": ids[number], "title": title, "submitted_by": people[0]["name"], "file": "",
                            "pages": pages}
                           for number, people in parties.items()
                           for title, pages in (("调解申请书", 2), ("身份证明", 1))])
    bulk_insert(MediationSession, [{**h, "dispute_id": ids[number], "recorded_by_id": centre.pk}
                                   for number, held in sessions.items() for h in held])
    # the linked 民初 cases carry the dispute's cause and parties, as filing_transfer writes them
    kinds = dict(PartyKind.choices)
    for case_pk, cause, people, number in linked:
        Case.objects.filter(pk=case_pk).update(cause=cause, source_note=f"诉前调解转立案：{number}；随案材料：调解申请书、身份证明",
                                               parties=[{"role": role_map.get(p["role"], "第三人"),
                                                         "kind": str(kinds[p["kind"]]), "name": p["name"],
                                                         "id_number": p["id_number"], "credit_code": p["credit_code"],
                                                         "representative": p["representative"], "phone": p["phone"],
                                                         "address": p["address"], "agent": p["agent_name"],
                                                         "agent_phone": ""} for p in people])
    for year, last in seqs.items():
        seq, _created = CaseSequence.objects.get_or_create(court=court, year=year,
                                                           type_code=services.DISPUTE_TYPE_CODE)
        if seq.last < last:
            seq.last = last
            seq.save(update_fields=["last"])


def _party_row(p: dict) -> dict:
    keys = ("role", "kind", "name", "id_number", "credit_code", "representative", "phone", "address", "agent_name",
            "agent_phone")
    return {k: p.get(k, "") for k in keys}


def _history_row(ctx, court, centre, number, registered, tribunals, people_mediators, mediator_demo_entry,
                 traffic_committee, traffic, family, pools: _CasePools, clerks, until):
    rng = ctx.rng
    cause = _pick(rng, CAUSES)
    if cause == "机动车交通事故责任纠纷":
        people = [_person_party(ctx, PartyRole.APPLICANT, registered), _person_party(ctx, PartyRole.RESPONDENT, registered),
                  _org_party(ctx, PartyRole.RESPONDENT, rng.choice(INSURERS))]
    elif cause in {"买卖合同纠纷", "物业服务合同纠纷"} and rng.random() < 0.6:
        people = [_org_party(ctx, PartyRole.APPLICANT, rng.choice(COMPANIES)),
                  _person_party(ctx, PartyRole.RESPONDENT, registered)]
    else:
        people = [_person_party(ctx, PartyRole.APPLICANT, registered),
                  _person_party(ctx, PartyRole.RESPONDENT, registered)]
    people = [_party_row(p) for p in people]
    consent = rng.random() < 0.88
    row = dict.fromkeys(("route", "triage_reason", "room", "agreement_terms", "confirmation_number", "ruling",
                         "ruling_reason", "end_kind", "end_reason"), "")
    row.update(dict.fromkeys(("triaged_on", "mediator_id", "studio_id", "accepted_on", "deadline_on", "agreement_on",
                              "agreement_effective_on", "agreement_amount", "performance_deadline", "performed_on",
                              "confirmation_applied_on", "ruling_on", "ruled_by_id", "ruling_clerk_id", "ended_on",
                              "filed_on", "filed_case_id", "closed_on")))
    amount = Decimal(rng.randint(20, 3000) * 100)
    row.update({
        "court_id": court.pk, "number": number, "source": _pick(rng, [(Source.APPLICATION, 0.55),
                                                                       (Source.DELEGATED, 0.3),
                                                                       (Source.ENTRUSTED, 0.05),
                                                                       (Source.INVITED, 0.1)]),
        "cause": cause, "amount": amount,
        "summary": {"机动车交通事故责任纠纷": "双方发生交通事故，申请人受伤住院治疗，就赔偿数额协商未果。",
                    "民间借贷纠纷": "申请人主张被申请人借款到期未还。",
                    "婚姻家庭纠纷": "双方就子女抚养及财产分割发生争议。"}.get(cause, f"双方因{cause[:-2]}发生争议，协商未果。"),
        "intake_department_id": rng.choice(tribunals).pk if tribunals and rng.random() < 0.2 else None,
        "consent_to_mediation": consent, "registered_on": registered, "registered_by_id": centre.pk,
        "version": 1, "status": Status.REGISTERED,
    })
    held: list[dict] = []
    triaged = registered + timedelta(days=rng.randint(0, 1))

    def transfer(day: date) -> None:
        case = pools.civil(day, until + timedelta(days=300))
        if case is None:
            return  # no trial demo to link to: the dispute stays where it ended
        row.update(filed_on=case.filed_on, filed_case_id=case.pk, status=Status.FILED, closed_on=case.filed_on)

    if not consent:
        if rng.random() < 0.15:
            row.update(status=Status.WITHDRAWN, ended_on=triaged, end_kind=Status.WITHDRAWN, end_reason="申请人决定暂不起诉",
                       closed_on=triaged)
            return row, people, held
        row.update(route=Route.FILING, triage_reason="当事人不同意调解，直接立案", triaged_on=triaged)
        transfer(triaged)
        if row["filed_case_id"]:
            row["triaged_on"] = row["filed_on"]
        else:
            row.update(route="", triage_reason="", triaged_on=None)
        return row, people, held
    if cause == "机动车交通事故责任纠纷":
        room, mediator, studio = ((Room.STUDIO, None, traffic) if rng.random() < 0.6
                                  else (Room.PEOPLES, traffic_committee, None))
    elif cause == "婚姻家庭纠纷" and rng.random() < 0.5:
        room, mediator, studio = Room.STUDIO, None, family
    else:
        room, studio = Room.PEOPLES, None
        mediator = mediator_demo_entry if rng.random() < 0.22 else rng.choice(people_mediators)
    accepted = triaged + timedelta(days=rng.randint(0, 2))
    row.update(route=Route.MEDIATION, triage_reason="适宜诉前调解", triaged_on=triaged, room=room,
               mediator_id=mediator.pk if mediator else None, studio_id=studio.pk if studio else None,
               accepted_on=accepted, deadline_on=accepted + timedelta(days=MEDIATION_PERIOD_DAYS),
               status=Status.MEDIATING)
    duration = rng.randint(5, 29)
    end = accepted + timedelta(days=duration)
    place = "诉调对接中心人民调解室" if room == Room.PEOPLES else studio.name
    for k in range(rng.randint(1, 3)):
        held.append({"held_on": accepted + timedelta(days=min(duration, 2 + k * 6)), "online": rng.random() < 0.2,
                     "place": place, "attendees": "、".join(p["name"] for p in people),
                     "notes": rng.choice(["释法明理，双方分歧缩小。", "核对票据和损失清单。", "背对背调解，了解各自底线。",
                                          "双方同意再次协商。"])})
    outcome = _pick(rng, [("agree", 0.62), ("fail", 0.28), ("withdraw", 0.10)])
    if outcome == "agree":
        agreed = (amount * Decimal(rng.randint(50, 95)) / 100).quantize(Decimal("1"))
        row.update(agreement_on=end, agreement_effective_on=end, agreement_amount=agreed,
                   agreement_terms=f"一、被申请人于协议签订后十五日内向申请人支付人民币{agreed}元；\n二、双方就本纠纷再无其他争议。",
                   performance_deadline=end + timedelta(days=15), status=Status.AGREED)
        nxt = end + timedelta(days=rng.randint(3, 25))
        special = pools.special(nxt, end + timedelta(days=30)) if rng.random() >= 0.5 else None
        if special is None:
            row.update(performed_on=nxt, closed_on=nxt, status=Status.PERFORMED)
            return row, people, held
        applied, case_number = special
        ruled = applied + timedelta(days=rng.randint(2, 12))
        row.update(confirmation_applied_on=applied, confirmation_number=case_number, ruling_on=ruled,
                   ruled_by_id=centre.pk, ruling_clerk_id=rng.choice(clerks).pk if clerks else None, closed_on=ruled)
        if rng.random() < 0.9:
            row.update(ruling=Ruling.CONFIRMED, status=Status.CONFIRMED)
            return row, people, held
        row.update(ruling=Ruling.REJECTED, status=Status.REJECTED,
                   ruling_reason="协议约定的利息超过法律规定的上限，损害对方合法权益。")
        if rng.random() < 0.5:
            transfer(ruled + timedelta(days=10))
        return row, people, held
    kind = Status.FAILED if outcome == "fail" else Status.WITHDRAWN
    row.update(ended_on=end, end_kind=kind, status=kind, closed_on=end,
               end_reason="双方对赔偿数额分歧较大，调解不成" if kind == Status.FAILED else "申请人撤回调解申请")
    if rng.random() < 0.85:
        transfer(end + timedelta(days=rng.randint(1, 5)))
    return row, people, held


COMMITTEES = [
    # name, kind, area, station (tribunal) or None for the centre
    ("薛城区人民调解委员会", CommitteeKind.STREET, "薛城区", None),
    ("常庄街道人民调解委员会", CommitteeKind.STREET, "常庄街道", None),
    ("沙沟镇人民调解委员会", CommitteeKind.STREET, "沙沟镇", "沙沟人民法庭"),
    ("沙沟镇周营村人民调解委员会", CommitteeKind.VILLAGE, "沙沟镇", "沙沟人民法庭"),
    ("陶庄镇夏庄村人民调解委员会", CommitteeKind.VILLAGE, "陶庄镇", "陶庄人民法庭"),
    ("薛城区道路交通事故纠纷人民调解委员会", CommitteeKind.INDUSTRY, "道路交通事故", None),
    ("薛城区医疗纠纷人民调解委员会", CommitteeKind.INDUSTRY, "医疗纠纷", None),
]


def _committees(ctx, court, centre, mediators, stations) -> list:
    """The district's people's mediation committees; the roster's mediators of a committee (or the committee
    itself, as an organisation entry) are linked to it."""
    out = []
    for name, kind, area, tribunal in COMMITTEES:
        c = services.committee_save(actor=centre, committee=Committee(
            court=court, name=name, kind=kind, area=area, director=ctx.faker.name(),
            phone=f"138{ctx.rng.randint(10000000, 99999999)}", site=stations.get(tribunal) if tribunal else None))
        out.append(c)
        for m in mediators:
            if m.organisation == name or m.name == name:
                m.committee = c
                services.mediator_save(actor=centre, mediator=m)
    return out


def _committee_confirmation(ctx, d, centre, agreed, today) -> None:
    """The parties of a committee's agreement apply for confirmation (the 民特 case the filing desk registered)
    and the court rules."""
    pools = ctx.data["mediation_pools"]
    applied = d.registered_on
    special = pools.special(applied, min(today, agreed + timedelta(days=29)))
    if special is None and pools.special_by_day:
        return  # not docketed: the agreement waits
    services.confirmation_apply(dispute=d, actor=centre, applied_on=special[0] if special else applied,
                                number=special[1] if special else "",
                                applicant_ids=list(d.parties.values_list("pk", flat=True)))
    ruled = (special[0] if special else applied) + timedelta(days=ctx.rng.randint(2, 10))
    if ruled <= today:
        clerks = ctx.data.get("mediation_clerks") or [None]
        services.confirmation_rule(dispute=d, actor=centre, ruling=Ruling.CONFIRMED, ruled_on=ruled, clerk=clerks[0])


def _guidance(ctx, court, centre, committees, traffic, start, today) -> None:
    """The studio's and stations' guidance of the committees: a visit a month and a training a quarter."""
    judge = traffic.judge.name
    day = start
    k = 0
    while day <= today - timedelta(days=3):
        c = committees[k % len(committees)]
        services.guidance_record(court=court, actor=centre, kind=GuidanceKind.VISIT, held_on=day, committees=[c],
                                 studio=traffic, led_by=judge, topic="调解卷宗评查与疑难纠纷会商",
                                 participants=ctx.rng.randint(4, 12), notes="现场指导调解员规范制作调解协议。")
        if k % 3 == 0:
            services.guidance_record(court=court, actor=centre, kind=GuidanceKind.TRAINING,
                                     held_on=day + timedelta(days=2), committees=committees, studio=traffic,
                                     led_by=judge, topic="人民调解协议司法确认程序培训",
                                     participants=ctx.rng.randint(30, 60))
        day += timedelta(days=30)
        k += 1
