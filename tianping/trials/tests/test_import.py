"""KIND cases: export → import round trip, updates by 案号, namesakes, all-or-nothing errors."""

from datetime import date

import pytest
from openpyxl import Workbook, load_workbook

from tianping.core.importexport import run_import
from tianping.core.registers import export_xlsx, get_register
from tianping.trials.models import Case

pytestmark = pytest.mark.django_db


def _write(tmp_path, rows, name="cases.xlsx"):
    reg = get_register("cases")
    wb = Workbook()
    ws = wb.active
    ws.append(reg.headers())
    for r in rows:
        ws.append([r.get(h, "") for h in reg.headers()])
    path = tmp_path / name
    wb.save(path)
    return path


def test_round_trip_is_unchanged(casebook, tmp_path):
    reg = get_register("cases")
    court = casebook["court"]
    before = {c.number: (c.closed_on, c.judge_id, c.deadline, c.limit_end, c.days_taken, c.appeal_result,
                         sorted(c.panel.values_list("pk", flat=True)), c.enforcement_recovered)
              for c in Case.objects.filter(court=court)}
    data = export_xlsx(reg, reg.rows_for_export(None, court))
    path = tmp_path / "export.xlsx"
    path.write_bytes(data)
    assert len(list(load_workbook(path).active.iter_rows())) == len(before) + 1
    result = run_import("cases", path, court=court)
    assert result.committed, [str(p) for p in result.problems]
    assert (result.created, result.updated, result.unchanged) == (0, 0, len(before))
    after = {c.number: (c.closed_on, c.judge_id, c.deadline, c.limit_end, c.days_taken, c.appeal_result,
                        sorted(c.panel.values_list("pk", flat=True)), c.enforcement_recovered)
             for c in Case.objects.filter(court=court)}
    assert after == before


def test_import_creates_then_updates_by_number(casebook, tmp_path):
    court, j1, j2 = casebook["court"], casebook["j1"], casebook["j2"]
    row = {"案号": "（2016）鲁0403民初9001号", "案由": "民间借贷纠纷", "审判程序": "简易程序", "立案日期": "2016-03-02",
           "承办部门": "民一庭", "承办人": j1.name, "合议庭成员": f"{j1.name}、{j2.name}"}
    result = run_import("cases", _write(tmp_path, [row]), court=court)
    assert result.committed and result.created == 1
    case = Case.objects.get(number="(2016)鲁0403民初9001号")
    assert case.deadline == date(2016, 6, 2) and not case.deadline_given and case.closed_on is None
    assert set(case.panel.all()) == {j1, j2}
    row.update({"结案日期": "2016-05-01", "结案方式": "调解", "扣除审限天数": 10, "合议庭成员": ""})
    result = run_import("cases", _write(tmp_path, [row], "again.xlsx"), court=court)
    assert result.committed and result.updated == 1, [str(p) for p in result.problems]
    case.refresh_from_db()
    assert case.outcome == "mediation" and case.days_taken == (date(2016, 5, 1) - date(2016, 3, 2)).days - 10
    assert case.limit_end == date(2016, 6, 12) and case.panel.count() == 0 and case.version == 2


def test_namesakes_need_staff_number(casebook, tmp_path):
    from tianping.org.tests.factories import PersonFactory

    court, j1 = casebook["court"], casebook["j1"]
    twin = PersonFactory(court=court, name=j1.name, staff_number="0312", department=casebook["a"])
    row = {"案号": "(2016)鲁0403民初9002号", "立案日期": "2016-03-02", "承办人": j1.name}
    result = run_import("cases", _write(tmp_path, [row]), court=court)
    assert not result.committed and "请写成 姓名(工号)" in str(result.problems[0])
    row["承办人"] = f"{j1.name}(0312)"
    result = run_import("cases", _write(tmp_path, [row], "b.xlsx"), court=court)
    assert result.committed
    assert Case.objects.get(number="(2016)鲁0403民初9002号").judge == twin


def test_bad_rows_reject_the_whole_file(casebook, tmp_path):
    court = casebook["court"]
    rows = [
        {"案号": "(2016)鲁0403民初9003号", "立案日期": "2016-03-02"},
        {"案号": "(2016)鲁0403民初09号", "立案日期": "2016-03-02"},
        {"案号": "(2016)鲁0404民初5号", "立案日期": "2016-03-02"},
        {"案号": "(2016)鲁0403民初9004号", "立案日期": "2016-03-02", "结案日期": "2016-01-02", "结案方式": "判决"},
        {"案号": "(2016)鲁0403民初9005号", "立案日期": "2016-03-02", "结案方式": "和解了"},
    ]
    result = run_import("cases", _write(tmp_path, rows), court=court)
    assert not result.committed
    text = "\n".join(str(p) for p in result.problems)
    assert "第 3 行" in text and "不能以 0 开头" in text
    assert "第 4 行" in text and "不是本院" in text
    assert "第 5 行" in text and "结案日期不能早于立案日期" in text
    assert "第 6 行" in text and "不是可选值" in text
    assert not Case.objects.filter(number="(2016)鲁0403民初9003号").exists()


def test_import_reports_every_problem_of_a_row_in_one_pass(court, tmp_path):
    """An unknown procedure and a closing date before the filing date: both reported at once."""
    path = _write(tmp_path, [{"案号": f"(2016){court.code}民初9001号", "案由": "民间借贷纠纷", "审判程序": "没有这种程序",
                              "立案日期": "2016-03-02", "结案日期": "2016-02-01", "结案方式": "调解"}])
    result = run_import("cases", path, court=court)
    columns = {p.column for p in result.problems}
    assert {"审判程序", "结案日期"} <= columns, [str(p) for p in result.problems]
    assert not Case.objects.filter(court=court).exists()
