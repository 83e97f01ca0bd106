"""A small court for organisational-life tests: two branches, full and probationary members, a secretary."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

import pytest

from tianping.org.tests.factories import PersonFactory


@dataclass
class Life:
    court: object
    branch: object
    other_branch: object
    organ: object
    full: list
    probationary: list
    other_members: list
    secretary: object
    office: object
    member_user: object
    other_user: object


@pytest.fixture
def life(court, make_user):
    from tianping.party.models import CommitteePost, CommitteeRole, OrgKind, Stage
    from tianping.party.tests.factories import OrganisationFactory, make_member

    organ = OrganisationFactory(court=court, name="机关党委", kind=OrgKind.ORGAN_COMMITTEE)
    branch = OrganisationFactory(court=court, name="沙沟人民法庭党支部", parent=organ, founded_on=date(2010, 1, 1))
    other = OrganisationFactory(court=court, name="民一庭党支部", parent=organ, founded_on=date(2010, 1, 1))
    full = [make_member(branch=branch, person=PersonFactory(court=court, name=f"正式{i}")).person for i in range(5)]
    prob = [make_member(branch=branch, stage=Stage.PROBATIONARY, admitted_on=date(2015, 12, 1),
                        person=PersonFactory(court=court, name=f"预备{i}")).person for i in range(2)]
    others = [make_member(branch=other, person=PersonFactory(court=court, name=f"民一{i}")).person for i in range(3)]
    for role, person in zip([CommitteeRole.SECRETARY, CommitteeRole.ORGANISATION, CommitteeRole.PUBLICITY],
                            full[:3], strict=True):
        CommitteePost.objects.create(court=court, organisation=branch, person=person, role=role,
                                     term_start=date(2014, 1, 1), term_end=date(2030, 1, 1))
    CommitteePost.objects.create(court=court, organisation=other, person=others[0], role=CommitteeRole.SECRETARY,
                                 term_start=date(2014, 1, 1), term_end=date(2030, 1, 1))
    return Life(
        court=court, branch=branch, other_branch=other, organ=organ, full=full, probationary=prob,
        other_members=others,
        secretary=make_user(court, "branch_secretary", "member", person=full[0]),
        office=make_user(court, "party_office", "member"),
        member_user=make_user(court, "member", person=full[4]),
        other_user=make_user(court, "branch_secretary", "member", person=others[0]),
    )


@pytest.fixture
def make_meeting(life):
    from tianping.partylife import services
    from tianping.partylife.models import MeetingType

    def _make(*, code="general_meeting", organisation=None, day=date(2016, 3, 10), start=time(15, 0),
              end=time(16, 30), actor=None, **extra):
        data = {"meeting_type": MeetingType.objects.get(code=code), "organisation": organisation or life.branch,
                "date": day, "start_time": start, "end_time": end, "topic": extra.pop("topic", "学习党章"),
                "place": "沙沟法庭会议室", **extra}
        return services.meeting_create(actor=actor or life.office, court=life.court, data=data)

    return _make
