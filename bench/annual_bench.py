"""Benchmark of the annual party-building report and the court dashboard (issue 16).

Targets: the report's JSON for one year of a court with 10+ years of records under 1 s on PostgreSQL; the
dashboard under 300 ms.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tp_annual .venv/bin/python bench/annual_bench.py

The database is the demo's (seed_demo fills 2014 to the current year: 13 years of cases, meetings, dues,
disputes, letters, honours …); an empty database is migrated and seeded first. Times are server time in
process (functions called directly, pages through Django's test Client, DEBUG off), median and p95 of --runs
after two warm-ups. Prints the figures for docs/benchmarks.md.

Measured:
- `report_json(court, 2016)`: every provider's figures for the year (what `annual_report --format json` prints);
- the three-year table (`three_years`: the two years before);
- the report page `/annual/?year=2016` (figures, text, three-year table);
- the dashboard `/annual/dashboard/` for 2016 and the current year, both gathering afresh (cache cleared before
  each request: what a leader waits for every 5 minutes at most) and from the cache;
- the dashboard's to-dos by owner (afresh) and the branch scorecards (afresh)."""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tianping.settings")
os.environ.setdefault("TIANPING_TESTING", "1")  # development keys, no MFA; DEBUG stays off (no query log)


def timed(fn: Any, runs: int, *, before: Any = None) -> tuple[float, float]:
    times = []
    for i in range(runs + 2):
        if before:
            before()
        t = time.perf_counter()
        fn()
        if i >= 2:
            times.append(time.perf_counter() - t)
    times.sort()
    return statistics.median(times) * 1000, times[max(0, int(len(times) * 0.95 + 0.5) - 1)] * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--year", type=int, default=2016)
    args = parser.parse_args()
    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    from tianping.org.models import Court, User

    if not Court.objects.filter(code="鲁0403").exists():
        t = time.perf_counter()
        call_command("seed_demo", verbosity=0)
        print(f"seed_demo: {time.perf_counter() - t:.0f} s")
    from tianping.annual import selectors as sel
    from tianping.trials.models import Case

    court = Court.objects.get(code="鲁0403")
    year, today = args.year, timezone.localdate()
    years = sorted({d.year for d in Case.objects.filter(court=court).dates("filed_on", "year")})
    print(f"engine={connection.vendor} court={court.code} years of cases {years[0]}–{years[-1]} ({len(years)}), "
          f"{Case.objects.filter(court=court).count():,} cases; load average {os.getloadavg()[0]:.1f}")
    client = Client()
    client.force_login(User.objects.get(username="party_office"))

    def get(url: str) -> Any:
        def _get() -> None:
            answer = client.get(url)
            assert answer.status_code == 200, (url, answer.status_code)
        return _get

    rows: list[tuple[str, float, float, int, str]] = []

    def measure(label: str, fn: Any, target: str = "", *, fresh: bool = False) -> None:
        queries = []
        if fresh:
            cache.clear()
        # counted by a wrapper (the test Client's request signal empties connection.queries)
        with connection.execute_wrapper(lambda execute, sql, *a: queries.append(sql) or execute(sql, *a)):
            fn()
        median, p95 = timed(fn, args.runs, before=cache.clear if fresh else None)
        rows.append((label, median, p95, len(queries), target))
        print(f"{label}: median {median:.0f} ms, p95 {p95:.0f} ms, {len(queries)} queries {target}", flush=True)

    measure(f"report_json {year}（annual_report --format json）", lambda: sel.report_json(court, year), "< 1 s")
    figures = sel.compute(court, year)
    measure(f"近三年表（{year - 2}–{year - 1} 两年）", lambda: sel.three_years(court, year, figures))
    measure(f"报告页 /annual/?year={year}", get(f"/annual/?year={year}"))
    measure(f"看板 {year}（重新汇总）", get(f"/annual/dashboard/?year={year}"), "< 300 ms", fresh=True)
    measure(f"看板 {today.year}（重新汇总）", get("/annual/dashboard/"), "< 300 ms", fresh=True)
    measure(f"看板 {today.year}（缓存）", get("/annual/dashboard/"), "< 300 ms")
    measure("待办（按岗位，重新汇总）", get("/annual/dashboard/todos/"), fresh=True)
    measure(f"支部建设比拼 {year}（重新汇总）", get(f"/annual/scorecards/?year={year}"), fresh=True)
    print()
    print("| measure | median ms | p95 ms | SQL queries | target |")
    print("|---|---:|---:|---:|---|")
    for label, median, p95, queries, target in rows:
        print(f"| {label} | {median:.0f} | {p95:.0f} | {queries} | {target} |")
    print(f"\nload average at the end {os.getloadavg()[0]:.1f} (2 CPUs)")


if __name__ == "__main__":
    main()
