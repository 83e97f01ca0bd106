"""Figures from a PostgreSQL streaming replica (issue 19; tianping.core.replica, docs/deploy.md "只读副本").

The router's rules are checked on their own (any database); then, on PostgreSQL, against a real primary and a real
streaming standby built on this machine for the test (initdb, pg_basebackup -R): a Django process configured with
DATABASE_URL and DATABASE_REPLICA_URL computes the trial figures inside `read_replica()` from the standby, falls back
to the primary when the standby lags beyond TIANPING_REPLICA_MAX_LAG or is down, and reads its own writes."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from django.db import connection, connections

from tianping.core import replica
from tianping.core.tests.test_multi_server import _free_port

ROOT = Path(__file__).resolve().parents[3]
PG_BIN = next((p for p in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
               if (p / "initdb").exists() and (p / "pg_basebackup").exists()), None)


# -- the router's rules (no replica needed) ----------------------------------------------------------------------

def test_without_a_replica_nothing_is_routed():
    router = replica.ReplicaRouter()
    assert router.db_for_read(None) is None
    with replica.read_replica() as ctx:
        assert router.db_for_read(None) == "default"
    assert ctx.used == {"default"}


@pytest.fixture
def replica_configured(monkeypatch):
    """A replica in the settings whose probe answers `usable` (the tests set it)."""
    state = {"usable": True}
    monkeypatch.setattr(replica, "configured", lambda: True)
    monkeypatch.setattr(replica, "replica_usable", lambda: state["usable"])
    return state


def test_reads_inside_the_context_go_to_the_replica_until_something_is_written(replica_configured):
    router = replica.ReplicaRouter()
    assert router.db_for_read(None) is None  # outside: Django's default (the primary)
    with replica.read_replica() as ctx:
        assert router.db_for_read(None) == "replica"
        with replica.read_replica() as inner:  # nested: the same context
            assert inner is ctx
        assert router.db_for_write(None) == "default"
        assert router.db_for_read(None) == "default"  # read your writes
    assert ctx.used == {"replica", "default"}
    assert router.allow_migrate("replica", "trials") is False
    assert router.allow_migrate("default", "trials") is True


def test_an_unusable_replica_sends_every_read_to_the_primary(replica_configured):
    router = replica.ReplicaRouter()
    replica_configured["usable"] = False
    with replica.read_replica() as ctx:
        assert router.db_for_read(None) == "default"
    assert ctx.used == {"default"}


def test_reads_inside_a_transaction_stay_on_the_primary(replica_configured, monkeypatch):
    router = replica.ReplicaRouter()
    monkeypatch.setattr(connections["default"], "in_atomic_block", True)
    with replica.read_replica():
        assert router.db_for_read(None) == "default"


def test_a_replica_url_needs_postgresql_on_both_sides():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}
    env.update(DATABASE_URL="", DATABASE_REPLICA_URL="postgres://u@127.0.0.1:5433/x", DEBUG="1")
    done = subprocess.run([sys.executable, "-c", "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', "
                           "'tianping.settings'); django.setup()"], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode != 0
    assert "只读副本只支持 PostgreSQL" in done.stderr


# -- a real primary and streaming standby --------------------------------------------------------------------------

SCRIPT = r"""
import json, os, sys, time
from datetime import date
import django
os.environ["DJANGO_SETTINGS_MODULE"] = "tianping.settings"
django.setup()
from django.conf import settings
from django.db import connections
from tianping.core import doctor, replica
from tianping.org.tests.factories import CourtFactory, PersonFactory
from tianping.trials import selectors as sel
from tianping.trials.tests.factories import make_case

out = {}
court = CourtFactory(code="鲁0499", name="副本测试区人民法院")
judge = PersonFactory(court=court)
for i in range(12):
    make_case(court, filed_on=date(2016, 1 + i % 6, 5), closed_on=date(2016, 7 + i % 5, 20) if i % 4 else None,
              judge=judge)
period = sel.year_period(2016)


def caught_up():
    with connections["default"].cursor() as cur:
        cur.execute("SELECT pg_current_wal_lsn()")
        target = cur.fetchone()[0]
    for _ in range(200):
        with connections["replica"].cursor() as cur:
            cur.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target])
            if cur.fetchone()[0]:
                return
        time.sleep(0.05)
    raise SystemExit("the standby did not catch up in 10 s")


def figures():
    statements = {"default": 0, "replica": 0}

    def counter(alias):
        def wrapper(execute, sql, params, many, context):
            statements[alias] += 1
            return execute(sql, params, many, context)
        return wrapper

    replica.forget_probe()
    with connections["default"].execute_wrapper(counter("default")), \
         connections["replica"].execute_wrapper(counter("replica")):
        with replica.read_replica() as ctx:
            (row,) = sel.court_table([court.pk], period)
    return {"closed": row["closed"], "filed": row["filed"], "used": sorted(ctx.used), "statements": statements}


caught_up()
out["primary"] = {"closed": sel.court_table([court.pk], period)[0]["closed"]}
out["replica"] = figures()
out["doctor_ok"] = doctor.check_replica().line()

# read your writes: a write inside the context sends its later reads to the primary
with replica.read_replica() as ctx:
    from tianping.trials.models import Case
    Case.objects.filter(court=court).count()
    Case.objects.filter(court=court, closed_on__isnull=True).update(procedure="ordinary")
    Case.objects.filter(court=court).count()
out["after_write_used"] = sorted(ctx.used)

