"""The shared input rules: future dates, amount/count limits with the limit in the message, one length message,
and dropdowns that tell namesakes apart."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from tianping.core.forms import PersonChoiceField, StyledModelForm, style_form
from tianping.core.validators import (
    AmountValidator,
    CountValidator,
    validate_days,
    validate_not_future,
)


def messages(exc_info) -> str:
    return "；".join(exc_info.value.messages)


def test_today_and_past_pass_the_future_check():
    today = timezone.localdate()
    validate_not_future(today)
    validate_not_future(today - timedelta(days=3650))
    validate_not_future(None)


def test_a_future_date_is_refused_with_the_date_and_today():
    today = timezone.localdate()
    tomorrow = today + timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        validate_not_future(tomorrow)
    text = messages(exc)
    assert tomorrow.isoformat() in text and today.isoformat() in text
    assert "将来" in text
    assert exc.value.code == "future_date"


def test_an_aware_datetime_is_compared_by_its_local_date():
    now = timezone.now()
    validate_not_future(now)
    with pytest.raises(ValidationError):
        validate_not_future(now + timedelta(days=2))
    validate_not_future(datetime(2016, 5, 3, 9, 0))  # naive past datetime


def test_amount_limit_is_stated_in_the_message():
    v = AmountValidator(100_000)
    v(Decimal("87.00"))
    v(0)
    v(None)
    with pytest.raises(ValidationError) as exc:
        v(Decimal("99999999"))
    assert "99,999,999" in messages(exc) and "100,000" in messages(exc)
    with pytest.raises(ValidationError) as exc:
        v(Decimal("-5"))
    assert "-5" in messages(exc)
    with pytest.raises(ValidationError) as exc:
        v("abc")
    assert "数字" in messages(exc)


def test_amount_validator_keeps_cents_in_the_message():
    with pytest.raises(ValidationError) as exc:
        AmountValidator("100.5", min_value="0.01")(Decimal("100.75"))
    assert "100.75" in messages(exc) and "100.50" in messages(exc) and "0.01" in messages(exc)


def test_days_of_lost_work_are_limited():
    validate_days(30)
    validate_days(3650)
    with pytest.raises(ValidationError) as exc:
        validate_days(100_000)
    text = messages(exc)
    assert "100,000天" in text and "3,650天" in text


def test_count_validator_with_minimum_and_unit():
    v = CountValidator(12, min_value=1, unit="个月")
    v(6)
    with pytest.raises(ValidationError) as exc:
        v(0)
    assert "1 至 12个月" in messages(exc)


def test_validators_compare_equal_for_migrations():
    assert AmountValidator(10) == AmountValidator(Decimal("10"))
    assert CountValidator(5, unit="天") != CountValidator(6, unit="天")
    assert AmountValidator(10).deconstruct()[0] == "tianping.core.validators.AmountValidator"


class NameForm(forms.Form):
    name = forms.CharField(max_length=40)
    note = forms.CharField(max_length=2000, widget=forms.Textarea)


def test_one_chinese_length_message_with_the_limit_in_forms():
    form = NameForm(data={"name": "张" * 45, "note": "x" * 2001})
    assert not form.is_valid()
    assert form.errors["name"] == ["最多 40 个字（现为 45 个），请删减。"]
    assert form.errors["note"] == ["最多 2000 个字（现为 2001 个），请删减。"]


@pytest.mark.django_db
def test_one_length_message_in_model_validation(court):
    from tianping.org.models import Department

    dept = Department(court=court, name="庭" * 61, type="trial")
    with pytest.raises(ValidationError) as exc:
        dept.full_clean()
    assert exc.value.message_dict["name"] == ["最多 60 个字（现为 61 个），请删减。"]


def test_one_length_message_in_imported_cells():
    """An over-long spreadsheet cell says the same words as a form (validators.LENGTH_MESSAGE), in English too."""
    from django.utils import translation

    from tianping.core.importexport import MAX_CELL_TEXT, parse_text
    from tianping.core.validators import LENGTH_MESSAGE

    with translation.override("zh-hans"), pytest.raises(ValueError) as exc:
        parse_text("x" * (MAX_CELL_TEXT + 1))
    assert str(exc.value) == f"最多 {MAX_CELL_TEXT} 个字（现为 {MAX_CELL_TEXT + 1} 个），请删减。"
    with translation.override("en"):
        with pytest.raises(ValueError) as exc:
            parse_text("x" * (MAX_CELL_TEXT + 1))
        english = str(LENGTH_MESSAGE) % {"limit_value": MAX_CELL_TEXT, "show_value": MAX_CELL_TEXT + 1}
    assert str(exc.value) == english and "个字" not in english


# --- dropdowns that tell namesakes apart ---------------------------------------------------------------------

@pytest.fixture
def namesakes(court):
    from tianping.org.models import Department, DepartmentType, Person

    shagou = Department.objects.create(court=court, name="沙沟法庭", type=DepartmentType.TRIBUNAL)
    civil = Department.objects.create(court=court, name="民一庭", type=DepartmentType.TRIAL)

    def person(name, number, dept, id_number):
        return Person.objects.create(court=court, name=name, gender="F", birth_date=date(1980, 1, 1),
                                     id_number=id_number, staff_number=number, department=dept)

    return [
        person("李冬梅", "0312", shagou, "370403198001010024"),
        person("李冬梅", "0415", civil, "370403198001010040"),
        person("王芳", "0501", civil, "370403198001010067"),
    ]


def _labels(field):
    return [label for value, label in field.choices if value != ""]


@pytest.mark.django_db
def test_person_choice_field_labels_namesakes_only(namesakes):
    from tianping.org.models import Person

    class F(forms.Form):
        person = PersonChoiceField(queryset=Person.objects.order_by("staff_number"))

    labels = _labels(F().fields["person"])
    assert labels == ["李冬梅（0312 · 沙沟法庭）", "李冬梅（0415 · 民一庭）", "王芳"]


@pytest.mark.django_db
def test_model_form_dropdowns_label_namesakes_through_style_form(namesakes):
    from tianping.org.models import DepartmentAssignment, Person

    class AssignmentForm(StyledModelForm):
        class Meta:
            model = DepartmentAssignment
            fields = ["person", "department"]

    form = AssignmentForm()
    form.fields["person"].queryset = Person.objects.order_by("staff_number")  # set after init, as views do
    labels = _labels(form.fields["person"])
    assert "李冬梅（0312 · 沙沟法庭）" in labels and "王芳" in labels
    assert labels.count("李冬梅") == 0
    rendered = str(form["person"])
    assert "李冬梅（0415 · 民一庭）" in rendered

    class Multi(forms.Form):
        people = forms.ModelMultipleChoiceField(queryset=Person.objects.order_by("staff_number"))

    multi = style_form(Multi())
    assert "李冬梅（0415 · 民一庭）" in _labels(multi.fields["people"])


@pytest.mark.django_db
def test_choice_label_without_staff_number_or_department(court):
    from tianping.org.models import Person

    p = Person(court=court, name="赵敏", gender="F", birth_date=date(1980, 1, 1), id_number="x")
    assert p.choice_label() == "赵敏"
    p.staff_number = "0007"
    assert p.choice_label() == "赵敏（0007）"


@pytest.mark.django_db
def test_filter_bar_person_dropdown_labels_namesakes(namesakes):
    import django_filters

    from tianping.core.forms import StyledFilterSet
    from tianping.org.models import DepartmentAssignment, Person

    class F(StyledFilterSet):
        person = django_filters.ModelChoiceFilter(queryset=Person.objects.order_by("staff_number"),
                                                  null_label="无")

        class Meta:
            model = DepartmentAssignment
            fields = ["person"]

    choices = list(F().form.fields["person"].choices)
    labels = [label for _value, label in choices]
    assert labels[:2] == ["全部", "无"]  # django-filter's empty and null choices kept
    assert labels[2:] == ["李冬梅（0312 · 沙沟法庭）", "李冬梅（0415 · 民一庭）", "王芳"]
