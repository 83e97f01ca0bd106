"""Demo data of the service work, for the twelve months up to today: monthly revisit samples of closed cases
(about 350 cases and 740 people, a handful dissatisfied, each with its follow-up), 126 circuit trials across
the four tribunals (and a few of 民一庭) at the court's places, 17 publicity events with the participants'
points, 双包双联 pairings with 34 visits, and complaints in every state.

The seed's year (2016, SEED_YEAR) is made the same way by the same functions — its own random generator and
Faker, so the current year's records do not change — with the seed's figures: 350 cases and 738 people
revisited (about 99 % satisfied), 126 circuit trials, 17 publicity events and 34 visits of pairings that ran
2014–2018. The annual report (tianping/annual) reads them back for 2016.

Synthetic (Faker zh_CN through ctx), deterministic (ctx's random), idempotent (skipped when the court has a
sample). Samples are drawn with the real drawing (`selectors.draw`) from the recorded criteria and seed, so the
sample page's reproducibility check holds on the demo. Big tables go in through bulk inserts."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from tianping.core.management.commands.seed_demo import bulk_insert
from tianping.org.models import Person, Post
from tianping.service.models import (
    CircuitPlace,
    CircuitTrial,
    Complaint,
    ComplaintStatus,
    FollowUp,
    FollowUpStatus,
    OutreachEvent,
    Partnership,
    PartnerVisit,
    Revisit,
    RevisitAssignment,
    RevisitSample,
    ServiceSettings,
)
from tianping.service.selectors import draw

TRIBUNALS = {
    "沙沟人民法庭": ("沙沟镇", ["前良村", "沙沟村", "西仓村", "沙沟大集"]),
    "临山人民法庭": ("常庄街道", ["临山村", "常庄社区", "双山村", "交通巡回法庭（常庄）"]),
    "陶庄人民法庭": ("陶庄镇", ["陶庄村", "夏庄村", "陶庄大集", "中兴煤矿社区"]),
    "邹坞人民法庭": ("邹坞镇", ["邹坞村", "中陈郝村", "邹坞大集", "枣庄高新区企业服务站"]),
}
CITY_PLACES = ("新城街道", ["奚仲社区", "薛城区政务服务中心", "交通巡回法庭（新城）"])
PLACE_KIND = {"大集": "market", "交通巡回法庭": "traffic", "社区": "community", "服务站": "enterprise",
              "中心": "other"}
COMMENTS_OK = ["法官耐心细致，讲解清楚", "案件办理及时", "判后答疑到位", "调解工作做得好", "服务态度好", "", "", ""]
COMMENTS_BAD = ["执行款迟迟未到位", "送达不及时，耽误了时间", "对判决结果不理解，法官解释不够", "开庭多次改期"]
ANSWERS = ["已向当事人解释判决理由及上诉途径，当事人表示理解", "已督促执行，款项已发放", "已向当事人致歉并说明改期原因"]
OUTREACH = [
    ("“宪法宣传周”法治宣传", "publicity", "薛城区人民广场"), ("沙沟大集普法摊位", "market", "沙沟大集"),
    ("陶庄大集法律咨询", "market", "陶庄大集"), ("送法进机关：行政诉讼应诉讲座", "organs", "薛城区政府"),
    ("法官进乡村：赡养纠纷以案说法", "villages", "前良村"), ("法官进社区：防范电信诈骗", "communities", "常庄社区"),
    ("法官进学校：青少年法治课", "schools", "薛城区实验小学"), ("法官进企业：劳动合同风险提示", "enterprises", "枣庄高新区企业服务站"),
    ("法官进单位：民法典讲座", "units", "薛城区供电公司"), ("邹坞大集普法", "market", "邹坞大集"),
    ("“3·15”消费者权益保护宣传", "publicity", "新城商业街"), ("法官进学校：校园欺凌防治", "schools", "薛城区第二中学"),
    ("法官进乡村：土地承包纠纷解答", "villages", "西仓村"), ("法官进社区：婚姻家庭法律讲座", "communities", "奚仲社区"),
    ("法官进企业：拖欠工资法律风险", "enterprises", "山东临山建材有限公司"), ("“12·4”国家宪法日宣传", "publicity", "薛城区政务服务中心"),
    ("法官进机关：行政执法规范讲座", "organs", "薛城区司法局"),
]
PARTNERS = [
    ("沙沟镇前良村", "village", "沙沟法庭党支部"), ("陶庄镇夏庄村", "village", "陶庄法庭党支部"),
    ("山东临山建材有限公司", "enterprise", "民事审判党支部"), ("枣庄市顺达运输有限公司", "enterprise", "立案庭党支部"),
    ("常庄街道常庄社区", "community", "临山法庭党支部"), ("邹坞镇中陈郝村", "village", "邹坞法庭党支部"),
    ("薛城区实验小学", "school", "刑事行政审判党支部"), ("新城街道奚仲社区", "community", None),
]
MATTERS = [("了解村民矛盾纠纷排查情况", "就宅基地纠纷提供法律意见"), ("企业合同管理法律风险咨询", "协助修订劳动合同范本"),
           ("社区矛盾纠纷化解座谈", "调解邻里纠纷一起"), ("了解欠薪问题线索", "指导通过诉前调解解决"),
           ("走访困难群众", "帮助申请司法救助"), ("法律需求调研", "")]


SEED_YEAR = 2016  # the year the seed describes (tianping/annual reproduces its figures)
SEED_REVISITED_PEOPLE = 738


def demo_start(today: date) -> date:
    """The demo's year: the current calendar year once half of it has passed (the service page shows the
    year's figures), else the twelve months up to today."""
    return date(today.year, 1, 1) if today.month >= 7 else today - timedelta(days=364)


