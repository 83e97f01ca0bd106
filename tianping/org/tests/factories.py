"""factory_boy factories for courts, departments, people and accounts (synthetic data only)."""

from __future__ import annotations

from datetime import date

import factory
from django.utils import timezone

from tianping.core.validators import id_check_char
from tianping.org.models import (
    Court,
    CourtLevel,
    Department,
    DepartmentType,
    Gender,
    Person,
    Post,
    User,
    UserRole,
)


def make_id_number(n: int, born: date = date(1985, 3, 7), male: bool = True, area: str = "370403") -> str:
    seq = n % 100
    gender_digit = (n % 5) * 2 + (1 if male else 0)
    first17 = f"{area}{born:%Y%m%d}{seq:02d}{gender_digit}"
    return first17 + id_check_char(first17)


class CourtFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Court
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"测试区人民法院{n}")
    code = factory.Sequence(lambda n: f"鲁{1000 + n:04d}")
    level = CourtLevel.BASIC


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    court = factory.SubFactory(CourtFactory)
    name = factory.Sequence(lambda n: f"审判庭{n}")
    type = DepartmentType.TRIAL


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    court = factory.SubFactory(CourtFactory)
    name = factory.Sequence(lambda n: f"测试人{n}")
    gender = Gender.MALE
    birth_date = factory.Sequence(lambda n: date(1960 + n % 35, 1 + n % 12, 1 + n % 28))
    id_number = factory.LazyAttributeSequence(
        lambda o, n: make_id_number(n, o.birth_date, o.gender == Gender.MALE, area=f"{370403 + n // 100 % 500}"))
    # from 20000: never one a test writes by hand (0001–9999, 00001–10000 of the import files); from 0 the
    # session's 312th person took 0312 and a fixture's 张伟(0312) after it broke the unique 工号 (order-dependent)
    staff_number = factory.Sequence(lambda n: f"{n + 20000:05d}")
    department = factory.LazyAttribute(lambda o: DepartmentFactory(court=o.court))
    post = Post.JUDGE
    is_quota_judge = True
    hired_on = date(2010, 7, 1)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    court = factory.SubFactory(CourtFactory)
    must_change_password = False
    password_changed_at = factory.LazyFunction(timezone.now)
    password = factory.PostGenerationMethodCall("set_password", "Test@Pass2016x")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        for role in extracted or []:
            UserRole.objects.create(user=self, role=role)
        self.save()
