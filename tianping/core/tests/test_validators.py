from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from tianping.core.validators import (
    id_check_char,
    mask_id_number,
    validate_court_code,
    validate_credit_code,
    validate_id_number,
)

births = st.dates(min_value=date(1920, 1, 1), max_value=date.today() - timedelta(days=1))
areas = st.integers(min_value=110000, max_value=659999).map(str)
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


@pytest.mark.parametrize("code", ["鲁", "鲁04", "鲁0403", "京0105"])
def test_court_codes_ok(code):
    validate_court_code(code)


@pytest.mark.parametrize("code", ["", "鲁4", "鲁040", "XX0403", "鲁04033"])
def test_court_codes_bad(code):
    with pytest.raises(ValidationError):
        validate_court_code(code)


def test_credit_code():
    validate_credit_code("91350100M000100Y43")
    with pytest.raises(ValidationError):
        validate_credit_code("91350100M000100Y44")
