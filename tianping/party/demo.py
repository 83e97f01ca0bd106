"""Demo party organisations of 薛城区人民法院: 党组, 机关党委, 综合党支部, a branch for each tribunal with its
brand, branches for the main divisions; about 110 members at realistic stages; committees; transfers;
dues every month from 2014 to the current month (today from timezone.localdate()); points every year.
Deterministic (ctx.rng) and idempotent."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from tianping.core.management.commands.seed_demo import FIRST_YEAR, bulk_insert, demo_years
from tianping.org.models import DepartmentAssignment, Person, Post
from tianping.party.dues import dues_months
from tianping.party.models import (
    BranchMembership,
    CommitteePost,
    CommitteeRole,
    DuesBase,
    DuesPayment,
    DuesReduction,
    MemberStatus,
    MemberStep,
    OrgKind,
    PartyMember,
    PartyOrganisation,
    PartyTransfer,
    PointsEntry,
    PointsRule,
    Stage,
    StepKind,
    TransferDirection,
)
from tianping.party.rules import add_months

BRANCHES = [
    # name, departments, brand, brand description
    ("综合党支部", ["院领导", "政治部", "办公室", "审判管理办公室"], "争创雷锋式党支部",
     "以雷锋精神为引领，机关党员结对帮扶一线干警和困难群众，开展“学雷锋、做表率”志愿服务，"
     "做到服务审判有温度、服务群众有速度。"),
    ("沙沟法庭党支部", ["沙沟人民法庭"], "维护老年人合法权益",
     "辖区老龄人口多，赡养、继承纠纷集中。支部设立老年人维权绿色通道，巡回审判进敬老院，"
     "对行动不便的老人上门立案、就地开庭。"),
    ("临山法庭党支部", ["临山人民法庭"], "法制服务进村居",
     "党员干警分片联系村居，每月到村居开展法律咨询和纠纷排查，把矛盾化解在村头。"),
    ("陶庄法庭党支部", ["陶庄人民法庭"], "六六多元调解",
     "“六方参与、六步调解”：联合司法所、派出所、村委会、人民调解员、行业协会与法庭共同化解纠纷。"),
    ("邹坞法庭党支部", ["邹坞人民法庭"], "法制宣传赶大集",
     "逢集日在大集上设普法摊位，以案释法、发放资料、现场答疑，把法治宣传送到群众身边。"),
    ("立案庭党支部", ["立案庭"], "", ""),
    ("民事审判党支部", ["民事审判第一庭", "民事审判第二庭"], "", ""),
    ("刑事行政审判党支部", ["刑事审判庭", "行政审判庭"], "", ""),
    ("执行局党支部", ["执行局"], "执行攻坚先锋", "党员带头攻坚执行难，设立党员先锋岗。"),
    ("司法警察大队党支部", ["司法警察大队"], "", ""),
]

BASE_BY_POST = {
    Post.PRESIDENT: (7200, 7800), Post.VICE_PRESIDENT: (6400, 7100), Post.CHIEF_JUDGE: (5200, 6200),
    Post.DEPUTY_CHIEF_JUDGE: (4800, 5600), Post.JUDGE: (4200, 5400), Post.ASSISTANT: (3300, 4300),
    Post.CLERK: (2400, 3300), Post.POLICE: (3600, 4600), Post.ADMIN_STAFF: (3000, 4800), Post.OTHER: (2800, 3600),
}


def _d(rng, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, max((end - start).days, 0)))


def seed(ctx) -> None:
    court = ctx.data.get("court")
    if court is None or PartyOrganisation.objects.filter(court=court, name="机关党委").exists():
        return
    rng = ctx.rng
    deps = ctx.data["departments"]
    picks = ctx.data.get("people", {})
    today = timezone.localdate()

    group = PartyOrganisation.objects.create(court=court, name="中共薛城区人民法院党组", kind=OrgKind.PARTY_GROUP,
                                             sort_order=0, founded_on=date(1995, 6, 1))
    group.departments.set([deps["院领导"]])
    organ = PartyOrganisation.objects.create(court=court, name="机关党委", kind=OrgKind.ORGAN_COMMITTEE,
                                             sort_order=1, founded_on=date(2001, 7, 1))
    branch_of_dep: dict[int, PartyOrganisation] = {}
    branches: dict[str, PartyOrganisation] = {}
    for order, (name, dep_names, brand, desc) in enumerate(BRANCHES, start=10):
        b = PartyOrganisation.objects.create(court=court, name=name, kind=OrgKind.BRANCH, parent=organ,
                                             sort_order=order, brand_name=brand, brand_description=desc,
                                             founded_on=date(2010, 1, 1))
        b.departments.set([deps[n] for n in dep_names])
        for n in dep_names:
            branch_of_dep[deps[n].pk] = b
        branches[name] = b
    for i, gname in enumerate(["执行一组党小组", "执行二组党小组"]):
        PartyOrganisation.objects.create(court=court, name=gname, kind=OrgKind.GROUP, parent=branches["执行局党支部"],
                                         sort_order=40 + i)

    # --- members: about three quarters of the staff, at realistic stages ---------------------------
    people = list(Person.objects.filter(court=court).select_related("department").order_by("staff_number"))
    must = {p.pk for p in picks.values() if p is not None and p.department_id}
    chiefs = {p.pk for p in people if p.post in (Post.CHIEF_JUDGE, Post.PRESIDENT, Post.VICE_PRESIDENT)}
    chosen = [p for p in people if p.pk in must or p.pk in chiefs or rng.random() < 0.76]
    chosen = chosen[:112]
    assignments: dict[int, list] = {}
    for a in DepartmentAssignment.objects.filter(person__in=chosen).order_by("start"):
        assignments.setdefault(a.person_id, []).append(a)

    # the road to membership: the youngest who are not leaders or chiefs are at the earlier stages
    pool = [p for p in chosen if p.pk not in must and p.pk not in chiefs
            and p.post not in (Post.CHIEF_JUDGE, Post.DEPUTY_CHIEF_JUDGE) and p.birth_date.year >= 1980
            and p.left_on is None]
    rng.shuffle(pool)
    # interleaved so that every stage is represented even when the pool is small
    quota = ([Stage.PROBATIONARY, Stage.CANDIDATE, Stage.ACTIVIST, Stage.APPLICANT] * 5
             + [Stage.PROBATIONARY] * 4 + [Stage.ACTIVIST, Stage.APPLICANT])
    stage_of: dict[int, str] = {}
    per_branch: dict[int, int] = {}
    for p in pool:  # at most two people on the road per branch, so every branch keeps its full members
        b = branch_of_dep.get(p.department_id)
        key = b.pk if b else 0
        if per_branch.get(key, 0) >= 2 or not quota:
            continue
        per_branch[key] = per_branch.get(key, 0) + 1
        stage_of[p.pk] = quota.pop(0)
    members: list[PartyMember] = []
    for p in chosen:
        stage = stage_of.get(p.pk, Stage.FULL)
        adult = date(p.birth_date.year + 23, p.birth_date.month, min(p.birth_date.day, 28))
        dates: dict[str, date | None] = {}
        if stage == Stage.FULL:
            admitted = _d(rng, max(adult, date(1988, 1, 1)), min(date(2014, 12, 31), max(adult, date(1988, 1, 1))
                                                                  + timedelta(days=365 * 12)))
            dates["applied_on"] = admitted - timedelta(days=rng.randint(800, 1400))
            dates["activist_on"] = add_months(dates["applied_on"], rng.randint(2, 6))
            dates["candidate_on"] = add_months(dates["activist_on"], rng.randint(12, 18))
            dates["admitted_on"] = admitted
            dates["converted_on"] = add_months(admitted, 12)
        elif stage == Stage.PROBATIONARY:
            # acceptance within the past year, so conversions fall due around now (some overdue)
            admitted = today - timedelta(days=rng.choice([20, 60, 120, 200, 300, 340, 350, 358, 375]))
            dates["admitted_on"] = admitted
            dates["candidate_on"] = admitted - timedelta(days=rng.randint(60, 150))
            dates["activist_on"] = add_months(dates["candidate_on"], -rng.randint(13, 20))
            dates["applied_on"] = add_months(dates["activist_on"], -rng.randint(2, 6))
        elif stage == Stage.CANDIDATE:
            dates["candidate_on"] = today - timedelta(days=rng.randint(30, 200))
            dates["activist_on"] = add_months(dates["candidate_on"], -rng.randint(12, 18))
            dates["applied_on"] = add_months(dates["activist_on"], -rng.randint(2, 6))
        elif stage == Stage.ACTIVIST:
            dates["activist_on"] = today - timedelta(days=rng.randint(60, 500))
            dates["applied_on"] = add_months(dates["activist_on"], -rng.randint(2, 6))
        else:
            dates["applied_on"] = today - timedelta(days=rng.randint(20, 200))
        dep_id = p.department_id
        m = PartyMember.objects.create(court=court, person=p, branch=branch_of_dep.get(dep_id), stage=stage,
                                       **dates)
        members.append(m)
        for field, kind in (("applied_on", StepKind.APPLIED), ("activist_on", StepKind.ACTIVIST),
                            ("candidate_on", StepKind.CANDIDATE), ("admitted_on", StepKind.ADMITTED),
                            ("converted_on", StepKind.CONVERTED)):
            if dates.get(field):
                evidence = {StepKind.ADMITTED: "支部党员大会决议通过，报机关党委审批同意",
                            StepKind.CONVERTED: "支部党员大会讨论同意按期转正，机关党委审批"}.get(kind, "")
                MemberStep.objects.create(court=court, member=m, step=kind, occurred_on=dates[field],
                                          evidence=evidence)
        # branch periods follow the department history
        first_day = max(d for d in [p.hired_on or date(2005, 1, 1), date(2010, 1, 1), dates["applied_on"]])
        hist = assignments.get(p.pk) or []
        periods = []
        for a in hist:
            b = branch_of_dep.get(a.department_id)
            if b is None:
                continue
            start = max(a.start, first_day)
            end = a.end
            if end is not None and end < start:
                continue
            periods.append((b, start, end))
        if not periods and m.branch:
            periods = [(m.branch, first_day, None)]
        for b, start, end in periods:
            BranchMembership.objects.create(court=court, member=m, organisation=b, start=start, end=end)

    # leavers transfer out; one member arrives by transfer
    for m in members:
        if m.person.left_on and m.stage in (Stage.FULL, Stage.PROBATIONARY):
            day = m.person.left_on + timedelta(days=1)
            PartyTransfer.objects.create(court=court, member=m, direction=TransferDirection.OUT, branch=m.branch,
                                         other_organisation="枣庄市市中区司法局机关党支部",
                                         letter_number=f"薛法党转〔{day.year}〕{rng.randint(3, 19)}号",
                                         transferred_on=day)
            m.status, m.status_since = MemberStatus.TRANSFERRED_OUT, day
            m.save(update_fields=["status", "status_since"])
            BranchMembership.objects.filter(member=m, end__isnull=True).update(end=m.person.left_on)
    arrivals = [m for m in members if m.stage == Stage.FULL and m.person.hired_on and
                m.person.hired_on >= date(2012, 1, 1) and m.admitted_on and m.admitted_on < m.person.hired_on][:3]
    for m in arrivals:
        PartyTransfer.objects.create(court=court, member=m, direction=TransferDirection.IN, branch=m.branch,
                                     other_organisation=rng.choice(["山东政法学院法学院党委", "枣庄学院政法学院党总支",
                                                                    "滕州市人民法院机关党委"]),
                                     letter_number=f"鲁组转字〔{m.person.hired_on.year}〕{rng.randint(20, 90)}号",
                                     transferred_on=m.person.hired_on)
    one_floating = next((m for m in members if m.stage == Stage.FULL and m.status == MemberStatus.NORMAL
                         and m.person.post == Post.CLERK), None)
    if one_floating:
        m = one_floating
        m.status, m.status_since = MemberStatus.FLOATING, date(2016, 9, 1)
        m.save(update_fields=["status", "status_since"])

    # --- committees -------------------------------------------------------------------------------
    by_branch: dict[int, list[PartyMember]] = {}
    for m in members:
        if m.branch_id and m.stage == Stage.FULL and m.status == MemberStatus.NORMAL:
            by_branch.setdefault(m.branch_id, []).append(m)
    shagou_chief = picks.get("shagou_chief")
    for name, b in branches.items():
        full = by_branch.get(b.pk, [])
        if not full:
            continue
        secretary = None
        if name == "沙沟法庭党支部" and shagou_chief is not None:
            secretary = next((m for m in full if m.person_id == shagou_chief.pk), None)
        if secretary is None:
            secretary = next((m for m in full if m.person.post in (Post.CHIEF_JUDGE, Post.VICE_PRESIDENT)), full[0])
        term_start = date(2025, 1, 10) if name != "临山法庭党支部" else add_months(today, -35)
        term_end = add_months(term_start, 36)
        others = [m for m in full if m.pk != secretary.pk]
        if len(full) >= 7:
            posts = [(CommitteeRole.SECRETARY, secretary), *zip(
                [CommitteeRole.ORGANISATION, CommitteeRole.PUBLICITY, CommitteeRole.DISCIPLINE], others, strict=False)]
        else:
            posts = [(CommitteeRole.SECRETARY, secretary)] + ([(CommitteeRole.DEPUTY, others[0])] if others else [])
        # Earlier three-year terms back to 2013, so the seed's years (2015–2016) have committees too; a holder
        # sits on an earlier committee only if already a full member when that term began (re-elected).
        starts = [add_months(term_start, -36 * k) for k in range(4, 0, -1)]
        for start, end in zip(starts, [*starts[1:], term_start], strict=True):
            for role, m in posts:
                if m.converted_on and m.converted_on <= start:
                    CommitteePost.objects.create(court=court, organisation=b, person=m.person, role=role,
                                                 term_start=start, term_end=end, ended_on=end)
        for role, m in posts:
            CommitteePost.objects.create(court=court, organisation=b, person=m.person, role=role,
                                         term_start=term_start, term_end=term_end)
    president = picks.get("president")
    if president is not None:
        CommitteePost.objects.create(court=court, organisation=group, person=president, role=CommitteeRole.SECRETARY,
                                     term_start=date(2023, 3, 1), term_end=date(2028, 3, 1))
    office = picks.get("party_office")
    if office is not None and PartyMember.objects.filter(person=office, stage=Stage.FULL).exists():
        CommitteePost.objects.create(court=court, organisation=organ, person=office, role=CommitteeRole.SECRETARY,
                                     term_start=date(2025, 1, 10), term_end=date(2028, 1, 10))

    # --- party groups: the 执行局 branch keeps its members in its two 党小组 (执行一组, 执行二组), half each,
    # so a group meeting expects the group's members (its roster), never the whole branch
    exec_branch = branches.get("执行局党支部")
    groups = list(PartyOrganisation.objects.filter(parent=exec_branch, kind=OrgKind.GROUP).order_by("sort_order")) \
        if exec_branch else []
    in_branch = sorted((m for m in members if m.branch_id == exec_branch.pk), key=lambda m: m.person.staff_number) \
        if groups else []
    for i, m in enumerate(in_branch):
        g = groups[i % len(groups)]
        m.branch = g
        PartyMember.objects.filter(pk=m.pk).update(branch=g)
        BranchMembership.objects.filter(member=m, organisation=exec_branch).update(organisation=g)

    # --- dues: bases, a reduction, payments every month from 2014 to the current month ----------------
    years = demo_years(today)
    bases = []
    for m in members:
        if m.stage not in (Stage.FULL, Stage.PROBATIONARY):
            continue
        lo, hi = BASE_BY_POST.get(m.person.post, (3000, 4000))
        base = Decimal(rng.randint(lo, hi)).quantize(Decimal("1"))
        joined = date(m.admitted_on.year, m.admitted_on.month, 1)
        # the 2014 base, the July 2016 pay rise, then a yearly adjustment each January
        history = [(date(FIRST_YEAR, 1, 1), base, f"{FIRST_YEAR} 年核定")]
        history.append((date(2016, 7, 1), (base * Decimal("1.08")).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP),
                        "2016 年 7 月调资"))
        for y in years:
            if y > 2016:
                raised = (history[-1][1] * Decimal("1.04")).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
                history.append((date(y, 1, 1), raised, f"{y} 年核定"))
        before = [h for h in history if h[0] <= joined]
        kept = ([(joined, before[-1][1], before[-1][2])] if before else []) + [h for h in history if h[0] > joined]
        bases.extend(DuesBase(court=court, member=m, amount=amount, effective_from=day, note=note)
                     for day, amount, note in kept)
    DuesBase.objects.bulk_create(bases)
    hardship = next((m for m in members if m.stage == Stage.FULL and m.person.post == Post.CLERK
                     and m.status == MemberStatus.NORMAL), None)
    if hardship:
        DuesReduction.objects.create(court=court, member=hardship, monthly_amount=Decimal("5.00"),
                                     start_month=date(2016, 4, 1), end_month=date(2016, 12, 1),
                                     decision="2016年3月支部党员大会决定：家庭困难，减按每月5元交纳")
    late = {m.pk for m in rng.sample([m for m in members if m.stage == Stage.FULL], 4)}
    this_month = date(today.year, today.month, 1)
    months = [date(y, mo, 1) for y in years for mo in range(1, 13) if date(y, mo, 1) <= this_month]
    payments = []
    for row in dues_months(court.pk, months):
        month = row.month
        if row.due <= 0:
            continue
        if row.member.pk in late and (month.year, month.month) in {(2016, 11), (2016, 12),
                                                                  (today.year, today.month)}:
            continue
        paid_on = month + timedelta(days=rng.randint(2, 20))
        if month == this_month and (paid_on > today or rng.random() < 0.35):
            continue  # the current month is still being collected
        paid = row.due
        if row.member.pk in late and month == date(2016, 10, 1):
            paid = (row.due / 2).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        payments.append({"court_id": court.pk, "member_id": row.member.pk, "branch_id": row.branch.pk,
                         "month": month, "base_amount": row.base, "rate": row.rate, "due_amount": row.due,
                         "paid_amount": paid, "paid_on": paid_on})
    bulk_insert(DuesPayment, payments)

    # --- points: commendations and volunteer service, every year ------------------------------------
    rules = {r.code: r for r in PointsRule.objects.all()}
    entries = []
    full_members = [m for m in members if m.stage == Stage.FULL and m.status == MemberStatus.NORMAL]
    for year in years:
        last_day = min(date(year, 11, 28), today)
        for m in rng.sample(full_members, min(12, len(full_members))):
            r = rules["commendation"]
            entries.append(PointsEntry(court=court, person=m.person, rule=r, points=r.points,
                                       occurred_on=_d(rng, date(year, 1, 1), last_day),
                                       note=rng.choice(["院级优秀共产党员", "办案标兵", "调解能手", "优秀党务工作者"])))
        for m in rng.sample(full_members, min(40, len(full_members))):
            r = rules["volunteer"]
            for _i in range(rng.randint(1, 3)):
                entries.append(PointsEntry(court=court, person=m.person, rule=r, points=r.points,
                                           occurred_on=_d(rng, date(year, 1, 1), last_day),
                                           note=rng.choice(["学雷锋志愿服务", "普法进社区", "结对帮扶"])))
    PointsEntry.objects.bulk_create(entries)
    _brand_pictures(ctx, branches)
    ctx.data["party_branches"] = branches


PICTURE_CAPTIONS = {
    "沙沟法庭党支部": ["敬老院巡回审判", "老年人维权绿色通道"],
    "临山法庭党支部": ["村居法律咨询日", "分片联系村居"],
    "陶庄法庭党支部": ["六方联调现场", "调解员培训"],
    "邹坞法庭党支部": ["大集普法摊位", "以案释法"],
    "综合党支部": ["学雷锋志愿服务", "结对帮扶"],
}


def _brand_pictures(ctx, branches) -> None:
    """Synthetic pictures (a banner with the brand and a caption) so brand pages are not empty."""
    import io

    from django.core.files.base import ContentFile

    from tianping.party.models import BrandPicture

    try:
        from PIL import Image, ImageDraw, ImageFont
    except ImportError:  # Pillow comes with WeasyPrint; without it the demo simply has no pictures
        return
    font_path = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"
    try:
        big, small = ImageFont.truetype(font_path, 44), ImageFont.truetype(font_path, 28)
    except OSError:
        big = small = ImageFont.load_default()
    for name, captions in PICTURE_CAPTIONS.items():
        org = branches.get(name)
        if org is None:
            continue
        for i, caption in enumerate(captions):
            hue = ctx.rng.randint(0, 40)
            img = Image.new("RGB", (800, 450), (170 + hue, 30 + hue, 30))
            draw = ImageDraw.Draw(img)
            for y in range(300, 450):
                draw.line([(0, y), (800, y)], fill=(230 - (y - 300) // 3, 200 - (y - 300) // 3, 150))
            draw.text((40, 60), f"「{org.brand_name}」", font=big, fill=(255, 236, 170))
            draw.text((40, 150), org.name, font=small, fill=(255, 255, 255))
            draw.text((40, 340), caption, font=small, fill=(90, 20, 20))
            buf = io.BytesIO()
            img.save(buf, "PNG")
            pic = BrandPicture(organisation=org, caption=caption)
            pic.image.save(f"demo-{i}.png", ContentFile(buf.getvalue()), save=False)
            pic.save()
