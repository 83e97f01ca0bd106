"""The demo's top-up of the leadership cases to the seed's figure (`trials.demo.match_leadership_cases`): leaders
take the last non-judge seat of panels, cases in filing order, until the year's count reaches the target; the
panels keep their size and the handling judges stay."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from tianping.trials.demo import match_leadership_cases
from tianping.trials.models import Case
from tianping.trials.selectors import closed_counts, year_period
from tianping.trials.tests.factories import make_case

pytestmark = pytest.mark.django_db


def _leadership_cases(court) -> set[int]:
    """Closed in 2016 (民诉前调 not counted), a leader the handling judge or on the panel — worked out here."""
    return {c.pk for c in Case.objects.filter(court=court, closed_on__year=2016).exclude(type_code="民诉前调")
            if (c.judge and c.judge.is_leadership) or c.panel.filter(is_leadership=True).exists()}


def test_leaders_take_seats_until_the_target(casebook):
    court, j1, j2, j3 = casebook["court"], casebook["j1"], casebook["j2"], casebook["j3"]
    first = make_case(court, filed_on=date(2016, 3, 1), closed_on=date(2016, 6, 1), judge=j2, panel=[j2, j3])
    second = make_case(court, filed_on=date(2016, 4, 1), closed_on=date(2016, 8, 1), judge=j3, panel=[j3, j2])
    before = _leadership_cases(court)   # c1, c5, c6 of the casebook
    sizes = Counter(Case.panel.through.objects.values_list("case_id", flat=True))
    judges = dict(Case.objects.values_list("pk", "judge_id"))

    assert match_leadership_cases(court, 2016, len(before) + 1) == 1
    assert _leadership_cases(court) == before | {first.pk}   # the earlier filing first
    assert set(first.panel.values_list("pk", flat=True)) == {j2.pk, j1.pk}
    assert match_leadership_cases(court, 2016, len(before) + 2) == 1
    assert set(second.panel.values_list("pk", flat=True)) == {j3.pk, j1.pk}
    assert closed_counts(court, year_period(2016))["leadership"] == len(before) + 2   # the report's count
    assert match_leadership_cases(court, 2016, len(before) + 2) == 0   # at the target: nothing more
    assert match_leadership_cases(court, 2016, 1) == 0                 # above it: left alone
    assert Counter(Case.panel.through.objects.values_list("case_id", flat=True)) == sizes
    assert dict(Case.objects.values_list("pk", "judge_id")) == judges
