from datetime import date

import pytest
from django.core.exceptions import ValidationError

from tianping.core.validators import id_check_char, validate_id_number
from tianping.org.models import Court, CourtLevel, Gender, Person
from tianping.org.tests.factories import CourtFactory, DepartmentFactory, PersonFactory, make_id_number

pytestmark = pytest.mark.django_db


def _id(born: date, gender_digit: int, area: str = "370403", seq: str = "12") -> str:
    first17 = f"{area}{born:%Y%m%d}{seq}{gender_digit}"
    return first17 + id_check_char(first17)


# --- Court ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("code,level", [("鲁", CourtLevel.HIGH), ("鲁04", CourtLevel.INTERMEDIATE),
                                        ("鲁0403", CourtLevel.BASIC), ("京0105", CourtLevel.BASIC)])
def test_court_code_accepted(code, level):
    Court(name="某法院", code=code, level=level).full_clean()


@pytest.mark.parametrize("code", ["山东0403", "鲁403", "0403", "鲁04031", "鲁04a3", ""])
def test_court_code_malformed_is_refused_with_chinese_reason(code):
    with pytest.raises(ValidationError) as exc:
        Court(name="某法院", code=code, level=CourtLevel.BASIC).full_clean()
    assert "code" in exc.value.message_dict
    if code:
        assert "法院代字" in " ".join(exc.value.message_dict["code"])


@pytest.mark.parametrize("code,level", [("鲁04", CourtLevel.BASIC), ("鲁0403", CourtLevel.INTERMEDIATE),
                                        ("鲁", CourtLevel.BASIC), ("鲁04", CourtLevel.HIGH)])
def test_court_code_must_fit_level(code, level):
    with pytest.raises(ValidationError) as exc:
        Court(name="某法院", code=code, level=level).full_clean()
    assert "code" in exc.value.message_dict


def test_court_cannot_be_its_own_parent():
    court = CourtFactory(code="鲁0403")
    court.parent = court
    with pytest.raises(ValidationError) as exc:
        court.full_clean()
    assert "parent" in exc.value.message_dict


def test_court_descendants():
    high = CourtFactory(code="鲁", level=CourtLevel.HIGH)
    mid = CourtFactory(code="鲁04", level=CourtLevel.INTERMEDIATE, parent=high)
    a = CourtFactory(code="鲁0403", parent=mid)
    b = CourtFactory(code="鲁0404", parent=mid)
    other = CourtFactory(code="鲁0501")
    assert set(high.descendant_ids()) == {high.pk, mid.pk, a.pk, b.pk}
    assert set(mid.descendant_ids()) == {mid.pk, a.pk, b.pk}
    assert a.descendant_ids() == [a.pk]
    assert other.pk not in high.descendant_ids()


# --- Person -----------------------------------------------------------------------------------------
def _person(court, **kw):
    dep = DepartmentFactory(court=court)
    born = kw.pop("birth_date", date(1985, 3, 7))
    data = dict(court=court, name="张伟", gender=Gender.MALE, birth_date=born,
                id_number=_id(born, 1), department=dep, post="judge")
    data.update(kw)
    return Person(**data)


def test_valid_person_passes(court):
    _person(court).full_clean()


def test_id_number_check_character_wrong(court):
    good = _id(date(1985, 3, 7), 1)
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    with pytest.raises(ValidationError) as exc:
        _person(court, id_number=bad).full_clean()
    assert "校验位错误" in " ".join(exc.value.message_dict["id_number"])


def test_id_number_lowercase_x_is_normalised(court):
    born = date(1985, 3, 7)
    for seq in range(10, 100):
        number = _id(born, 1, seq=f"{seq:02d}")
        if number.endswith("X"):
            break
    else:  # pragma: no cover - one of 90 sequences always ends in X
        pytest.fail("no X check character found")
    p = _person(court, id_number=number.lower())
    p.full_clean()
    assert p.id_number == number


def test_birth_date_must_match_id_number(court):
    p = _person(court, birth_date=date(1985, 3, 7))
    p.birth_date = date(1985, 3, 8)
    with pytest.raises(ValidationError) as exc:
        p.full_clean()
    assert "1985-03-07" in " ".join(exc.value.message_dict["birth_date"])


def test_gender_must_match_17th_digit(court):
    born = date(1990, 1, 2)
    p = _person(court, birth_date=born, id_number=_id(born, 4), gender=Gender.MALE)
    with pytest.raises(ValidationError) as exc:
        p.full_clean()
    assert "gender" in exc.value.message_dict
    p.gender = Gender.FEMALE
    p.full_clean()


def test_department_must_belong_to_the_court(court, other_court):
    p = _person(court)
    p.department = DepartmentFactory(court=other_court)
    with pytest.raises(ValidationError) as exc:
        p.full_clean()
    assert "department" in exc.value.message_dict


def test_left_before_hired_refused(court):
    p = _person(court, hired_on=date(2010, 7, 1), left_on=date(2009, 1, 1))
    with pytest.raises(ValidationError) as exc:
        p.full_clean()
    assert "left_on" in exc.value.message_dict


def test_id_number_unique_per_court(court, other_court):
    first = PersonFactory(court=court)
    dup = _person(court, birth_date=first.birth_date, id_number=first.id_number, gender=first.gender,
                  staff_number="9999")
    with pytest.raises(ValidationError) as exc:
        dup.full_clean()
    assert "身份证号相同" in str(exc.value)
    # the same person may be on another court's roster (e.g. after a transfer)
    elsewhere = _person(other_court, birth_date=first.birth_date, id_number=first.id_number, gender=first.gender)
    elsewhere.full_clean()


def test_staff_number_keeps_leading_zeros_and_is_unique(court):
    p = PersonFactory(court=court, staff_number="0312")
    p.refresh_from_db()
    assert p.staff_number == "0312"
    dup = _person(court, staff_number="0312", birth_date=date(1970, 1, 1), id_number=_id(date(1970, 1, 1), 3))
    with pytest.raises(ValidationError):
        dup.full_clean()


def test_masks(court):
    p = PersonFactory(court=court, phone="13812345678")
    assert p.id_number_masked == p.id_number[:4] + "*" * 10 + p.id_number[-4:]
    assert p.phone_masked == "138****5678"
    assert p.label == f"{p.name}({p.staff_number})"


def test_factory_id_numbers_are_valid(court):
    for n in range(30):
        validate_id_number(make_id_number(n, male=n % 2 == 0))
    people = PersonFactory.create_batch(5, court=court)
    for p in people:
        p.full_clean()
