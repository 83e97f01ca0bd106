"""Demo data of pioneer posts, honours, selections and the showcase: posts at the four windows of the court
(立案 / 信访 / 审判 / 执行) and at the tribunals with their holders and three years of 三比三创 evaluations;
about 150 person-times of honours in the last three years (several collective) and a few a year before; one
selection finished with its count and one in 公示, both walked through the real services (nominations, a
secret ballot, the count); the venues with bookings; a year of the column's articles; one lobby screen.
The seed's years (2014–2016) get 52 individual honours each (of the 能手 90 % and more party members) and each
post a holder from 2014 to 2017, so that the annual report of 2016 gives the seed's figures (150+ honours in
three years; their own random generators: the other years stay as they are).
Synthetic (Faker zh_CN via ctx), deterministic, idempotent; big tables through bulk_create."""

from __future__ import annotations

import io
from datetime import date, time, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from tianping.honours import services
from tianping.honours.models import (
    Article,
    ArticleAttachment,
    ArticleCategory,
    ArticleStatus,
    ArticleStudy,
    Ballot,
    Electorate,
    HolderKind,
    Honour,
    HonourLevel,
    HonourSource,
    LobbyScreen,
    PioneerPost,
    PostEvaluation,
    PostHolder,
    PostWindow,
    SelectionKind,
    Venue,
    VenueBooking,
    VenueKind,
    Voter,
)

POSTS = [
    ("立案窗口党员先锋岗", PostWindow.FILING, "立案庭", "当场立案、一次告知、全程留痕", "群众来访，热情接待，件件有回音"),
    ("信访接待党员先锋岗", PostWindow.PETITION, "立案庭", "接访即办、息访息诉", "耐心倾听每一位来访群众"),
    ("审判党员先锋岗", PostWindow.TRIAL, "民事审判第一庭", "公正高效、案结事了", "每一个案件都经得起检验"),
    ("执行党员先锋岗", PostWindow.ENFORCEMENT, "执行局", "执行攻坚、兑现胜诉权益", "让胜诉当事人早日拿到执行款"),
    ("沙沟法庭党员先锋岗", PostWindow.TRIAL, "沙沟人民法庭", "维护老年人合法权益", "巡回审判到村居"),
    ("临山法庭党员先锋岗", PostWindow.TRIAL, "临山人民法庭", "分片联系村居", "小事不出村、矛盾不上交"),
    ("陶庄法庭党员先锋岗", PostWindow.TRIAL, "陶庄人民法庭", "六方联调", "调解优先、调判结合"),
    ("邹坞法庭党员先锋岗", PostWindow.TRIAL, "邹坞人民法庭", "以案释法进大集", "普法宣传每月不少于一次"),
]
INDIVIDUAL = {
    HonourLevel.COURT: ["优秀共产党员", "优秀党务工作者", "先进工作者", "优秀法官助理", "优秀书记员", "办案能手",
                        "调解能手"],
    HonourLevel.COUNTY: ["全区优秀共产党员", "薛城区三八红旗手", "薛城区优秀青年", "全区政法系统先进个人"],
    HonourLevel.CITY: ["全市法院先进个人", "枣庄市优秀法官", "全市法院办案标兵"],
    HonourLevel.PROVINCIAL: ["全省法院办案标兵", "山东省优秀法官"],
    HonourLevel.NATIONAL: ["全国法院先进个人"],
}
ISSUERS = {HonourLevel.COURT: "中共薛城区人民法院机关委员会", HonourLevel.COUNTY: "中共枣庄市薛城区委",
           HonourLevel.CITY: "枣庄市中级人民法院", HonourLevel.PROVINCIAL: "山东省高级人民法院",
           HonourLevel.NATIONAL: "最高人民法院"}
LEVEL_WEIGHTS = [(HonourLevel.COURT, 58), (HonourLevel.COUNTY, 20), (HonourLevel.CITY, 13),
                 (HonourLevel.PROVINCIAL, 7), (HonourLevel.NATIONAL, 2)]
COLLECTIVE = [("先进集体", HonourLevel.COURT, "department"), ("五好党支部", HonourLevel.COURT, "branch"),
              ("全市法院先进集体", HonourLevel.CITY, "department"), ("人民满意的好法庭", HonourLevel.CITY, "tribunal"),
              ("先进基层党组织", HonourLevel.COUNTY, "branch"), ("全省法院先进集体", HonourLevel.PROVINCIAL, "department"),
              ("枣庄市文明单位", HonourLevel.CITY, "court"), ("全国法院先进集体", HonourLevel.NATIONAL, "court")]
