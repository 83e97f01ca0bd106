"""The `disputes` register imports a court's earlier dispute ledger: with and without 登记地点 (blank = the centre),
minimal columns for 已登记, all or nothing with each state/date mismatch named by its Excel row and column,
re-import updating by 编号, and the export importing back unchanged."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import Workbook, load_workbook

from tianping.core.importexport import run_import
from tianping.core.registers import export_xlsx, get_register
from tianping.mediation import services
from tianping.mediation.models import Dispute, Status

pytestmark = pytest.mark.django_db

MINIMAL = ["编号", "状态", "案由", "来源", "申请人", "被申请人", "登记日期", "分流方式"]


@pytest.fixture
def tribunal(court, centre):
    from tianping.org.models import Department, DepartmentType

    dept = Department.objects.create(court=court, name="沙沟人民法庭", type=DepartmentType.TRIBUNAL)
    services.sites_ensure(court=court, actor=centre)
    return dept


def _write(path, headers, rows):
    wb = Workbook()
    wb.active.append(headers)
    for row in rows:
        wb.active.append(row)
    wb.save(path)
    return path


def _no(court, seq, year=2015):
    return f"({year}){court.code}民诉前调{seq}号"


def test_minimal_rows_without_site_land_at_the_centre(court, centre, tribunal, tmp_path, make_dispute):
    path = _write(tmp_path / "a.xlsx", MINIMAL, [
        [_no(court, 7), "已登记", "民间借贷纠纷", "当事人申请", "张三", "李四", date(2015, 3, 2), ""],
        [_no(court, 8), "已登记", "买卖合同纠纷", "委派调解", "枣庄市顺达运输有限公司", "王五、赵六", "2015-03-04", None],
    ])
    result = run_import("disputes", path, court=court, user=centre)
    assert result.committed and result.created == 2, [str(p) for p in result.problems]
    d = Dispute.objects.get(number=_no(court, 8))
    assert d.intake_department is None and d.status == Status.REGISTERED and d.source == "delegated"
    assert sorted(d.parties.values_list("role", "name", "kind")) == [
        ("applicant", "枣庄市顺达运输有限公司", "organisation"), ("respondent", "王五", "person"),
        ("respondent", "赵六", "person")]
    # the intake desk's next 2015 number follows the imported ones
    assert make_dispute(registered_on=date(2015, 5, 1)).number == _no(court, 9)


def test_site_column_and_reimport_updates_by_number(court, centre, tribunal, mediator, tmp_path):
    headers = [*MINIMAL, "登记地点", "调解员或工作室", "受理调解日期"]
    first = [_no(court, 3), "已登记", "相邻关系纠纷", "当事人申请", "张三", "李四", "2015-06-01", "", "沙沟人民法庭",
             "", ""]
    result = run_import("disputes", _write(tmp_path / "b.xlsx", headers, [first]), court=court, user=centre)
    assert result.committed, [str(p) for p in result.problems]
    d = Dispute.objects.get(number=_no(court, 3))
    assert d.intake_department == tribunal
    # the later ledger: the same dispute, now in mediation
    later = [*first[:1], "调解中", *first[2:7], "诉前调解", "沙沟人民法庭服务站", mediator.name, "2015-06-03"]
    result = run_import("disputes", _write(tmp_path / "c.xlsx", headers, [later]), court=court, user=centre)
    assert (result.committed, result.created, result.updated) == (True, 0, 1), [str(p) for p in result.problems]
    d.refresh_from_db()
    assert (d.status, d.mediator, d.room, d.accepted_on, d.deadline_on, d.triaged_on) == (
        Status.MEDIATING, mediator, "peoples", date(2015, 6, 3), date(2015, 7, 3), date(2015, 6, 1))
    assert d.intake_department == tribunal and d.version == 2
    again = run_import("disputes", _write(tmp_path / "d.xlsx", headers, [later]), court=court, user=centre)
    assert (again.committed, again.unchanged) == (True, 1)


def test_state_and_dates_that_do_not_fit_are_row_errors_and_nothing_is_written(court, centre, tribunal, tmp_path):
    headers = [*MINIMAL, "协议达成日期", "结果日期", "登记地点"]
    rows = [
        [_no(court, 1), "已登记", "民间借贷纠纷", "当事人申请", "张三", "李四", "2015-03-02", "", None, None, ""],
        # an agreement date on a dispute sent straight to filing
        [_no(court, 2), "已转立案", "民间借贷纠纷", "当事人申请", "张三", "李四", "2015-03-02", "直接立案",
         "2015-03-10", "2015-03-12", ""],
        # a result date before registration
        [_no(court, 4), "撤回", "民间借贷纠纷", "当事人申请", "张三", "李四", "2015-03-02", "", None, "2015-03-01",
         "不存在的法庭"],
    ]
    result = run_import("disputes", _write(tmp_path / "e.xlsx", headers, rows), court=court, user=centre)
    assert not result.committed and Dispute.objects.count() == 0
    problems = {(p.row, p.column) for p in result.problems}
    assert (3, "协议达成日期") in problems, [str(p) for p in result.problems]
    assert (4, "结果日期") in problems and (4, "登记地点") in problems, [str(p) for p in result.problems]
    assert not any(p.row == 2 for p in result.problems)


def test_the_export_imports_back_unchanged(court, centre, tribunal, make_dispute, mediator, tmp_path):
    a = make_dispute(intake_department=tribunal)
    b = make_dispute()
    services.dispute_triage(dispute=b, actor=centre, route="mediation", reason="适宜调解", triaged_on=date(2024, 3, 1),
                            room="peoples", mediator=mediator)
    services.mediation_accept(dispute=b, actor=centre, accepted_on=date(2024, 3, 2))
    services.agreement_record(dispute=b, actor=centre, agreed_on=date(2024, 3, 9), terms="分期付款")
    services.performance_record(dispute=b, actor=centre, performed_on=date(2024, 3, 20))
    reg = get_register("disputes")
    data = export_xlsx(reg, reg.rows_for_export(None, court))
    sheet = [list(r) for r in load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True)]
    assert "登记地点" in sheet[0]
    assert {r[sheet[0].index("编号")]: r[sheet[0].index("登记地点")] for r in sheet[1:]} == {
        a.number: "沙沟人民法庭", b.number: None}
    path = tmp_path / "x.xlsx"
    path.write_bytes(data)
    before = list(Dispute.objects.order_by("pk").values())
    result = run_import("disputes", path, court=court, user=centre)
    assert (result.committed, result.unchanged) == (True, 2), [str(p) for p in result.problems]
    assert list(Dispute.objects.order_by("pk").values()) == before
