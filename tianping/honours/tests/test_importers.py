"""KIND honours and pioneer_posts: namesakes told apart by 工号, collectives by name, all or nothing with each bad
row named; the export reads back through the import."""

from __future__ import annotations

from datetime import date

import pytest
from openpyxl import Workbook, load_workbook

from tianping.core.importexport import run_import
from tianping.core.registers import export_xlsx, get_register
from tianping.honours.models import HolderKind, Honour, PioneerPost, PostHolder

pytestmark = pytest.mark.django_db
HONOURS = ["荣誉名称", "级别", "授予机关", "授予日期", "获得者类型", "获得者", "证书编号"]
POSTS = ["岗位名称", "岗位类型", "所在部门", "党员", "承诺", "开始日期", "结束日期"]


def _file(tmp_path, headers, rows, name="f.xlsx"):
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for r in rows:
        ws.append(r)
    path = tmp_path / name
    wb.save(path)
    return path


def test_honours_import_resolves_namesakes_collectives_and_the_court(setup, tmp_path):
    s = setup
    path = _file(tmp_path, HONOURS, [
        ["优秀共产党员", "院级", "机关党委", "2016-07-01", "个人", "张伟(0455)", "XC-1"],
        ["五好党支部", "区县级", "区委", "2016-06-01", "集体", "立案庭党支部", ""],
        ["先进集体", "市级", "中院", "2016-01-05", "集体", "立案庭", ""],
        ["文明单位", "市级", "市委", "2016-02-01", "集体", "本院", ""],
    ])
    result = run_import("honours", path, court=s["court"], user=s["office"])
    assert result.ok, [str(p) for p in result.problems]
    assert result.created == 4
    h = Honour.objects.get(name="优秀共产党员")
    assert h.person == s["zw2"] and h.certificate_number == "XC-1"
    kinds = dict(Honour.objects.values_list("name", "holder_kind"))
    assert kinds == {"优秀共产党员": HolderKind.PERSON, "五好党支部": HolderKind.BRANCH,
                     "先进集体": HolderKind.DEPARTMENT, "文明单位": HolderKind.COURT}
    from tianping.party.models import PointsEntry

    assert PointsEntry.objects.filter(person=s["zw2"], source_id=str(h.pk)).count() == 1
    again = run_import("honours", path, court=s["court"], user=s["office"])
    assert (again.created, again.unchanged) == (0, 4)


def test_bad_honour_rows_are_named_and_nothing_is_written(setup, tmp_path):
    s = setup
    path = _file(tmp_path, HONOURS, [
        ["优秀共产党员", "院级", "机关党委", "2016-07-01", "个人", "李娜", ""],       # fine
        ["优秀共产党员", "院级", "机关党委", "2016-07-01", "个人", "张伟", ""],       # two 张伟
        ["先进集体", "特级", "中院", "2016-01-05", "集体", "立案庭", ""],             # no such level
        ["先进集体", "市级", "中院", "2016-01-05", "集体", "不存在的庭", ""],          # unknown collective
    ])
    result = run_import("honours", path, court=s["court"], user=s["office"])
    assert not result.ok
    rows = {p.row for p in result.problems}
    assert rows == {3, 4, 5}
    text = " ".join(str(p) for p in result.problems)
    assert "张伟(0312)" in text and "张伟(0455)" in text  # the namesakes offered
    assert "不存在的庭" in text
    assert not Honour.objects.exists()
    from tianping.party.models import PointsEntry

    assert not PointsEntry.objects.exists()


def test_pioneer_posts_import_creates_posts_and_holders_and_refuses_non_members(setup, tmp_path):
    s = setup
    path = _file(tmp_path, POSTS, [
        ["立案窗口党员先锋岗", "立案", "立案庭", "张伟(0312)", "群众来访，件件有回音", "2016-03-01", ""],
        ["立案窗口党员先锋岗", "立案", "立案庭", "李娜", "热情服务", "2016-03-01", "2016-12-31"],
    ])
    result = run_import("pioneer_posts", path, court=s["court"], user=s["office"])
    assert result.ok, [str(p) for p in result.problems]
    post = PioneerPost.objects.get()
    assert post.window == "filing" and post.department == s["dep"]
    assert set(post.holders.values_list("person__name", "end")) == {("张伟", None), ("李娜", date(2016, 12, 31))}
    bad = _file(tmp_path, POSTS, [["信访接待党员先锋岗", "信访", "立案庭", "王强", "", "2016-03-01", ""]], "bad.xlsx")
    result = run_import("pioneer_posts", bad, court=s["court"], user=s["office"])
    assert not result.ok and result.problems[0].row == 2 and "不是党员" in str(result.problems[0])
    assert PioneerPost.objects.count() == 1  # the new post of the refused row is not left behind


def test_pioneer_posts_export_reads_back(setup, tmp_path):
    s = setup
    path = _file(tmp_path, POSTS, [["执行党员先锋岗", "执行", "立案庭", "张伟(0312)", "兑现胜诉权益", "2016-03-01", ""]])
    assert run_import("pioneer_posts", path, court=s["court"], user=s["office"]).ok
    reg = get_register("pioneer_posts")
    data = export_xlsx(reg, reg.rows_for_export(s["office"], s["court"]))
    out = tmp_path / "export.xlsx"
    out.write_bytes(data)
    rows = list(load_workbook(out).active.iter_rows(values_only=True))
    assert rows[0] == tuple(POSTS)
    assert rows[1][:5] == ("执行党员先锋岗", "执行", "立案庭", "张伟(0312)", "兑现胜诉权益")
    again = run_import("pioneer_posts", out, court=s["court"], user=s["office"])
    assert again.ok and again.created == 0 and PostHolder.objects.count() == 1