VENUES = [("党建文化长廊", VenueKind.CORRIDOR, "审判楼一楼", None, "展示“三心系天平”党建品牌、各支部品牌和先锋岗党员。"),
          ("党廉信息港", VenueKind.INFO_PORT, "审判楼二楼", 30, "电子阅览、廉政教育片播放、网上党建专栏阅读。"),
          ("党员活动室", VenueKind.ROOM, "综合楼三楼", 60, "三会一课、主题党日、入党宣誓。"),
          ("廉政文化角", VenueKind.CORNER, "诉讼服务中心", None, "廉政书籍与格言警句。")]
SEED_YEARS = (2014, 2015, 2016)  # the seed's "近 3 年" (tianping/annual reproduces its figures)
SEED_YEAR_HONOURS = 52  # individual honours a seed year (150+ in the three)
ARTICLE_TITLES = {
    ArticleCategory.NEWS: ["{b}开展主题党日活动", "{b}召开组织生活会", "院党组专题学习党的创新理论", "{b}结对帮扶困难群众"],
    ArticleCategory.STUDY: ["学习《中国共产党章程》第{n}讲", "理论学习：坚持以人民为中心的司法理念（{n}）",
                            "读书笔记：习近平法治思想学习纲要（{n}）"],
    ArticleCategory.INTEGRITY: ["廉政提醒：节日期间严守纪律", "以案为鉴：违反中央八项规定精神典型问题通报学习（{n}）",
                                "廉政格言每周一句（{n}）"],
    ArticleCategory.LEIFENG: ["学雷锋志愿服务进社区", "{b}青年党员走进敬老院", "“雷锋式法官”事迹分享（{n}）"],
    ArticleCategory.NOTICE: ["关于开展年度民主评议党员的通知", "关于缴纳党费的通知（{n}）", "关于参加廉政大讲堂的通知"],
}


def _picture(ctx, title: str, caption: str) -> ContentFile | None:
    try:
        from PIL import Image, ImageDraw, ImageFont
    except ImportError:
        return None
    try:
        big = ImageFont.truetype("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc", 40)
        small = ImageFont.truetype("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc", 26)
    except OSError:
        big = small = ImageFont.load_default()
    hue = ctx.rng.randint(0, 40)
    img = Image.new("RGB", (640, 480), (160 + hue, 28, 28))
    draw = ImageDraw.Draw(img)
    draw.rectangle([(0, 330), (640, 480)], fill=(245, 215, 150))
    draw.text((30, 70), title, font=big, fill=(255, 236, 170))
    draw.text((30, 370), caption, font=small, fill=(100, 20, 20))
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return ContentFile(buf.getvalue(), name="demo.png")


def _member_on(spans, pid: int, day: date) -> bool:
    return any(s <= day and (e is None or e >= day) for s, e in spans.get(pid, []))


