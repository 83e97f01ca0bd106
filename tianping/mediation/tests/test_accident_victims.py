"""One compulsory-insurance policy, several victims of one accident; and the urban standard since 2022-05-01.

- 交强险 limits (中国银保监会, in force 2020-09-19): 死亡伤残 180,000 / 医疗费用 18,000 / 财产损失 2,000 yuan when
  the insured is at fault (18,000 / 1,800 / 100 when not). The limits are per accident and its victims share them
  in proportion to their losses under each head (the regulator's notice and the legal text on the sharing were
  not found in the search tool; the figures come from the secondary source listed in docs/mediation.md).
- 法释〔2022〕14号 (in force 2022-05-01), 第十二条 as amended: "残疾赔偿金 … 按照受诉法院所在地上一年度城镇居民人均
  可支配收入标准"; 第十五条: "死亡赔偿金按照受诉法院所在地上一年度城镇居民人均可支配收入标准，按二十年计算".
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tianping.mediation import calculator, services
from tianping.mediation.models import ProvinceStatistic, TrafficCalculation

pytestmark = pytest.mark.django_db
ACCIDENT = date(2021, 8, 1)


def fen(x: D) -> D:
    return x.quantize(D("0.01"), rounding=ROUND_HALF_UP)


@pytest.fixture
def shandong(db):
    return ProvinceStatistic.objects.create(province="山东", year=2022, urban_disposable_income=50000,
                                            rural_disposable_income=20000, urban_consumption=30000,
                                            rural_consumption=15000, average_wage=100000, hospital_food_daily=100,
                                            is_demo=True)


def victims():
    # A died (40 years old): death compensation 50,000 × 20 = 1,000,000; funeral 100,000 ÷ 12 × 6 = 50,000;
    # solace 50,000; medical 10,000.  B injured (30): medical 20,000, 10 hospital days × 100, lost income
    # 100 days × 200 = 20,000, grade-10 disability 50,000 × 20 × 0.1 = 100,000, a damaged scooter 3,000.
    a = calculator.Inputs(accident_on=ACCIDENT, victim_age=40, death=True, mental_solace=D("50000"),
                          medical=D("10000"))
    b = calculator.Inputs(accident_on=ACCIDENT, victim_age=30, medical=D("20000"), hospital_days=10,
                          lost_days=100, daily_income=D("200"), disability_coefficient=D("0.1"),
                          property_loss=D("3000"))
    return a, b


def test_two_victims_share_the_limits_in_proportion_to_their_losses(shandong):
    stat = services.statistics_for("山东", 2022)
    limits = services.limits_on(ACCIDENT, at_fault=True)
    assert (limits.death_disability, limits.medical, limits.property) == (D("180000"), D("18000"), D("2000"))
    result = calculator.compute_accident(list(victims()), stat, limits, names=["甲", "乙"])
    # worked out by hand: losses per head group
    a_dd, a_med = D("1000000") + D("50000") + D("50000"), D("10000")
    b_dd, b_med = D("20000") + D("100000"), D("20000") + D("1000")  # B alone has a property loss (3,000)
    a_dd_paid = fen(D("180000") * a_dd / (a_dd + b_dd))        # 162,295.08
    a_med_paid = fen(D("18000") * a_med / (a_med + b_med))      # 5,806.45
    expected = {
        "death_disability": [a_dd_paid, D("180000") - a_dd_paid],
        "medical": [a_med_paid, D("18000") - a_med_paid],
        "property": [D("0"), D("2000")],                        # B alone, over the 2,000 limit
    }
    for g in result["sharing"]:
        assert [s["paid"] for s in g["shares"]] == expected[g["group"]], g["group"]
    assert a_dd_paid == D("162295.08") and a_med_paid == D("5806.45")
    # the policy pays its limits once for the accident, not once per victim
    assert result["compulsory"] == D("200000.00")
    a, b = result["victims"]
    assert a["compulsory"] == a_dd_paid + a_med_paid
    assert b["compulsory"] == D("200000") - a_dd_paid - a_med_paid
    # separate calculations would have paid 190,000 + 140,000 = 330,000 from the same policy
    separate = sum(calculator.compute(v, stat, limits)["compulsory"] for v in victims())
    assert separate == D("330000.00") > result["compulsory"]
    # each victim's rest goes on to the liability share as before (100 %, no commercial insurance)
    assert a["party"] == a["total"] - a["compulsory"]


def test_combining_saved_calculations_on_the_page(client_for, studio_judge_user, studio, shandong):
    c = client_for(studio_judge_user)
    saved = [services.calculation_save(actor=studio_judge_user, inputs=v, province="山东", year=2022, title=t)
             for v, t in zip(victims(), ["甲 死亡", "乙 受伤"], strict=True)]
    page = c.get(reverse("mediation:standalone_calculator")).content.decode()
    assert 'data-testid="combine-form"' in page
    r = c.post(reverse("mediation:standalone_calculator"),
               {"combine": "1", "calculations": [s.pk for s in saved], "combined_title": "8月1日两人伤亡"})
    assert r.status_code == 302
    combined = TrafficCalculation.objects.get(title="8月1日两人伤亡")
    assert D(combined.result["compulsory"]) == D("200000.00")
    assert combined.inputs["victims"] == [s.pk for s in saved]
    detail = c.get(r.url).content.decode()
    assert 'data-testid="sharing"' in detail and "162295.08" in detail and "甲 死亡" in detail
    # a combined calculation is not offered for combining again
    form_page = c.get(reverse("mediation:standalone_calculator")).content.decode()
    assert f'value="{combined.pk}"' not in form_page.split('data-testid="combine-form"')[1]


def test_victims_of_different_accidents_are_not_combined(studio_judge_user, shandong):
    a, b = victims()
    b.accident_on = date(2021, 8, 2)
    saved = [services.calculation_save(actor=studio_judge_user, inputs=v, province="山东", year=2022) for v in (a, b)]
    with pytest.raises(ValidationError) as exc:
        services.accident_calculation_save(actor=studio_judge_user, calculations=saved)
    assert "同一事故" in str(exc.value)


@pytest.mark.parametrize("day,refused", [(date(2022, 4, 30), False), (date(2022, 5, 1), True)])
def test_rural_standard_refused_from_2022_05_01(studio_judge_user, shandong, day, refused):
    inputs = calculator.Inputs(accident_on=day, victim_age=40, death=True)
    if refused:
        with pytest.raises(ValidationError) as exc:
            services.calculation_save(actor=studio_judge_user, inputs=inputs, province="山东", year=2022, rural=True)
        assert "法释〔2022〕14号" in str(exc.value) and "城镇居民" in str(exc.value)
    else:
        calc = services.calculation_save(actor=studio_judge_user, inputs=inputs, province="山东", year=2022,
                                         rural=True)
        death = next(line for line in calc.result["lines"] if line["key"] == "death")
        assert D(death["amount"]) == D("20000") * 20  # the rural figure was still allowed


def test_the_form_says_why_the_rural_standard_is_refused(client_for, studio_judge_user, studio, shandong):
    data = {"province": "山东", "year": "2022", "rural": "on", "accident_on": "2022-06-01", "victim_age": "30",
            "medical": "1000", "lost_days": "0", "nursing_days": "0", "nurses": "1", "transport": "0",
            "hospital_days": "0", "nutrition_days": "0", "nutrition_daily": "0", "disability_coefficient": "0",
            "mental_solace": "0", "property_loss": "0", "liability_share": "100", "commercial_limit": "0",
            "insured_at_fault": "on"}
    r = client_for(studio_judge_user).post(reverse("mediation:standalone_calculator"), data)
    assert r.status_code == 200 and "法释〔2022〕14号" in r.content.decode()
    assert not TrafficCalculation.objects.exists()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_browser_two_victims_combined(reference_data, login, studio_judge_user, studio, request):
    """The studio judge ticks the two saved calculations of one accident and reads the shared limits."""
    from pathlib import Path

    ProvinceStatistic.objects.create(province="山东", year=2022, urban_disposable_income=50000,
                                     rural_disposable_income=20000, urban_consumption=30000, rural_consumption=15000,
                                     average_wage=100000, hospital_food_daily=100, is_demo=True)
    for v, t in zip(victims(), ["甲 死亡", "乙 受伤"], strict=True):
        services.calculation_save(actor=studio_judge_user, inputs=v, province="山东", year=2022, title=t)
    page = login("studio_judge")
    page.goto("/mediation/calculator/")
    form = page.get_by_test_id("combine-form")
    form.get_by_label("甲 死亡", exact=False).check()
    form.get_by_label("乙 受伤", exact=False).check()
    page.fill("#id_combined_title", "8月1日两人伤亡")
    page.get_by_test_id("combine").click()
    page.get_by_test_id("sharing").wait_for()
    assert page.get_by_test_id("compulsory").first.inner_text() == "200000.00"
    assert "162295.08" in page.get_by_test_id("share-death_disability-1").inner_text()
    if request.config.getoption("--screenshots"):
        shots = Path(__file__).resolve().parents[3] / "docs" / "screenshots"
        page.screenshot(path=str(shots / "mediation-accident-victims.png"), full_page=True)
