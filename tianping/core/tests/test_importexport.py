"""The import/export machinery: parsers, resolvers, the all-or-nothing engine, files from other tools."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date, datetime
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from tianping.core.importexport import (
    ImportContext,
    parse_bool,
    parse_choice,
    parse_date,
    parse_decimal,
    parse_id_number,
    parse_int,
    parse_text,
    run_import,
    split_names,
    write_error_report,
    write_template,
)
from tianping.core.models import AuditEvent
from tianping.core.registers import export_xlsx, get_register
from tianping.core.tests.importdata import (
    DEPARTMENTS,
    PEOPLE_HEADERS,
    person_row,
    scattered,
    write_people_csv,
    write_people_xlsx,
)
from tianping.org.importers import resolve_department, resolve_people, resolve_person
from tianping.org.models import Court, Department, DepartmentAssignment, Gender, Person


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"


@pytest.fixture
def departments(court):
    return [Department.objects.create(court=court, name=n, type="trial") for n in DEPARTMENTS]


def table_counts():
    return (Person.objects.count(), DepartmentAssignment.objects.count(), Department.objects.count(),
            Court.objects.count(), AuditEvent.objects.count())


# --- parsers ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("cell,expected", [
    ("2016-05-03", date(2016, 5, 3)), ("2016/5/3", date(2016, 5, 3)), ("2016年5月3日", date(2016, 5, 3)),
    ("2016.5.3", date(2016, 5, 3)), ("20160503", date(2016, 5, 3)), (20160503, date(2016, 5, 3)),
    (datetime(2016, 5, 3, 0, 0), date(2016, 5, 3)), (date(2016, 5, 3), date(2016, 5, 3)),
    (42493, date(2016, 5, 3)), (42493.0, date(2016, 5, 3)), ("  2016-05-03 ", date(2016, 5, 3)),
    ("2016-05-03 00:00:00", date(2016, 5, 3)), (None, None), ("", None),
])
def test_parse_date_accepts_what_chinese_spreadsheets_hold(cell, expected):
    assert parse_date(cell) == expected


@pytest.mark.parametrize("cell", ["2016-02-30", "2016-13-01", "昨天", "5/3/2016", True, -3])
def test_parse_date_rejects_impossible_dates_with_a_reason(cell):
    with pytest.raises(ValueError) as err:
        parse_date(cell)
    assert "日期" in str(err.value)


def test_parse_text_keeps_staff_numbers_as_written():
    assert parse_text(312) == "312"
    assert parse_text(312.0) == "312"
    assert parse_text("0312") == "0312"
    assert parse_text(" 张伟\u3000") == "张伟"
    assert parse_text(None) == ""
    assert parse_text("'=1+1") == "=1+1"  # our export escape comes back as written
    assert parse_id_number("37040319850307001x") == "37040319850307001X"
    with pytest.raises(ValueError, match="文本"):
        parse_id_number(3.704031985030700e17)


def test_parse_bool_choice_numbers_and_names():
    assert parse_bool("是") is True and parse_bool("否") is False and parse_bool(None) is None
    with pytest.raises(ValueError, match="是.*否"):
        parse_bool("也许")
    gender = parse_choice(Gender)
    assert gender("男") == "M" and gender("F") == "F" and gender("") == ""
    with pytest.raises(ValueError, match="男、女"):
        gender("未知")
    assert parse_decimal("1,234.50") == Decimal("1234.50") and parse_decimal(12.5) == Decimal("12.5")
    assert parse_decimal("30元") == Decimal("30")
    assert parse_int("12") == 12 and parse_int(12.0) == 12
    with pytest.raises(ValueError):
        parse_int("1.5")
    assert split_names("张伟、李娜，王芳、张伟") == ["张伟", "李娜", "王芳"]


# --- resolvers ----------------------------------------------------------------------------------------------

def test_resolvers_find_records_within_the_court_and_name_candidates(court, other_court):
    from tianping.org.tests.factories import PersonFactory

    dept = Department.objects.create(court=court, name="民事审判庭", type="trial")
    Department.objects.create(court=other_court, name="刑事审判庭", type="trial")
    a = PersonFactory(court=court, name="张伟", staff_number="0312", department=dept)
    b = PersonFactory(court=court, name="张伟", staff_number="0415", department=dept)
    c = PersonFactory(court=court, name="李娜", staff_number="0501", department=dept)
    PersonFactory(court=other_court, name="王芳", staff_number="0001")
    ctx = ImportContext(register=get_register("people"), court=court)
    assert resolve_department(ctx, "民事审判庭") == dept
    with pytest.raises(ValueError, match="刑事审判庭"):
        resolve_department(ctx, "刑事审判庭")  # exists only in the other court
    assert resolve_person(ctx, "张伟(0312)") == a
    assert resolve_person(ctx, "张伟（0415）") == b
    assert resolve_person(ctx, "李娜") == c
    with pytest.raises(ValueError) as err:
        resolve_person(ctx, "张伟")
    assert "张伟(0312)" in str(err.value) and "张伟(0415)" in str(err.value)
    with pytest.raises(ValueError, match="王芳"):
        resolve_person(ctx, "王芳")
    assert resolve_people(ctx, "张伟(0312)、李娜") == [a, c]


# --- the acceptance file: 10,000 rows with 37 bad ones ----------------------------------------------------------

N = 10_000


@pytest.fixture(scope="module")
def big_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("people")
    bad = scattered(N, 37)
    return {
        "bad_rows": sorted(i + 2 for i in bad),  # Excel row numbers: header is row 1
        "dirty": write_people_xlsx(folder / "dirty.xlsx", N, bad),
        "clean": write_people_xlsx(folder / "clean.xlsx", N),
    }


@pytest.mark.slow
def test_ten_thousand_rows_with_37_bad_ones_are_rejected_and_nothing_changes(
        court, departments, big_files):
    before = table_counts()
    result = run_import("people", big_files["dirty"], court=court)
    assert not result.committed
    assert result.bad_rows == big_files["bad_rows"]
    assert len(result.bad_rows) == 37
    assert table_counts() == before, "a rejected import must not change any table"
    kinds = " ".join(str(p) for p in result.problems)
    assert "校验位" in kinds and "不存在的庭" in kinds and "2015-02-30" in kinds and "姓名：必填" in kinds
    assert all(str(p).startswith(f"第 {p.row} 行：") for p in result.problems)

    report = load_workbook(__import__("io").BytesIO(write_error_report("people", big_files["dirty"], result)),
                           read_only=True)
    rows = list(report.worksheets[0].iter_rows(values_only=True))
    assert rows[0][-1] == "错误原因" and len(rows) == N + 1
    width = len(PEOPLE_HEADERS)
    flagged = [i + 1 for i, r in enumerate(rows) if i and len(r) > width and r[width]]
    assert flagged == big_files["bad_rows"]


@pytest.mark.slow
def test_ten_thousand_clean_rows_import_and_a_second_import_changes_nothing(court, departments, big_files):
    result = run_import("people", big_files["clean"], court=court)
    assert result.committed, result.problems[:5]
    assert (result.created, result.updated, result.unchanged) == (N, 0, 0)
    assert Person.objects.filter(court=court).count() == N
    assert DepartmentAssignment.objects.filter(court=court).count() == N
    p = Person.objects.get(court=court, staff_number="00001")
    assert p.department.name == DEPARTMENTS[0] and p.birth_date == person_row(0)[2]

    audit_count = AuditEvent.objects.count()
    snapshot = list(Person.objects.order_by("pk").values_list("pk", "version", "updated_at"))
    again = run_import("people", big_files["clean"], court=court)
    assert again.committed and (again.created, again.updated, again.unchanged) == (0, 0, N)
    assert list(Person.objects.order_by("pk").values_list("pk", "version", "updated_at")) == snapshot
    assert DepartmentAssignment.objects.filter(court=court).count() == N
    assert AuditEvent.objects.count() == audit_count + 1  # the import itself is recorded, nothing else


def test_update_changes_only_what_differs_and_keeps_the_department_history(court, departments, tmp_path):
    path = write_people_xlsx(tmp_path / "a.xlsx", 3)
    assert run_import("people", path, court=court).created == 3
    wb = load_workbook(path)
    ws = wb.active
    ws["G2"] = DEPARTMENTS[3]  # person 0 moves to another department
    ws["B3"] = "男"  # person 1 (female) wrongly written as male: the ID number says otherwise
    wb.save(path)
    bad = run_import("people", path, court=court)
    assert not bad.committed and bad.bad_rows == [3] and "性别" in str(bad.problems[0])
    ws["B3"] = "女"
    wb.save(path)
    result = run_import("people", path, court=court)
    assert (result.created, result.updated, result.unchanged) == (0, 1, 2)
    moved = Person.objects.get(court=court, staff_number="00001")
    assert moved.department.name == DEPARTMENTS[3] and moved.version == 2
    history = list(moved.assignments.order_by("start").values_list("department__name", "end"))
    assert history[0][0] == DEPARTMENTS[0] and history[0][1] is not None
    assert history[-1] == (DEPARTMENTS[3], None)
    entry = AuditEvent.objects.filter(event="import.committed").order_by("-id").first()
    assert entry.changes["after"]["updated"] == 1
    assert entry.changes["before"]["updated"][0]["before"]["department"] == DEPARTMENTS[0]


def test_duplicates_within_the_file_and_taken_staff_numbers_are_row_errors(court, departments, tmp_path):
    from tianping.org.tests.factories import PersonFactory

    PersonFactory(court=court, staff_number="00003", department=departments[0])
    wb = Workbook()
    ws = wb.active
    ws.append(PEOPLE_HEADERS)
    ws.append(person_row(0))
    ws.append(person_row(0))  # the same ID number again
    ws.append(person_row(2))  # staff number 00003 already belongs to someone else
    path = tmp_path / "dup.xlsx"
    wb.save(path)
    result = run_import("people", path, court=court)
    assert not result.committed
    messages = {p.row: str(p) for p in result.problems}
    assert "与第 2 行重复" in messages[3]
    assert "工号" in messages[4]


def test_gb18030_and_bom_csv_import(court, departments, tmp_path):
    path = write_people_csv(tmp_path / "gbk.csv", 50, encoding="gb18030")
    assert "姓名".encode("gb18030") in path.read_bytes()
    result = run_import("people", path, court=court)
    assert result.committed and result.created == 50
    assert Person.objects.get(court=court, staff_number="00007").name == person_row(6)[0]
    bom = write_people_csv(tmp_path / "bom.csv", 50, encoding="utf-8-sig")
    again = run_import("people", bom, court=court)
    assert again.committed and again.unchanged == 50


def test_staff_number_number_cells_and_date_serials(court, departments, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(PEOPLE_HEADERS)
    row = person_row(0)
    row[5] = 312.0  # a number cell: Excel shows 312
    row[11] = 40360  # an Excel serial day number: 2010-07-01
    ws.append(row)
    path = tmp_path / "n.xlsx"
    wb.save(path)
    assert run_import("people", path, court=court).committed
    p = Person.objects.get(court=court)
    assert p.staff_number == "312" and p.hired_on == date(2010, 7, 1)


def _soffice():
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        pytest.skip("LibreOffice (soffice) is not installed: apt-get install libreoffice-calc-nogui "
                    "(make test installs it)")
    return exe


@pytest.mark.slow
def test_an_xlsx_written_by_libreoffice_imports(court, departments, tmp_path):
    exe = _soffice()
    src = write_people_csv(tmp_path / "people.csv", 40)
    out = tmp_path / "out"
    # The CSV filter options: comma, double quote, UTF-8, from line 1; columns 4–6 (ID, phone, staff
    # number) as text, the rest detected (dates become date cells).
    subprocess.run([exe, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo-profile",
                    "--infilter=CSV:44,34,76,1,4/2/5/2/6/2", "--convert-to", "xlsx", "--outdir", str(out), str(src)],
                   check=True, timeout=120, capture_output=True)
    converted = out / "people.xlsx"
    assert converted.exists()
    result = run_import("people", converted, court=court)
    assert result.committed, result.problems[:5]
    assert result.created == 40
    p = Person.objects.get(court=court, id_number=person_row(5)[3])
    assert p.birth_date == person_row(5)[2]
    assert p.hired_on == person_row(5)[11]
    assert p.staff_number == "00006"  # a text column keeps its leading zeros
    cells = load_workbook(converted, read_only=True).active
    assert any(isinstance(v, datetime) for v in next(cells.iter_rows(min_row=2, values_only=True)))


def test_export_then_import_changes_nothing(court, departments):
    from tianping.org.tests.factories import PersonFactory

    for i in range(12):
        PersonFactory(court=court, department=departments[i % 5], phone="13812345678" if i % 2 else "",
                      education="bachelor" if i % 3 else "", hired_on=None if i == 4 else date(2011, 1, 1),
                      name="=HYPERLINK(1)" if i == 7 else f"干警{i}")
    reg = get_register("people")
    data = export_xlsx(reg, reg.rows_for_export(None, court))
    ws = load_workbook(__import__("io").BytesIO(data)).active
    assert [c.value for c in ws[1]] == reg.headers()
    assert any(c.value == "'=HYPERLINK(1)" for c in ws["A"])  # formula injection escaped
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".xlsx") as fh:
        fh.write(data)
        fh.flush()
        snapshot = list(Person.objects.order_by("pk").values())
        result = run_import("people", fh.name, court=court)
    assert result.committed and (result.created, result.updated, result.unchanged) == (0, 0, 12)
    assert list(Person.objects.order_by("pk").values()) == snapshot


def test_courts_and_departments(court, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["法院名称", "法院代字", "层级", "上级法院代字"])
    ws.append(["枣庄市中级人民法院", "鲁04", "中级", ""])
    ws.append(["山亭区人民法院", "鲁0406", "基层", "鲁04"])  # its parent is two rows up
    ws.append(["薛城区人民法院（新名）", "鲁0403", "基层", "鲁04"])
    path = tmp_path / "courts.xlsx"
    wb.save(path)
    result = run_import("courts", path)
    assert result.committed and (result.created, result.updated) == (2, 1)
    assert Court.objects.get(code="鲁0406").parent.code == "鲁04"
    court.refresh_from_db()
    assert court.name == "薛城区人民法院（新名）"

    wb = Workbook()
    ws = wb.active
    ws.append(["部门名称", "部门类型"])
    ws.append(["民事审判庭", "审判业务庭"])
    ws.append(["沙沟人民法庭", "人民法庭"])
    ws.append(["办公室", "办公"])
    path = tmp_path / "d.xlsx"
    wb.save(path)
    bad = run_import("departments", path, court=court)
    assert bad.bad_rows == [4] and "审判业务庭、人民法庭、执行局、综合部门" in str(bad.problems[0])
    ws["B4"] = "综合部门"
    wb.save(path)
    assert run_import("departments", path, court=court).created == 3
    assert Department.objects.get(court=court, name="沙沟人民法庭").type == "tribunal"


def test_missing_columns_and_wrong_files_are_file_errors(court, tmp_path):
    wb = Workbook()
    wb.active.append(["姓名", "身份证号"])
    path = tmp_path / "few.xlsx"
    wb.save(path)
    result = run_import("people", path, court=court)
    assert not result.committed and result.problems[0].row == 0 and "性别" in result.problems[0].message
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"PK\x03\x04 not really a zip")
    assert "无法读取" in run_import("people", junk, court=court).problems[0].message
    xls = tmp_path / "old.xls"
    xls.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 100)
    assert ".xlsx" in run_import("people", xls, court=court).problems[0].message


def test_template_has_header_example_dropdowns_and_text_format(db):
    wb = load_workbook(__import__("io").BytesIO(write_template("people")))
    ws = wb.worksheets[0]
    reg = get_register("people")
    assert [c.value for c in ws[1]] == reg.headers()
    assert ws["D2"].value == "370403198503070016" and ws["D2"].number_format == "@"
    assert ws["F2"].value == "0312" and ws["F500"].number_format == "@"
    ranges = {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation}
    gender = next(f for r, f in ranges.items() if r.startswith("B2"))
    options = wb["选项"]
    letter = gender.split("$")[1]
    assert [options[f"{letter}{i}"].value for i in (1, 2)] == ["男", "女"]
    assert "填写说明" in wb.sheetnames


def test_dry_run_writes_nothing(court, departments, tmp_path):
    path = write_people_xlsx(tmp_path / "p.xlsx", 20)
    before = table_counts()
    result = run_import("people", path, court=court, dry_run=True)
    assert result.ok and not result.committed and result.created == 20
    assert table_counts() == before


def test_empty_optional_cells_take_the_default_and_keep_existing_values(court, departments, tmp_path):
    row = person_row(0)
    row[7] = ""  # 职务 left empty: the default 其他
    row[10] = ""  # 学历 left empty
    row[8] = None  # 是否员额法官 empty: default 否
    path = _one_row_file(tmp_path / "e.xlsx", row)
    assert run_import("people", path, court=court).created == 1
    p = Person.objects.get(court=court)
    assert (p.post, p.education, p.is_quota_judge) == ("other", "", False)
    p.post, p.is_quota_judge = "judge", True
    p.save()
    again = run_import("people", path, court=court)
    assert again.unchanged == 1
    p.refresh_from_db()
    assert (p.post, p.is_quota_judge) == ("judge", True)


def _one_row_file(path, row):
    wb = Workbook()
    wb.active.append(PEOPLE_HEADERS)
    wb.active.append(row)
    wb.save(path)
    return path


def test_a_fifteen_digit_id_number_is_offered_its_eighteen_character_form(court, departments, tmp_path):
    # GB 11643-1999 replaced the 15-digit numbers (GB 11643-1989: yymmdd, no check character): the import names the
    # upgraded number (century "19" inserted, check character computed) instead of a bare "应为 18 位"
    row = person_row(0)
    born = row[2]
    old = f"370403{born:%y%m%d}001"
    first17 = f"370403{born:%Y%m%d}001"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    upgraded = first17 + "10X98765432"[sum(int(a) * w for a, w in zip(first17, weights, strict=True)) % 11]
    row[3] = old
    wb = Workbook()
    ws = wb.active
    ws.append(PEOPLE_HEADERS)
    ws.append(row)
    path = tmp_path / "old-id.xlsx"
    wb.save(path)
    result = run_import("people", path, court=court)
    assert not result.committed
    message = str(next(p for p in result.problems if p.row == 2))
    assert "15 位" in message and upgraded in message
    row[3] = upgraded  # the number offered imports
    ws.delete_rows(2)
    ws.append(row)
    wb.save(path)
    assert run_import("people", path, court=court).committed
