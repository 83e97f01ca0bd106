"""KIND branches, members and dues through the shared import machinery (all or nothing)."""

from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import call_command

from tianping.core.importexport import run_import
from tianping.org.tests.factories import DepartmentFactory, PersonFactory
from tianping.party.models import BranchMembership, DuesBase, PartyMember, PartyOrganisation, Stage
from tianping.party.selectors import party_member_on
from tianping.party.tests.factories import OrganisationFactory, make_member

pytestmark = pytest.mark.django_db


def xlsx(tmp_path, name, rows):
    wb = openpyxl.Workbook()
    ws = wb.active
    for r in rows:
        ws.append(r)
    path = tmp_path / name
    wb.save(path)
    return path


def test_branches_import_builds_tree_on_departments(court, tmp_path):
    d1 = DepartmentFactory(court=court, name="沙沟人民法庭")
    d2 = DepartmentFactory(court=court, name="民事审判第一庭")
    d3 = DepartmentFactory(court=court, name="民事审判第二庭")
    path = xlsx(tmp_path, "b.xlsx", [["组织名称", "组织类型", "上级组织", "组建部门"],
                                     ["机关党委", "机关党委", "", ""],
                                     ["沙沟法庭党支部", "党支部", "机关党委", "沙沟人民法庭"],
                                     ["民事审判党支部", "党支部", "机关党委", "民事审判第一庭、民事审判第二庭"]])
    result = run_import("branches", path, court=court)
    assert result.ok, result.problems
    assert result.created == 3
    civil = PartyOrganisation.objects.get(court=court, name="民事审判党支部")
    assert civil.parent.name == "机关党委"
    assert set(civil.departments.all()) == {d2, d3}
    assert list(PartyOrganisation.objects.get(name="沙沟法庭党支部").departments.all()) == [d1]
    again = run_import("branches", path, court=court)
    assert again.unchanged == 3


def test_branches_import_unknown_department_rolls_back(court, tmp_path):
    path = xlsx(tmp_path, "b.xlsx", [["组织名称", "组织类型", "上级组织", "组建部门"],
                                     ["机关党委", "机关党委", "", ""],
                                     ["甲党支部", "党支部", "机关党委", "不存在庭"]])
    result = run_import("branches", path, court=court)
    assert not result.ok
    assert any("不存在庭" in p.message for p in result.problems)
    assert not PartyOrganisation.objects.filter(court=court).exists()


def test_members_import(court, tmp_path):
    branch = OrganisationFactory(court=court, name="沙沟法庭党支部")
    full = PersonFactory(court=court, hired_on=date(2005, 7, 1))
    prob = PersonFactory(court=court)
    act = PersonFactory(court=court)
    rows = [["身份证号", "姓名", "政治面貌", "所在支部", "申请入党日期", "确定积极分子日期", "确定发展对象日期",
             "入党日期", "转正日期", "月工资基数"],
            [full.id_number, full.name, "中共党员", "沙沟法庭党支部", "2001-03-01", "2001-09-01", "2002-10-01",
             "2003-06-28", "2004-06-28", "5000"],
            [prob.id_number, prob.name, "中共预备党员", "沙沟法庭党支部", "2013-03-01", "2013-09-01", "2014-10-01",
             "2016-01-10", "", 3000.01],
            [act.id_number, act.name, "入党积极分子", "沙沟法庭党支部", "2015-03-01", "2015-09-01", "", "", "", ""]]
    result = run_import("members", xlsx(tmp_path, "m.xlsx", rows), court=court)
    assert result.ok, result.problems
    assert result.created == 3
    m = PartyMember.objects.get(person=full)
    assert (m.stage, m.converted_on, m.branch) == (Stage.FULL, date(2004, 6, 28), branch)
    assert party_member_on(full, date(2003, 6, 28)) and not party_member_on(full, date(2003, 6, 27))
    assert BranchMembership.objects.get(member=m).start == date(2005, 7, 1)
    p = PartyMember.objects.get(person=prob)
    assert p.conversion_due_on == date(2017, 1, 10)
    assert DuesBase.objects.get(member=p).amount == Decimal("3000.01")
    assert PartyMember.objects.get(person=act).stage == Stage.ACTIVIST


def test_members_import_refuses_inconsistent_rows_all_or_nothing(court, tmp_path):
    OrganisationFactory(court=court, name="沙沟法庭党支部")
    a, b = PersonFactory(court=court), PersonFactory(court=court)
    rows = [["身份证号", "政治面貌", "所在支部", "入党日期", "转正日期"],
            [a.id_number, "中共党员", "沙沟法庭党支部", "2003-06-28", "2004-06-28"],
            [b.id_number, "中共党员", "沙沟法庭党支部", "2003-06-28", ""],
            ["370403199001011234", "中共党员", "沙沟法庭党支部", "2003-06-28", "2004-06-28"]]
    result = run_import("members", xlsx(tmp_path, "m.xlsx", rows), court=court)
    assert not result.ok
    assert {p.row for p in result.problems} >= {3}
    assert "转正日期" in " ".join(p.message for p in result.problems if p.row == 3)
    assert not PartyMember.objects.exists()


