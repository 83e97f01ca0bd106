"""The import pages, the background path, the commands, and junk input that must never cause a 500."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from tianping.core.importexport import _infer_parser, run_import
from tianping.core.importexport_jobs import job_load
from tianping.core.models import AuditEvent
from tianping.core.registers import all_registers, get_register
from tianping.core.tests.importdata import DEPARTMENTS, PEOPLE_HEADERS, person_row, write_people_xlsx
from tianping.org.models import Department, Person

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"


@pytest.fixture
def departments(court):
    return [Department.objects.create(court=court, name=n, type="trial") for n in DEPARTMENTS]


@pytest.fixture
def office(court, make_user, client_for):
    return client_for(make_user(court, "party_office"))


def xlsx_upload(rows, name="people.xlsx"):
    wb = Workbook()
    ws = wb.active
    ws.append(PEOPLE_HEADERS)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile(name, buf.getvalue(), content_type=XLSX)


def test_only_the_political_department_may_import(court, make_user, client_for, departments):
    url = reverse("core:import_start", args=["people"])
    assert client_for(make_user(court, "member")).get(url).status_code == 403
    assert client_for(make_user(court, "sysadmin")).get(url).status_code == 403
    assert client_for(make_user(court, "trial_office")).get(reverse("core:import_template", args=["people"])
                                                             ).status_code == 403
    page = client_for(make_user(court, "party_office")).get(url)
    assert page.status_code == 200 and "身份证号" in page.content.decode()
    assert client_for(make_user(court, "party_office")).get(
        reverse("core:import_start", args=["nosuchkind"])).status_code == 404


def test_people_list_links_to_import(court, office, departments):
    page = office.get(reverse("org:person_list")).content.decode()
    assert reverse("core:import_start", args=["people"]) in page


def test_upload_preview_commit_and_the_audit_entry(court, office, departments):
    rows = [person_row(i) for i in range(5)]
    response = office.post(reverse("core:import_start", args=["people"]), {"file": xlsx_upload(rows)})
    assert response.status_code == 302
    page = office.get(response["Location"])
    html = page.content.decode()
    assert 'data-testid="count-created">5<' in html and 'data-testid="commit"' in html
    assert Person.objects.count() == 0, "a preview writes nothing"
    job_id = response["Location"].rstrip("/").split("/")[-1]
    before = AuditEvent.objects.filter(event="import.committed").count()
    done = office.post(reverse("core:import_commit", args=["people", job_id]))
    assert done.status_code == 302
    html = office.get(done["Location"]).content.decode()
    assert 'data-testid="import-committed"' in html
    assert Person.objects.filter(court=court).count() == 5
    entries = AuditEvent.objects.filter(event="import.committed")
    assert entries.count() == before + 1
    entry = entries.order_by("-id").first()
    assert entry.changes["after"]["created"] == 5 and entry.court_id_value == court.pk
    # A second click on the same preview does not import twice.
    office.post(reverse("core:import_commit", args=["people", job_id]))
    assert AuditEvent.objects.filter(event="import.committed").count() == before + 1


def test_problems_are_listed_and_the_error_report_marks_the_rows(court, office, departments):
    rows = [person_row(i) for i in range(4)]
    rows[2][6] = "不存在的庭"
    response = office.post(reverse("core:import_start", args=["people"]), {"file": xlsx_upload(rows)})
    html = office.get(response["Location"]).content.decode()
    assert "第 4 行：部门：本院没有名为“不存在的庭”的部门" in html
    assert 'data-testid="commit"' not in html
    job_id = response["Location"].rstrip("/").split("/")[-1]
    report = office.get(reverse("core:import_report", args=["people", job_id]))
    assert report["Content-Type"] == XLSX
    ws = load_workbook(io.BytesIO(report.content)).active
    assert ws.cell(row=1, column=13).value == "错误原因"
    assert "不存在的庭" in ws.cell(row=4, column=13).value and ws.cell(row=3, column=13).value is None
    # Committing anyway is refused.
    office.post(reverse("core:import_commit", args=["people", job_id]))
    assert Person.objects.count() == 0


def test_someone_elses_job_is_not_found(court, office, make_user, client_for, departments):
    response = office.post(reverse("core:import_start", args=["people"]), {"file": xlsx_upload([person_row(0)])})
    other = client_for(make_user(court, "party_office"))
    assert other.get(response["Location"]).status_code == 404
    job_id = response["Location"].rstrip("/").split("/")[-1]
    assert other.post(reverse("core:import_commit", args=["people", job_id])).status_code == 404
    assert other.get(reverse("core:import_job", args=["people", "..etc"])).status_code == 404


@pytest.mark.parametrize("name,content,message", [
    ("people.xls", b"\xd0\xcf\x11\xe0" + b"\0" * 50, "另存为"),
    ("people.pdf", b"%PDF-1.4", "文件类型不对"),
    ("people.xlsx", b"this is text", "不是有效的 .xlsx"),
    ("people.csv", b"", "空"),
])
def test_uploads_are_checked_for_type(court, office, name, content, message):
    response = office.post(reverse("core:import_start", args=["people"]),
                           {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 200 and message in response.content.decode()


def test_uploads_are_checked_for_size(court, office, settings):
    settings.TIANPING_UPLOAD_MAX_BYTES = 1024 * 1024
    response = office.post(reverse("core:import_start", args=["people"]),
                           {"file": SimpleUploadedFile("big.csv", b"a,b\n" * 300_000)})
    assert response.status_code == 200 and "文件太大" in response.content.decode()


def test_large_files_go_to_the_background_task_with_progress(court, office, departments, settings, tmp_path):
    settings.TIANPING_IMPORT_INLINE_BYTES = 0  # everything counts as large: django-tasks (immediate in tests)
    path = write_people_xlsx(tmp_path / "p.xlsx", 1200)
    upload = SimpleUploadedFile("p.xlsx", path.read_bytes(), content_type=XLSX)
    response = office.post(reverse("core:import_start", args=["people"]), {"file": upload})
    job_id = response["Location"].rstrip("/").split("/")[-1]
    job = job_load(job_id)
    assert job.status == "previewed" and job.preview.created == 1200
    # The progress fragment of a job still running polls; a finished one tells htmx to reload the page.
    job.update(status="running", progress={"done": 480, "total": 1200})
    fragment = office.get(reverse("core:import_progress", args=["people", job_id]))
    assert "every 1s" in fragment.content.decode() and "40%" in fragment.content.decode()
    assert "HX-Refresh" not in fragment
    job.update(status="previewed")
    assert office.get(reverse("core:import_progress", args=["people", job_id]))["HX-Refresh"] == "true"
    office.post(reverse("core:import_commit", args=["people", job_id]))
    assert job_load(job_id).status == "committed"
    assert Person.objects.filter(court=court).count() == 1200


def test_export_of_the_filtered_list_imports_back_unchanged(court, office, departments, tmp_path):
    from tianping.org.tests.factories import PersonFactory

    for i in range(6):
        PersonFactory(court=court, department=departments[i % 2], name=f"甲{i}" if i < 3 else f"乙{i}")
    # the round trip needs the ID numbers in clear: the full export, with a reason (issue 11)
    data = office.post(reverse("org:person_list") + "?q=甲&export=xlsx&full=1", {"reason": "导出后修改再导入"})
    assert data.status_code == 200
    path = tmp_path / "export.xlsx"
    path.write_bytes(data.content)
    names = [r[0] for r in load_workbook(path, read_only=True).active.iter_rows(min_row=2, values_only=True)]
    assert sorted(names) == ["甲0", "甲1", "甲2"]  # exactly the filtered rows
    result = run_import("people", path, court=court)
    assert result.committed and (result.created, result.updated, result.unchanged) == (0, 0, 3)


# --- commands -------------------------------------------------------------------------------------------------

def test_import_data_command_reports_every_bad_row_and_exits_1(court, departments, tmp_path, capsys):
    rows = [person_row(i) for i in range(6)]
    rows[1][2] = "1990-02-31"
    rows[4][0] = ""
    path = tmp_path / "p.xlsx"
    wb = Workbook()
    wb.active.append(PEOPLE_HEADERS)
    for r in rows:
        wb.active.append(r)
    wb.save(path)
    with pytest.raises(SystemExit) as exit_:
        call_command("import_data", "people", str(path), "--court", court.code)
    assert exit_.value.code == 1
    out = capsys.readouterr().out
    assert "第 3 行：出生日期" in out and "第 6 行：姓名" in out and "未写入" in out
    assert Person.objects.count() == 0
    rows[1][2] = person_row(1)[2]
    rows[4][0] = "补上姓名"
    wb = Workbook()
    wb.active.append(PEOPLE_HEADERS)
    for r in rows:
        wb.active.append(r)
    wb.save(path)
    call_command("import_data", "people", str(path), "--court", court.code, "--dry-run")
    assert "未写入" in capsys.readouterr().out and Person.objects.count() == 0
    call_command("import_data", "people", str(path), "--court", court.code)
    assert "新增 6 行" in capsys.readouterr().out and Person.objects.count() == 6
    out_path = tmp_path / "out.xlsx"
    # the round trip needs the ID numbers in clear: --full with a reason (issue 11; masked by default)
    call_command("export_data", "people", str(out_path), "--court", court.code, "--full", "--reason", "修改后再导入")
    assert "6 行" in capsys.readouterr().out
    call_command("import_data", "people", str(out_path), "--court", court.code)
    assert "不变 6 行" in capsys.readouterr().out


def test_import_data_says_in_chinese_when_it_may_not_read_the_file(court, departments, tmp_path, monkeypatch):
    from django.core.management.base import CommandError

    from tianping.core import importexport

    path = tmp_path / "p.xlsx"
    wb = Workbook()
    wb.active.append(PEOPLE_HEADERS)
    wb.save(path)

    def refused(_path):  # what opening a file of another user gives the service account (root reads anything)
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(importexport, "file_sha256", refused)
    with pytest.raises(CommandError) as error:
        call_command("import_data", "people", str(path), "--court", court.code)
    assert "无法读取文件" in str(error.value) and "incoming" in str(error.value) and "Permission denied" in str(error.value)
    assert Person.objects.count() == 0


def test_import_data_writes_a_template_that_imports_back(court, tmp_path, capsys):
    path = tmp_path / "部门模板.xlsx"
    call_command("import_data", "--template", "departments", str(path))
    assert "导入模板" in capsys.readouterr().out
    ws = load_workbook(path).worksheets[0]
    headers = [c.value for c in ws[1]]
    assert any("部门名称" in str(h) for h in headers), headers
    # the template's example row is a valid row: importing the template as it is checks it (nothing written)
    call_command("import_data", "departments", str(path), "--court", court.code, "--dry-run")
    assert "检查通过" in capsys.readouterr().out


def test_commands_need_a_court_when_there_are_several(court, other_court, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--court"):
        call_command("export_data", "people", str(tmp_path / "x.xlsx"))
    with pytest.raises(CommandError, match="鲁9999"):
        call_command("export_data", "people", str(tmp_path / "x.xlsx"), "--court", "鲁9999")
    with pytest.raises(CommandError, match="people"):
        call_command("import_data", "nosuch", str(tmp_path / "x.xlsx"))


# --- junk never causes a server error -----------------------------------------------------------------------

junk_cell = st.one_of(
    st.none(), st.text(max_size=40), st.integers(min_value=-10**12, max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=True), st.booleans(),
    st.dates(min_value=date(1, 1, 1)), st.datetimes(min_value=datetime(1900, 1, 1)),
    st.sampled_from(["2016-02-30", "是", "否", "男", "女", "民事审判庭", "0312", "=1+1", "张伟(0312)", "　",
                     "370403198503070016", "2016年5月3日", "1e308", "-0", "NaN"]),
)


@hsettings(max_examples=300, deadline=None)
@given(cell=junk_cell)
def test_every_parser_either_parses_or_says_why(cell):
    for reg in all_registers().values():
        for col in reg.columns:
            try:
                _infer_parser(reg, col)(cell)
            except ValueError as exc:
                assert str(exc)


def _csv_bytes(rows) -> bytes:
    import csv

    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(PEOPLE_HEADERS)
    for r in rows:
        w.writerow(["" if v is None else v for v in r])
    return buf.getvalue().encode("utf-8")


@hsettings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(rows=st.lists(st.lists(junk_cell, min_size=0, max_size=14), min_size=1, max_size=4))
def test_junk_files_through_the_view_never_cause_a_server_error(court, office, departments, rows):
    wb = Workbook()
    ws = wb.active
    ws.append(PEOPLE_HEADERS)
    for r in rows:
        ws.append([v.replace(tzinfo=None) if isinstance(v, datetime) else
                   ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in r])
    buf = io.BytesIO()
    wb.save(buf)
    for upload in (SimpleUploadedFile("junk.xlsx", buf.getvalue()), SimpleUploadedFile("junk.csv", _csv_bytes(rows))):
        response = office.post(reverse("core:import_start", args=["people"]), {"file": upload})
        assert response.status_code in (200, 302)
        if response.status_code == 302:
            page = office.get(response["Location"])
            assert page.status_code == 200
            job_id = response["Location"].rstrip("/").split("/")[-1]
            job = job_load(job_id)
            assert job.status == "previewed"
            if job.preview.ok:
                office.post(reverse("core:import_commit", args=["people", job_id]))
                assert job_load(job_id).status in ("committed", "rejected")
            else:
                assert office.get(reverse("core:import_report", args=["people", job_id])).status_code == 200
    Person.objects.all().delete()


def test_every_register_has_a_template_and_export(court, departments):
    from tianping.core.importexport import write_template

    for kind, reg in all_registers().items():
        assert write_template(kind)[:2] == b"PK"
        assert get_register(kind) is reg


def test_import_purge_removes_old_uploads(court, office, departments, capsys):
    import time_machine

    from tianping.core.importexport_jobs import imports_root

    with time_machine.travel("2026-01-01 09:00 +0800"):
        old = office.post(reverse("core:import_start", args=["people"]), {"file": xlsx_upload([person_row(0)])})
    new = office.post(reverse("core:import_start", args=["people"]), {"file": xlsx_upload([person_row(1)])})
    old_id, new_id = (r["Location"].rstrip("/").split("/")[-1] for r in (old, new))
    call_command("import_purge")
    assert "删除 1 个" in capsys.readouterr().out
    assert not (imports_root() / old_id).exists() and (imports_root() / new_id).exists()


def test_a_worker_that_died_is_reported_and_polling_stops(court, office, departments):
    import os
    import time

    response = office.post(reverse("core:import_start", args=["people"]), {"file": xlsx_upload([person_row(0)])})
    job_id = response["Location"].rstrip("/").split("/")[-1]
    job = job_load(job_id)
    job.update(status="running")
    assert "every 1s" in office.get(reverse("core:import_progress", args=["people", job_id])).content.decode()
    old = time.time() - 16 * 60
    os.utime(job.folder / "state.json", (old, old))
    assert job_load(job_id).stalled
    assert office.get(reverse("core:import_progress", args=["people", job_id]))["HX-Refresh"] == "true"
    assert 'data-testid="import-failed"' in office.get(response["Location"]).content.decode()
