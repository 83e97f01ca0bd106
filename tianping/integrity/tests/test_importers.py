"""Registers family_pledges and interference_records: export → import changes nothing (round trip), bad rows are
named with their Excel row and a Chinese reason, and nothing is written when any row is bad."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import Workbook, load_workbook

from tianping.core.importexport import run_import
from tianping.core.registers import export_xlsx, get_register
from tianping.integrity.models import FamilyPledge, InterferenceRecord

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(court, deps):
    from tianping.org.tests.factories import PersonFactory

    return [PersonFactory(court=court, name=n, department=deps["civil"]) for n in ("甲法官", "乙法官", "丙法官")]


def _write(path, reg, rows):
    wb = Workbook()
    wb.active.append(reg.headers())
    for row in rows:
        wb.active.append(row)
    wb.save(path)
    return path


def _round_trip(kind, court, tmp_path, model):
    reg = get_register(kind)
    data = export_xlsx(reg, reg.rows_for_export(None, court))
    rows = [list(r) for r in load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True)]
    assert rows[0] == reg.headers()
    path = tmp_path / f"{kind}.xlsx"
    path.write_bytes(data)
    before = list(model.objects.order_by("pk").values())
    result = run_import(kind, path, court=court)
    assert result.committed and (result.created, result.updated) == (0, 0) and result.unchanged == len(before)
    assert list(model.objects.order_by("pk").values()) == before
    return rows


def test_family_pledges_import_then_round_trip(court, staff, tmp_path):
    reg = get_register("family_pledges")
    path = _write(tmp_path / "p.xlsx", reg, [
        ["甲法官", 2016, date(2016, 3, 8), "李娜", "配偶"],
        ["乙法官", 2016, "2016-03-09", "王芳", "配偶"],
        ["甲法官", 2015, date(2015, 2, 1), "李娜", "配偶"],
    ])
    result = run_import("family_pledges", path, court=court)
    assert result.committed and result.created == 3, [str(p) for p in result.problems]
    assert FamilyPledge.objects.get(person=staff[1], year=2016).signed_on == date(2016, 3, 9)
    rows = _round_trip("family_pledges", court, tmp_path, FamilyPledge)
    assert rows[1][0].startswith("甲法官") and rows[1][1] == 2015


def test_family_pledges_bad_rows_are_named_and_nothing_is_written(court, staff, tmp_path):
    reg = get_register("family_pledges")
    path = _write(tmp_path / "bad.xlsx", reg, [
        ["甲法官", 2016, date(2016, 3, 8), "李娜", "配偶"],
        ["查无此人", 2016, date(2016, 3, 8), "某某", "配偶"],
        ["乙法官", 2016, date(2013, 3, 8), "王芳", "配偶"],
        ["丙法官", 2016, date(2016, 3, 8), "赵敏", "邻居"],
    ])
    result = run_import("family_pledges", path, court=court)
    assert not result.committed
    assert result.bad_rows == [3, 4, 5]
    text = " ".join(str(p) for p in result.problems)
    assert "第 3 行" in text and "第 4 行" in text and "第 5 行" in text
    assert "签订日期" in text and "关系" in text
    assert not FamilyPledge.objects.exists()


def test_interference_records_import_round_trip_and_bad_rows(court, staff, tmp_path):
    reg = get_register("interference_records")
    good = [["甲法官", date(2016, 5, 10), "司法机关内部人员过问", "王某", "本院干警", "(2016)鲁0403民初12号", "询问进展",
             "告知依法办理"],
            ["乙法官", date(2016, 6, 1), "领导干部干预", "张某", "某局副局长", "", "打招呼", "拒绝并记录"]]
    result = run_import("interference_records", _write(tmp_path / "r.xlsx", reg, good), court=court)
    assert result.committed and result.created == 2, [str(p) for p in result.problems]
    again = run_import("interference_records", _write(tmp_path / "r2.xlsx", reg, good), court=court)
    assert again.committed and (again.created, again.unchanged) == (0, 2)
    _round_trip("interference_records", court, tmp_path, InterferenceRecord)
    bad = [good[0][:2] + ["随便问问"] + good[0][3:], ["乙法官", "2016-13-01"] + good[1][2:],
           ["丙法官", date(2016, 7, 1), "不当接触交往", "", "", "", "约饭", "拒绝"]]
    count = InterferenceRecord.objects.count()
    result = run_import("interference_records", _write(tmp_path / "bad.xlsx", reg, bad), court=court)
    assert not result.committed and result.bad_rows == [2, 3, 4]
    assert "过问人" in " ".join(str(p) for p in result.problems if p.row == 4)
    assert InterferenceRecord.objects.count() == count


def test_judge_letters_are_not_imported(users):
    reg = get_register("judge_letters")
    assert not reg.can_import(users["desk"]) and not reg.can_import(users["party_office"])