# a standby behind by more than TIANPING_REPLICA_MAX_LAG: figures from the primary, which has the new case
with connections["replica"].cursor() as cur:
    cur.execute("SELECT pg_wal_replay_pause()")
make_case(court, filed_on=date(2016, 3, 1), closed_on=date(2016, 9, 1), judge=judge)
settings.TIANPING_REPLICA_MAX_LAG = 1
time.sleep(2.5)
out["lagging"] = figures()
out["lagging_probe"] = replica.probe().reason
with connections["replica"].cursor() as cur:
    cur.execute("SELECT pg_wal_replay_resume()")
caught_up()
out["resumed"] = figures()

# the standby down: figures from the primary, doctor says so
connections["replica"].close()
os.system(sys.argv[1])
out["down"] = figures()
out["doctor_down"] = doctor.check_replica().line()
print("RESULT " + json.dumps(out, ensure_ascii=False))
"""


def _as_postgres(args: list[str]) -> list[str]:
    """initdb and pg_ctl refuse to run as root: run them as the postgres user then."""
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


@pytest.fixture
def primary_and_standby():
    if connection.vendor != "postgresql" or PG_BIN is None:
        pytest.skip("needs PostgreSQL's server programs (initdb, pg_basebackup)")
    base = Path(tempfile.mkdtemp(prefix="tp-replica-"))
    if os.geteuid() == 0:
        shutil.chown(base, "postgres", "postgres")
    primary, standby = base / "primary", base / "standby"
    ports = [_free_port(), _free_port()]

    def run(args: list[str]) -> None:
        done = subprocess.run(_as_postgres(args), capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]

    def start(data: Path, port: int) -> None:
        run([str(PG_BIN / "pg_ctl"), "-D", str(data), "-w", "-l", str(data) + ".log", "-o",
             f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off -c shared_buffers=16MB", "start"])

    try:
        run([str(PG_BIN / "initdb"), "-D", str(primary), "-U", "postgres", "--auth=trust", "-E", "UTF8",
             "--locale=C.UTF-8", "--no-sync"])
        start(primary, ports[0])
        run([str(PG_BIN / "pg_basebackup"), "-h", "127.0.0.1", "-p", str(ports[0]), "-U", "postgres", "-D",
             str(standby), "-R", "-X", "stream", "--no-sync"])
        start(standby, ports[1])
        yield {"ports": ports, "stop_standby": " ".join(
            _as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(standby), "-m", "immediate", "-w", "stop"]))
            + " >/dev/null 2>&1"}
    finally:
        for data in (standby, primary):
            if data.exists():
                subprocess.run(_as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
                               capture_output=True, timeout=60)
        shutil.rmtree(base, ignore_errors=True)


@pytest.mark.django_db
def test_figures_come_from_a_streaming_standby_and_fall_back_to_the_primary(primary_and_standby):
    p1, p2 = primary_and_standby["ports"]
    s = connection.settings_dict
    # the primary gets this test database's schema and reference rows (what migrate wrote), without owners
    dump = subprocess.run(["pg_dump", "-h", s["HOST"] or "127.0.0.1", "-p", str(s["PORT"] or 5432), "-U",
                           s["USER"] or "postgres", "--no-owner", "--no-privileges", s["NAME"]],
                          capture_output=True, timeout=300, check=True).stdout
    subprocess.run(["psql", "-h", "127.0.0.1", "-p", str(p1), "-U", "postgres", "-qc", "CREATE DATABASE tp"],
                   check=True, capture_output=True, timeout=60)
    loaded = subprocess.run(["psql", "-h", "127.0.0.1", "-p", str(p1), "-U", "postgres", "-q", "-v", "ON_ERROR_STOP=1",
                             "-d", "tp"], input=dump, capture_output=True, timeout=300)
    assert loaded.returncode == 0, loaded.stderr[-2000:]

    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}
    env.update(DATABASE_URL=f"postgres://postgres@127.0.0.1:{p1}/tp",
               DATABASE_REPLICA_URL=f"postgres://postgres@127.0.0.1:{p2}/tp", DEBUG="1",
               SECRET_KEY=secrets.token_urlsafe(64), TIANPING_AUDIT_KEY="1:" + secrets.token_urlsafe(48),
               TIANPING_REPLICA_MAX_LAG="30")
    done = subprocess.run([sys.executable, "-c", SCRIPT, primary_and_standby["stop_standby"]], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-4000:]
    out = json.loads(done.stdout.split("RESULT ", 1)[1])

    # 12 cases filed in 2016, 9 of them closed (every fourth open)
    assert out["primary"]["closed"] == 9
    assert out["replica"]["closed"] == 9 and out["replica"]["filed"] == 12
    assert out["replica"]["used"] == ["replica"]
    assert out["replica"]["statements"]["replica"] >= 1
    assert out["doctor_ok"].startswith("✓ 只读副本") and "正常" in out["doctor_ok"]
    assert out["after_write_used"] == ["default", "replica"]
    # paused replay, MAX_LAG 1 s: from the primary, which already has the tenth closed case
    assert out["lagging"]["used"] == ["default"] and out["lagging"]["closed"] == 10
    assert "落后主库" in out["lagging_probe"]
    assert out["resumed"]["used"] == ["replica"] and out["resumed"]["closed"] == 10
    assert out["down"]["used"] == ["default"] and out["down"]["closed"] == 10
    assert out["doctor_down"].startswith("✗ 只读副本") and "连接不上" in out["doctor_down"]