def seed(ctx) -> None:
    from tianping.org.models import Department, Person, User
    from tianping.party.models import OrgKind, PartyOrganisation, PointsEntry, PointsRule
    from tianping.party.selectors import party_membership_intervals

    court = ctx.data.get("court")
    if court is None or PioneerPost.objects.filter(court=court).exists():
        return
    rng, today = ctx.rng, timezone.localdate()
    office = User.objects.filter(username="party_office").first()
    deps = {d.name: d for d in Department.objects.filter(court=court)}
    spans = party_membership_intervals(court)
    staff = list(Person.objects.filter(court=court, left_on__isnull=True).select_related("department").order_by("pk"))
    members_now = [p for p in staff if _member_on(spans, p.pk, today)]

    # --- pioneer posts, holders, evaluations -------------------------------------------------------------
    holders, evaluations = [], []
    for i, (name, window, dep_name, brand, pledge) in enumerate(POSTS):
        dep = deps.get(dep_name)
        if dep is None:
            continue
        post = PioneerPost(court=court, name=name, window=window, department=dep, brand_text=brand,
                           identity_text=f"共产党员 · {PostWindow(window).label}岗位 · 佩戴党徽、亮明身份上岗")
        if i < 4:
            pic = _picture(ctx, name, brand)
            if pic is not None:
                post.photo, post.photo_type = pic, "image/png"
        post.save()
        pool = [p for p in members_now if p.department_id == dep.pk]
        rng.shuffle(pool)
        for j, person in enumerate(pool[:2]):
            start = max(date(today.year - 3, 3, 1), person.hired_on or date(2014, 3, 1))
            start = next((d for d in (start, start + timedelta(days=400)) if _member_on(spans, person.pk, d)), today)
            holders.append(PostHolder(post=post, person=person, start=start, pledge=pledge if j == 0 else
                                      rng.choice(["服务群众零距离", "办案质效争第一", "廉洁司法守底线"])))
        if len(pool) > 2 and _member_on(spans, pool[2].pk, date(today.year - 4, 3, 1)):
            holders.append(PostHolder(post=post, person=pool[2], start=date(today.year - 4, 3, 1),
                                      end=date(today.year - 3, 2, 28), pledge="热情服务、规范办事"))
        for year in range(today.year - 3, today.year):
            evaluations.append(PostEvaluation(post=post, year=year, score_party=rng.randint(85, 99),
                                              score_style=rng.randint(82, 98), score_devotion=rng.randint(80, 99),
                                              comment=rng.choice(["三亮到位，群众满意", "服务规范，作风过硬",
                                                                  "攻坚克难，表现突出"]), evaluated_by=office))
    PostHolder.objects.bulk_create(holders)
    PostEvaluation.objects.bulk_create(evaluations)

    # --- honours: ~150 person-times over the last three years, a few a year before --------------------------
    levels = [lv for lv, w in LEVEL_WEIGHTS for _ in range(w)]
    branches = list(PartyOrganisation.objects.filter(court=court, kind=OrgKind.BRANCH))
    tribunals = [d for d in deps.values() if d.type == "tribunal"]
    work_deps = [d for d in deps.values() if d.name not in ("院领导",)]
    honours: list[Honour] = []
    judges = [p for p in staff if p.post in ("judge", "chief_judge", "deputy_chief_judge")]
    for year in range(max(2014, today.year - 9), today.year + 1):
        recent = year >= today.year - 2
        last = min(date(year, 12, 20), today - timedelta(days=1))
        n_people = (58 if year < today.year else 34) if recent else 8
        for _ in range(n_people):
            level = rng.choice(levels)
            name = rng.choice(INDIVIDUAL[level])
            day = date(year, 1, 15) + timedelta(days=rng.randint(0, max(0, (last - date(year, 1, 15)).days)))
            if name in ("办案能手", "调解能手"):
                pool = [p for p in judges if _member_on(spans, p.pk, day)] if rng.random() < 0.92 else judges
                name = f"{year}年度{name}"
            else:
                pool = staff
            person = rng.choice(pool or staff)
            honours.append(Honour(court=court, name=name, level=level, issuer=ISSUERS[level], awarded_on=day,
                                  holder_kind=HolderKind.PERSON, person=person, source=HonourSource.MANUAL,
                                  certificate_number=f"XC-{year}-{len(honours) + 1:03d}"))
        for cname, level, kind in rng.sample(COLLECTIVE, 4 if recent else 1):
            day = date(year, 1, 20) + timedelta(days=rng.randint(0, max(0, (last - date(year, 1, 20)).days)))
            h = Honour(court=court, name=cname, level=level, issuer=ISSUERS[level], awarded_on=day,
                       source=HonourSource.MANUAL)
            if kind == "branch" and branches:
                h.holder_kind, h.organisation = HolderKind.BRANCH, rng.choice(branches)
            elif kind == "tribunal" and tribunals:
                h.holder_kind, h.department = HolderKind.DEPARTMENT, rng.choice(tribunals)
            elif kind == "department":
                h.holder_kind, h.department = HolderKind.DEPARTMENT, rng.choice(work_deps)
            else:
                h.holder_kind = HolderKind.COURT
            honours.append(h)
    honours = _seed_year_honours(court, staff, judges, levels, spans, today) + honours
    cert = _picture(ctx, "荣誉证书", "演示扫描件")
    if cert is not None:
        honours[-1].certificate, honours[-1].certificate_type = cert, "image/png"
        honours[-1].save()
        honours = honours[:-1]
    Honour.objects.bulk_create(honours)
    rule = PointsRule.objects.filter(code=services.POINTS_RULE).first()
    if rule is not None:
        saved = Honour.objects.filter(court=court, holder_kind=HolderKind.PERSON).select_related("person")
        PointsEntry.objects.bulk_create([
            PointsEntry(court=court, person_id=h.person_id, rule=rule, points=rule.points, occurred_on=h.awarded_on,
                        source_type="honours.honour", source_id=str(h.pk), source_label=str(h)[:200],
                        note=f"{h.get_level_display()}：{h.name}")
            for h in saved if _member_on(spans, h.person_id, h.awarded_on)])

    # --- selections through the services: one finished, one in 公示 ----------------------------------------
    _selection(ctx, court, office, spans, members_now, year=today.year - 1, finished=True)
    _selection(ctx, court, office, spans, members_now, year=today.year, finished=False)
    # after the selections, whose candidates are the posts' holders of today
    PostHolder.objects.bulk_create(_seed_year_holders(court, staff, spans, today))

    # --- venues and bookings ---------------------------------------------------------------------------------
    venues = [Venue.objects.create(court=court, name=n, kind=k, location=loc, capacity=cap, description=desc,
                                   bookable=k in (VenueKind.ROOM, VenueKind.INFO_PORT))
              for n, k, loc, cap, desc in VENUES]
    room = venues[2]
    bookings = []
    for week in range(-4, 6):
        day = today + timedelta(days=7 * week)
        day -= timedelta(days=day.weekday() - 4) if day.weekday() > 4 else timedelta(0)
        bookings.append(VenueBooking(venue=room, date=day, start_time=time(15, 0), end_time=time(16, 30),
                                     purpose=rng.choice(["支部党员大会", "主题党日", "党课", "入党宣誓"]), booked_by=office))
        if week % 2 == 0:
            bookings.append(VenueBooking(venue=venues[1], date=day, start_time=time(9, 0), end_time=time(11, 0),
                                         purpose="廉政教育片观看", booked_by=office))
    VenueBooking.objects.bulk_create(bookings)

    # --- a year of the column's articles ------------------------------------------------------------------------
    articles = []
    names = [b.name for b in branches] or ["机关党委"]
    for week in range(52, 0, -1):
        for k in range(2):
            category = rng.choice(list(ARTICLE_TITLES))
            title = rng.choice(ARTICLE_TITLES[category]).format(b=rng.choice(names), n=53 - week)
            published = today - timedelta(days=7 * week - k * 3)
            assigned = category == ArticleCategory.STUDY and rng.random() < 0.5
            articles.append(Article(court=court, title=title, category=category, author=ctx.faker.name(),
                                    body="\n\n".join(ctx.faker.paragraph(nb_sentences=5) for _ in range(4)),
                                    status=ArticleStatus.PUBLISHED, assigned=assigned,
                                    study_hours=Decimal("1.0") if assigned else Decimal("0"), created_by=office,
                                    reviewed_by=office, published_on=published, read_count=rng.randint(20, 260)))
    articles.append(Article(court=court, title="关于开展“三亮三比三创”年度评价的通知", category=ArticleCategory.NOTICE,
                            author="政治部", body="请各支部于月底前完成本支部先锋岗的年度评价。",
                            status=ArticleStatus.SUBMITTED, created_by=office))
    Article.objects.bulk_create(articles)
    pic = _picture(ctx, "学雷锋志愿服务", "志愿服务进社区")
    first = Article.objects.filter(court=court, category=ArticleCategory.LEIFENG).order_by("-published_on").first()
    if pic is not None and first is not None:
        ArticleAttachment.objects.create(article=first, file=pic, original_name="志愿服务.png", content_type="image/png")
    studies = []
    for a in Article.objects.filter(court=court, assigned=True):
        for p in rng.sample(members_now, min(len(members_now), rng.randint(10, 40))):
            studies.append(ArticleStudy(article=a, person=p, hours=a.study_hours,
                                        studied_on=min(today, a.published_on + timedelta(days=rng.randint(0, 10)))))
    ArticleStudy.objects.bulk_create(studies)

    # --- the lobby screen --------------------------------------------------------------------------------------
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    LobbyScreen.objects.create(court=court, name="诉讼服务中心大厅", created_by=office,
                               token="".join(rng.choice(alphabet) for _ in range(43)))


