"""An import must not hold up other users (issue 11).

- PostgreSQL: the import's services audit into one batch entry, so the audit chain's head is locked only at
  the end: another user's audited save completes within a second while a large import runs.
- SQLite: the preview only reads, so a login during a long preview succeeds at once."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from django.db import connection, connections

from tianping.core.roles import Role
from tianping.core.tests.importdata import DEPARTMENTS, write_people_xlsx

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"


def _in_thread(target, results: dict, key: str) -> threading.Thread:
    def run():
        try:
            results[key] = target()
        except Exception as exc:  # noqa: BLE001 - reported by the test
            results[key] = exc
        finally:
            connections.close_all()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


@pytest.mark.django_db(transaction=True)
def test_postgresql_an_audited_save_completes_within_a_second_while_an_import_runs(court, make_user, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("row locks on the audit chain head: PostgreSQL (SQLite has one writer anyway)")
    from tianping.core.importexport import run_import
    from tianping.core.models import AuditEvent
    from tianping.org import services
    from tianping.org.models import Department, Person
    from tianping.org.tests.factories import PersonFactory

    for name in DEPARTMENTS:
        Department.objects.create(court=court, name=name, type="trial")
    path = write_people_xlsx(tmp_path / "people.xlsx", 3000)
    office = make_user(court, Role.PARTY_OFFICE)
    colleague = make_user(court, Role.PARTY_OFFICE)
    other = PersonFactory(court=court, name="另一人")
    started, release = threading.Event(), threading.Event()

    def progress(done, total):  # the import has written a batch of people and keeps its transaction open
        started.set()
        release.wait(60)

    results: dict = {}
    importer = _in_thread(lambda: run_import("people", path, court=court, user=office, progress=progress,
                                             batch_size=500), results, "import")
    try:
        assert started.wait(120), "the import did not start"
        timing: dict = {}

        def save():
            t0 = time.monotonic()
            services.person_update(actor=colleague, person=Person.objects.get(pk=other.pk),
                                   data={"phone": "13800000001"})
            timing["seconds"] = time.monotonic() - t0

        saver = _in_thread(save, results, "save")
        saver.join(5)
        blocked = saver.is_alive()
    finally:
        release.set()
    importer.join(300)
    saver.join(60)
    assert not isinstance(results.get("save"), Exception), results.get("save")
    assert not blocked and timing["seconds"] < 1.0, f"the save waited for the import: {timing}"
    result = results["import"]
    assert not isinstance(result, Exception), result
    assert result.committed and result.created == 3000
    # the import is still one audit entry, written after the colleague's
    entries = list(AuditEvent.objects.order_by("id").values_list("event", flat=True))
    assert entries.count("import.committed") == 1 and entries[-1] == "import.committed"
    assert "person.updated" in entries and "person.created" not in entries


SQLITE_SCRIPT = textwrap.dedent("""
    import os, sys, threading, time
    from pathlib import Path
    import django
    django.setup()
    from django.conf import settings
    from django.db import connections
    settings.DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 2  # a writer waiting longer fails
    from django.core.management import call_command
    call_command("migrate", verbosity=0)  # nothing to apply: the file is a copy of the migrated test database
    from django.test import Client
    from tianping.core.importexport import run_import
    from tianping.core.tests.importdata import DEPARTMENTS, write_people_xlsx
    from tianping.core.models import AuditEvent
    from tianping.org.models import Court, Department, User

    court = Court.objects.create(code="鲁0403", name="薛城区人民法院", level="basic")
    for name in DEPARTMENTS:
        Department.objects.create(court=court, name=name, type="trial")
    User.objects.create_user(username="someone", password="Test@Pass2016x", court=court)
    path = write_people_xlsx(Path(sys.argv[1]) / "people.xlsx", 3000)
    started, release, out = threading.Event(), threading.Event(), {}

    def progress(done, total):
        started.set()
        release.wait(60)

    def preview():
        try:
            out["result"] = run_import("people", path, court=court, dry_run=True, progress=progress, batch_size=500)
        finally:
            connections.close_all()

    thread = threading.Thread(target=preview, daemon=True)
    thread.start()
    assert started.wait(120)
    t0 = time.monotonic()
    before = AuditEvent.objects.count()
    ok = Client().login(username="someone", password="Test@Pass2016x")
    seconds = time.monotonic() - t0
    release.set()
    thread.join(300)
    print("LOGIN", ok, round(seconds, 3), AuditEvent.objects.count() - before, out["result"].created,
          User.objects.get(username="someone").last_login is not None)
    if sys.argv[2] == "commit":
        # during a commit the writer lock is the import's: a sign-in succeeds or gets the busy page, never a 500
        started.clear()
        release.clear()
        out.clear()

        def commit():
            try:
                out["result"] = run_import("people", path, court=court, progress=progress, batch_size=500)
            finally:
                connections.close_all()

        thread = threading.Thread(target=commit, daemon=True)
        thread.start()
        assert started.wait(120)
        response = Client(raise_request_exception=False).post(
            "/accounts/login/", {"username": "someone", "password": "Test@Pass2016x"})
        release.set()
        thread.join(300)
        print("COMMIT", response.status_code, "系统繁忙" in response.content.decode(), out["result"].committed)