def _d(rng: Any, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, max((end - start).days, 0)))


def _kind_of(name: str) -> str:
    return next((k for key, k in PLACE_KIND.items() if key in name), "village")


def seed(ctx: Any) -> None:
    court = ctx.data.get("court")
    if court is None or RevisitSample.objects.filter(court=court).exists():
        return
    today = timezone.localdate()
    start = demo_start(today)
    users = ctx.data.get("users", {})
    deps = ctx.data["departments"]
    trial_office = users.get("trial_office")
    party_office = users.get("party_office")
    ServiceSettings.objects.get_or_create(court=court)
    people = list(Person.objects.filter(court=court, left_on__isnull=True).select_related("department"))
    by_dep: dict[int, list[Person]] = {}
    for p in people:
        if p.department_id:
            by_dep.setdefault(p.department_id, []).append(p)
    judges_of = {d: [p for p in ps if p.is_quota_judge] for d, ps in by_dep.items()}
    callers = [p for p in people if p.department_id in (deps["审判管理办公室"].pk, deps["立案庭"].pk)
               and p.post in (Post.CLERK, Post.ADMIN_STAFF, Post.ASSISTANT, Post.JUDGE, Post.OTHER)][:8] \
        or people[:4]
    _revisits(ctx, court, start, today, trial_office, callers)
    places = _places(court)
    _circuit(ctx, court, deps, judges_of, places, start, today, trial_office)
    _outreach(ctx, court, deps, by_dep, start, today, party_office)
    _partnerships(ctx, court, people, by_dep, start, today, party_office)
    _complaints(ctx, court, people, today, party_office)
    if date(SEED_YEAR, 12, 31) < start:
        _seed_year(ctx, court, deps, people, places, trial_office, party_office, callers)


