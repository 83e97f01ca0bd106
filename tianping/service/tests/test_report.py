"""The annual report's service figures (service/report.py) worked out by hand on the small world of
conftest.py (cases closed in March 2026), and a figure's link listing exactly the records counted."""

from __future__ import annotations

import re
from datetime import date

import pytest

from tianping.service.models import CircuitPlace, CircuitTrial, OutreachEvent, Partnership, PartnerVisit, Revisit
from tianping.service.report import service_figures

pytestmark = pytest.mark.django_db


def _revisit(case, name, rating, day=date(2026, 4, 1)):
    return Revisit.objects.create(court=case.court, case=case, revisited_on=day, method="phone",
                                  caller=case.judge, contact_name=name, relation="plaintiff", rating=rating)


@pytest.fixture
def elsewhere(other_court):
    """Another court with one of each record in 2026."""
    from tianping.org.tests.factories import DepartmentFactory, PersonFactory
    from tianping.trials.tests.factories import make_case

    dep = DepartmentFactory(court=other_court, name="民一庭")
    judge = PersonFactory(court=other_court, department=dep)
    case = make_case(other_court, filed_on=date(2026, 1, 5), closed_on=date(2026, 3, 1), judge=judge)
    _revisit(case, "外院当事人", 5)
    place = CircuitPlace.objects.create(court=other_court, township="坛山街道", name="坛山村")
    CircuitTrial.objects.create(court=other_court, held_on=date(2026, 5, 1), form="hearing", place=place,
                                department=dep, judge=judge, note="外院")
    OutreachEvent.objects.create(court=other_court, held_on=date(2026, 5, 1), title="外院宣传", kind="publicity",
                                 place="广场")
    pair = Partnership.objects.create(court=other_court, partner="外院联系点", partner_kind="village", leader=judge,
                                      start=date(2024, 1, 1))
    PartnerVisit.objects.create(court=other_court, partnership=pair, visited_on=date(2026, 5, 1), matters="走访")


def test_revisit_figures_count_distinct_cases_and_people_and_the_latest_rating(world, elsewhere):
    """2026: case a0 — 甲 rated 满意 then 不满意 (latest counts: not satisfied), 乙 基本满意 (satisfied);
    a1 — 丙 gave no rating, 丁 满意; b0 — 戊 非常不满意. Cases {a0, a1, b0} = 3; people 甲 乙 丙 丁 戊 = 5;
    rated 甲 乙 丁 戊 = 4, satisfied 乙 丁 = 2 → 0.5. Not counted: a2's revisit on 2025-12-31 and another
    court's revisit. 2024 has no revisit: 0, 0 and no rate (null, not 0)."""
    a, b = world["cases_a"], world["cases_b"]
    _revisit(a[0], "甲", 4, date(2026, 4, 1))
    _revisit(a[0], "甲", 2, date(2026, 5, 1))
    _revisit(a[0], "乙", 3)
    _revisit(a[1], "丙", None)
    _revisit(a[1], "丁", 4)
    _revisit(b[0], "戊", 1, date(2026, 12, 1))
    _revisit(a[2], "己", 5, date(2025, 12, 31))
    figures = service_figures(world["court"], 2026)
    assert figures["revisited_cases"].value == 3
    assert figures["revisited_people"].value == 5
    assert figures["revisit_satisfaction_rate"].value == 0.5
    empty = service_figures(world["court"], 2024)
    assert (empty["revisited_cases"].value, empty["revisited_people"].value) == (0, 0)
    assert empty["revisit_satisfaction_rate"].value is None


def test_circuit_outreach_and_visits_count_the_years_records_and_the_link_lists_exactly_them(
        world, elsewhere, client_for):
    """Two of each on 2026-01-01 and 2026-12-01 count; one on 2025-12-31 and another court's do not → 2, 2, 2.
    The circuit trials' link, opened by the trial office, lists exactly the two counted."""
    court, j1, a = world["court"], world["j1"], world["a"]
    place = CircuitPlace.objects.create(court=court, township="沙沟镇", name="前良村")
    pair = Partnership.objects.create(court=court, partner="前良村", partner_kind="village", leader=j1,
                                      start=date(2024, 1, 1))
    for n, day in enumerate((date(2026, 1, 1), date(2026, 12, 1), date(2025, 12, 31))):
        CircuitTrial.objects.create(court=court, held_on=day, form="hearing", place=place, department=a, judge=j1,
                                    note=f"巡回第{n}次")
        OutreachEvent.objects.create(court=court, held_on=day, title=f"宣传第{n}次", kind="publicity", place="广场")
        PartnerVisit.objects.create(court=court, partnership=pair, visited_on=day, matters="走访")
    figures = service_figures(court, 2026)
    assert [figures[k].value for k in ("circuit_trials", "outreach_events", "partner_visits")] == [2, 2, 2]
    assert service_figures(court, 2024)["circuit_trials"].value == 0
    page = client_for(world["trial_office"]).get(figures["circuit_trials"].url)
    assert page.status_code == 200
    assert set(re.findall(r"巡回第\d次|外院", page.content.decode())) == {"巡回第0次", "巡回第1次"}
