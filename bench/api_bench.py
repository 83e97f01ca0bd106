"""Benchmark of the integration API (issue 18): pushing cases in batches of 1,000 against the spreadsheet import
of the same rows, and reading a court's yearly trial figures.

    TIANPING_DATA_DIR=/tmp/api-bench .venv/bin/python bench/api_bench.py [--cases 10000]

A fresh database in TIANPING_DATA_DIR (or DATABASE_URL). Prints the figures for docs/benchmarks.md."""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("TIANPING_DATA_DIR", "/tmp/api-bench")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tianping.settings")
os.environ.setdefault("TIANPING_TESTING", "1")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=10000)
    args = parser.parse_args()
    Path(os.environ["TIANPING_DATA_DIR"]).mkdir(parents=True, exist_ok=True)
    db = Path(os.environ["TIANPING_DATA_DIR"]) / "tianping.sqlite3"
    if db.exists() and "DATABASE_URL" not in os.environ:
        db.unlink()
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import transaction
    from django.test import Client
    from django.utils import timezone

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    from tianping.api.models import Scope
    from tianping.api.services import token_grant
    from tianping.api.tests.rows import case_rows, write_xlsx
    from tianping.core.importexport import run_import
    from tianping.core.roles import Role
    from tianping.org.models import Court, Department, User
    from tianping.org.services import user_set_roles
    from tianping.trials.models import Case

    court = Court.objects.create(code="鲁0403", name="薛城区人民法院")
    deps = [Department.objects.create(court=court, name=n, sort_order=i) for i, n in enumerate(["民一庭", "刑庭", "执行局"])]
    from tianping.org.tests.factories import PersonFactory

    judges = [PersonFactory(court=court, name=f"法官{i}", department=deps[i % 3]) for i in range(30)]
    sec = User.objects.create(username="sec", court=court)
    user_set_roles(actor=sec, user=sec, roles=[Role.SECADMIN])
    account = User.objects.create(username="trial-system", court=court)
    secret, _token = token_grant(actor=sec, account=account, name="bench", role=Role.TRIAL_OFFICE,
                                 scopes=[Scope.PUSH_CASES, Scope.READ_FIGURES], rate_per_minute=10**6,
                                 expires_at=timezone.now() + timedelta(days=30))
    n = args.cases
    rows = case_rows(court.code, judges, deps, n=n, year=2016)
    sheet_s = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for start in range(0, n, 1000):
            path = write_xlsx(Path(tmp) / f"b{start}.xlsx", rows[start:start + 1000])
            with transaction.atomic():
                t = time.perf_counter()
                result = run_import("cases", path, court=court)
                sheet_s += time.perf_counter() - t
                assert result.committed, result.problems[:3]
                transaction.set_rollback(True)
    assert not Case.objects.exists()
    client = Client(headers={"Authorization": f"Bearer {secret}"})
    api_s = 0.0
    for start in range(0, n, 1000):
        t = time.perf_counter()
        answer = client.post("/api/v1/cases/push", {"items": rows[start:start + 1000]}, content_type="application/json")
        api_s += time.perf_counter() - t
        assert answer.status_code == 200, answer.content[:300]
    assert Case.objects.count() == n
    times = []
    for _i in range(23):
        t = time.perf_counter()
        answer = client.get("/api/v1/figures/trials", {"year": 2016})
        times.append(time.perf_counter() - t)
        assert answer.status_code == 200
    times = sorted(times[3:])
    print(f"cases={n} batches=1000 engine={settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}")
    print(f"spreadsheet import: {sheet_s / n * 1000:.2f} ms/case ({sheet_s:.1f} s)")
    print(f"API push:           {api_s / n * 1000:.2f} ms/case ({api_s:.1f} s), ratio {api_s / sheet_s:.2f}")
    print(f"yearly figures GET: median {statistics.median(times) * 1000:.1f} ms, "
          f"p95 {times[int(len(times) * 0.95) - 1] * 1000:.1f} ms")


if __name__ == "__main__":
    main()