def _seed_year(ctx: Any, court: Any, deps: dict[str, Any], people: list[Person],
               places: dict[str, list[CircuitPlace]], trial_office: Any, party_office: Any,
               callers: list[Person]) -> None:
    """SEED_YEAR's records by the same generators, with a random generator and a Faker of their own (the
    current year's records stay as they are) and the staff already in post on its first day."""
    import random
    from types import SimpleNamespace

    from faker import Faker

    faker = Faker("zh_CN")
    faker.seed_instance(SEED_YEAR)
    sub = SimpleNamespace(rng=random.Random(SEED_YEAR), faker=faker, data=ctx.data)
    start, end = date(SEED_YEAR, 1, 1), date(SEED_YEAR, 12, 31)
    then = [p for p in people if p.hired_on is None or p.hired_on <= start]
    by_dep: dict[int, list[Person]] = {}
    for p in then:
        if p.department_id:
            by_dep.setdefault(p.department_id, []).append(p)
    judges_of = {d: [p for p in ps if p.is_quota_judge] for d, ps in by_dep.items()}
    ids = {p.pk for p in then}
    _revisits(sub, court, start, end, trial_office, [p for p in callers if p.pk in ids] or then[:4],
              people_total=SEED_REVISITED_PEOPLE)
    _circuit(sub, court, deps, judges_of, places, start, end, trial_office)
    _outreach(sub, court, deps, by_dep, start, end, party_office)
    _partnerships(sub, court, then, by_dep, start, end, party_office, term=(date(SEED_YEAR - 2, 3, 1),
                                                                           date(SEED_YEAR + 2, 12, 31)))


def _revisits(ctx: Any, court: Any, start: date, today: date, actor: Any, callers: list[Person], *,
              people_total: int | None = None) -> None:
    """One sample a month of the cases closed in the month before (about 350 cases in all), 1–3 people
    each (`people_total`: exactly that many people in all); assignments and revisits go in through
    bulk_insert, the few follow-ups after."""
    from tianping.trials.models import Case

    rng, faker = ctx.rng, ctx.faker
    now = timezone.now()
    actor_id = getattr(actor, "pk", None)
    month_starts = []
    first = date(start.year, start.month, 1)
    while first <= today:
        month_starts.append(first)
        first = date(first.year + (first.month == 12), first.month % 12 + 1, 1)
    month_starts = month_starts[-12:]
    drawn: list[tuple[RevisitSample, list[int]]] = []
    for i, drawn_on in enumerate(month_starts):
        closed_to = drawn_on - timedelta(days=1)
        closed_from = date(closed_to.year, closed_to.month, 1)
        population = list(Case.objects.filter(court=court, closed_on__gte=closed_from, closed_on__lte=closed_to)
                          .order_by("id").values_list("id", flat=True))
        if not population:
            continue
        seed = rng.randrange(2**31)
        # about 350 cases over the samples of the demo's year (12 months, or fewer early in a year)
        size = 350 // len(month_starts) + (1 if i < 350 % len(month_starts) else 0)
        sample = RevisitSample.objects.create(
            court=court, title=f"{closed_to.year}年{closed_to.month}月结案案件回访", method="random",
            closed_from=closed_from, closed_to=closed_to, size=size, seed=seed, population=len(population),
            drawn_on=drawn_on, drawn_by=actor)
        drawn.append((sample, draw(population, size, seed)))
    bulk_insert(RevisitAssignment, [
        {"court_id": court.pk, "sample_id": sample.pk, "case_id": cid, "position": n + 1,
         "caller_id": callers[n % len(callers)].pk, "created_at": now, "updated_at": now}
        for sample, ids in drawn for n, cid in enumerate(ids)])
    assignments = {(s, c): (pk, caller) for pk, s, c, caller in RevisitAssignment.objects.filter(court=court)
                   .values_list("pk", "sample_id", "case_id", "caller_id")}
    rows: list[dict[str, Any]] = []
    contacted = 0
    relations = ["plaintiff", "defendant", "third"]
    counts = _people_per_case(rng, sum(len(ids) for _s, ids in drawn), people_total) if people_total else []
    for sample, ids in drawn:
        last_day = min(sample.drawn_on + timedelta(days=25), today)
        for cid in ids:
            if not counts and sample.drawn_on > today - timedelta(days=3) and rng.random() < 0.2:
                continue  # this month's calls are not all made yet
            a_id, caller_id = assignments[(sample.pk, cid)]
            names: set[str] = set()
            for k in range(counts.pop() if counts else rng.choice([1, 2, 2, 2, 3, 3])):
                r = rng.random()
                rating = 5 if r < 0.62 else 4 if r < 0.9 else 3 if r < 0.994 else None
                contacted += 1
                if contacted % 110 == 55:  # a handful dissatisfied: about one person in a hundred
                    rating = 2 if contacted % 220 == 55 else 1
                bad = rating in (1, 2)
                name = faker.name()
                while name in names:
                    name = faker.name()
                names.add(name)
                rows.append({
                    "court_id": court.pk, "case_id": cid, "assignment_id": a_id,
                    "revisited_on": _d(rng, sample.drawn_on, last_day),
                    "method": rng.choice(["phone"] * 7 + ["visit", "sms", "court", "online"]),
                    "caller_id": caller_id, "contact_name": name, "relation": relations[k % 3], "rating": rating,
                    "comments": rng.choice(COMMENTS_BAD) if bad else rng.choice(COMMENTS_OK),
                    "handling": "已登记并交承办人整改" if bad else "", "recorded_by_id": actor_id,
                    "version": 1, "created_at": now, "updated_at": now})
    bulk_insert(Revisit, rows)
    follow_ups = []
    for r in (Revisit.objects.filter(court=court, rating__in=[1, 2], follow_up__isnull=True).select_related("case")
              .order_by("pk")):
        due = r.revisited_on + timedelta(days=15)
        done = due < today - timedelta(days=5) or rng.random() < 0.5
        follow_ups.append(FollowUp(
            court=court, revisit=r, problem=r.comments, owner_id=r.case.judge_id or r.caller_id, due_on=due,
            status=FollowUpStatus.CLOSED if done else FollowUpStatus.OPEN,
            answer=rng.choice(ANSWERS) if done else "",
            closed_on=min(r.revisited_on + timedelta(days=rng.randint(3, 14)), today) if done else None,
            closed_by=actor if done else None))
    FollowUp.objects.bulk_create(follow_ups)