def _seed_year_honours(court, staff, judges, levels, spans, today: date) -> list[Honour]:
    """Individual honours of the seed's years up to SEED_YEAR_HONOURS a year (the loop above gives the
    years before the last ten a few), to people in post on the day; drawn by a random generator of their
    own. Not for a year of the last three (those have the loop's own)."""
    import random

    rng = random.Random(SEED_YEARS[-1])
    out: list[Honour] = []
    for year in SEED_YEARS:
        if year >= today.year - 2:
            continue
        have = 8 if year >= max(2014, today.year - 9) else 0
        experts = 0
        for n in range(SEED_YEAR_HONOURS - have):
            level = rng.choice(levels)
            name = rng.choice(INDIVIDUAL[level])
            day = date(year, 1, 15) + timedelta(days=rng.randint(0, 339))
            in_post = [p for p in staff if p.hired_on is None or p.hired_on <= day]
            if name in ("办案能手", "调解能手"):
                experts += 1  # the seed: 90 % and more of them party members (every tenth may not be)
                pool = [p for p in judges if p in in_post and (experts % 10 == 0 or _member_on(spans, p.pk, day))]
                name = f"{year}年度{name}"
            else:
                pool = in_post
            person = rng.choice(pool or in_post or staff)
            out.append(Honour(court=court, name=name, level=level, issuer=ISSUERS[level], awarded_on=day,
                              holder_kind=HolderKind.PERSON, person=person, source=HonourSource.MANUAL,
                              certificate_number=f"XC-{year}-S{n + 1:03d}"))
    return out


