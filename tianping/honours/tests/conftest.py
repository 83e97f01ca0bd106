"""Fixtures of the honours app: a court with a branch built on the 立案庭, three party members (two namesakes 张伟
told apart by 工号) and one non-member, the party office's account, a member's account, an outsider court."""

from __future__ import annotations

from datetime import date

import pytest

from tianping.core.roles import Role


@pytest.fixture
def setup(court, other_court, make_user):
    from tianping.org.tests.factories import DepartmentFactory, PersonFactory
    from tianping.party.tests.factories import OrganisationFactory, make_member

    dep = DepartmentFactory(court=court, name="立案庭")
    branch = OrganisationFactory(court=court, name="立案庭党支部")
    branch.departments.set([dep])
    zw1 = PersonFactory(court=court, name="张伟", staff_number="0312", department=dep)
    zw2 = PersonFactory(court=court, name="张伟", staff_number="0455", department=dep)
    li = PersonFactory(court=court, name="李娜", staff_number="0101", department=dep)
    outsider = PersonFactory(court=court, name="王强", staff_number="0202", department=dep)  # not a member
    for p in (zw1, zw2, li):
        make_member(branch=branch, person=p, admitted_on=date(2010, 7, 1))
    office = make_user(court, Role.PARTY_OFFICE, Role.MEMBER, username="office")
    member = make_user(court, Role.MEMBER, person=li, username="lina")
    other_office = make_user(other_court, Role.PARTY_OFFICE, username="other_office")
    from tianping.party.models import PointsRule  # noqa: F401  (the commendation rule comes with party's migration)

    return {"court": court, "dep": dep, "branch": branch, "zw1": zw1, "zw2": zw2, "li": li, "outsider": outsider,
            "office": office, "member": member, "other_office": other_office}
