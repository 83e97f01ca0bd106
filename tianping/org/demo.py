"""Demo court: 薛城区人民法院 (鲁0403) under 枣庄中院 (鲁04) under 山东高院 (鲁), ~150 synthetic staff,
and the demo accounts. All names and ID numbers are synthetic (Faker zh_CN, valid check characters).

枣庄中院 supervises six basic courts: 市中 (鲁0402), 薛城 (鲁0403), 峄城 (鲁0404), 台儿庄 (鲁0405), 山亭 (鲁0406)
and 滕州 (鲁0481). The five others get departments only (no people): the trials demo gives them
aggregate-only cases, so the higher court's table has figures for every court."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from tianping.core.roles import Role
from tianping.core.validators import id_check_char
from tianping.org.models import (
    Court,
    CourtLevel,
    Department,
    DepartmentAssignment,
    DepartmentType,
    Education,
    Gender,
    Person,
    Post,
    User,
    UserRole,
)

DEPARTMENTS = [
    ("院领导", DepartmentType.ADMIN, 0),
    ("立案庭", DepartmentType.TRIAL, 14),
    ("民事审判第一庭", DepartmentType.TRIAL, 14),
    ("民事审判第二庭", DepartmentType.TRIAL, 12),
    ("刑事审判庭", DepartmentType.TRIAL, 10),
    ("行政审判庭", DepartmentType.TRIAL, 6),
    ("执行局", DepartmentType.ENFORCEMENT, 20),
    ("审判管理办公室", DepartmentType.ADMIN, 5),
    ("政治部", DepartmentType.ADMIN, 6),
    ("办公室", DepartmentType.ADMIN, 8),
    ("司法警察大队", DepartmentType.ADMIN, 10),
    ("沙沟人民法庭", DepartmentType.TRIBUNAL, 8),
    ("临山人民法庭", DepartmentType.TRIBUNAL, 8),
    ("陶庄人民法庭", DepartmentType.TRIBUNAL, 8),
    ("邹坞人民法庭", DepartmentType.TRIBUNAL, 8),
]
LEADERS = 7  # 院长 + 副院长 … in 院领导
TRIAL_TYPES = {DepartmentType.TRIAL, DepartmentType.TRIBUNAL, DepartmentType.ENFORCEMENT}

DEMO_ACCOUNTS = [
    # username, roles, how to pick the person
    ("admin", [Role.SYSADMIN], None),
    ("security", [Role.SECADMIN], None),
    ("auditor", [Role.AUDITOR], None),
    ("president", [Role.LEADER, Role.MEMBER], "president"),
    ("party_office", [Role.PARTY_OFFICE, Role.MEMBER], "party_office"),
    ("secretary_shagou", [Role.BRANCH_SECRETARY, Role.MEMBER], "shagou_chief"),
    ("judge_demo", [Role.MEMBER], "judge"),
    ("trial_office", [Role.TRIAL_OFFICE, Role.MEMBER], "trial_office"),
    ("mediator_demo", [Role.MEDIATOR], "mediator"),
]
OTHER_COURTS = [("鲁0402", "市中区人民法院"), ("鲁0404", "峄城区人民法院"), ("鲁0405", "台儿庄区人民法院"),
                ("鲁0406", "山亭区人民法院"), ("鲁0481", "滕州市人民法院")]
OTHER_DEPARTMENTS = [("立案庭", DepartmentType.TRIAL), ("民事审判庭", DepartmentType.TRIAL),
                     ("刑事审判庭", DepartmentType.TRIAL), ("行政审判庭", DepartmentType.TRIAL),
                     ("执行局", DepartmentType.ENFORCEMENT), ("人民法庭", DepartmentType.TRIBUNAL)]


def synthetic_id(rng, born: date, male: bool, area: str = "370403") -> str:
    seq = rng.randint(10, 99)
    gender_digit = rng.choice([1, 3, 5, 7, 9] if male else [0, 2, 4, 6, 8])
    first17 = f"{area}{born:%Y%m%d}{seq:02d}{gender_digit}"
    return first17 + id_check_char(first17)


def make_person(ctx, court, department, post, *, staff_number: str, leadership=False, quota=False,
                hired_on=None) -> Person:
    rng, faker = ctx.rng, ctx.faker
    male = rng.random() < 0.58
    born = date(rng.randint(1962, 1996), rng.randint(1, 12), rng.randint(1, 28))
    while True:
        id_number = synthetic_id(rng, born, male)
        if not Person.objects.filter(court=court, id_number=id_number).exists():
            break
    hired = hired_on or date(max(born.year + 22, 1985), rng.randint(1, 12), 1)
    person = Person.objects.create(
        court=court, name=faker.name_male() if male else faker.name_female(),
        gender=Gender.MALE if male else Gender.FEMALE, birth_date=born, id_number=id_number,
        phone=f"13{rng.randint(0, 9)}{rng.randint(10000000, 99999999)}", staff_number=staff_number,
        department=department, post=post, is_quota_judge=quota, is_leadership=leadership,
        education=rng.choice([Education.BACHELOR] * 6 + [Education.MASTER] * 3 + [Education.COLLEGE]),
        hired_on=hired,
    )
    DepartmentAssignment.objects.create(court=court, person=person, department=department, start=hired)
    return person


SEED_RECRUITS_FIRST, SEED_RECRUITS_LAST, SEED_RECRUITS = date(2014, 1, 1), date(2016, 12, 31), 14
FIRST_POSTING_YEARS = 2  # 新进人员下法庭: a recruit's years at a tribunal before their own department


def recruits_to_tribunals(court, deps) -> None:
    """The seed's "近3年，新招录的14名人员全部充实到法庭": exactly 14 people joined in 2014–2016, every one first
    posted to a 人民法庭. Young tribunal staff (not chiefs) are dated into those years until there are 14; a
    recruit of another department first spends two years at a tribunal (a department history row), then moves
    to their own. No random draw: the shared generator, and so every later app's data, is not advanced."""
    tribunals = [d for d in deps.values() if d.type == DepartmentType.TRIBUNAL]
    if not tribunals:
        return
    window = {"hired_on__gte": SEED_RECRUITS_FIRST, "hired_on__lte": SEED_RECRUITS_LAST}
    recruits = list(Person.objects.filter(court=court, **window).order_by("staff_number"))
    if len(recruits) < SEED_RECRUITS:
        young = (Person.objects.filter(court=court, department__in=tribunals, left_on__isnull=True,
                                       birth_date__lte=date(1992, 12, 31))  # 21 or older when hired
                 .exclude(post__in=[Post.CHIEF_JUDGE, Post.DEPUTY_CHIEF_JUDGE]).exclude(pk__in=[p.pk for p in recruits])
                 .order_by("-birth_date", "staff_number"))[:SEED_RECRUITS - len(recruits)]
        for i, p in enumerate(young):
            p.hired_on = date(2014 + i % 3, 3 + (i * 4) % 9, 1)
            p.save(update_fields=["hired_on"])
            DepartmentAssignment.objects.filter(person=p).update(start=p.hired_on)
            recruits.append(p)
    for i, p in enumerate(recruits):
        first = DepartmentAssignment.objects.filter(person=p).select_related("department").order_by("start", "pk").first()
        if first is None or first.department.type == DepartmentType.TRIBUNAL:
            continue
        tribunal = tribunals[i % len(tribunals)]
        moved = date(p.hired_on.year + FIRST_POSTING_YEARS, p.hired_on.month, 1)
        if first.end is not None and first.end < moved:  # left (or moved on) within two years: all at the tribunal
            first.department = tribunal
            first.save(update_fields=["department"])
            continue
        DepartmentAssignment.objects.create(court=court, person=p, department=tribunal, start=p.hired_on,
                                            end=moved - timedelta(days=1))
        first.start = moved
        first.save(update_fields=["start"])