def _seed_year_holders(court, staff, spans, today: date) -> list[PostHolder]:
    """Each post's holder over the seed's last year (a term from March two years before to February after),
    a party member of the post's department on the first day; their own random generator."""
    import random

    rng = random.Random(SEED_YEARS[-1] + 1)
    start, end = date(SEED_YEARS[0], 3, 1), date(SEED_YEARS[-1] + 1, 2, 28)
    if end >= date(today.year - 4, 3, 1):  # the loop above's terms begin then
        return []
    out = []
    for post in PioneerPost.objects.filter(court=court).order_by("pk"):
        pool = [p for p in staff if p.department_id == post.department_id and _member_on(spans, p.pk, start)
                and (p.hired_on is None or p.hired_on <= start)]
        if pool:
            out.append(PostHolder(post=post, person=rng.choice(pool), start=start, end=end,
                                  pledge=rng.choice(["热情服务、规范办事", "服务群众零距离", "办案质效争第一"])))
    return out


def _selection(ctx, court, office, spans, members_now, *, year: int, finished: bool) -> None:
    from tianping.org.models import User

    rng, today = ctx.rng, timezone.localdate()
    if finished:
        data = {"title": f"{year}年度优秀党员先锋岗代表评选", "kind": SelectionKind.POST_REPRESENTATIVE,
                "honour_name": f"{year}年度优秀党员先锋岗代表", "seats": 3, "max_choices": 3}
        candidates = list({h.person_id: h.person for h in PostHolder.objects.filter(post__court=court)
                           .select_related("person")}.values())[:6]
    else:
        data = {"title": f"{year}年度优秀共产党员评选", "kind": SelectionKind.EXCELLENT_MEMBER,
                "honour_name": f"{year}年度优秀共产党员", "seats": 4, "max_choices": 4}
        candidates = rng.sample(members_now, min(7, len(members_now)))
    selection = services.selection_create(actor=office, court=court, data={
        **data, "year": year, "honour_level": HonourLevel.COURT, "issuer": "中共薛城区人民法院机关委员会",
        "electorate": Electorate.PARTY_MEMBERS})
    noms = [services.nomination_add(actor=office, selection=selection, person=p, nominated_by="branch",
                                    reason=rng.choice(["在先锋岗上亮身份、亮承诺，群众评价高。", "办案质效位居前列，廉洁自律。",
                                                       "积极参加志愿服务，带头学雷锋。"]))
            for p in candidates]
    services.shortlist_set(actor=office, selection=selection, nomination_ids=[n.pk for n in noms])
    services.voting_open(actor=office, selection=selection)
    # the ballots: the demo accounts vote through the service as themselves (their audit entries say "voted");
    # the other voters' ballots are written as the rows the service writes (a voter marked voted, a ballot with
    # a random id and the choices only) without one audit entry each, which would make the demo slow
    favourites = [n.pk for n in noms[:data["seats"]]]
    others = [n.pk for n in noms[data["seats"]:]]
    accounts = {u.person_id: u for u in User.objects.filter(person__isnull=False, court=court)}
    voted, ballots = [], []
    for v in selection.voters.order_by("pk"):
        if rng.random() > 0.85:
            continue
        picks = [pk for pk in favourites if rng.random() < 0.8] + [pk for pk in others if rng.random() < 0.25]
        picks = sorted(picks[:data["max_choices"]] or favourites[:1])
        if v.person_id in accounts:
            services.ballot_cast(actor=accounts[v.person_id], selection=selection, choices=picks)
        else:
            voted.append(v.pk)
            ballots.append(Ballot(selection=selection, choices=picks))
    Voter.objects.filter(pk__in=voted).update(voted=True)
    rng.shuffle(ballots)
    Ballot.objects.bulk_create(ballots)
    services.voting_close(actor=office, selection=selection)
    start = date(year, 12, 8) if finished else today - timedelta(days=2)
    services.publicity_start(actor=office, selection=selection, start=start)
    if finished:
        services.selection_finalise(actor=office, selection=selection, today=selection.publicity_end + timedelta(days=1))
    else:
        services.objection_record(actor=office, selection=selection, nomination=noms[0], received_on=today,
                                  content="反映该同志曾有一次会议无故缺席，请核实。")
