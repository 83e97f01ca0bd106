import random

import pytest
from django.conf import settings
from django.test import Client
from faker import Faker

from tianping.core.management.commands.seed_demo import DemoContext
from tianping.core.validators import validate_id_number
from tianping.org import demo
from tianping.org.models import Court, Department, DepartmentAssignment, Person, User, UserRole

pytestmark = pytest.mark.django_db


def _run_org_seed(seed=2016):
    faker = Faker("zh_CN")
    faker.seed_instance(seed)
    ctx = DemoContext(rng=random.Random(seed), faker=faker, stdout=None)
    demo.seed(ctx)
    return ctx


def _snapshot():
    return {
        "courts": sorted(Court.objects.values_list("code", "name", "level", "parent__code")),
        "departments": sorted(Department.objects.values_list("court__code", "name", "type")),
        "people": sorted(Person.objects.values_list("staff_number", "name", "gender", "birth_date", "id_number",
                                                    "department__name", "post", "left_on")),
        "history": sorted(DepartmentAssignment.objects.values_list("person__staff_number", "department__name",
                                                                   "start", "end")),
        "accounts": sorted(User.objects.values_list("username", "court__code", "person__staff_number")),
        "roles": sorted(UserRole.objects.values_list("user__username", "role")),
    }


def test_org_demo_is_idempotent_and_deterministic():
    _run_org_seed()
    first = _snapshot()
    _run_org_seed()
    assert _snapshot() == first, "a second run changed the data"
    # wipe and rebuild from the same seed: the very same court comes back
    UserRole.objects.all().delete()
    User.objects.all().delete()
    DepartmentAssignment.objects.all().delete()
    Person.objects.all().delete()
    Department.objects.all().delete()
    Court.objects.update(parent=None)
    Court.objects.all().delete()
    _run_org_seed()
    assert _snapshot() == first, "the same seed built different data"


def test_demo_court_shape():
    _run_org_seed()
    court = Court.objects.get(code="鲁0403")
    assert court.name == "薛城区人民法院"
    assert court.parent.code == "鲁04" and court.parent.parent.code == "鲁"
    names = set(Department.objects.filter(court=court).values_list("name", flat=True))
    for tribunal in ("沙沟人民法庭", "临山人民法庭", "陶庄人民法庭", "邹坞人民法庭"):
        assert tribunal in names
    for division in ("立案庭", "刑事审判庭", "行政审判庭", "执行局", "审判管理办公室", "政治部", "办公室"):
        assert division in names
    staff = Person.objects.filter(court=court)
    assert 130 <= staff.count() <= 170
    for p in staff:
        validate_id_number(p.id_number)
        p.full_clean()  # birth date and gender agree with the ID number, department of this court
    assert staff.filter(post="president").count() == 1
    # the department history agrees with the current department of everyone in service
    for p in staff.filter(left_on__isnull=True):
        open_rows = list(p.assignments.filter(end__isnull=True).values_list("department_id", flat=True))
        assert open_rows == [p.department_id], p


def test_demo_accounts_log_in_and_see_a_menu():
    _run_org_seed()
    expected = {"admin", "security", "auditor", "president", "party_office", "secretary_shagou", "judge_demo",
                "trial_office", "mediator_demo", "zaozhuang"}
    assert expected <= set(User.objects.values_list("username", flat=True))
    for username in sorted(expected):
        c = Client()
        assert c.login(username=username, password=settings.TIANPING_DEMO_PASSWORD), username
        r = c.get("/", follow=True)
        assert r.status_code == 200, username
        html = r.content.decode()
        if username in {"president", "party_office", "secretary_shagou", "judge_demo", "trial_office",
                        "zaozhuang"}:
            assert 'class="menu-group' in html and "组织架构" in html, username
