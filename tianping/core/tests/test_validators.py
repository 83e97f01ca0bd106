from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from tianping.core.validators import (
    id_check_char,
    id_number_15_to_18,
    mask_id_number,
    validate_court_code,
    validate_credit_code,
    validate_id_number,
)

births = st.dates(min_value=date(1920, 1, 1), max_value=date.today() - timedelta(days=1))
# address codes: a GB/T 2260 province code followed by 4 digits (the prefix is checked, see regions.py)
areas = st.builds(lambda p, rest: f"{p}{rest:04d}", st.sampled_from(["11", "15", "37", "44", "52", "65"]),
                  st.integers(0, 9999))
seqs = st.integers(min_value=0, max_value=999).map(lambda n: f"{n:03d}")


def build(area, born, seq):
    first17 = f"{area}{born:%Y%m%d}{seq}"
    return first17 + id_check_char(first17)


@given(areas, births, seqs)
def test_computed_check_character_is_valid(area, born, seq):
    validate_id_number(build(area, born, seq))


@given(areas, births, seqs, st.integers(0, 17), st.integers(1, 9))
def test_every_single_digit_change_is_caught(area, born, seq, pos, delta):
    good = build(area, born, seq)
    chars = list(good)
    if chars[pos] == "X":
        chars[pos] = "0"
    else:
        chars[pos] = str((int(chars[pos]) + delta) % 10)
    bad = "".join(chars)
    with pytest.raises(ValidationError):
        validate_id_number(bad)


@given(areas, births, seqs, st.integers(0, 16))
def test_every_adjacent_swap_is_caught(area, born, seq, pos):
    good = build(area, born, seq)
    chars = list(good)
    if chars[pos] == chars[pos + 1]:
        return  # swapping equal characters changes nothing
    chars[pos], chars[pos + 1] = chars[pos + 1], chars[pos]
    with pytest.raises(ValidationError):
        validate_id_number("".join(chars))


@pytest.mark.parametrize("birth", ["19990230", "20010229", "19851301", "19850132", "21000101"])
def test_impossible_or_future_dates_refused(birth):
    first17 = f"370403{birth}123"
    with pytest.raises(ValidationError) as exc:
        validate_id_number(first17 + id_check_char(first17))
    assert "出生日期" in str(exc.value)


def test_known_number_and_lowercase_x():
    # 11010519491231002X is the standard's worked example
    validate_id_number("11010519491231002X")
    validate_id_number("11010519491231002x")
    with pytest.raises(ValidationError, match="应为 X"):
        validate_id_number("110105194912310021")


def test_mask():
    assert mask_id_number("370403198503070016") == "3704**********0016"


# 《关于人民法院案件案号的若干规定》第四条第三款：内蒙古自治区高级人民法院、中国人民解放军军事法院、新疆维吾尔自治区
# 高级人民法院生产建设兵团分院的法院代字分别为"内""军""兵".
@pytest.mark.parametrize("code", ["鲁", "鲁04", "鲁0403", "京0105", "内", "内01", "军", "兵", "兵08", "最高法"])
def test_court_codes_ok(code):
    validate_court_code(code)


@pytest.mark.parametrize("code", ["", "鲁4", "鲁040", "XX0403", "鲁04033", "蒙", "蒙01"])
def test_court_codes_bad(code):
    with pytest.raises(ValidationError):
        validate_court_code(code)


def test_credit_code():
    validate_credit_code("91350100M000100Y43")
    with pytest.raises(ValidationError):
        validate_credit_code("91350100M000100Y44")


# --- GB 11643-1999 《公民身份号码》 -------------------------------------------------------------------------------
# 8.2 校验码: S = Σ(Ai × Wi), Wi = 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2; Y = S mod 11;
# Y 0 1 2 3 4 5 6 7 8 9 10 → 校验码 1 0 X 9 8 7 6 5 4 3 2. The standard's two examples: 北京市朝阳区
# 11010519491231002X and 广东省汕头市 440524188001010014 (born 1880-01-01: there is no 1900 floor).

def _weighted_check(first17: str) -> str:
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return "10X98765432"[sum(int(a) * w for a, w in zip(first17, weights, strict=True)) % 11]


@pytest.mark.parametrize("number", ["11010519491231002X", "440524188001010014"])
def test_the_standards_two_examples(number):
    assert _weighted_check(number[:17]) == number[17]  # worked out here, independently of the code
    validate_id_number(number)


# GB 11643-1999 第 5 章: 地址码 "按 GB/T 2260 的规定执行" — the first two digits are a province-level code.
@pytest.mark.parametrize("prefix", ["00", "10", "16", "20", "39", "99"])
def test_address_code_must_start_with_a_province(prefix):
    first17 = f"{prefix}0105198503070012"[:17]
    with pytest.raises(ValidationError) as exc:
        validate_id_number(first17 + _weighted_check(first17))
    assert exc.value.code == "id_address" and prefix in str(exc.value)


def test_fifteen_digit_number_is_offered_its_eighteen_character_form():
    # the 1989 layout: 6-digit address, yymmdd, 3-digit sequence; upgrading inserts "19" and appends the check
    old = "370403850307001"
    expected17 = "370403" + "19" + "850307001"
    expected = expected17 + _weighted_check(expected17)
    assert id_number_15_to_18(old) == expected
    with pytest.raises(ValidationError) as exc:
        validate_id_number(old)
    assert exc.value.code == "id_15" and expected in str(exc.value)
    validate_id_number(expected)
    assert id_number_15_to_18("370403851307001") is None  # month 13: no conversion offered
    assert id_number_15_to_18("37040385030700X") is None