def _people_per_case(rng: Any, cases: int, total: int) -> list[int]:
    """1–3 people for each of `cases` cases, mostly 2, adding up to `total` (when 1–3 each can)."""
    counts = [rng.choice([1, 2, 2, 2, 3, 3]) for _c in range(cases)]
    while sum(counts) != total:
        step = 1 if sum(counts) < total else -1
        fits = [i for i, n in enumerate(counts) if 1 <= n + step <= 3]
        if not fits:
            break
        counts[rng.choice(fits)] += step
    return counts


def _places(court: Any) -> dict[str, list[CircuitPlace]]:
    rows = []
    for town, names in [*TRIBUNALS.values(), CITY_PLACES]:
        for name in names:
            rows.append(CircuitPlace(court=court, township=town, name=name, kind=_kind_of(name)))
    created = CircuitPlace.objects.bulk_create(rows)
    out: dict[str, list[CircuitPlace]] = {}
    for p in created:
        dep = next(d for d, (town, _n) in {**TRIBUNALS, "民事审判第一庭": CITY_PLACES}.items() if town == p.township)
        out.setdefault(dep, []).append(p)
    return out


def _circuit(ctx: Any, court: Any, deps: dict[str, Any], judges_of: dict[int, list[Person]],
             places: dict[str, list[CircuitPlace]], start: date, today: date, actor: Any) -> None:
    from tianping.trials.models import Case

    rng = ctx.rng
    plan = {"沙沟人民法庭": 30, "临山人民法庭": 30, "陶庄人民法庭": 29, "邹坞人民法庭": 29, "民事审判第一庭": 8}
    rows: list[dict[str, Any]] = []
    seen: set[tuple[Any, ...]] = set()
    now = timezone.now()
    for dep_name, n in plan.items():
        dep = deps[dep_name]
        judges = judges_of.get(dep.pk) or []
        if not judges:
            continue
        cases = list(Case.objects.filter(court=court, department=dep, closed_on__gte=start, closed_on__lte=today)
                     .values_list("id", "closed_on", "judge_id")[:400])
        made = 0
        while made < n:
            held = _d(rng, start, today)
            form = rng.choice(["hearing", "hearing", "mediation", "pronouncement"])
            judge = rng.choice(judges)
            place = rng.choice(places[dep_name])
            key = (held, place.pk, judge.pk, form)
            if key in seen:
                continue
            seen.add(key)
            case_id = None
            fitting = [c for c in cases if c[1] >= held and c[2] == judge.pk][:20]
            if fitting and rng.random() < 0.75:
                case_id = rng.choice(fitting)[0]
            rows.append({"court_id": court.pk, "held_on": held, "form": form, "case_id": case_id,
                         "place_id": place.pk, "department_id": dep.pk, "judge_id": judge.pk,
                         "audience": rng.randint(8, 120), "note": "", "recorded_by_id": getattr(actor, "pk", None),
                         "created_at": now, "updated_at": now})
            made += 1
    bulk_insert(CircuitTrial, rows)


