"""Party (issue 5) benchmark: the demo court's organisations and ~110 members with dues for every month from
2015 to the current year, then the branch page, dues sheet, yearly totals, arrears, roster and profile timed.

    .venv/bin/python bench/party_bench.py [--requests 20] [--no-write]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tp_bench_party .venv/bin/python bench/party_bench.py

Fresh database in its own data dir (/tmp/tianping-party-bench or $TIANPING_PARTY_BENCH_DIR). Results go to
docs/benchmarks.md under "## Party (issue 5)" (other sections are kept). Targets: every page's median under
500 ms and its query count independent of the number of members (no N+1).
Also usable from bench/run.py (the foundation's harness): `build(court, years)` and `pages()`.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECTION = "## Party (issue 5)"
BENCH_DIR = Path(os.environ.get("TIANPING_PARTY_BENCH_DIR", "/tmp/tianping-party-bench"))
TARGET_MS = 500


def build(court, years: int) -> int:
    """Dues payments for every month of the years between 2016 and the current year (at most `years`)."""
    from django.utils import timezone

    from tianping.party.dues import dues_sheet
    from tianping.party.models import DuesPayment

    today = timezone.localdate()
    have = {d.year for d in DuesPayment.objects.filter(court=court).dates("month", "year")}
    wanted = [y for y in range(2017, today.year) if y not in have][:years]
    rows = []
    for year in wanted:
        for m in range(1, 13):
            month = date(year, m, 1)
            for r in dues_sheet(court.pk, month):
                if r.due > 0:
                    rows.append(DuesPayment(court=court, member=r.member, branch=r.branch, month=month,
                                            base_amount=r.base, rate=r.rate, due_amount=r.due,
                                            paid_amount=r.due if (r.member.pk + m) % 23 else Decimal("0"),
                                            paid_on=month.replace(day=10)))
    DuesPayment.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def pages() -> list[tuple[str, str, str]]:
    from django.utils import timezone

    from tianping.party.models import PartyMember, PartyOrganisation

    today = timezone.localdate()
    shagou = PartyOrganisation.objects.get(name="沙沟法庭党支部")
    member = PartyMember.objects.filter(stage="probationary").order_by("pk").first()
    return [
        ("organisation tree", "/party/", "party_office"),
        ("branch page (沙沟)", f"/party/organisations/{shagou.pk}/", "party_office"),
        ("branch page as its secretary", f"/party/organisations/{shagou.pk}/", "secretary_shagou"),
        ("party roster (first page)", "/party/members/", "party_office"),
        ("member profile with timeline", f"/party/members/{member.pk}/", "party_office"),
        ("dues sheet, whole court, one month", "/party/dues/?month=2016-05", "party_office"),
        ("dues sheet, htmx fragment", "/party/dues/?month=2016-05", "party_office:htmx"),
        ("dues yearly totals (12 sheets)", "/party/dues/totals/?year=2016", "party_office"),
        (f"dues arrears {today.year}", f"/party/dues/arrears/?year={today.year}", "party_office"),
        ("points ranking", f"/party/points/ranking/?year={today.year}", "party_office"),
    ]


def _count_queries(url: str, who: str) -> int:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from tianping.org.models import User

    username, _, mode = who.partition(":")
    client = Client()
    client.force_login(User.objects.get(username=username))
    headers = {"HX-Request": "true"} if mode == "htmx" else {}
    client.get(url, headers=headers)
    with CaptureQueriesContext(connection) as queries:
        client.get(url, headers=headers)
    return len(queries)


def _run_module():
    spec = importlib.util.spec_from_file_location("bench_run", Path(__file__).parent / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    os.environ["TIANPING_BENCH_DIR"] = str(BENCH_DIR)
    run = _run_module()
    run.BENCH_DIR = BENCH_DIR
    run.configure_environment()
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from tianping.org.models import Court
    from tianping.party.models import DuesPayment, PartyMember

    t0 = time.perf_counter()
    run.fresh_database()
    call_command("seed_demo", verbosity=0)
    court = Court.objects.get(code="鲁0403")
    seeded = time.perf_counter() - t0
    t0 = time.perf_counter()
    with transaction.atomic():
        added = build(court, 20)
    built = time.perf_counter() - t0
    clients: dict = {}
    results = []
    for label, url, who in pages():
        result = run.time_page(clients, label, url, who, args.requests)
        if "error" not in result:
            result["queries"] = _count_queries(url, who)
        results.append(result)
    members = PartyMember.objects.filter(court=court).count()
    payments = DuesPayment.objects.filter(court=court).count()
    lines = [SECTION, "",
             f"{date.today():%Y-%m-%d}, {connection.vendor}, Python {platform.python_version()}, "
             f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} (shared with other work). "
             f"Demo court with {members} party records and {payments} dues payments "
             f"(seed_demo + {added} payments built in {built:.1f} s; seed and migrate {seeded:.1f} s). "
             f"{args.requests} timed requests per page after 3 warm-ups, Django test Client (no network). "
             f"Target: median < {TARGET_MS} ms.", "",
             "| page | account | median ms | p95 ms | queries | KB | target |",
             "| --- | --- | ---: | ---: | ---: | ---: | --- |"]
    for r in results:
        if "error" in r:
            lines.append(f"| {r['label']} | {r['who']} | {r['error']} | | | | ✗ |")
            continue
        ok = "✓" if r["median"] < TARGET_MS else "✗"
        lines.append(f"| {r['label']} | {r['who']} | {r['median']:.0f} | {r['p95']:.0f} | {r['queries']} | "
                     f"{r['kb']:.0f} | {ok} |")
    section = "\n".join(lines) + "\n"
    print(section)
    if not args.no_write:
        run.SECTION = SECTION
        print("written to", run.write_markdown(section))


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
