"""The monthly rollups give the same figures as the grouped queries over the cases, for every key of every
dimension, and stay equal to a fresh rebuild through every write the services make (issue 19)."""

from datetime import date
from decimal import Decimal

import pytest

from tianping.trials import rollups
from tianping.trials import selectors as sel
from tianping.trials.models import Case, CaseRollup
from tianping.trials.selectors import Period

pytestmark = pytest.mark.django_db

PERIODS = [
    Period(date(2016, 1, 1), date(2016, 12, 31)),
    Period(date(2015, 1, 1), date(2015, 12, 31)),
    Period(date(2016, 1, 1), date(2016, 6, 30)),
    Period(date(2016, 7, 1), date(2016, 12, 31)),
    Period(date(2016, 5, 1), date(2016, 5, 31)),
    Period(date(2015, 11, 1), date(2017, 1, 31)),
    Period(date(2017, 1, 1), date(2017, 12, 31)),
]


def _norm(counts: dict) -> dict:
    return {k: {n: round(Decimal(v or 0), 2) for n, v in c.items()} for k, c in counts.items()}


def _rows() -> set:
    """The rollup table without its all-zero rows (a row emptied by a move stays, holding zeros)."""
    fields = [*rollups.KEY, *rollups.COLUMNS]
    return {tuple(round(Decimal(v), 2) if isinstance(v, Decimal | float) else v for v in row)
            for row in CaseRollup.objects.values_list(*fields)
            if any(row[len(rollups.KEY):])}


def assert_same(court) -> None:
    """Maintained rows = rebuilt rows; rollup figures = raw figures for every period, dimension and key."""
    maintained = _rows()
    rollups.rebuild_rollups([court])
    assert _rows() == maintained
    assert maintained, "the rollups hold rows"
    excluded = sel.metric_types_excluded()
    for period in PERIODS:
        assert rollups.ready([court.pk], period)
        raw = sel._raw_cube([court.pk], period, None)
        summed = sel.cube_counts([court.pk], period)
        assert _norm(summed) == _norm(raw), period
        for by in sel.DIMENSIONS:
            assert (sel.metrics(court, period, by, refresh=False, counts=summed)
                    == sel.metrics(court, period, by, refresh=False, counts=raw)), (period, by)
        table = sel.court_table([court.pk], period)
        by_court = sel.grouped_counts([court.pk], period, "court")
        assert _norm({court.pk: table[0]["counts"]} if table[0]["counts"] else {}) == _norm(by_court), period
        assert _norm(rollups.court_counts([court.pk], period, excluded)) == _norm(by_court)
        raw_months = sel._monthly_closed_raw(court, period, None)
        assert {k: v for k, v in rollups.monthly_closed(court.pk, period).items() if v["closed"]} == {
            k: {n: v[n] for n in ("closed", "party_closed", "closed_within", "mediated_withdrawn")}
            for k, v in raw_months.items()}, period


def test_rollups_equal_the_raw_figures_through_every_write(casebook, make_user):
    from tianping.party.models import PartyMember
    from tianping.trials import services

    court, c = casebook["court"], casebook["cases"]
    actor = make_user(court)
    rollups.rebuild_rollups([court])
    assert_same(court)
    # both ways of reading are exercised: a year whose closings all match the judges' status, and 2016, when 乙
    # (joined 2016-07-01) closed cases before and after joining
    assert rollups.cube(court.pk, PERIODS[1], sel.metric_types_excluded())[1] == set()
    assert casebook["j2"].pk in rollups.cube(court.pk, PERIODS[0], sel.metric_types_excluded())[1]

    # a case edited after closing: judge, department and closing date change
    case = Case.objects.get(pk=c[3].pk)
    case.judge, case.department, case.closed_on = casebook["j3"], casebook["b"], date(2016, 8, 20)
    services.case_save(actor=actor, case=case, expected_version=case.version)
    assert_same(court)
    # an open case closed, by another judge; a new case filed, then closed across a year end
    services.case_close(case=c[2], actor=actor, closed_on=date(2016, 10, 10), outcome="judgment",
                        judge=casebook["j2"])
    new = services.case_register(court=court, type_code="民初", filed_on=date(2015, 12, 15), cause="借款合同纠纷",
                                 actor=actor, department=casebook["a"], judge=casebook["j1"])
    assert_same(court)
    services.case_close(case=new, actor=actor, closed_on=date(2017, 1, 20), outcome="mediation")
    assert_same(court)
    # an import row updating a case: reopened (closing date cleared)
    services.case_import_row(actor=actor, court=court, values={
        "number": c[7].number, "filed_on": c[7].filed_on, "closed_on": None, "judge": casebook["j3"],
        "department": casebook["b"], "procedure": "enforcement", "enforcement_applied": Decimal("100000")})
    assert Case.objects.get(pk=c[7].pk).closed_on is None
    assert_same(court)
    # a judge whose party status changes mid-year: 丙 joins on 2016-05-01
    PartyMember.objects.create(court=court, person=casebook["j3"], stage="probationary",
                               admitted_on=date(2016, 5, 1))
    assert sel.refresh_membership(court)
    assert casebook["j3"].pk in rollups.cube(court.pk, PERIODS[0], sel.metric_types_excluded())[1]
    assert_same(court)
    # a delete
    services.case_delete(actor=actor, case=c[5], reason="重复录入")
    assert not Case.objects.filter(pk=c[5].pk).exists()
    assert_same(court)


def test_figures_read_the_cases_until_the_court_has_rollups(casebook):
    court = casebook["court"]
    year = PERIODS[0]
    assert not rollups.ready([court.pk], year)
    before = sel.court_table([court.pk], year)
    rollups.rebuild_rollups([court])
    assert rollups.ready([court.pk], year)
    assert sel.court_table([court.pk], year) == before
    # a period that is not whole months, and a filtered one, are computed from the cases
    assert not rollups.ready([court.pk], Period(date(2016, 1, 1), date(2016, 12, 30)))
    assert not rollups.ready([court.pk], year, sel.scope_q(judge=casebook["j1"].pk))


def test_rebuild_command(casebook, capsys):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    call_command("rebuild_trial_rollups", court="鲁0403")
    expected = sum(1 for _ in _rows())
    assert CaseRollup.objects.filter(court=casebook["court"]).count() == expected > 0
    with pytest.raises(CommandError):
        call_command("rebuild_trial_rollups", court="鲁9999")
