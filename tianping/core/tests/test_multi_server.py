"""Several app servers and workers against one PostgreSQL (issue 19, docs/deploy.md "多台应用服务器").

Two gunicorn processes (deploy/gunicorn.conf.py, DEBUG=0 as deployed) and two `manage.py worker` processes on the
test database, one shared data directory (uploads, import jobs, heartbeats):
- a session made by signing in on server A is accepted by server B (sessions live in the database);
- import files uploaded through one server are previewed by a worker, committed through the other server, and
  their error report is served by the server that did not receive the upload (shared storage: nothing lost);
- every queued task runs exactly once (each task row claimed by one worker only), and both workers took part.

PostgreSQL only: SQLite is one file that one host's processes share, and the test database is in memory, so two
servers "on one database" cannot be built from it (the SQLite deployment is one machine, docs/security.md)."""

from __future__ import annotations

import io
import os
import re
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from django.contrib.auth.hashers import make_password
from django.db import connection
from openpyxl import Workbook

from tianping.core.roles import Role
from tianping.core.tests.importdata import DEPARTMENTS, PEOPLE_HEADERS, break_row, person_row

ROOT = Path(__file__).resolve().parents[3]
PASSWORD = "Multi@Server2026x"  # noqa: S105 - a test account's password
JOBS = 6  # import files, each previewed and committed by the workers: 11 tasks (one file has a bad row)
ROWS = 40


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _xlsx(rows: list[list]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(PEOPLE_HEADERS)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


class Browser:
    """A person's browser: one cookie jar, sent to whichever server it talks to (as a load balancer would).
    The cookies are Secure (DEBUG=0); they are sent by hand because the test talks plain HTTP to gunicorn."""

    def __init__(self) -> None:
        self.cookies: dict[str, str] = {}

    def request(self, method: str, url: str, **kw) -> requests.Response:
        response = requests.request(method, url, cookies=self.cookies, allow_redirects=False, timeout=30, **kw)
        self.cookies.update(response.cookies.get_dict())
        return response

    def csrf(self, url: str) -> str:
        page = self.request("GET", url)
        assert page.status_code == 200, (url, page.status_code)
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)


