"""Partylife (issue 6) benchmark: twelve years of organisational life for the demo court.

    .venv/bin/python bench/partylife_bench.py [--requests 20] [--no-write]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tp_bench_life .venv/bin/python bench/partylife_bench.py

1. A fresh database in its own data dir (/tmp/tianping-life-bench or $TIANPING_LIFE_BENCH_DIR), the demo
   court (seed_demo: 2015, 2016 and the current year), then every year in between (2017 … last year) built by
   the same generator: weekly roll call and party-group meetings, every branch's 三会一课, lectures.
2. Timed: the compliance matrix of one year (engine + queries, as the command computes it), the matrix
   page, the meeting list (first page, and a filtered htmx fragment), a meeting's page, the lecture hall,
   study hours and attendance rates, the month calendar and a member's .ics feed — median and 95th
   percentile of the server time with Django's test Client, number of SQL queries, response size.
Results go to docs/benchmarks.md under "## Partylife (issue 6)" (other sections are kept).

Also usable from bench/run.py (the foundation's harness): `build(court, years)` and `pages()`.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECTION = "## Partylife (issue 6)"
BENCH_DIR = Path(os.environ.get("TIANPING_LIFE_BENCH_DIR", "/tmp/tianping-life-bench"))


# --- the foundation harness's hooks ------------------------------------------------------------------
def build(court, years: int) -> list[int]:
    """Meetings for the years between 2016 and the current year (at most `years` of them)."""
    from django.db import transaction
    from django.utils import timezone

    from tianping.partylife.demo import _Builder
    from tianping.partylife.models import Meeting

    today = timezone.localdate()
    have = {d.year for d in Meeting.objects.filter(court=court).dates("date", "year")}
    wanted = [y for y in range(2017, today.year) if y not in have][:years]
    if wanted:

        class Ctx:
            rng = random.Random(6)
            data: dict = {}

        with transaction.atomic():
            _Builder(Ctx, court, today).run(years=wanted)
    return wanted


def pages() -> list[tuple[str, str, str]]:
    from django.utils import timezone

    from tianping.org.models import User
    from tianping.partylife.models import Meeting
    from tianping.partylife.services import calendar_feed_get

    year = timezone.localdate().year
    meeting = Meeting.objects.filter(meeting_type__code="general_meeting").order_by("-date").first()
    feed = calendar_feed_get(user=User.objects.get(username="judge_demo"))
    return [
        ("合规矩阵 本年（月）", f"/life/compliance/?year={year}", "party_office"),
        ("合规矩阵 2016（季度）", "/life/compliance/?year=2016&view=quarter", "party_office"),
        ("会议活动 第 1 页", "/life/", "party_office"),
        ("会议活动 筛选 htmx", "/life/?meeting_type=&status=held&date_from=2016-01-01&date_to=2016-12-31&sort=-date",
         "party_office:htmx"),
        ("会议详情（支部党员大会）", f"/life/meetings/{meeting.pk}/", "party_office"),
        ("廉政大讲堂 本年", "/life/lectures/", "party_office"),
        ("学时与出勤 2016", "/life/study/?year=2016", "party_office"),
        ("日历 本月", "/life/calendar/", "secretary_shagou"),
        ("合规矩阵（支部书记）", f"/life/compliance/?year={year}", "secretary_shagou"),
        (".ics 订阅（党员）", f"/life/feed/{feed.token}.ics", ""),
    ]


# --- standalone ------------------------------------------------------------------------------------------
def today_year() -> int:
    from django.utils import timezone

    return timezone.localdate().year


def _time(fn, n: int) -> tuple[float, float]:
    fn()
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    from run import percentile

    return statistics.median(times), percentile(times, 0.95)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--reuse", action="store_true", help="time the database left by a previous run")
    args = parser.parse_args()

    # the foundation harness's production-like environment, in this benchmark's own data dir
    os.environ["TIANPING_BENCH_DIR"] = str(BENCH_DIR)
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import run as harness

    harness.configure_environment()
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from tianping.org.models import Court, User
    from tianping.partylife.compliance import court_matrix
    from tianping.partylife.models import Attendance, Meeting

    seed_s = build_s = 0.0
    if not args.reuse:
        if connection.vendor == "sqlite":
            connection.close()
            for suffix in ("", "-wal", "-shm"):
                Path(f"{settings.DATABASES['default']['NAME']}{suffix}").unlink(missing_ok=True)
        else:
            call_command("flush", interactive=False, verbosity=0)
        call_command("migrate", verbosity=0)
        t0 = time.perf_counter()
        call_command("seed_demo", verbosity=0)
        seed_s = time.perf_counter() - t0
    court = Court.objects.get(code="鲁0403")
    t0 = time.perf_counter()
    build(court, 20)
    if not args.reuse:
        build_s = time.perf_counter() - t0
    years = sorted({d.year for d in Meeting.objects.filter(court=court).dates("date", "year")})
    built = [y for y in years if 2016 < y < today_year()]
    meetings = Meeting.objects.filter(court=court).count()
    rows = Attendance.objects.filter(meeting__court=court).count()
    today = timezone.localdate()

    class Counter:
        """Counts SQL statements (CaptureQueriesContext loses them: each request resets the query log)."""

        n = 0

        def __call__(self, execute, sql, params, many, context):
            self.n += 1
            return execute(sql, params, many, context)

    results = []
    med, p95 = _time(lambda: court_matrix(court=court, year=today.year, today=today), args.requests)
    q = Counter()
    with connection.execute_wrapper(q):
        cells = court_matrix(court=court, year=today.year, today=today)
    results.append(("court_matrix() 本年（引擎+查询）", "—", med, p95, q.n, len(cells)))
    clients: dict[str, Client] = {}
    for label, url, who in pages():
        username, _, mode = who.partition(":")
        if username not in clients:
            c = Client()
            if username:
                c.force_login(User.objects.get(username=username))
            clients[username] = c
        c = clients[username]
        headers = {"HX-Request": "true"} if mode == "htmx" else {}
        response = c.get(url, headers=headers)
        if response.status_code != 200:
            results.append((label, url, 0, 0, 0, f"HTTP {response.status_code}"))
            continue
        q = Counter()
        with connection.execute_wrapper(q):
            response = c.get(url, headers=headers)
        med, p95 = _time(lambda c=c, url=url, headers=headers: c.get(url, headers=headers), args.requests)
        results.append((label, url, med, p95, q.n, f"{len(response.content) / 1024:.0f} KB"))

    setup = (f"seed_demo {seed_s:.1f} s (all apps), extra years {build_s:.1f} s. " if seed_s else
             "Database of the previous run (--reuse). ")
    lines = [SECTION, "",
             f"`bench/partylife_bench.py` on {connection.vendor} ({platform.python_version()}, "
             f"{platform.machine()}), {today:%Y-%m-%d}: the demo court plus the years {built[0] if built else '—'}–"
             f"{built[-1] if built else '—'} from the demo generator — {meetings:,} meetings, {rows:,} attendance "
             f"rows. {setup}{args.requests} timed requests each after a warm-up.", "",
             "| what | median ms | p95 ms | SQL queries | size / cells |", "| --- | ---: | ---: | ---: | ---: |"]
    for label, _url, med, p95, nq, size in results:
        lines.append(f"| {label} | {med:.0f} | {p95:.0f} | {nq} | {size} |")
    section = "\n".join(lines) + "\n"
    print(section)
    if args.no_write:
        return
    target = ROOT / "docs" / "benchmarks.md"
    text = target.read_text(encoding="utf-8") if target.exists() else "# Benchmarks\n"
    if SECTION in text:
        before, _, rest = text.partition(SECTION)
        nxt = rest.find("\n## ")
        text = before + section + ("\n" + rest[nxt + 1:] if nxt != -1 else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    target.write_text(text.rstrip("\n") + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
