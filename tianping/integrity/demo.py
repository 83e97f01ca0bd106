"""Demo integrity records of 薛城区人民法院 (synthetic; Faker zh_CN, no real people):

- the 法官寄语 template in three versions (2014-01-01; a revision on 2016-07-01, mid-year; a new complaint phone
  on 2021-01-01) and a letter for every filed case of the court since the first version — about 7,000 a year,
  written in one INSERT … SELECT — except the cases filed today and yesterday, which wait on the filing desk's
  to-do; handed over mostly in person, some by post, electronic service growing from 2020;
- the account `discipline_demo` (纪检监察) for the political department's discipline officer;
- a year of measures under each of the six mechanisms (education measures linked to the year's 廉政大讲堂
  meetings of partylife; two 惩戒 entries that only the discipline role sees);
- family contacts of the staff, pledges for this year and last with a few unsigned, visits, hearings watched,
  a family meeting and last year's 廉内助 / 廉洁家庭;
- 三个规定 records and twelve months of monthly reports by every quota judge, two of whom report late (and have
  not yet reported last month).
Idempotent: nothing is added when the court already has a letter template.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from tianping.core.management.commands.seed_demo import bulk_insert
from tianping.core.roles import Role
from tianping.integrity.choices import (
    AwardKind,
    FamilyActivityKind,
    Handover,
    InterferenceKind,
    MeasureCategory,
    Mechanism,
    Relation,
)
from tianping.integrity.models import (
    FamilyActivity,
    FamilyAward,
    FamilyContact,
    FamilyPledge,
    InterferenceRecord,
    JudgeLetter,
    LetterTemplate,
    Measure,
    MonthlyReport,
)
from tianping.integrity.selectors import REPORT_DUE_DAY, next_month

BODY = """尊敬的当事人：

您好！您与他人的纠纷已由{法院}依法立案受理，案号为{案号}，立案日期为{立案日期}，由{承办部门}承办。我们将秉持公心，依法、公正、高效地审理您的案件。

本院郑重承诺：审判人员不接受当事人及其委托的人请客送礼，不私下会见当事人及其代理人，不无故拖延办案，不对当事人态度粗暴、刁难推诿。

如发现本院工作人员有违反上述规定的行为，请拨打投诉电话{投诉电话}，或投递本院立案大厅的廉政监督信箱，或向本院纪检监察室反映。

