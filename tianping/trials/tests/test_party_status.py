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
