"""Dues by band on the whole income (2008 rules as data rows), rounding half-up to 0.01."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest

from tianping.party import services
from tianping.party.dues import dues_for_base, dues_quote, dues_sheet
from tianping.party.models import DuesBase, DuesRule, Stage
from tianping.party.tests.factories import OrganisationFactory, make_member

pytestmark = pytest.mark.django_db
MONTH = date(2016, 5, 1)


def expected(base: str, percent: str) -> Decimal:
    return (Decimal(base) * Decimal(percent) / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@pytest.mark.parametrize(("base", "percent"), [
    ("3000", "0.5"), ("3000.01", "1"), ("5000", "1"), ("5000.01", "1.5"), ("10000", "1.5"), ("10000.01", "2"),
    ("2999.99", "0.5"), ("1", "0.5"),
])
def test_salaried_bands(base, percent):
    q = dues_for_base(category="salaried", base=Decimal(base), month=MONTH)
    assert q.rate == Decimal(percent) / 100
    assert q.due == expected(base, percent)


def test_known_amounts():
    assert dues_for_base(category="salaried", base=Decimal("5000"), month=MONTH).due == Decimal("50.00")
    assert dues_for_base(category="salaried", base=Decimal("3000"), month=MONTH).due == Decimal("15.00")
    assert dues_for_base(category="salaried", base=Decimal("3000.01"), month=MONTH).due == Decimal("30.00")
    assert dues_for_base(category="salaried", base=Decimal("10000.01"), month=MONTH).due == Decimal("200.00")


@pytest.mark.parametrize(("base", "percent"), [("5000", "0.5"), ("5000.01", "1"), ("2500", "0.5")])
def test_retiree(base, percent):
    q = dues_for_base(category="retired", base=Decimal(base), month=MONTH)
    assert q.due == expected(base, percent)


def test_student_fixed_amount():
    assert dues_for_base(category="student", base=None, month=MONTH).due == Decimal("0.20")


def test_rules_follow_effective_dates():
    """A court row with a later effective date replaces the general band from that month on."""
    DuesRule.objects.create(category="salaried", income_above=Decimal("3000"), income_up_to=Decimal("5000"),
                            rate=Decimal("0.012"), effective_from=date(2017, 1, 1))
    assert dues_for_base(category="salaried", base=Decimal("4000"), month=date(2016, 12, 1)).due == Decimal("40.00")
    assert dues_for_base(category="salaried", base=Decimal("4000"), month=date(2017, 1, 1)).due == Decimal("48.00")


def test_probationary_pays_from_month_of_acceptance(court):
    branch = OrganisationFactory(court=court)
    m = make_member(branch=branch, stage=Stage.PROBATIONARY, admitted_on=date(2016, 5, 20), since=date(2015, 1, 1))
    DuesBase.objects.create(court=court, member=m, amount=Decimal("4000"), effective_from=date(2015, 1, 1))
    assert dues_quote(m, date(2016, 4, 1)).due == Decimal("0.00")
    assert dues_quote(m, date(2016, 5, 1)).due == Decimal("40.00")
    assert [r.member for r in dues_sheet(court.pk, date(2016, 4, 1))] == []
    assert [r.member for r in dues_sheet(court.pk, date(2016, 5, 1))] == [m]


def test_reduction_and_payment_and_base_change(court):
    branch = OrganisationFactory(court=court)
    m = make_member(branch=branch)
    services.dues_base_set(actor=None, member=m, amount=Decimal("4000"), effective_from=date(2015, 1, 1))
    services.dues_base_set(actor=None, member=m, amount=Decimal("6000"), effective_from=date(2016, 7, 1))
    assert dues_quote(m, date(2016, 6, 1)).due == Decimal("40.00")
    assert dues_quote(m, date(2016, 7, 1)).due == Decimal("90.00")
    services.dues_reduction_add(actor=None, member=m, monthly_amount=Decimal("5"), start_month=date(2016, 8, 1),
                                end_month=date(2016, 9, 1), decision="支部决定减交")
    assert dues_quote(m, date(2016, 8, 1)).due == Decimal("5.00")
    assert dues_quote(m, date(2016, 10, 1)).due == Decimal("90.00")
    p = services.dues_payment_record(actor=None, member=m, month=date(2016, 7, 1), paid_amount=Decimal("90"))
    rows = dues_sheet(court.pk, date(2016, 7, 1))
    assert (rows[0].due, rows[0].paid, rows[0].owed) == (Decimal("90.00"), Decimal("90.00"), Decimal("0"))
    with pytest.raises(Exception, match="已被他人修改"):
        services.dues_payment_record(actor=None, member=m, month=date(2016, 7, 1), paid_amount=Decimal("80"),
                                     expected_version=p.version + 5)


def test_member_moved_mid_month_is_on_the_new_branch_sheet_only(court):
    a, b = OrganisationFactory(court=court), OrganisationFactory(court=court)
    m = make_member(branch=a, since=date(2015, 1, 1))
    DuesBase.objects.create(court=court, member=m, amount=Decimal("4000"), effective_from=date(2015, 1, 1))
    services.member_branch_change(actor=None, member=m, branch=b, moved_on=date(2016, 5, 15))
    assert [r.member for r in dues_sheet(court.pk, date(2016, 5, 1), {a.pk})] == []
    assert [r.member for r in dues_sheet(court.pk, date(2016, 5, 1), {b.pk})] == [m]
    assert [r.member for r in dues_sheet(court.pk, date(2016, 4, 1), {a.pk})] == [m]
    assert len(dues_sheet(court.pk, date(2016, 5, 1))) == 1