感谢您对人民法院工作的理解、支持和监督！"""
BODY_2016 = BODY.replace("我们将秉持公心，依法、公正、高效地审理您的案件。",
                         "我们将秉持公心，依法、公正、高效地审理您的案件，并通过诉讼服务中心、12368 热线及时告知案件进展。")
VERSIONS = [
    (date(2014, 1, 1), BODY, "0632-4412345", "首次制定"),
    (date(2016, 7, 1), BODY_2016, "0632-4412345", "增加案件进展告知承诺"),
    (date(2021, 1, 1), BODY_2016, "0632-12368", "投诉电话改为 12368 诉讼服务热线"),
]
PENDING_DAYS = 2  # cases filed today and yesterday have no letter yet


def _account(username: str, court: Any, person: Any, roles: list[str]) -> Any:
    from tianping.org.models import User, UserRole

    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, court=court, person=person, must_change_password=False,
                    password_changed_at=timezone.now())
        user.set_password(settings.TIANPING_DEMO_PASSWORD)
        user.save()
    for role in roles:
        UserRole.objects.get_or_create(user=user, role=role)
    return user


def seed(ctx: Any) -> None:
    from tianping.org.models import Person

    court, deps = ctx.data["court"], ctx.data["departments"]
    office = list(Person.objects.filter(court=court, department=deps["政治部"]).order_by("id")[:2])
    discipline = _account("discipline_demo", court, office[-1] if office else None, [Role.DISCIPLINE, Role.MEMBER])
    ctx.data.setdefault("users", {})["discipline_demo"] = discipline
    if LetterTemplate.objects.filter(court=court).exists():
        return
    today = timezone.localdate()
    templates = []
    for i, (start, body, phone, note) in enumerate(VERSIONS, start=1):
        templates.append(LetterTemplate.objects.create(court=court, version=i, title="法官寄语", body=body,
                                                       complaint_phone=phone, effective_from=start, note=note))

    _letters(court, templates, today)

    people = list(Person.objects.filter(court=court, left_on__isnull=True).order_by("id"))
    judges = [p for p in people if p.is_quota_judge]
    year_ago = today - timedelta(days=365)
    _measures(ctx, court, deps, year_ago, today)
    _family(ctx, court, people, today)
    _rules(ctx, court, judges, year_ago, today)


def _letters(court: Any, templates: list[LetterTemplate], today: date) -> None:
    """One letter per case filed since the first version, except the last few days' (the desk's to-do), in one
    INSERT … SELECT (90,000 rows; a Python loop would cost the demo seconds). The version is the latest in force
    on the filing date; the handover is spread by the case id (deterministic): mostly in person, some by post,
    electronic service more often from 2020."""
    from django.db import connection

    from tianping.trials.models import Case

    qn = connection.ops.quote_name
    version = "CASE " + " ".join("WHEN c.filed_on >= %s THEN %s" for _t in reversed(templates[1:])) + " ELSE %s END"
    version_params: list[Any] = [p for t in reversed(templates[1:]) for p in (t.effective_from, t.pk)]
    version_params.append(templates[0].pk)
    spread = "((c.id * 7919) %% 100)"  # %% : a literal modulo in a parameterised statement
    handover = (f"CASE WHEN c.filed_on >= %s AND {spread} < 35 THEN %s WHEN {spread} < 5 THEN %s "
                f"WHEN {spread} < 15 THEN %s ELSE %s END")
    handover_params = [date(2020, 1, 1), Handover.ELECTRONIC, Handover.ELECTRONIC, Handover.MAIL, Handover.IN_PERSON]
    now = timezone.now()
    table, cases = qn(JudgeLetter._meta.db_table), qn(Case._meta.db_table)
    # table names from the models' meta (quoted); every value is a parameter
    sql = (f"INSERT INTO {table} (created_at, updated_at, court_id, case_id, template_id, issued_on, handover, "  # noqa: S608
           f"handed_over_on, print_count) SELECT %s, %s, c.court_id, c.id, {version}, c.filed_on, {handover}, "
           f"c.filed_on, 1 FROM {cases} c WHERE c.court_id = %s AND c.filed_on >= %s AND c.filed_on <= %s")
    params = [now, now, *version_params, *handover_params, court.pk, templates[0].effective_from,
              today - timedelta(days=PENDING_DAYS)]
    with connection.cursor() as cur:
        cur.execute(sql, params)


def _measures(ctx: Any, court: Any, deps: dict[str, Any], start: date, today: date) -> None:
    from tianping.partylife.models import Meeting

    rng = ctx.rng
    lectures = list(Meeting.objects.filter(court=court, meeting_type__is_lecture=True, date__gte=start,
                                           date__lte=today).order_by("date")[:4])
    office, hall = deps["政治部"], deps.get("立案庭")
    plan: list[tuple[str, str, str, Any]] = [
        (Mechanism.EDUCATION, MeasureCategory.WARNING, "观看警示教育片《镜鉴》", office),
        (Mechanism.EDUCATION, MeasureCategory.WARNING, "旁听职务犯罪案件庭审警示教育", office),
        (Mechanism.PREVENTION, MeasureCategory.HOLIDAY_REMINDER, "春节前廉洁过节提醒", office),
        (Mechanism.PREVENTION, MeasureCategory.HOLIDAY_REMINDER, "中秋国庆前廉洁过节提醒", office),
        (Mechanism.PREVENTION, MeasureCategory.RISK_POSTS, "修订廉政风险岗位清单（立案、执行、鉴定委托）", office),
        (Mechanism.SUPPORT, MeasureCategory.GENERAL, "干警健康体检与谈心谈话", office),
        (Mechanism.SUPPORT, MeasureCategory.GENERAL, "困难干警走访慰问", office),
        (Mechanism.FAMILY, MeasureCategory.GENERAL, "家属开放日：走进法院", office),
        (Mechanism.FAMILY, MeasureCategory.GENERAL, "签订家庭助廉承诺书", office),
        (Mechanism.SUPERVISION, MeasureCategory.INSPECTION, "审判执行作风专项督查", office),
        (Mechanism.SUPERVISION, MeasureCategory.COMPLAINT, "立案大厅廉政监督信箱开启登记", hall),
        (Mechanism.SUPERVISION, MeasureCategory.INSPECTION, "节假日值班纪律检查", office),
        (Mechanism.DISCIPLINE, MeasureCategory.CASE, "对一名干警违反工作纪律问题进行初步核实", office),
        (Mechanism.DISCIPLINE, MeasureCategory.SANCTION, "对一名书记员迟到早退给予诫勉谈话", office),
    ]
    span = max((today - start).days, 1)
    for lecture in lectures:
        Measure.objects.create(court=court, mechanism=Mechanism.EDUCATION, category=MeasureCategory.LECTURE,
                               title=f"廉政大讲堂：{lecture.topic}"[:120], department=office, start_on=lecture.date,
                               lecture=lecture, participants="全院干警", outcome="讲堂记录见组织生活。")
    for mechanism, category, title, dep in plan:
        day = start + timedelta(days=rng.randint(0, span))
        Measure.objects.create(court=court, mechanism=mechanism, category=category, title=title, department=dep,
                               start_on=min(day, today), participants="" if mechanism == Mechanism.DISCIPLINE
                               else "相关部门干警", participant_count=None if mechanism == Mechanism.DISCIPLINE
                               else rng.randint(8, 120), outcome="已完成，材料归档。")


def _family(ctx: Any, court: Any, people: list[Any], today: date) -> None:
    rng, faker = ctx.rng, ctx.faker
    contacts, pledges = [], []
    unsigned_this_year = set(p.pk for p in rng.sample(people, min(6, len(people))))
    for p in people:
        spouse = faker.name_female() if p.gender == "male" else faker.name_male()
        contacts.append({"court_id": court.pk, "person_id": p.pk, "name": spouse, "relation": Relation.SPOUSE,
                         "phone": f"13{rng.randint(0, 9)}{rng.randint(10000000, 99999999)}", "note": ""})
        for year in (today.year - 1, today.year):
            if year == today.year and p.pk in unsigned_this_year:
                continue
            signed = date(year, rng.randint(1, min(3, today.month) if year == today.year else 3), rng.randint(1, 28))
            pledges.append({"court_id": court.pk, "person_id": p.pk, "year": year, "signed_on": min(signed, today),
                            "family_name": spouse, "relation": Relation.SPOUSE, "scan": ""})
    bulk_insert(FamilyContact, contacts)
    bulk_insert(FamilyPledge, pledges)
    for kind, title, days_ago, case in [
            (FamilyActivityKind.VISIT, "干警家属走进法院开放日", 200, ""),
            (FamilyActivityKind.HEARING, "家属旁听民间借贷纠纷庭审", 120, "民初"),
            (FamilyActivityKind.MEETING, "家庭助廉座谈会", 60, "")]:
        number = ""
        if case:
            from tianping.trials.models import Case

            hit = Case.objects.filter(court=court, type_code=case, filed_on__lte=today - timedelta(days=days_ago)) \
                .order_by("-filed_on").values_list("number", flat=True).first()
            number = hit or ""
        a = FamilyActivity.objects.create(court=court, kind=kind if number or not case else FamilyActivityKind.VISIT,
                                          held_on=today - timedelta(days=days_ago), title=title,
                                          family_count=rng.randint(10, 40), case_number=number, note="")
        a.people.set(rng.sample(people, min(12, len(people))))
    for kind, n in ((AwardKind.HELPER, 3), (AwardKind.FAMILY, 2)):
        for p in rng.sample(people, n):
            FamilyAward.objects.create(court=court, year=today.year - 1, kind=kind, person=p,
                                       family_name=faker.name(), note="")


def _rules(ctx: Any, court: Any, judges: list[Any], start: date, today: date) -> None:
    rng, faker = ctx.rng, ctx.faker
    records: dict[tuple[int, date], int] = {}
    kinds = [InterferenceKind.INSIDER] * 5 + [InterferenceKind.CONTACT] * 3 + [InterferenceKind.LEADER]
    span = max((today - start).days, 1)
    for kind in kinds:
        judge = rng.choice(judges)
        day = start + timedelta(days=rng.randint(0, span - 1))
        InterferenceRecord.objects.create(
            court=court, recorder=judge, recorded_on=day, occurred_on=day, kind=kind, asker=faker.name(),
            asker_post={"leader": "某镇党委副书记", "insider": "本院其他庭室干警", "contact": "一方当事人代理律师"}[kind],
            case_number="", content="询问案件审理进展，请求关照", handling="告知依法办理，不得干预，已如实记录")
        key = (judge.pk, day.replace(day=1))
        records[key] = records.get(key, 0) + 1
    late = {j.pk for j in judges[:2]}  # two judges who report late
    rows = []
    month = next_month(start.replace(day=1))
    last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    while month <= last_month:
        due = next_month(month).replace(day=REPORT_DUE_DAY)
        for j in judges:
            # on time: in the month's last days or on the 1st; late: a few days after the due date
            filed = due + timedelta(days=rng.randint(4, 10)) if j.pk in late \
                else next_month(month) - timedelta(days=rng.randint(0, 3))
            if filed > today:
                continue
            n = records.get((j.pk, month), 0)
            rows.append({"court_id": court.pk, "person_id": j.pk, "month": month, "filed_on": filed, "zero": n == 0,
                         "record_count": n, "note": ""})
        month = next_month(month)
    bulk_insert(MonthlyReport, rows)