def seed(ctx) -> None:
    high, _ = Court.objects.get_or_create(code="鲁", defaults={"name": "山东省高级人民法院", "level": CourtLevel.HIGH})
    mid, _ = Court.objects.get_or_create(code="鲁04", defaults={
        "name": "枣庄市中级人民法院", "level": CourtLevel.INTERMEDIATE, "parent": high})
    court, _ = Court.objects.get_or_create(code="鲁0403", defaults={
        "name": "薛城区人民法院", "level": CourtLevel.BASIC, "parent": mid})
    others, other_deps = [], {}
    for code, name in OTHER_COURTS:
        other, _ = Court.objects.get_or_create(code=code, defaults={"name": name, "level": CourtLevel.BASIC,
                                                                    "parent": mid})
        others.append(other)
        other_deps[other.pk] = {
            dname: Department.objects.get_or_create(court=other, name=dname,
                                                    defaults={"type": dtype, "sort_order": order})[0]
            for order, (dname, dtype) in enumerate(OTHER_DEPARTMENTS)}
    ctx.data["court"] = court
    ctx.data["other_courts"] = others
    ctx.data["other_departments"] = other_deps
    ctx.data["higher_court"] = mid

    deps = {}
    for order, (name, dtype, _size) in enumerate(DEPARTMENTS):
        deps[name], _ = Department.objects.get_or_create(court=court, name=name,
                                                         defaults={"type": dtype, "sort_order": order})
    ctx.data["departments"] = deps

    if not Person.objects.filter(court=court).exists():
        n = 1
        leaders = deps["院领导"]
        for i in range(LEADERS):
            make_person(ctx, court, leaders, Post.PRESIDENT if i == 0 else Post.VICE_PRESIDENT,
                        staff_number=f"{n:04d}", leadership=True, quota=True)
            n += 1
        for name, dtype, size in DEPARTMENTS[1:]:
            dep = deps[name]
            for i in range(size):
                if dtype in TRIAL_TYPES:
                    post = [Post.CHIEF_JUDGE, Post.DEPUTY_CHIEF_JUDGE][i] if i < 2 else ctx.rng.choice(
                        [Post.JUDGE, Post.JUDGE, Post.ASSISTANT, Post.CLERK, Post.CLERK])
                    quota = post in {Post.CHIEF_JUDGE, Post.DEPUTY_CHIEF_JUDGE, Post.JUDGE}
                elif name == "司法警察大队":
                    post, quota = Post.POLICE, False
                else:
                    post, quota = (Post.CHIEF_JUDGE if i == 0 else Post.ADMIN_STAFF), False
                make_person(ctx, court, dep, post, staff_number=f"{n:04d}", quota=quota)
                n += 1
        # a few who left, and one who moved from 立案庭 to 沙沟 (department history)
        for p in Person.objects.filter(court=court, department=deps["办公室"]).order_by("id")[:2]:
            p.left_on = date(2016, 6, 30)
            p.save(update_fields=["left_on"])
            DepartmentAssignment.objects.filter(person=p).update(end=p.left_on)
        mover = Person.objects.filter(court=court, department=deps["立案庭"], post=Post.JUDGE).order_by("id").first()
        if mover:
            moved = date(2016, 3, 1)
            DepartmentAssignment.objects.filter(person=mover).update(end=moved - timedelta(days=1))
            DepartmentAssignment.objects.create(court=court, person=mover, department=deps["沙沟人民法庭"], start=moved)
            mover.department = deps["沙沟人民法庭"]
            mover.save(update_fields=["department"])
        recruits_to_tribunals(court, deps)

    picks = {
        "president": Person.objects.filter(court=court, post=Post.PRESIDENT).first(),
        "party_office": Person.objects.filter(court=court, department=deps["政治部"]).order_by("id").first(),
        "shagou_chief": Person.objects.filter(court=court, department=deps["沙沟人民法庭"],
                                              post=Post.CHIEF_JUDGE).first(),
        # a judge already in post in the demo's trial years (2014–2016), so their own figures are not empty
        "judge": Person.objects.filter(court=court, department=deps["民事审判第一庭"], post=Post.JUDGE)
        .order_by(models.Case(models.When(hired_on__lte=date(2013, 1, 1), then=0), default=1), "id").first(),
        "trial_office": Person.objects.filter(court=court, department=deps["审判管理办公室"]).order_by("id").first(),
        "mediator": Person.objects.filter(court=court, department=deps["立案庭"], post=Post.CLERK)
        .order_by("id").first(),
    }
    ctx.data["people"] = picks
    for username, roles, pick in DEMO_ACCOUNTS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, court=court, person=picks.get(pick) if pick else None,
                        must_change_password=False, password_changed_at=timezone.now())
            user.set_password(settings.TIANPING_DEMO_PASSWORD)
            user.save()
        for role in roles:
            UserRole.objects.get_or_create(user=user, role=role)
    higher = User.objects.filter(username="zaozhuang").first()
    if higher is None:
        higher = User(username="zaozhuang", court=mid, must_change_password=False, password_changed_at=timezone.now())
        higher.set_password(settings.TIANPING_DEMO_PASSWORD)
        higher.save()
    UserRole.objects.get_or_create(user=higher, role=Role.HIGHER_COURT)
    ctx.data["users"] = {u.username: u for u in User.objects.filter(court__in=[court, mid])}
