"""KIND meetings: import all-or-nothing with names resolved within the court; export reads back."""

from datetime import date, time

import pytest
from openpyxl import Workbook, load_workbook

from tianping.core.importexport import run_import
from tianping.core.registers import export_xlsx, get_register
from tianping.org.tests.factories import PersonFactory
from tianping.partylife.choices import AttendanceSource, AttendanceStatus, MeetingStatus
from tianping.partylife.models import Attendance, Meeting

pytestmark = pytest.mark.django_db
HEADERS = ["组织名称", "会议类型", "日期", "开始时间", "结束时间", "地点", "主持人", "主讲人", "主题", "出席人员",
           "请假人员", "缺席人员"]


def _file(tmp_path, rows):
    wb = Workbook()
    ws = wb.active
    ws.append(HEADERS)
    for r in rows:
        ws.append(r)
    path = tmp_path / "meetings.xlsx"
    wb.save(path)
    return path


def test_import_creates_meeting_with_attendance(life, tmp_path):
    f, p = life.full, life.probationary
    twin = PersonFactory(court=life.court, name=f[1].name, staff_number="0999")  # a namesake in another branch
    path = _file(tmp_path, [[
        "沙沟人民法庭党支部", "支部党员大会", "2016-03-10", "15:00", "16:30", "会议室", f[0].name,
        "王教授（中共枣庄市委党校）", "学习党章",
        f"{f[0].name}、{f[1].name}({f[1].staff_number})、{f[2].name}、{p[0].name}",
        f"{f[3].name}：出差", f"{f[4].name}"]])
    result = run_import("meetings", path, court=life.court, user=life.secretary)
    assert result.ok, [str(x) for x in result.problems]
    assert (result.created, result.updated) == (1, 0)
    m = Meeting.objects.get(topic="学习党章")
    assert (m.date, m.start_time, m.end_time, m.host) == (date(2016, 3, 10), time(15), time(16, 30), f[0])
    assert m.status == MeetingStatus.HELD
    statuses = dict(m.attendances.values_list("person__name", "status"))
    assert statuses[f[0].name] == AttendanceStatus.PRESENT
    assert Attendance.objects.get(meeting=m, person=f[1]).status == AttendanceStatus.PRESENT
    assert not Attendance.objects.filter(meeting=m, person=twin).exists()
    assert Attendance.objects.get(meeting=m, person=f[3]).reason == "出差"
    assert statuses[f[4].name] == AttendanceStatus.ABSENT
    assert statuses[p[1].name] == AttendanceStatus.PENDING
    assert set(m.attendances.values_list("source", flat=True)) >= {AttendanceSource.IMPORT}
    assert str(m.speakers.get()) == "王教授（中共枣庄市委党校）"
    q = m.quorum()
    assert (q["present"], q["reached"]) == (3, True)
    # importing the same file again changes nothing
    again = run_import("meetings", path, court=life.court, user=life.secretary)
    assert again.ok and (again.created, again.updated, again.unchanged) == (0, 0, 1)


def test_import_is_all_or_nothing_with_clear_errors(life, tmp_path):
    f = life.full
    PersonFactory(court=life.court, name=f[1].name, staff_number="0999")
    path = _file(tmp_path, [
        ["沙沟人民法庭党支部", "党课", "2016-04-10", "15:00", "17:00", "", "", "", "好的一行", f[0].name, "", ""],
        ["沙沟人民法庭党支部", "党课", "2016-04-11", "25:00", "17:00", "", "", "", "坏时间", "", "", ""],
        ["不存在的支部", "党课", "2016-04-12", "15:00", "17:00", "", "", "", "坏组织", "", "", ""],
        ["沙沟人民法庭党支部", "打牌", "2016-04-13", "15:00", "17:00", "", "", "", "坏类型", "", "", ""],
        ["沙沟人民法庭党支部", "党课", "2016-04-14", "15:00", "17:00", "", "", "", "同名", f[1].name, "", ""],
        ["沙沟人民法庭党支部", "党课", "2016-04-15", "15:00", "17:00", "", "", "", "重复", f[0].name, f[0].name, ""],
    ])
    result = run_import("meetings", path, court=life.court, user=life.secretary)
    assert not result.ok and not Meeting.objects.exists()
    messages = {p.row: str(p) for p in result.problems}
    assert "15:00" in messages[3]
    assert "不存在的支部" in messages[4]
    assert "会议类型“打牌”无法识别" in messages[5]
    assert "姓名(工号)" in messages[6]
    assert "同时出现" in messages[7]


