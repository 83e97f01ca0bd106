import pytest
from hypothesis import given
from hypothesis import strategies as st

from tianping.trials.casenumbers import (
    DEFAULT_TYPE_CODES,
    CaseNumber,
    format_case_number,
    parse_case_number,
)

CODES = DEFAULT_TYPE_CODES


@pytest.mark.parametrize("text,expected", [
    ("(2016)鲁0403民初1234号", CaseNumber(2016, "鲁0403", "民初", 1234)),
    ("（2016）鲁0403民初1234号", CaseNumber(2016, "鲁0403", "民初", 1234)),   # full-width brackets as printed
    (" (2017)鲁0403民诉前调12号 ", CaseNumber(2017, "鲁0403", "民诉前调", 12)),
    ("(2016)鲁04民终88号", CaseNumber(2016, "鲁04", "民终", 88)),
    ("(2016)鲁民再3号", CaseNumber(2016, "鲁", "民再", 3)),
    ("(2016)鲁0403执恢7号", CaseNumber(2016, "鲁0403", "执恢", 7)),
    ("(2016)鲁0403执1号", CaseNumber(2016, "鲁0403", "执", 1)),
    ("(2016)京73民初100号", CaseNumber(2016, "京73", "民初", 100)),
    ("(2016)最高法民终1号", CaseNumber(2016, "最高法", "民终", 1)),
])
def test_accepts_real_formats(text, expected):
    assert parse_case_number(text, type_codes=CODES, max_year=2030) == expected


@pytest.mark.parametrize("text,reason", [
    ("", "案号为空"),
    ("2016鲁0403民初1号", "应以括号括起的立案年度开头"),
    ("(16)鲁0403民初1号", "应为四位数字"),
    ("(1985)鲁0403民初1号", "不在 1990"),
    ("(2016)Q0403民初1号", "格式不对"),
    ("(2016)鲁043民初1号", "0 位（高院）、2 位"),
    ("(2016)哈0403民初1号", "应以高院代字开头"),
    ("(2016)鲁0403民1号", "类型代字“民”不在案件类型表中"),
    ("(2016)鲁0403号", "缺少类型代字"),
    ("(2016)鲁0403民初号", "缺少案件序号"),
    ("(2016)鲁0403民初012号", "不能以 0 开头"),
    ("(2016)鲁0403民初12", "应以“号”结尾"),
    ("(2016)鲁0403民初12号之一", "应以“号”结尾"),
    ("(2016)薛民初字第12号", "旧式案号"),
])
def test_rejects_malformed_with_reason(text, reason):
    with pytest.raises(ValueError) as err:
        parse_case_number(text, type_codes=CODES, max_year=2030)
    assert reason in str(err.value)


@given(year=st.integers(1990, 2030), digits=st.sampled_from(["", "04", "0403", "73"]),
       province=st.sampled_from(list("鲁京粤川新")), code=st.sampled_from([c for c in CODES if c != "刑核"]), seq=st.integers(1, 10**6 - 1))
def test_format_parse_round_trip(year, digits, province, code, seq):
    text = format_case_number(year, province + digits, code, seq)
    assert parse_case_number(text, type_codes=CODES, max_year=2030)[:4] == (year, province + digits, code, seq)


@pytest.mark.django_db
def test_type_codes_are_data():
    from tianping.trials.models import CaseType

    with pytest.raises(ValueError):
        parse_case_number("(2016)鲁0403民保5号")
    CaseType.objects.create(code="民保", name="诉讼保全（本院自定）", category="civil")
    assert parse_case_number("(2016)鲁0403民保5号").type_code == "民保"
