"""A hand-built set of cases whose figures are worked out by hand in test_metrics.py."""

from datetime import date
from decimal import Decimal

import pytest


@pytest.fixture
def casebook(court):
    """Court 鲁0403, departments A and B, judges J1 (party member throughout), J2 (joins 2016-07-01),
    J3 (never a member), and eleven cases around the year 2016 (see test_metrics.py for the arithmetic)."""
    from tianping.org.tests.factories import DepartmentFactory, PersonFactory
    from tianping.trials.selectors import refresh_membership
    from tianping.trials.tests.factories import make_case

    a = DepartmentFactory(court=court, name="民一庭", sort_order=1)
    b = DepartmentFactory(court=court, name="刑庭", sort_order=2)
    j1 = PersonFactory(court=court, name="甲法官", department=a, is_leadership=True)
    j2 = PersonFactory(court=court, name="乙法官", department=a)
    j3 = PersonFactory(court=court, name="丙法官", department=b)
    from tianping.party.models import PartyMember

    PartyMember.objects.create(court=court, person=j1, stage="full", admitted_on=date(2005, 7, 1),
                               converted_on=date(2006, 7, 1))
    PartyMember.objects.create(court=court, person=j2, stage="probationary", admitted_on=date(2016, 7, 1))
    refresh_membership(court)
    c = {}
    c[1] = make_case(court, filed_on=date(2015, 11, 1), closed_on=date(2016, 2, 10), judge=j1, outcome="mediation",
                     panel=[j1, j2])
    c[2] = make_case(court, filed_on=date(2015, 10, 1), judge=j1)
    c[3] = make_case(court, filed_on=date(2016, 1, 10), closed_on=date(2016, 5, 20), judge=j2, procedure="summary",
                     excluded_days=30, appealed=True, appeal_result="revised")
    c[4] = make_case(court, filed_on=date(2016, 6, 1), closed_on=date(2016, 7, 15), judge=j2,
                     procedure="small_claims", outcome="withdrawal", retrial_petition=True)
    c[5] = make_case(court, "刑初", filed_on=date(2016, 3, 1), closed_on=date(2016, 4, 30), judge=j3,
                     appealed=True, appeal_result="affirmed", retrial_petition=True, panel=[j3, j1])
    c[6] = make_case(court, "民终", filed_on=date(2016, 2, 1), closed_on=date(2016, 3, 1), judge=j1, department=b,
                     procedure="second_instance")
    c[7] = make_case(court, "执", filed_on=date(2016, 4, 1), closed_on=date(2016, 9, 1), judge=j3,
                     procedure="enforcement", outcome="other", enforcement_applied=Decimal("100000"),
                     enforcement_recovered=Decimal("60000"))
    c[8] = make_case(court, filed_on=date(2016, 11, 1), judge=j1)
    c[9] = make_case(court, filed_on=date(2014, 5, 1), closed_on=date(2015, 6, 1), judge=j1)
    c[10] = make_case(court, "民诉前调", filed_on=date(2016, 2, 1), closed_on=date(2016, 2, 20), judge=j1,
                      procedure="pre_litigation", outcome="mediation")
    c[11] = make_case(court, filed_on=date(2016, 12, 1), closed_on=date(2017, 1, 5), judge=j3)
    return {"court": court, "a": a, "b": b, "j1": j1, "j2": j2, "j3": j3, "cases": c}


@pytest.fixture(autouse=True)
def _trials_reference_data(request):
    """Transactional tests (browser, threads) run after a flush that removes the rows migrations load
    (case types, time limits); put them back so every test sees the installed reference data."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None or not (marker.kwargs.get("transaction") or "live_server" in request.fixturenames):
        return
    request.getfixturevalue("transactional_db")
    from importlib import import_module

    from django.apps import apps

    import_module("tianping.trials.migrations.0005_load_annex_type_codes").load(apps, None)
    import_module("tianping.trials.migrations.0007_load_time_limits").load(apps, None)
