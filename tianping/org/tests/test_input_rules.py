"""The shared input rules on the staff roster: 入职日期 may not lie in the future (form and import); an
over-long name gets the one length message."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tianping.core.importexport import run_import
from tianping.core.tests.importdata import DEPARTMENTS, person_row, write_people_xlsx
from tianping.org.forms import PersonForm
from tianping.org.models import Department, Person

pytestmark = pytest.mark.django_db


def _form_data(row, **changes):
    data = {"name": row[0], "gender": "M" if row[1] == "男" else "F", "birth_date": row[2].isoformat(),
            "id_number": row[3], "phone": row[4], "staff_number": row[5], "post": "judge", "education": "bachelor",
            "hired_on": row[11].isoformat()}
    data.update(changes)
    return data


def test_person_form_refuses_a_future_hire_date(court):
    tomorrow = timezone.localdate() + timedelta(days=1)
    form = PersonForm(data=_form_data(person_row(0), hired_on=tomorrow.isoformat()), court=court)
    assert not form.is_valid()
    assert form.errors["hired_on"] == [
        f"日期 {tomorrow.isoformat()} 晚于今天（{timezone.localdate().isoformat()}）：已发生的事项不能填写将来的日期，请核对。"]
    assert PersonForm(data=_form_data(person_row(0)), court=court).is_valid()


def test_person_form_states_the_length_limit(court):
    form = PersonForm(data=_form_data(person_row(0), name="张" * 41), court=court)
    assert not form.is_valid()
    assert form.errors["name"] == ["最多 40 个字（现为 41 个），请删减。"]


def test_import_refuses_a_future_hire_date_with_the_row_and_column(court, tmp_path):
    for name in DEPARTMENTS:
        Department.objects.create(court=court, name=name, type="trial")
    path = write_people_xlsx(tmp_path / "people.xlsx", 3)
    from openpyxl import load_workbook

    wb = load_workbook(path)
    wb.active["L3"] = "2030-07-01"  # row 3 = the second person
    wb.save(path)
    result = run_import("people", path, court=court)
    assert not result.committed and result.bad_rows == [3]
    text = " ".join(str(p) for p in result.problems)
    assert "入职日期" in text and "2030-07-01 晚于今天" in text
    assert not Person.objects.exists()