def test_secretary_cannot_import_for_another_branch(life, tmp_path):
    path = _file(tmp_path, [["民一庭党支部", "党课", "2016-04-10", "15:00", "17:00", "", "", "", "越权", "", "", ""]])
    result = run_import("meetings", path, court=life.court, user=life.secretary)
    assert not result.ok and "只能导入本人负责的组织" in str(result.problems[0])
    assert not get_register("meetings").can_import(life.member_user)
    assert get_register("meetings").can_import(life.office)


def test_export_reads_back_in_the_import_layout(life, make_meeting, tmp_path):
    from tianping.partylife import services

    m = make_meeting(topic="导出测试")
    services.attendance_record(actor=life.office, meeting=m, entries=[
        {"person": life.full[0], "status": "present"},
        {"person": life.full[1], "status": "leave", "reason": "病假"}])
    reg = get_register("meetings")
    data = export_xlsx(reg, reg.rows_for_export(life.office, life.court))
    path = tmp_path / "export.xlsx"
    path.write_bytes(data)
    ws = load_workbook(path).active
    rows = list(ws.values)
    assert list(rows[0]) == HEADERS
    row = dict(zip(HEADERS, rows[1], strict=True))
    assert row["出席人员"] == life.full[0].label and row["请假人员"] == f"{life.full[1].label}：病假"
    # the export re-imports as "unchanged"
    again = run_import("meetings", path, court=life.court, user=life.office)
    assert again.ok and again.unchanged == 1, [str(p) for p in again.problems]


def test_list_export_follows_filter_and_scope(life, make_meeting, client_for, django_assert_max_num_queries):
    import io

    from django.urls import reverse

    from tianping.partylife import services

    for i in range(6):
        m = make_meeting(day=date(2016, 2, 1 + i), topic=f"导出{i}")
        services.attendance_record(actor=life.office, meeting=m,
                                   entries=[{"person": life.full[0], "status": "present"}])
    make_meeting(organisation=life.other_branch, topic="别的支部")
    c = client_for(life.secretary)
    with django_assert_max_num_queries(25):
        response = c.get(reverse("partylife:meeting_list") + "?export=xlsx&date_from=2016-02-02")
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert rows[0][:3] == ("组织名称", "会议类型", "日期")
    topics = sorted(r[8] for r in rows[1:])
    assert topics == [f"导出{i}" for i in range(1, 6)]  # filter applied, other branch not visible
    assert all(r[9] == life.full[0].label for r in rows[1:])


def test_template_has_the_columns_and_an_example(life, client_for, tmp_path):
    import io

    from django.urls import reverse

    response = client_for(life.office).get(reverse("core:import_template", args=["meetings"]))
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = list(ws.values)
    assert list(rows[0]) == HEADERS
    assert rows[1][0] == "沙沟人民法庭党支部" and rows[1][3] == "15:00"
    response = client_for(life.member_user).get(reverse("core:import_template", args=["meetings"]))
    assert response.status_code in (403, 404)


def test_import_data_command(life, tmp_path):
    from io import StringIO

    from django.core.management import call_command

    path = _file(tmp_path, [["沙沟人民法庭党支部", "主题党日", "2016-05-06", "15:00", "17:00", "敬老院", "", "",
                             "巡回审判进敬老院", "、".join(p.name for p in life.full), "", ""]])
    call_command("import_data", "meetings", str(path), "--court", life.court.code, "--dry-run", stdout=StringIO())
    assert not Meeting.objects.exists()
    call_command("import_data", "meetings", str(path), "--court", life.court.code, stdout=StringIO())
    m = Meeting.objects.get(topic="巡回审判进敬老院")
    assert m.attendances.filter(status=AttendanceStatus.PRESENT).count() == 5


def test_import_reports_every_problem_of_a_row_in_one_pass(life, tmp_path):
    """An unknown organisation and an end time before the start time: both reported at once."""
    path = _file(tmp_path, [["没有这个支部", "支部党员大会", "2016-03-10", "15:00", "14:00", "会议室", "", "", "学习党章",
                             "", "", ""]])
    result = run_import("meetings", path, court=life.court, user=life.secretary)
    columns = {p.column for p in result.problems}
    assert {"组织名称", "结束时间"} <= columns, [str(p) for p in result.problems]
    assert not Meeting.objects.filter(topic="学习党章").exists()
