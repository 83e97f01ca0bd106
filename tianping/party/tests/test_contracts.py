"""The functions other apps rely on: membership on a date, rosters, a secretary's branches, points."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tianping.org.tests.factories import PersonFactory
from tianping.party import selectors, services
from tianping.party.models import CommitteePost, CommitteeRole, PointsEntry, Stage
from tianping.party.tests.factories import OrganisationFactory, make_member

pytestmark = pytest.mark.django_db


def test_party_member_on_follows_acceptance_and_cancellation(court):
    branch = OrganisationFactory(court=court)
    full = make_member(branch=branch, admitted_on=date(2010, 7, 1))
    assert not selectors.party_member_on(full.person, date(2010, 6, 30))
    assert selectors.party_member_on(full.person, date(2010, 7, 1))
    applicant = make_member(branch=branch, stage=Stage.APPLICANT)
    assert not selectors.party_member_on(applicant.person, date(2016, 1, 1))
    prob = make_member(branch=branch, stage=Stage.PROBATIONARY, admitted_on=date(2015, 6, 1))
    services.member_step_record(actor=None, member=prob, step="cancelled", occurred_on=date(2016, 3, 1),
                                evidence="支部大会决议")
    assert selectors.party_member_on(prob.person, date(2016, 2, 29))
    assert not selectors.party_member_on(prob.person, date(2016, 3, 1))
    intervals = selectors.party_membership_intervals(court)
    assert intervals[prob.person_id] == [(date(2015, 6, 1), date(2016, 2, 29))]
    assert intervals[full.person_id] == [(date(2010, 7, 1), None)]
    assert applicant.person_id not in intervals


def test_transfer_out_leaves_roster_and_keeps_history(court):
    branch = OrganisationFactory(court=court)
    m = make_member(branch=branch, since=date(2012, 1, 1))
    services.member_transfer_out(actor=None, member=m, to_organisation="枣庄市中级人民法院机关党委",
                                 letter_number="鲁组转〔2016〕12号", transferred_on=date(2016, 5, 10))
    assert m.person in selectors.branch_roster_on(branch, date(2016, 5, 9))
    assert m.person not in selectors.branch_roster_on(branch, date(2016, 5, 10))
    assert selectors.branch_of_person_on(m.person, date(2015, 1, 1)) == branch
    assert selectors.branch_of_person_on(m.person, date(2016, 6, 1)) is None
    m.refresh_from_db()
    assert m.transfers.get().letter_number == "鲁组转〔2016〕12号"
    assert m.branch_periods.get().end == date(2016, 5, 9)
    # still a party member (elsewhere)
    assert selectors.party_member_on(m.person, date(2016, 6, 1))


def test_branches_led_by(court, make_user):
    branch, other = OrganisationFactory(court=court), OrganisationFactory(court=court)
    secretary = make_member(branch=branch)
    CommitteePost.objects.create(court=court, organisation=branch, person=secretary.person,
                                 role=CommitteeRole.SECRETARY, term_start=date.today() - timedelta(days=30),
                                 term_end=date.today() + timedelta(days=1000))
    user = make_user(court, "branch_secretary", person=secretary.person)
    assert list(selectors.branches_led_by(user)) == [branch]
    assert other not in selectors.branches_led_by(user)


def test_points_award_idempotent_per_source_and_reversible(court):
    person = PersonFactory(court=court)
    source = OrganisationFactory(court=court)  # any model row stands in for a meeting
    e1 = services.points_award(person=person, rule_code="meeting_attend", occurred_on=date(2016, 3, 1),
                               actor=None, source=source)
    e2 = services.points_award(person=person, rule_code="meeting_attend", occurred_on=date(2016, 3, 1),
                               actor=None, source=source)
    assert e1.pk == e2.pk
    services.points_reverse(person=person, rule_code="meeting_attend", source=source, actor=None)
    total = sum(e.points for e in PointsEntry.objects.filter(person=person))
    assert total == Decimal("0")
    e3 = services.points_award(person=person, rule_code="meeting_attend", occurred_on=date(2016, 3, 1),
                               actor=None, source=source)
    assert e3.pk not in (e1.pk,)
    with pytest.raises(ValidationError):
        services.points_award(person=person, rule_code="no_such_rule", occurred_on=date(2016, 3, 1), actor=None)
    with pytest.raises(ValidationError):
        e1.delete()
