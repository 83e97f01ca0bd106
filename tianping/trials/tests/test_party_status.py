"""Party status comes from the party app: a judge who joins mid-year counts only after joining."""

from datetime import date

import pytest

from tianping.trials.selectors import Period, metrics

pytestmark = pytest.mark.django_db


def test_joins_mid_year_counts_only_after(court):
    from tianping.org.tests.factories import DepartmentFactory, PersonFactory
    from tianping.party.models import PartyMember
    from tianping.trials.tests.factories import make_case

    dep = DepartmentFactory(court=court)
    judge = PersonFactory(court=court, department=dep)
    PartyMember.objects.create(court=court, person=judge, stage="probationary", admitted_on=date(2016, 7, 1))
    before = make_case(court, filed_on=date(2016, 2, 1), closed_on=date(2016, 6, 30), judge=judge)
    after = make_case(court, filed_on=date(2016, 2, 1), closed_on=date(2016, 7, 1), judge=judge)
    make_case(court, filed_on=date(2016, 3, 1), closed_on=date(2016, 9, 1), judge=judge)
    (row,) = metrics(court, Period(date(2016, 1, 1), date(2016, 12, 31)), "court")
    assert row["closed"] == 3 and row["party_member_closed_share"] == round(2 / 3, 4)
    first_half = metrics(court, Period(date(2016, 1, 1), date(2016, 6, 30)), "party")
    assert [r["closed"] for r in first_half] == [0, 1]
    assert before.closed_on < date(2016, 7, 1) <= after.closed_on
    # a membership ended (e.g. 停止党籍) stops counting from that day
    PartyMember.objects.filter(person=judge).update(membership_ended_on=date(2016, 8, 1))
    (row,) = metrics(court, Period(date(2016, 1, 1), date(2016, 12, 31)), "court")
    assert row["party_member_closed_share"] == round(1 / 3, 4)


def test_a_higher_courts_refresh_reads_every_court_at_once_and_refreshes_only_the_changed(
        court, other_court, django_assert_num_queries):
    from tianping.org.tests.factories import CourtFactory, PersonFactory
    from tianping.party.models import PartyMember
    from tianping.trials.models import MembershipSpan
    from tianping.trials.services import membership_refresh_courts
    from tianping.trials.tests.factories import make_case

    quiet = CourtFactory(code="鲁0405", name="台儿庄区人民法院")  # no party members: nothing to copy
    joined = PersonFactory(court=court)
    PartyMember.objects.create(court=court, person=joined, stage="probationary", admitted_on=date(2016, 7, 1))
    left = PersonFactory(court=other_court)
    PartyMember.objects.create(court=other_court, person=left, stage="full", admitted_on=date(2001, 7, 1),
                               converted_on=date(2002, 7, 1), membership_ended_on=date(2016, 3, 1))
    case = make_case(other_court, filed_on=date(2016, 1, 5), closed_on=date(2016, 2, 1), judge=left)
    courts = [court, other_court, quiet]
    assert sorted(membership_refresh_courts(courts=courts)) == sorted([court.pk, other_court.pk])
    assert set(MembershipSpan.objects.values_list("person_id", "start", "end")) == {
        (joined.pk, date(2016, 7, 1), None), (left.pk, date(2001, 7, 1), date(2016, 2, 29))}
    case.refresh_from_db()
    assert case.judge_party_closed is True  # closed while still a member
    with django_assert_num_queries(2):  # nothing changed: the party app's periods and the copies, once each
        assert membership_refresh_courts(courts=courts) == []
    PartyMember.objects.filter(person=joined).update(cancelled_on=date(2016, 9, 1))
    assert membership_refresh_courts(courts=courts) == [court.pk]
    assert MembershipSpan.objects.get(person=joined).end == date(2016, 8, 31)
