"""A large .xlsx import checks its rows in a forked process, a batch ahead of the writes (importexport._CheckAhead).

The outcome must not depend on it: the same problems (row, column, wording), counts, records, department history
and audit entry with the checker as without, for a clean file, a file with bad rows, a file that updates
existing records, and when the checker has to give up (a check that would need the database)."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from tianping.core import importexport
from tianping.core.importexport import run_import
from tianping.core.models import AuditEvent
from tianping.core.tests.importdata import DEPARTMENTS, scattered, write_people_xlsx
from tianping.org.models import Department, DepartmentAssignment, Person

pytestmark = pytest.mark.django_db

ROWS = 600
BATCH = 100


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    settings.TIANPING_DATA_DIR = tmp_path


@pytest.fixture
def departments(court):
    return [Department.objects.create(court=court, name=name, type="trial") for name in DEPARTMENTS]


@pytest.fixture
def parent_checks(monkeypatch):
    """How many rows the importing process built and full_clean()ed itself (the checker's are not counted:
    they happen in the other process), and how many batches the checker answered."""
    counts = {"rows": 0, "answered": 0, "started": 0}
    new_record = importexport._Engine.new_record
    checked = importexport._CheckAhead.checked
    start = importexport._CheckAhead.start.__func__

    def counting_new_record(self, row_number, values):
        counts["rows"] += 1
        return new_record(self, row_number, values)

    def counting_checked(self, batch):
        answer = checked(self, batch)
        counts["answered"] += answer is not None
        return answer

    def counting_start(cls, engine, pending):
        counts["started"] += 1
        return start(cls, engine, pending)

    monkeypatch.setattr(importexport._Engine, "new_record", counting_new_record)
    monkeypatch.setattr(importexport._CheckAhead, "checked", counting_checked)
    monkeypatch.setattr(importexport._CheckAhead, "start", classmethod(counting_start))
    return counts


def outcome(result):
    people = list(Person.objects.order_by("id_number").values_list(
        "name", "gender", "birth_date", "id_number", "phone", "staff_number", "department__name", "post",
        "is_quota_judge", "education", "hired_on", "version"))
    history = sorted(DepartmentAssignment.objects.values_list("person__id_number", "department__name", "start", "end"))
    entry = AuditEvent.objects.filter(event="import.committed").order_by("-id").values_list("changes", flat=True).first()
    if entry:
        entry = {**entry, "after": {k: v for k, v in entry["after"].items() if k != "objects"}}  # ids differ
    return ([(p.row, p.column, p.message) for p in result.problems], result.total, result.created, result.updated,
            result.unchanged, result.committed, people, history, entry)


def import_twice(court, path, settings, parent_checks):
    """The file imported without the checker and, after undoing it, with; returns both outcomes."""
    from django.db import transaction

    settings.TIANPING_IMPORT_CHECK_AHEAD_ROWS = 0
    with transaction.atomic():
        serial = outcome(run_import("people", path, court=court, batch_size=BATCH))
        transaction.set_rollback(True)
    assert parent_checks["started"] == 0
    settings.TIANPING_IMPORT_CHECK_AHEAD_ROWS = 1
    parent_checks["rows"] = 0
    ahead = outcome(run_import("people", path, court=court, batch_size=BATCH))
    return serial, ahead


def test_a_clean_file_checked_ahead_imports_exactly_as_without(court, departments, tmp_path, settings, parent_checks):
    path = write_people_xlsx(tmp_path / "clean.xlsx", ROWS)
    serial, ahead = import_twice(court, path, settings, parent_checks)
    assert parent_checks["started"] == 1
    assert parent_checks["answered"] == ROWS // BATCH - 1, "every batch after the first is checked by the other process"
    assert parent_checks["rows"] == BATCH, "the importing process built only the first batch's records itself"
    assert ahead == serial
    assert ahead[2:6] == (ROWS, 0, 0, True) and len(ahead[6]) == ROWS and len(ahead[7]) == ROWS


def test_bad_rows_are_reported_the_same_with_the_checker(court, departments, tmp_path, settings, parent_checks):
    bad = scattered(ROWS, 11, seed=5)
    path = write_people_xlsx(tmp_path / "dirty.xlsx", ROWS, bad)
    serial, ahead = import_twice(court, path, settings, parent_checks)
    assert parent_checks["answered"] == ROWS // BATCH - 1
    assert ahead == serial
    problems, committed, people = ahead[0], ahead[5], ahead[6]
    assert not committed and people == []
    assert sorted({row for row, _c, _m in problems}) == sorted(i + 2 for i in bad)
    assert any("校验位" in m for _r, _c, m in problems) and any("不存在的庭" in m for _r, _c, m in problems)


def test_rows_that_update_existing_people_are_checked_against_them(court, departments, tmp_path, settings,
                                                                   parent_checks):
    path = write_people_xlsx(tmp_path / "people.xlsx", ROWS)
    settings.TIANPING_IMPORT_CHECK_AHEAD_ROWS = 0
    assert run_import("people", path, court=court).committed
    # the file again with every 50th person moved to the next department and every 70th with 部门 emptied
    wb = load_workbook(path)
    ws = wb.active
    for row in range(2, ROWS + 2):
        if row % 50 == 0:
            ws.cell(row, 7).value = DEPARTMENTS[(row - 1) % len(DEPARTMENTS)]
        elif row % 70 == 0:
            ws.cell(row, 7).value = None
    wb.save(path)
    serial, ahead = import_twice(court, path, settings, parent_checks)
    assert ahead == serial
    assert ahead[0] == [] and ahead[5]
    changed = len([r for r in range(2, ROWS + 2) if r % 50 == 0 or r % 70 == 0])  # 12 moved, 7 emptied
    assert (ahead[3], ahead[4]) == (changed, ROWS - changed) == (19, 581)
    assert sum(1 for p in ahead[6] if p[6] is None) == 7
    # the updates were checked in the importing process, against the records they change
    assert parent_checks["rows"] == 0


def test_when_a_check_needs_the_database_the_importing_process_takes_over(court, departments, tmp_path, settings,
                                                                          parent_checks):
    # 部门 is empty in the first batch, so its name list is not loaded when the checker starts: the checker's
    # first look-up would need the database; it stops and the rest is checked in the importing process
    path = write_people_xlsx(tmp_path / "late.xlsx", ROWS)
    wb = load_workbook(path)
    ws = wb.active
    for row in range(2, BATCH + 2):
        ws.cell(row, 7).value = None
    wb.save(path)
    serial, ahead = import_twice(court, path, settings, parent_checks)
    assert parent_checks["started"] == 1 and parent_checks["answered"] == 0
    assert parent_checks["rows"] == ROWS
    assert ahead == serial and ahead[5] and ahead[2] == ROWS


def test_a_csv_file_is_never_read_by_two_processes(court, departments, tmp_path, settings, parent_checks):
    from tianping.core.tests.importdata import write_people_csv

    settings.TIANPING_IMPORT_CHECK_AHEAD_ROWS = 1
    result = run_import("people", write_people_csv(tmp_path / "p.csv", 250), court=court, batch_size=BATCH)
    assert result.committed and result.created == 250
    assert parent_checks["started"] == 0  # a CSV is read from the file as it goes: the file position is shared


def test_no_checker_beside_another_working_thread(court, departments, tmp_path, settings, parent_checks):
    import threading

    settings.TIANPING_IMPORT_CHECK_AHEAD_ROWS = 1
    release = threading.Event()
    worker = threading.Thread(target=release.wait)  # a request thread of a gthread worker, say: not a daemon
    worker.start()
    try:
        result = run_import("people", write_people_xlsx(tmp_path / "p.xlsx", 250), court=court, batch_size=BATCH)
    finally:
        release.set()
        worker.join()
    assert result.committed and result.created == 250
    assert parent_checks["started"] == 0 and parent_checks["rows"] == 250
