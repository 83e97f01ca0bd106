"""The demo generator: real-format numbers, contiguous sequences per year and type, realistic rates."""

import random
from datetime import date

import pytest

from tianping.trials.casenumbers import parse_case_number
from tianping.trials.models import Case, CaseSequence
from tianping.trials.selectors import Period, metrics

pytestmark = pytest.mark.django_db


def test_generate_cases(court):
    from tianping.org.models import DepartmentAssignment
    from tianping.org.tests.factories import DepartmentFactory, PersonFactory
    from tianping.party.models import PartyMember
    from tianping.trials.demo import generate_cases

    civil = DepartmentFactory(court=court, name="民事审判第一庭")
    crim = DepartmentFactory(court=court, name="刑事审判庭")
    judges = []
    for dep in [civil] * 4 + [crim] * 2:
        p = PersonFactory(court=court, department=dep, is_quota_judge=True)
        DepartmentAssignment.objects.create(court=court, person=p, department=dep, start=date(2010, 1, 1))
        judges.append(p)
    for p in judges[:3] + judges[4:5]:
        PartyMember.objects.create(court=court, person=p, stage="full", admitted_on=date(2000, 7, 1))
    n = generate_cases(court, {"民事审判第一庭": civil, "刑事审判庭": crim}, [2016], random.Random(1),
                       first_day=date(2015, 10, 1))
    assert n == Case.objects.filter(court=court).count() > 1500
    numbers = list(Case.objects.filter(court=court, year=2016, type_code="民初").values_list("number", "seq"))
    assert sorted(s for _n, s in numbers) == list(range(1, len(numbers) + 1))
    assert all(parse_case_number(num).seq == s for num, s in numbers)
    assert CaseSequence.objects.get(court=court, year=2016, type_code="民初").last == len(numbers)
    (row,) = metrics(court, Period(date(2016, 1, 1), date(2016, 12, 31)), "court")
    assert 0.75 <= row["party_member_closed_share"] <= 0.95
    assert 0.90 <= row["acceptance_rate"] <= 0.99
    assert 0.90 <= row["within_limit_rate"] <= 1
    # the same seed gives the same cases
    first = list(Case.objects.filter(court=court).order_by("number").values_list("number", "closed_on")[:50])
    Case.objects.filter(court=court).delete()
    CaseSequence.objects.all().delete()
    generate_cases(court, {"民事审判第一庭": civil, "刑事审判庭": crim}, [2016], random.Random(1),
                   first_day=date(2015, 10, 1))
    assert list(Case.objects.filter(court=court).order_by("number").values_list("number", "closed_on")[:50]) == first
