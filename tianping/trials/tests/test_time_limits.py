"""Statutory time limits against the texts (each row cites its law and article; the quotations are in the
comments). Deadlines are worked out here with plain date arithmetic, independently of TimeLimit.deadline_from."""

import calendar
from datetime import date, timedelta

import pytest

from tianping.trials.models import TimeLimit, statutory_deadline, statutory_limit
from tianping.trials.timelimits import LIMIT_ROWS

pytestmark = pytest.mark.django_db


def months_later(day: date, n: int) -> date:
    y, m = divmod(day.month - 1 + n, 12)
    year, month = day.year + y, m + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def a_day_in(row) -> date:
    start = row.valid_from or date(2010, 3, 31)
    return min(start + timedelta(days=40), row.valid_to or date(2030, 1, 1))


@pytest.mark.parametrize("row", LIMIT_ROWS, ids=lambda r: f"{r.type_code}-{r.procedure or 'default'}-{r.law}")
def test_every_row_in_the_data_is_loaded_and_applies_in_its_range(row):
    filed = a_day_in(row)
    rule = statutory_limit(row.type_code, row.procedure, filed)
    assert (rule.law, rule.article, rule.months, rule.days) == (row.law, row.article, row.months, row.days)
    assert statutory_deadline(row.type_code, row.procedure, filed) == (
        months_later(filed, row.months) + timedelta(days=row.days))
    assert rule.basis.startswith(row.law)


def test_rows_of_one_type_and_procedure_never_overlap():
    by_key = {}
    for r in LIMIT_ROWS:
        by_key.setdefault((r.type_code, r.procedure), []).append(r)
    for rows in by_key.values():
        rows.sort(key=lambda r: r.valid_from or date.min)
        for a, b in zip(rows, rows[1:], strict=False):
            assert a.valid_to is not None and b.valid_from == a.valid_to + timedelta(days=1)


def test_special_procedure_is_thirty_days_not_a_month():
    # 民事诉讼法（2021年修正）第一百八十七条: "人民法院适用特别程序审理的案件，应当在立案之日起三十日内 … 审结"
    # (2012 text 第一百八十条). Filed 2022-01-31: 30 days → 2022-03-02, where "one month" gave 2022-02-28.
    assert statutory_deadline("民特", "", date(2022, 1, 31)) == date(2022, 3, 2)
    assert statutory_limit("民特", "", date(2022, 1, 31)).article == "第一百八十七条"
    assert statutory_limit("民特", "", date(2020, 1, 31)).article == "第一百八十条"


def test_appeals_against_rulings_thirty_days_against_judgments_three_months():
    # 第一百八十三条: "人民法院审理对判决的上诉案件，应当在第二审立案之日起三个月内审结 … 人民法院审理对裁定的
    # 上诉案件，应当在第二审立案之日起三十日内作出终审裁定" (2012 text 第一百七十六条)
    filed = date(2023, 5, 10)
    assert statutory_deadline("民终", "second_instance", filed) == date(2023, 8, 10)
    assert statutory_deadline("民终", "", filed) == date(2023, 8, 10)
    assert statutory_deadline("民终", "ruling_appeal", filed) == filed + timedelta(days=30)
    assert statutory_deadline("民辖终", "", filed) == filed + timedelta(days=30)


def test_retrial_by_the_procedure_it_is_heard_under():
    # 第二百一十四条: "发生法律效力的判决、裁定是由第一审法院作出的，按照第一审程序审理 … 由第二审法院作出的，按照
    # 第二审程序审理 … 上级人民法院按照审判监督程序提审的，按照第二审程序审理"
    filed = date(2023, 3, 1)
    assert statutory_deadline("民再", "retrial_first", filed) == date(2023, 9, 1)
    assert statutory_deadline("民再", "retrial_second", filed) == date(2023, 6, 1)


def test_small_claims_before_and_after_the_2021_amendment():
    # 2012 text: small claims were heard under summary procedure (第一百六十二条; 第一百六十一条 三个月);
    # 2021 text 第一百六十八条: "人民法院适用小额诉讼的程序审理案件，应当在立案之日起两个月内审结"
    assert statutory_deadline("民初", "small_claims", date(2021, 12, 31)) == date(2022, 3, 31)
    assert statutory_deadline("民初", "small_claims", date(2022, 1, 1)) == date(2022, 3, 1)


def test_administrative_first_instance_before_and_after_2015():
    # 行政诉讼法（1989年）第五十七条: "人民法院应当在立案之日起三个月内作出第一审判决";
    # 2014 年修正 第八十一条: "应当在立案之日起六个月内作出第一审判决" (in force 2015-05-01)
    assert statutory_deadline("行初", "", date(2015, 4, 30)) == date(2015, 7, 30)
    assert statutory_deadline("行初", "", date(2015, 5, 1)) == date(2015, 11, 1)
    assert statutory_deadline("行终", "", date(2014, 6, 1)) == date(2014, 8, 1)  # 第六十条: 两个月


def test_enforcement_codes_of_the_annex():
    # 法发〔2006〕35号 第一条: "被执行人有财产可供执行的案件，一般应当在立案之日起6个月内执结"; the annex's
    # 执行实施类 (1001) are 执、执恢、执保. 执异: 民事诉讼法 第二百三十二条 "十五日内审查"
    filed = date(2024, 2, 29)
    for code in ("执", "执恢", "执保"):
        assert statutory_deadline(code, "", filed) == date(2024, 8, 29)
    assert statutory_deadline("执异", "", filed) == date(2024, 3, 15)


def test_preloaded_index_of_single_rows_still_finds_the_right_period():
    # callers that built {(type, procedure): row} before rows had periods keep getting the right row
    old_style = {(t.type_code, t.procedure): t for t in TimeLimit.objects.order_by("valid_from")}
    assert statutory_deadline("民初", "small_claims", date(2020, 6, 1), old_style) == date(2020, 9, 1)
    assert statutory_deadline("民初", "small_claims", date(2023, 6, 1), old_style) == date(2023, 8, 1)


def test_an_overlapping_row_is_refused():
    from django.core.exceptions import ValidationError

    extra = TimeLimit(type_code="民特", procedure="", days=30, law="x", article="y", valid_from=date(2023, 1, 1))
    with pytest.raises(ValidationError) as exc:
        extra.full_clean()
    assert "重叠" in str(exc.value)
