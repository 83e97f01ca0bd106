"""The traffic studio's calculator on its own page (issue 12): before any dispute is registered, the same form,
limits and figures as calculator.py; the result is saved for the user and attached to a dispute later."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal as D

import pytest
from django.urls import reverse

from tianping.mediation import calculator, services
from tianping.mediation.models import ProvinceStatistic, TrafficCalculation

pytestmark = pytest.mark.django_db

# the no-fault worked example of test_calculator.test_no_fault_case, with a note to find it again
DATA = {"title": "张三 6月1日追尾", "province": "山东", "year": "2022", "accident_on": "2023-06-01",
        "victim_age": "30", "medical": "3000", "lost_days": "10", "daily_income": "200", "nursing_days": "0",
        "nurses": "1", "transport": "300", "hospital_days": "5", "nutrition_days": "0", "nutrition_daily": "0",
        "disability_coefficient": "0", "mental_solace": "0", "property_loss": "800", "liability_share": "0",
        "commercial_limit": "0"}


@pytest.fixture
def shandong(db):
    return ProvinceStatistic.objects.create(province="山东", year=2022, urban_disposable_income=50000,
                                            rural_disposable_income=20000, urban_consumption=30000,
                                            rural_consumption=15000, average_wage=100000, hospital_food_daily=100,
                                            is_demo=True)


def test_the_page_computes_what_calculator_py_computes(client_for, studio_judge_user, studio, shandong):
    c = client_for(studio_judge_user)
    assert c.get(reverse("mediation:standalone_calculator")).status_code == 200
    r = c.post(reverse("mediation:standalone_calculator"), DATA)
    assert r.status_code == 302
    calc = TrafficCalculation.objects.get()
    assert calc.dispute is None and calc.created_by == studio_judge_user and calc.title == DATA["title"]
    # the same inputs straight through calculator.py
    stat = calculator.Statistics(province="山东", year=2022, disposable_income=D("50000"), consumption=D("30000"),
                                 average_wage=D("100000"), hospital_food_daily=D("100"))
    limits = services.limits_on(date(2023, 6, 1), at_fault=False)
    expected = calculator.compute(calculator.Inputs(
        accident_on=date(2023, 6, 1), victim_age=30, medical=D("3000"), lost_days=10, daily_income=D("200"),
        transport=D("300"), hospital_days=5, property_loss=D("800"), insured_at_fault=False,
        liability_share=D("0")), stat, limits)
    assert expected["total"] == D("6600.00") and expected["victim"] == D("2400.00")
    for key in ("total", "compulsory", "commercial", "party", "victim"):
        assert D(calc.result[key]) == expected[key], key
    page = c.get(r.url).content.decode()
    for line in expected["lines"]:
        cell = re.search(rf'data-testid="head-{line["key"]}">.*?<td class="text-end">([^<]+)</td>', page, re.S)
        assert cell and D(cell.group(1).replace(",", "")) == line["amount"], line["key"]
    assert re.search(r'data-testid="total">6600.00<', page)
    assert "演示数值" in page and 'data-testid="saved-note"' in page
    # listed on the calculator page for later
    assert DATA["title"] in c.get(reverse("mediation:standalone_calculator")).content.decode()
    from tianping.core.models import AuditEvent  # the service writes the trail

    assert AuditEvent.objects.filter(event="calculation.saved", actor=studio_judge_user).count() == 1


def test_the_same_limits_as_the_dispute_calculator(client_for, mediator_user, shandong):
    c = client_for(mediator_user)
    r = c.post(reverse("mediation:standalone_calculator"), {**DATA, "lost_days": "100000", "title": "长" * 61})
    assert r.status_code == 200
    errors = r.context["form"].errors
    assert "lost_days" in errors and "title" in errors and "61" in str(errors["title"])
    assert not TrafficCalculation.objects.exists()


def test_a_saved_calculation_is_attached_to_a_dispute(client_for, studio_judge_user, studio, make_dispute, centre,
                                                      mediator_user, shandong):
    d = make_dispute(cause="机动车交通事故责任纠纷")
    services.dispute_triage(dispute=d, actor=centre, route="mediation", reason="交通", triaged_on=date(2024, 3, 1),
                            room="studio", studio=studio)
    c = client_for(studio_judge_user)
    c.post(reverse("mediation:standalone_calculator"), DATA)
    calc = TrafficCalculation.objects.get()
    page = c.get(reverse("mediation:calculator", args=[d.pk])).content.decode()
    assert 'data-testid="attach-form"' in page and DATA["title"] in page
    # someone else's saved calculation is not offered, and cannot be posted
    other = client_for(mediator_user).post(reverse("mediation:standalone_calculator"), {**DATA, "title": "别人的"})
    assert other.status_code == 302
    foreign = TrafficCalculation.objects.get(title="别人的")
    r = c.post(reverse("mediation:calculator", args=[d.pk]), {"attach": "1", "calculation": foreign.pk})
    assert r.status_code == 200 and "calculation" in r.context["attach_form"].errors
    foreign.refresh_from_db()
    assert foreign.dispute is None
    r = c.post(reverse("mediation:calculator", args=[d.pk]), {"attach": "1", "calculation": calc.pk})
    assert r.status_code == 302
    calc.refresh_from_db()
    assert calc.dispute == d and list(d.calculations.all()) == [calc]
    assert c.get(reverse("mediation:calculation_detail", args=[d.pk, calc.pk])).status_code == 200
    # attached: no longer among the user's saved ones, and not attachable to a second dispute
    assert c.get(reverse("mediation:saved_calculation", args=[calc.pk])).status_code == 404
    d2 = make_dispute(cause="机动车交通事故责任纠纷")
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="已附入案件"):
        services.calculation_link(dispute=d2, actor=studio_judge_user, calculation=calc)


def test_without_the_permission_403(client_for, court, make_user, mediator_user, shandong):
    c = client_for(mediator_user)
    c.post(reverse("mediation:standalone_calculator"), DATA)
    calc = TrafficCalculation.objects.get()
    for user in (make_user(court, "member"), make_user(court, "party_office"), make_user(court, "higher_court")):
        other = client_for(user)
        assert other.get(reverse("mediation:standalone_calculator")).status_code == 403
        assert other.post(reverse("mediation:standalone_calculator"), DATA).status_code == 403
        assert other.get(reverse("mediation:saved_calculation", args=[calc.pk])).status_code == 403
    assert TrafficCalculation.objects.count() == 1
    # another calculator user does not read my saved calculation
    second = make_user(court, "mediator", username="med_z")
    assert client_for(second).get(reverse("mediation:saved_calculation", args=[calc.pk])).status_code == 404


def test_menu_item_follows_the_permission(client_for, court, make_user, mediator_user):
    url = reverse("mediation:standalone_calculator")
    assert f'href="{url}"' in client_for(mediator_user).get("/").content.decode()
    assert f'href="{url}"' not in client_for(make_user(court, "member")).get("/").content.decode()
