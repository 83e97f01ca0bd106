"""Fixtures for the security tests: a court with staff in two departments/branches and one account per role."""

from __future__ import annotations

import pytest


@pytest.fixture
def staff(court, other_court, make_user):
    """people: a, b (branch 1), c (branch 2), outsider (other court); users keyed by role."""
    from tianping.org.models import CourtLevel
    from tianping.org.tests.factories import CourtFactory, DepartmentFactory, PersonFactory

    mid = CourtFactory(code="鲁04", name="枣庄市中级人民法院", level=CourtLevel.INTERMEDIATE)
    court.parent = mid
    court.save(update_fields=["parent"])

    dep1 = DepartmentFactory(court=court, name="民一庭")
    dep2 = DepartmentFactory(court=court, name="民二庭")
    a = PersonFactory(court=court, department=dep1, name="张甲一", phone="13812345678")
    b = PersonFactory(court=court, department=dep1, name="李乙二")
    c = PersonFactory(court=court, department=dep2, name="王丙三")
    secretary_person = PersonFactory(court=court, department=dep1, name="赵书记")
    outsider = PersonFactory(court=other_court, name="钱外院")
    users = {
        "leader": make_user(court, "leader"),
        "party_office": make_user(court, "party_office", "member"),
        "trial_office": make_user(court, "trial_office"),
        "branch_secretary": make_user(court, "branch_secretary", "member", person=secretary_person),
        "member": make_user(court, "member", person=a),
        "mediator": make_user(court, "mediator"),
        "sysadmin": make_user(court, "sysadmin"),
        "secadmin": make_user(court, "secadmin"),
        "auditor": make_user(court, "auditor"),
        "higher_court": make_user(mid, "higher_court"),
    }
    return {"court": court, "a": a, "b": b, "c": c, "secretary": secretary_person, "outsider": outsider,
            "users": users, "dep1": dep1, "dep2": dep2}


@pytest.fixture
def branch_setup(staff):
    """Branch 1 holds a, b and the secretary (who is its 书记); branch 2 holds c."""
    from datetime import date

    from tianping.party.models import CommitteePost, CommitteeRole
    from tianping.party.tests.factories import OrganisationFactory, make_member

    court = staff["court"]
    br1 = OrganisationFactory(court=court, name="民一庭党支部")
    br2 = OrganisationFactory(court=court, name="民二庭党支部")
    for p in (staff["a"], staff["b"], staff["secretary"]):
        make_member(branch=br1, person=p)
    make_member(branch=br2, person=staff["c"])
    CommitteePost.objects.create(court=court, organisation=br1, person=staff["secretary"],
                                 role=CommitteeRole.SECRETARY, term_start=date(2015, 1, 1), term_end=date(2030, 1, 1))
    return {"br1": br1, "br2": br2, **staff}
