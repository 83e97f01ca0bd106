"""kill -9 of the background worker in the middle of a large import (issue 19): nothing is written, the job
shows as failed at once, and running the import again succeeds.

A real `manage.py db_worker` in a subprocess, on PostgreSQL the test database itself, on SQLite a file copy of
it (the test database is in memory); the shared data directory holds the job's file and state."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from tianping.core.roles import Role
from tianping.core.tests.importdata import DEPARTMENTS, write_people_xlsx

ROOT = Path(__file__).resolve().parents[3]
ROWS = 3000


def _database_url(tmp_path: Path) -> str:
    if connection.vendor == "postgresql":
        s = connection.settings_dict
        return f"postgres://{s['USER']}:{s['PASSWORD'] or ''}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    path = tmp_path / "worker.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(path)
    connection.connection.backup(target)  # the migrated in-memory test database, with the queued task
    target.close()
    return f"sqlite:///{path}"


def _count(url: str, table: str, where: str = "") -> int:
    sql = f"SELECT COUNT(*) FROM {table} {where}"
    if url.startswith("sqlite"):
        db = sqlite3.connect(url.removeprefix("sqlite:///"))
        try:
            return db.execute(sql).fetchone()[0]
        finally:
            db.close()
    with connection.cursor() as cur:
        cur.execute(sql)
        return cur.fetchone()[0]


@pytest.mark.slow  # two Django processes and two imports of 3,000 rows: several seconds
@pytest.mark.django_db(transaction=True)
def test_killing_the_worker_mid_import_writes_nothing_shows_failed_and_a_rerun_succeeds(
        court, make_user, client_for, settings, tmp_path):
    from tianping.core.importexport_jobs import job_create, job_load, job_start
    from tianping.org.models import Department

    settings.DATA_DIR = tmp_path / "data"
    settings.TIANPING_IMPORT_INLINE_BYTES = 0  # every file goes to the worker
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    for name in DEPARTMENTS:
        Department.objects.create(court=court, name=name, type="trial")
    office = make_user(court, Role.PARTY_OFFICE)
    path = write_people_xlsx(tmp_path / "people.xlsx", ROWS)
    job = job_create(kind="people", user=office, court=court,
                     upload=SimpleUploadedFile("people.xlsx", path.read_bytes()))
    job_start(job, "commit")  # queued in the database for the worker
    url = _database_url(tmp_path)
    # not TIANPING_TESTING: the subprocesses use the database task backend, as deployed
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST", "TIANPING_TESTING"))}
    env.update(DATABASE_URL=url, TIANPING_DATA_DIR=str(settings.DATA_DIR), DEBUG="1",
               TIANPING_AUDIT_KEY=settings.TIANPING_AUDIT_KEY or "",
               # the rows after the first 1,000 are checked by the forked checker process (importexport._CheckAhead):
               # killed with it running, the worker's child must not keep the import's transaction alive
               TIANPING_IMPORT_CHECK_AHEAD_ROWS="1000")

    worker = subprocess.Popen([sys.executable, "manage.py", "db_worker", "--skip-checks", "--interval", "0.1", "--no-startup-delay",
                               "--no-reload"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while True:  # the first 1,000 people are in the import's open transaction, 2,000 to go
            state = job_load(job.id).state
            if state["status"] == "running" and state.get("progress", {}).get("done", 0) >= 1000:
                break
            assert worker.poll() is None, worker.stderr.read().decode()[-2000:]
            assert state["status"] != "committed", "the import finished before the worker could be killed"
            assert time.monotonic() < deadline, f"the worker did not start the import: {state}"
            time.sleep(0.02)
        os.kill(worker.pid, signal.SIGKILL)
    finally:
        worker.kill()
        worker.wait(10)

    job = job_load(job.id)
    assert job.status == "running" and job.failed and job.finished  # known at once, not after 15 minutes
    assert _count(url, "org_person") == 0
    assert _count(url, "org_departmentassignment") == 0
    assert _count(url, "core_auditevent", "WHERE event = 'import.committed'") == 0
    page = client_for(office).get(reverse("core:import_job", args=["people", job.id])).content.decode()
    assert 'data-testid="import-failed"' in page

    # Run it again: a fresh process picks the job up and commits every row.
    rerun = ("from tianping.core.importexport_tasks import import_job_task; "
             f"import_job_task.enqueue({job.id!r}, 'commit'); "
             "from django.core.management import call_command; "
             "call_command('db_worker', batch=True, startup_delay=False, reload=False)")
    done = subprocess.run([sys.executable, "manage.py", "shell", "-c", rerun], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    job = job_load(job.id)
    assert job.status == "committed" and not job.failed, job.state
    assert job.commit.created == ROWS
    assert _count(url, "org_person") == ROWS
    assert _count(url, "org_departmentassignment") == ROWS
    assert _count(url, "core_auditevent", "WHERE event = 'import.committed'") == 1