""")


def _copy_of_the_test_database(target: Path) -> None:
    """The run's SQLite test database, migrated and with the data migrations' reference rows, copied into a file
    (SQLite's online backup): the subprocess starts from it instead of migrating a new file (most of a minute).
    Between tests the database holds nothing else: a test's transaction was rolled back, a transactional test's
    flush emptied the tables, and the reference rows such a flush removed are put back first."""
    import sqlite3

    from django.db import transaction

    with transaction.atomic():
        serialized = getattr(connection, "_test_serialized_contents", None)
        if serialized:
            connection.creation.deserialize_db_from_string(serialized)
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)
    finally:
        copy.close()


@pytest.fixture(scope="module")
def sqlite_run(tmp_path_factory, django_db_setup, django_db_blocker):
    """One run of SQLITE_SCRIPT (a paused preview, then a paused commit) on a real SQLite file (WAL, as
    deployed) in a subprocess; its stdout. Only in the SQLite run of the suite: the PostgreSQL run would
    repeat exactly the same subprocess (it never touches the test database)."""
    if connection.vendor != "sqlite":
        pytest.skip("a subprocess on its own SQLite file: the SQLite run of the suite covers it")
    tmp_path = tmp_path_factory.mktemp("sqlite_run")
    with django_db_blocker.unblock():
        _copy_of_the_test_database(tmp_path / "tp.sqlite3")
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'tp.sqlite3'}", "TIANPING_DATA_DIR": str(tmp_path),
           "DEBUG": "0", "SECRET_KEY": "x" * 60, "DJANGO_SETTINGS_MODULE": "tianping.settings",
           "TIANPING_TESTING": "1"}
    done = subprocess.run([sys.executable, "-c", SQLITE_SCRIPT, str(tmp_path), "commit"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_sqlite_a_login_during_a_long_preview_succeeds(sqlite_run):
    """The preview is paused half-way while another connection signs in (last_login and the audit entry are
    writes)."""
    line = next(x for x in sqlite_run.splitlines() if x.startswith("LOGIN"))
    _, ok, seconds, audited, created, last_login = line.split()
    assert ok == "True" and last_login == "True", line
    assert float(seconds) < 2.0, line
    assert int(created) == 3000, "the preview went on after the login and counted every row"


def test_sqlite_a_login_during_a_commit_gets_the_busy_page_never_a_500(sqlite_run):
    """During a commit the writer lock is the import's: a sign-in succeeds or gets the busy page (503 系统繁忙)."""
    line = next(x for x in sqlite_run.splitlines() if x.startswith("COMMIT"))
    _, status, busy, committed = line.split()
    assert status in ("302", "503"), line
    assert status == "302" or busy == "True", line
    assert committed == "True", line