def _outreach(ctx: Any, court: Any, deps: dict[str, Any], by_dep: dict[int, list[Person]], start: date,
              today: date, actor: Any) -> None:
    from tianping.party.models import PartyOrganisation, PointsEntry, PointsRule

    rng = ctx.rng
    rule = PointsRule.objects.filter(code="outreach_event").first()
    branches = list(PartyOrganisation.objects.filter(court=court, kind="branch").order_by("name"))
    dep_names = ["民事审判第一庭", "民事审判第二庭", "刑事审判庭", "行政审判庭", "沙沟人民法庭", "临山人民法庭", "陶庄人民法庭",
                 "邹坞人民法庭", "政治部"]
    entries = []
    for i, (title, kind, place) in enumerate(OUTREACH):
        held = start + timedelta(days=int((i + 0.5) * (today - start).days / len(OUTREACH)))
        dep = deps[dep_names[i % len(dep_names)]]
        staff = by_dep.get(dep.pk, [])
        if not staff:
            continue
        branch = branches[i % len(branches)] if branches and i % 3 == 0 else None
        event = OutreachEvent.objects.create(
            court=court, held_on=min(held, today), title=title, kind=kind, place=place,
            department=None if branch else dep, branch=branch, audience=rng.randint(40, 600),
            materials=rng.randint(50, 800), recorded_by=actor)
        chosen = rng.sample(staff, min(len(staff), rng.randint(2, 5)))
        event.participants.set(chosen)
        if rule is not None:
            for p in chosen:
                entries.append(PointsEntry(court=court, person=p, rule=rule, points=rule.points,
                                           occurred_on=event.held_on, source_type="service.outreachevent",
                                           source_id=str(event.pk), source_label=str(event)[:200],
                                           note=title[:200], created_by=actor))
    PointsEntry.objects.bulk_create(entries)


