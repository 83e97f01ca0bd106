"""A small service world: court 鲁0403 with two departments (民一庭 and 沙沟法庭), a party branch on each (支部建在
庭上), judges 甲 (民一庭, party member) and 乙 (沙沟法庭, not a member), a namesake pair 张伟(0312)/张伟(0313), closed
cases of each judge in 2026, and accounts: trial office, party office, the 民一庭 branch's secretary, judge 乙,
and the higher court."""

from __future__ import annotations

from datetime import date

import pytest

from tianping.core.roles import Role


@pytest.fixture
def world(court, make_user):
    from tianping.org.models import Court, CourtLevel
    from tianping.org.tests.factories import DepartmentFactory, PersonFactory
    from tianping.party.models import CommitteePost
    from tianping.party.tests.factories import OrganisationFactory, make_member
    from tianping.trials.selectors import refresh_membership
    from tianping.trials.tests.factories import make_case

    a = DepartmentFactory(court=court, name="民一庭", sort_order=1)
    b = DepartmentFactory(court=court, name="沙沟法庭", sort_order=2)
    branch_a = OrganisationFactory(court=court, name="民一庭党支部")
    branch_a.departments.set([a])
    branch_b = OrganisationFactory(court=court, name="沙沟法庭党支部")
    branch_b.departments.set([b])
    j1 = PersonFactory(court=court, name="甲法官", department=a, is_quota_judge=True)
    j2 = PersonFactory(court=court, name="乙法官", department=b, is_quota_judge=True)
    secretary = PersonFactory(court=court, name="书记甲", department=a)
    zw1 = PersonFactory(court=court, name="张伟", staff_number="0312", department=a)
    zw2 = PersonFactory(court=court, name="张伟", staff_number="0313", department=b)
    make_member(branch=branch_a, person=j1)
    make_member(branch=branch_a, person=secretary)
    CommitteePost.objects.create(court=court, organisation=branch_a, person=secretary, role="secretary",
                                 term_start=date(2024, 1, 1), term_end=date(2027, 1, 1))
    refresh_membership(court)
    cases_a = [make_case(court, filed_on=date(2026, 1, 5), closed_on=date(2026, 3, 1 + i), judge=j1, department=a)
               for i in range(6)]
    cases_b = [make_case(court, filed_on=date(2026, 1, 5), closed_on=date(2026, 3, 1 + i), judge=j2, department=b)
               for i in range(4)]
    mid = Court.objects.create(code="鲁04", name="枣庄市中级人民法院", level=CourtLevel.INTERMEDIATE)
    court.parent = mid
    court.save(update_fields=["parent"])
    return {
        "court": court, "a": a, "b": b, "branch_a": branch_a, "branch_b": branch_b, "j1": j1, "j2": j2,
        "zw1": zw1, "zw2": zw2, "cases_a": cases_a, "cases_b": cases_b,
        "trial_office": make_user(court, Role.TRIAL_OFFICE, Role.MEMBER, person=zw1, username="to"),
        "party_office": make_user(court, Role.PARTY_OFFICE, username="po"),
        "secretary": make_user(court, Role.BRANCH_SECRETARY, Role.MEMBER, person=secretary, username="sec"),
        "judge2": make_user(court, Role.MEMBER, person=j2, username="j2"),
        "higher": make_user(mid, Role.HIGHER_COURT, username="higher"),
    }


@pytest.fixture
def record(world):
    """record(case, rating, name=..., day=...) -> a Revisit recorded through the service by the trial office."""
    from tianping.service import services

    def _record(case, rating, *, name="当事人", day=date(2026, 4, 1), relation="plaintiff", **kw):
        return services.revisit_record(actor=world["trial_office"], case=case, revisited_on=day, method="phone",
                                       caller=world["zw1"], contact_name=name, relation=relation, rating=rating, **kw)

    return _record