def _wait(predicate, what: str, procs: list[subprocess.Popen], seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        for p in procs:
            assert p.poll() is None, f"{p.args} exited: {p.stderr.read().decode()[-3000:]}"
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


@pytest.mark.skipif("os.environ.get('DATABASE_URL', '').startswith('sqlite') or not os.environ.get('DATABASE_URL')",
                    reason="several servers on one database need PostgreSQL (the SQLite test database is in memory)")
@pytest.mark.django_db(transaction=True)
def test_two_gunicorns_and_two_workers_share_sessions_uploads_and_run_each_task_once(court, make_user, tmp_path):
    from django_tasks_db.models import DBTaskResult

    from tianping.org.models import Department, Person

    assert connection.vendor == "postgresql"
    for name in DEPARTMENTS:
        Department.objects.create(court=court, name=name, type="trial")
    user = make_user(court, Role.PARTY_OFFICE)
    user.password = make_password(PASSWORD, hasher="argon2")  # the servers run with the production hashers
    user.save(update_fields=["password"])

    data = tmp_path / "shared-data"  # NFS in production: one path, mounted on every host
    s = connection.settings_dict
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST", "TIANPING_TESTING"))}
    env.update(
        DATABASE_URL=f"postgres://{s['USER']}:{s['PASSWORD'] or ''}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}",
        TIANPING_DATA_DIR=str(data), DEBUG="0", SECRET_KEY=secrets.token_urlsafe(64),
        TIANPING_AUDIT_KEY="1:" + secrets.token_urlsafe(48), ALLOWED_HOSTS="127.0.0.1", SECURE_SSL_REDIRECT="0",
        TIANPING_REQUIRE_MFA="0", TIANPING_IMPORT_INLINE_BYTES="0",  # every import goes to the workers
        GUNICORN_WORKERS="1", PYTHONUNBUFFERED="1")
    ports = [_free_port(), _free_port()]
    procs: list[subprocess.Popen] = []
    try:
        for port in ports:
            procs.append(subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "tianping.wsgi"], cwd=ROOT,
                env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}"}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE))
        for worker_id in ("w1", "w2"):
            procs.append(subprocess.Popen(
                [sys.executable, "manage.py", "worker", "--skip-checks", "--worker-id", worker_id, "--interval", "0.05",
                 "--no-startup-delay", "--no-reload"],
                cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE))
        a, b = (f"http://127.0.0.1:{p}" for p in ports)

        def up(base: str) -> bool:
            try:
                return requests.get(f"{base}/healthz", timeout=10).status_code == 200
            except requests.RequestException:
                return False

        _wait(lambda: up(a) and up(b), "both servers", procs)
        _wait(lambda: {p.name for p in (data / "run").glob("worker-*.json")} == {"worker-w1.json", "worker-w2.json"}
              if (data / "run").is_dir() else False, "both workers' heartbeats", procs)

        # Sign in on A; B knows the session.
        browser = Browser()
        login = browser.request("POST", f"{a}/accounts/login/", data={
            "username": user.username, "password": PASSWORD,
            "csrfmiddlewaretoken": browser.csrf(f"{a}/accounts/login/")})
        assert login.status_code == 302, login.text[-2000:]
        assert browser.request("GET", f"{b}/").status_code == 200
        assert Browser().request("GET", f"{b}/").status_code == 302  # without the cookie: to the login page

        # Upload the files alternately through A and B; the last one has a bad row.
        start = "/import/people/"
        jobs: list[tuple[str, str]] = []  # (server that received the upload, job url path)
        for k in range(JOBS):
            rows = [person_row(i) for i in range(k * ROWS, (k + 1) * ROWS)]
            if k == JOBS - 1:
                rows[3] = break_row(rows[3], 1)  # a department that does not exist
            via = (a, b)[k % 2]
            token = browser.csrf(f"{via}{start}")
            response = browser.request("POST", f"{via}{start}", data={"csrfmiddlewaretoken": token},
                                       files={"file": (f"人员{k}.xlsx", _xlsx(rows))})
            assert response.status_code == 302, response.text[-2000:]
            jobs.append((via, response.headers["Location"]))

        _wait(lambda: DBTaskResult.objects.filter(status="SUCCESSFUL").count() == JOBS, "the previews", procs, 60)

        # Commit the good ones through the server that did not receive the upload; the bad one's error report is
        # built from the uploaded file by that other server too.
        for via, path in jobs[:-1]:
            other = b if via == a else a
            page = browser.request("GET", f"{other}{path}").text
            assert 'data-testid="preview-ok"' in page, page[-3000:]
            assert f'data-testid="count-created">{ROWS}<' in page and 'data-testid="commit"' in page, page[-3000:]
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
            assert browser.request("POST", f"{other}{path}commit/",
                                   data={"csrfmiddlewaretoken": token}).status_code == 302
        via, path = jobs[-1]
        report = browser.request("GET", f"{b if via == a else a}{path}report/")
        assert report.status_code == 200 and report.content[:2] == b"PK", report.status_code
        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(report.content)).active
        assert any("不存在的庭" in str(c.value) for row in sheet.iter_rows() for c in row if c.value)

        _wait(lambda: DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 2 * JOBS - 1,
              "the commits", procs, seconds=60)
        for p in procs[:2]:
            assert p.poll() is None
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            try:
                p.wait(15)
            except subprocess.TimeoutExpired:
                p.kill()

    results = list(DBTaskResult.objects.all())
    assert len(results) == 2 * JOBS - 1  # JOBS previews, JOBS - 1 commits
    assert all(r.status == "SUCCESSFUL" for r in results), [(r.status, r.exception_class_path) for r in results]
    claims = [r.worker_ids for r in results]
    assert all(len(c) == 1 for c in claims), f"a task was claimed more than once: {claims}"
    assert {c[0] for c in claims} == {"w1", "w2"}, f"both workers should have taken tasks: {claims}"
    assert Person.objects.count() == (JOBS - 1) * ROWS
    from tianping.core.models import AuditEvent

    assert AuditEvent.objects.filter(event="import.committed").count() == JOBS - 1