def _partnerships(ctx: Any, court: Any, people: list[Person], by_dep: dict[int, list[Person]], start: date,
                  today: date, actor: Any, term: tuple[date, date | None] | None = None) -> None:
    """The pairings (from two years ago, open-ended; or over `term`) and 34 visits between `start` and
    `today`."""
    from tianping.party.models import PartyOrganisation
    from tianping.party.selectors import branch_roster_on

    rng = ctx.rng
    leaders = [p for p in people if p.is_leadership]
    pairs = []
    for i, (partner, kind, branch_name) in enumerate(PARTNERS):
        branch = PartyOrganisation.objects.filter(court=court, name=branch_name).first() if branch_name else None
        leader = None if branch is not None else (leaders[i % len(leaders)] if leaders else None)
        if branch is None and leader is None:
            continue
        begin, end = term or (date(today.year - 2, 3, 1), None)
        pairs.append(Partnership.objects.create(court=court, partner=partner, partner_kind=kind, branch=branch,
                                                leader=leader, start=begin, end=end))
    if not pairs:
        return
    visits = []
    visitors = []
    for n in range(34):
        pair = pairs[n % len(pairs)]
        day = start + timedelta(days=int((n + 0.5) * (today - start).days / 34))
        asked, solved = MATTERS[n % len(MATTERS)]
        visits.append(PartnerVisit(court=court, partnership=pair, visited_on=min(day, today), matters=asked,
                                   solved=solved, recorded_by=actor))
    created = PartnerVisit.objects.bulk_create(visits)
    through = PartnerVisit.visitors.through
    rosters: dict[int, list[Person]] = {}
    for v in created:
        pair = v.partnership
        if pair.branch_id and pair.branch_id not in rosters:
            rosters[pair.branch_id] = list(branch_roster_on(pair.branch, today))
        pool = rosters.get(pair.branch_id, []) if pair.branch_id else []
        chosen = rng.sample(pool, min(len(pool), rng.randint(2, 3))) if pool else []
        if pair.leader_id:
            chosen = [pair.leader, *chosen]
        if not chosen:
            chosen = rng.sample(people, 2)
        visitors.extend(through(partnervisit_id=v.pk, person_id=p.pk) for p in {p.pk: p for p in chosen}.values())
    through.objects.bulk_create(visitors)
    del by_dep


def _complaints(ctx: Any, court: Any, people: list[Person], today: date, actor: Any) -> None:
    rng = ctx.rng
    handlers = [p for p in people if p.department and p.department.name == "政治部"] or people[:2]
    judges = [p for p in people if p.is_quota_judge]
    plan = [  # (days ago received, final status, category, substantiated)
        (3, ComplaintStatus.RECEIVED, "delay", None), (12, ComplaintStatus.RECEIVED, "rudeness", None),
        (20, ComplaintStatus.ASSIGNED, "six_three", None), (34, ComplaintStatus.ASSIGNED, "delay", None),
        (50, ComplaintStatus.ANSWERED, "rudeness", False), (90, ComplaintStatus.CLOSED, "four_winds", False),
        (150, ComplaintStatus.CLOSED, "delay", True), (240, ComplaintStatus.CLOSED, "six_three", False),
    ]
    summaries = {"delay": "反映案件久拖不决，多次询问无答复", "rudeness": "反映工作人员接待时态度生硬",
                 "six_three": "反映立案难、联系法官难", "four_winds": "反映工作日中午饮酒"}
    for days, status, category, substantiated in plan:
        received = today - timedelta(days=days)
        handler = rng.choice(handlers)
        subject = rng.choice(judges) if judges and category != "four_winds" else None
        c = Complaint(court=court, received_on=received, channel=rng.choice(["letter", "phone", "hotline", "online"]),
                      category=category, complainant=ctx.faker.name() if rng.random() < 0.7 else "",
                      subject=subject, summary=summaries[category], due_on=received + timedelta(days=30),
                      status=status, recorded_by=actor)
        if status != ComplaintStatus.RECEIVED:
            c.handler, c.assigned_on = handler, received + timedelta(days=2)
        if status in (ComplaintStatus.ANSWERED, ComplaintStatus.CLOSED):
            c.answered_on = received + timedelta(days=rng.randint(10, 25))
            c.answer_method, c.substantiated = "phone", substantiated
            c.answer = "经核查，已向投诉人反馈核查结果并作出说明"
        if status == ComplaintStatus.CLOSED:
            c.closed_on = (c.answered_on or received) + timedelta(days=3)
        c.save()
