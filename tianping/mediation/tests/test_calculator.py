"""The traffic studio's calculator against worked examples done by hand (in the comments)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from tianping.mediation import calculator, services
from tianping.mediation.calculator import Inputs, Limits, Statistics, compensation_years, compute
from tianping.mediation.models import ProvinceStatistic

# Round test statistics so the arithmetic is easy to follow by hand.
STAT = Statistics(province="测试省", year=2023, disposable_income=D("50000"), consumption=D("30000"),
                  average_wage=D("100000"), hospital_food_daily=D("100"))
AT_FAULT_2020 = Limits(death_disability=D("180000"), medical=D("18000"), property=D("2000"))
NO_FAULT_2020 = Limits(death_disability=D("18000"), medical=D("1800"), property=D("100"))


@pytest.mark.parametrize(("age", "years"), [(0, 20), (45, 20), (60, 20), (61, 19), (66, 14), (74, 6), (75, 5),
                                            (90, 5)])
def test_compensation_years(age, years):
    assert compensation_years(age) == years


def test_no_fault_case():
    """The insured vehicle is not at fault (无责): the lower no-fault limits apply and the victim bears the rest.

    medical         3,000.00 (receipts)
    lost income     200.00/day × 10 days           = 2,000.00
    transport       300.00 (receipts)
    hospital food   100.00/day × 5 days            =   500.00
    property loss   800.00
    total                                          = 6,600.00
    compulsory, no-fault limits:
      death/disability group: 2,000 + 300 = 2,300 ≤ 18,000 → 2,300.00
      medical group: 3,000 + 500 = 3,500 > 1,800          → 1,800.00
      property: 800 > 100                                 →   100.00
      compulsory total                                    = 4,200.00
    rest 6,600 − 4,200 = 2,400.00; liability share 0 → insurer 0, party 0, victim 2,400.00
    """
    inp = Inputs(accident_on=date(2023, 6, 1), victim_age=30, medical=D("3000"), lost_days=10,
                 daily_income=D("200"), transport=D("300"), hospital_days=5, property_loss=D("800"),
                 insured_at_fault=False, liability_share=D("0"))
    r = compute(inp, STAT, NO_FAULT_2020)
    amounts = {line["key"]: line["amount"] for line in r["lines"]}
    assert amounts == {"medical": D("3000.00"), "lost_income": D("2000.00"), "transport": D("300.00"),
                       "hospital_food": D("500.00"), "property_loss": D("800.00")}
    assert [g["paid"] for g in r["groups"]] == [D("2300.00"), D("1800.00"), D("100.00")]
    assert (r["total"], r["compulsory"], r["rest"]) == (D("6600.00"), D("4200.00"), D("2400.00"))
    assert (r["commercial"], r["party"], r["victim"]) == (D("0.00"), D("0.00"), D("2400.00"))


def test_beyond_the_insurance_limits():
    """A 66-year-old left with an 8th-grade disability (coefficient 0.3), a 10-year-old dependant supported by 2,
    the insured vehicle 70% liable, commercial third-party insurance limit 50,000.

    years: 66 > 60 → 20 − (66 − 60) = 14
    medical           40,000.00
    lost income       100,000 ÷ 365 × 60 = 16,438.356… → 16,438.36 (no fixed income: average wage)
    nursing           150.00 × 20 days × 1 = 3,000.00
    transport         1,000.00
    hospital food     100.00 × 20 days = 2,000.00
    nutrition         30.00 × 30 days = 900.00
    disability        50,000 × 14 × 0.3 = 210,000.00
    dependants        10 years old → 18 − 10 = 8 years; 30,000 × 8 ÷ 2 = 120,000 × 0.3 = 36,000.00
    mental solace     10,000.00
    property loss     5,000.00
    medical group      40,000 + 2,000 + 900 = 42,900.00 → limit 18,000.00
    death/disability   16,438.36 + 3,000 + 1,000 + 210,000 + 36,000 + 10,000 = 276,438.36 → limit 180,000.00
    property           5,000.00 → limit 2,000.00
    total 42,900 + 276,438.36 + 5,000 = 324,338.36; compulsory 200,000.00; rest 124,338.36
    70% of the rest = 87,036.852 → 87,036.85; commercial pays 50,000.00 (its limit); the insured party
    87,036.85 − 50,000 = 37,036.85; the victim bears 124,338.36 − 87,036.85 = 37,301.51
    """
    inp = Inputs(accident_on=date(2023, 5, 10), victim_age=66, medical=D("40000"), lost_days=60, nursing_days=20,
                 nursing_daily=D("150"), transport=D("1000"), hospital_days=20, nutrition_days=30,
                 nutrition_daily=D("30"), disability_coefficient=D("0.3"), dependants=[{"age": 10, "supporters": 2}],
                 mental_solace=D("10000"), property_loss=D("5000"), liability_share=D("0.7"),
                 commercial_limit=D("50000"))
    r = compute(inp, STAT, AT_FAULT_2020)
    amounts = {line["key"]: line["amount"] for line in r["lines"]}
    assert amounts == {"medical": D("40000.00"), "lost_income": D("16438.36"), "nursing": D("3000.00"),
                       "transport": D("1000.00"), "hospital_food": D("2000.00"), "nutrition": D("900.00"),
                       "disability": D("210000.00"), "dependants": D("36000.00"), "mental_solace": D("10000.00"),
                       "property_loss": D("5000.00")}
    groups = {g["group"]: (g["loss"], g["paid"]) for g in r["groups"]}
    assert groups == {"death_disability": (D("276438.36"), D("180000.00")), "medical": (D("42900.00"), D("18000.00")),
                      "property": (D("5000.00"), D("2000.00"))}
    assert (r["total"], r["compulsory"], r["rest"]) == (D("324338.36"), D("200000.00"), D("124338.36"))
    assert (r["insured_share"], r["commercial"], r["party"], r["victim"]) == (
        D("87036.85"), D("50000.00"), D("37036.85"), D("37301.51"))
    disability = next(line for line in r["lines"] if line["key"] == "disability")
    assert disability["formula"] == "50,000.00 元/年 × 14 年（66 岁，超过 60 岁按 14 年） × 0.3 = 210,000.00 元"


def test_death_with_two_dependants_capped_per_year():
    """Death of a 40-year-old; dependants aged 10 (8 years) and 15 (3 years), one supporter each.

    death compensation 50,000 × 20 = 1,000,000.00; funeral 100,000 ÷ 12 × 6 = 50,000.00
    dependants: years 1–3 both: 30,000 + 30,000 = 60,000 > 30,000 → 30,000 a year (cap);
                years 4–8 only the younger: 30,000 a year → 8 × 30,000 = 240,000.00
    """
    inp = Inputs(accident_on=date(2023, 5, 10), victim_age=40, death=True,
                 dependants=[{"age": 10, "supporters": 1}, {"age": 15, "supporters": 1}], liability_share=D("1"))
    r = compute(inp, STAT, AT_FAULT_2020)
    amounts = {line["key"]: line["amount"] for line in r["lines"]}
    assert amounts == {"death": D("1000000.00"), "funeral": D("50000.00"), "dependants": D("240000.00")}
    assert "3 年合计超过" in next(line["formula"] for line in r["lines"] if line["key"] == "dependants")
    # all in the death/disability group: 1,290,000 − 180,000 = 1,110,000 borne by the fully liable party
    assert (r["compulsory"], r["party"], r["victim"]) == (D("180000.00"), D("1110000.00"), D("0.00"))


def test_bad_inputs_refused():
    with pytest.raises(ValueError, match="责任比例"):
        compute(Inputs(accident_on=date(2023, 1, 1), victim_age=30, liability_share=D("1.5")), STAT, AT_FAULT_2020)
    with pytest.raises(ValueError, match="死亡案件不计算残疾赔偿金"):
        compute(Inputs(accident_on=date(2023, 1, 1), victim_age=30, death=True, disability_coefficient=D("0.1")),
                STAT, AT_FAULT_2020)


@pytest.mark.django_db
def test_limits_follow_the_accident_date():
    # migration 0002 loads both sets; an accident before 2020-09-19 uses the 2008 limits
    old = services.limits_on(date(2019, 5, 1), at_fault=True)
    new = services.limits_on(date(2021, 5, 1), at_fault=True)
    no_fault = services.limits_on(date(2021, 5, 1), at_fault=False)
    assert (old.death_disability, old.medical, old.property) == (D("110000"), D("10000"), D("2000"))
    assert (new.death_disability, new.medical, new.property) == (D("180000"), D("18000"), D("2000"))
    assert (no_fault.death_disability, no_fault.medical, no_fault.property) == (D("18000"), D("1800"), D("100"))
    with pytest.raises(ValidationError):
        services.limits_on(date(2001, 1, 1), at_fault=True)


@pytest.mark.django_db
def test_calculation_attached_to_dispute(make_dispute, centre):
    ProvinceStatistic.objects.create(province="山东", year=2022, urban_disposable_income=D("50000"),
                                     rural_disposable_income=D("20000"), urban_consumption=D("30000"),
                                     rural_consumption=D("15000"), average_wage=D("100000"), is_demo=True)
    d = make_dispute(cause="机动车交通事故责任纠纷")
    inp = Inputs(accident_on=date(2023, 5, 10), victim_age=30, medical=D("20000"), liability_share=D("1"))
    calc = services.calculation_attach(dispute=d, actor=centre, inputs=inp, province="山东", year=2022)
    # medical 20,000 > 18,000 limit: 2,000 left for the fully liable party
    assert calc.total == D("20000.00") and calc.result["party"] == "2000.00"
    assert calc.result["statistics"]["is_demo"] is True
    with pytest.raises(ValidationError, match="没有 山东 2030"):
        services.calculation_attach(dispute=d, actor=centre, inputs=inp, province="山东", year=2030)


def test_money_rounds_half_up():
    assert calculator.money(D("0.005")) == D("0.01")
    assert calculator.fmt(D("1234567.8")) == "1,234,567.80"
