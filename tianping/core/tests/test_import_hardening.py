"""Import hardening (issue 11): decompressed size of an .xlsx capped before parsing."""

from __future__ import annotations

import io
import resource
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from tianping.core.importexport import FileError, check_xlsx_sizes, run_import
from tianping.core.tests.importdata import PEOPLE_HEADERS, person_row
from tianping.org.models import Person

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"


def _workbook_bytes(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(PEOPLE_HEADERS)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def bomb(cell_mb: int) -> bytes:
    """A real people workbook whose sheet gains one inline-string cell of `cell_mb` MB of "A" (compresses
    about 1000×: a few hundred KB on disk), written in streaming fashion."""
    src = zipfile.ZipFile(io.BytesIO(_workbook_bytes([person_row(1)])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                head, tail = data.split(b"</sheetData>")
                member = zipfile.ZipInfo(info.filename)
                member.compress_type = zipfile.ZIP_DEFLATED
                with dst.open(member, "w", force_zip64=True) as fh:
                    fh.write(head + b'<row r="3"><c r="A3" t="inlineStr"><is><t>')
                    chunk = b"A" * (1 << 20)
                    for _ in range(cell_mb):
                        fh.write(chunk)
                    fh.write(b"</t></is></c></row></sheetData>" + tail)
            else:
                dst.writestr(info, data)
    return out.getvalue()


def test_a_zip_bomb_is_refused_before_parsing_with_a_chinese_message(court, tmp_path):
    data = bomb(200)
    assert len(data) < 1024 * 1024, "the crafted file is small on disk"
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(data)
    with pytest.raises(FileError, match="压缩比异常"):
        check_xlsx_sizes(path)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result = run_import("people", path, court=court, dry_run=True)
    grew_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert not result.ok and "压缩比异常" in result.problems[0].message
    assert grew_mb < 50, f"parsing was not prevented: peak memory grew by {grew_mb:.0f} MB"


def test_declared_total_size_is_capped_too(court, tmp_path, settings):
    settings.TIANPING_IMPORT_XLSX_MAX_UNCOMPRESSED = 1024 * 1024
    path = tmp_path / "big.xlsx"
    path.write_bytes(_workbook_bytes([person_row(i) for i in range(4000)]))  # ~2 MB of XML, ordinary ratio
    result = run_import("people", path, court=court, dry_run=True)
    assert not result.ok and "解压后过大" in result.problems[0].message and "上限 1 MB" in result.problems[0].message


def test_an_ordinary_workbook_passes_the_check(court, tmp_path):
    path = tmp_path / "ok.xlsx"
    path.write_bytes(_workbook_bytes([person_row(i) for i in range(3)]))
    check_xlsx_sizes(path)  # no error


def test_the_upload_form_refuses_the_bomb(court, make_user, client_for):
    from tianping.core.roles import Role

    office = client_for(make_user(court, Role.PARTY_OFFICE))
    upload = SimpleUploadedFile("bomb.xlsx", bomb(50), content_type=XLSX)
    page = office.post(reverse("core:import_start", args=["people"]), {"file": upload})
    assert page.status_code == 200 and "压缩比异常" in page.content.decode()
    assert Person.objects.count() == 0


def test_the_import_export_side_of_core_names_no_domain_app():
    import ast
    from pathlib import Path

    core = Path(__file__).resolve().parents[1]
    files = [core / n for n in ("importexport.py", "importexport_jobs.py", "importexport_tasks.py",
                                "importexport_views.py", "registers.py", "audit.py", "context_processors.py")]
    files += sorted((core / "management" / "commands").glob("*.py"))
    domain = ("tianping.org", "tianping.party", "tianping.partylife", "tianping.trials", "tianping.mediation")
    offenders = []
    for f in files:
        for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            offenders += [f"{f.name}: {n}" for n in names for d in domain if n == d or n.startswith(d + ".")]
    assert offenders == []


# --- issue 12: every problem of a row at once; the preview shows what it will write; one length wording ------

@pytest.fixture
def departments(court):
    from tianping.core.tests.importdata import DEPARTMENTS
    from tianping.org.models import Department

    return [Department.objects.create(court=court, name=n, type="trial") for n in DEPARTMENTS]


def _sheet(tmp_path, rows, name="p.xlsx"):
    path = tmp_path / name
    path.write_bytes(_workbook_bytes(rows))
    return path


def test_a_row_reports_every_problem_in_one_pass(court, departments, tmp_path):
    row = person_row(1)
    row[2] = "1985-02-30"  # an impossible birth date
    row[3] = row[3][:-1] + ("0" if row[3][-1] != "0" else "1")  # and a wrong ID check character
    row[0] = "张" * 60  # and a name over the field's 40 characters
    result = run_import("people", _sheet(tmp_path, [row]), court=court, dry_run=True)
    by_column = {p.column: p.message for p in result.problems}
    assert set(by_column) >= {"出生日期", "身份证号", "姓名"}, result.problems
    assert "校验" in by_column["身份证号"] or "末位" in by_column["身份证号"], by_column["身份证号"]
    assert by_column["姓名"] == "最多 40 个字（现为 60 个），请删减。"
    assert len([p for p in result.problems if p.column == "出生日期"]) == 1  # not also "must match the ID"


def test_an_over_long_cell_gets_the_same_wording(court, departments, tmp_path):
    row = person_row(2)
    row[7] = "审" * 2001
    result = run_import("people", _sheet(tmp_path, [row]), court=court, dry_run=True)
    assert [p.message for p in result.problems] == ["最多 2000 个字（现为 2001 个），请删减。"]


def test_the_preview_lists_the_first_rows_it_will_write_with_personal_columns_masked(court, departments, tmp_path):
    from tianping.org.tests.factories import PersonFactory

    rows = [person_row(i) for i in range(30)]
    existing = PersonFactory(court=court, id_number=rows[0][3], name="旧名字", birth_date=rows[0][2],
                             gender="M" if rows[0][1] == "男" else "F")
    result = run_import("people", _sheet(tmp_path, rows), court=court, dry_run=True)
    assert result.ok and result.created == 29 and result.updated == 1
    assert len(result.sample) == 20 and result.headers[:4] == ["姓名", "性别", "出生日期", "身份证号"]
    first = result.sample[0]
    assert first["row"] == 2 and first["action"] == "updated" and first["cells"][0] == rows[0][0]
    assert result.sample[1]["action"] == "created"
    id_cell = first["cells"][3]
    assert id_cell != rows[0][3] and id_cell.startswith(rows[0][3][:3]) and "*" in id_cell
    assert Person.objects.get(pk=existing.pk).name == "旧名字", "a preview writes nothing"


def test_the_preview_page_shows_the_sample(court, departments, make_user, client_for):
    from tianping.core.roles import Role

    office = client_for(make_user(court, Role.PARTY_OFFICE))
    upload = SimpleUploadedFile("p.xlsx", _workbook_bytes([person_row(i) for i in range(3)]), content_type=XLSX)
    response = office.post(reverse("core:import_start", args=["people"]), {"file": upload})
    html = office.get(response["Location"]).content.decode()
    assert 'data-testid="import-sample"' in html and person_row(2)[0] in html and "将写入的前 3 行" in html


@pytest.mark.parametrize("kind,allowed_role,refused_role", [
    ("people", "PARTY_OFFICE", "TRIAL_OFFICE"), ("cases", "TRIAL_OFFICE", "PARTY_OFFICE"),
    ("dues", "PARTY_OFFICE", "MEMBER"), ("disputes", "CENTRE", "MEDIATOR"),
])
def test_who_may_import_is_the_policys_answer(court, make_user, kind, allowed_role, refused_role):
    from tianping.core.policy import DECLARED, allowed, perm_name
    from tianping.core.registers import get_register
    from tianping.core.roles import Role

    reg = get_register(kind)
    perm = reg.import_perm or perm_name(reg.model, "import")
    assert perm in DECLARED, perm
    for role in filter(None, [allowed_role, refused_role]):
        user = make_user(court, getattr(Role, role))
        assert reg.can_import(user) is allowed(user, perm) is (role == allowed_role), (kind, role)