def _dues_fixture(court):
    branch = OrganisationFactory(court=court, name="沙沟法庭党支部")
    m = make_member(branch=branch)
    DuesBase.objects.create(court=court, member=m, amount=Decimal("5000"), effective_from=date(2015, 1, 1))
    other = make_member(branch=branch)
    DuesBase.objects.create(court=court, member=other, amount=Decimal("3000.01"), effective_from=date(2015, 1, 1))
    return m, other


def test_export_dues_command(court, tmp_path):
    pytest.importorskip("tianping.core.management.commands.export_data")
    m, other = _dues_fixture(court)
    out = tmp_path / "dues.xlsx"
    call_command("export_data", "dues", str(out), "--court", court.code, "--month", "2016-05")
    _check_sheet_and_import_back(court, out, m, other)


def test_export_dues_register(court, tmp_path):
    from tianping.core.registers import export_xlsx, get_register

    m, other = _dues_fixture(court)
    reg = get_register("dues")
    out = tmp_path / "dues.xlsx"
    out.write_bytes(export_xlsx(reg, reg.rows_for_export(None, court, {"month": "2016-05"}).iterator()))
    _check_sheet_and_import_back(court, out, m, other)
    with pytest.raises(ValueError, match="YYYY-MM"):
        reg.rows_for_export(None, court, {"month": "May"})


def _check_sheet_and_import_back(court, out, m, other):
    ws = openpyxl.load_workbook(out).active
    rows = list(ws.iter_rows(values_only=True))
    header = list(rows[0])
    for col in ["姓名", "所在支部", "月份", "工资基数", "比例", "应交金额", "实交金额"]:
        assert col in header
    by_name = {r[header.index("姓名")].split("(")[0]: r for r in rows[1:]}
    r = by_name[m.person.name]
    assert r[header.index("月份")] == "2016-05"
    assert Decimal(str(r[header.index("应交金额")])) == Decimal("50.00")
    assert r[header.index("比例")] == "1%"
    assert Decimal(str(by_name[other.person.name][header.index("应交金额")])) == Decimal("30.00")
    # filling 实交 and importing the sheet back records the payments
    wb = openpyxl.load_workbook(out)
    ws = wb.active
    for row in ws.iter_rows(min_row=2):
        row[header.index("实交金额")].value = 50 if row[0].value.startswith(m.person.name) else 0
    wb.save(out)
    result = run_import("dues", out, court=court)
    assert result.ok, result.problems
    assert m.dues_payments.get(month=date(2016, 5, 1)).paid_amount == Decimal("50.00")


def test_members_import_reports_every_problem_of_a_row_in_one_pass(court, tmp_path):
    """An unknown branch and dates out of order in the same row: both reported at once (before, the dates
    were checked only after the branch had been fixed)."""
    OrganisationFactory(court=court, name="沙沟法庭党支部")
    person = PersonFactory(court=court)
    rows = [["身份证号", "姓名", "政治面貌", "所在支部", "申请入党日期", "确定积极分子日期", "确定发展对象日期",
             "入党日期", "转正日期", "月工资基数"],
            [person.id_number, person.name, "入党积极分子", "没有这个支部", "2015-03-01", "2015-01-01", "", "", "",
             ""]]
    result = run_import("members", xlsx(tmp_path, "m.xlsx", rows), court=court)
    columns = {p.column for p in result.problems}
    assert {"所在支部", "确定积极分子日期"} <= columns, [str(p) for p in result.problems]
    assert all(p.row == 2 for p in result.problems) and not PartyMember.objects.exists()


def test_branches_preview_finds_a_parent_created_batches_earlier(court, tmp_path):
    """The preview saves and rolls back each batch; a row naming an organisation created in an earlier batch
    (here batches of 2 rows, in real files 1,000) is still found, so the preview counts what the commit does."""
    rows = [["组织名称", "组织类型", "上级组织", "组建部门"],
            ["机关党委", "机关党委", "", ""],
            ["甲党支部", "党支部", "机关党委", ""],
            ["乙党支部", "党支部", "机关党委", ""],
            ["甲党支部第一党小组", "党小组", "甲党支部", ""],
            ["丙党支部", "党支部", "机关党委", ""]]
    path = xlsx(tmp_path, "b.xlsx", rows)
    preview = run_import("branches", path, court=court, dry_run=True, batch_size=2)
    assert preview.ok, [str(p) for p in preview.problems]
    assert preview.created == 5 and not PartyOrganisation.objects.exists()
    assert [s["row"] for s in preview.sample] == [2, 3, 4, 5, 6]
    committed = run_import("branches", path, court=court, batch_size=2)
    assert committed.committed and committed.created == preview.created
    assert PartyOrganisation.objects.get(name="甲党支部第一党小组").parent.name == "甲党支部"
