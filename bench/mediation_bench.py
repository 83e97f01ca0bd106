"""Mediation (issue 8) benchmark: the dispute-resolution centre with ten years of disputes.

    .venv/bin/python bench/mediation_bench.py [--years 10] [--per-year 2600] [--no-write]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tp_bench_mediation .venv/bin/python bench/mediation_bench.py

1. A fresh database (SQLite under $TIANPING_MEDIATION_BENCH_DIR or /tmp/tianping-mediation-bench, or the
   PostgreSQL of $DATABASE_URL): the demo court (org + mediation demo), then `--per-year` disputes a year for
   `--years` years (the seed's court diverted 1,300+ in half a year), written in bulk with their parties,
   in realistic final states.
2. Timed with Django's test Client as centre_demo (sees every dispute): the figures page over the last
   twelve months and over all years, the list (first page, a figure's drill-down), a dispute's page, the
   export of one year (.xlsx); and the registration service (dispute_register: validation, number
   allocation, parties, audit) one after another, and on PostgreSQL from 8 threads at once.
Results go to docs/benchmarks.md under "## Mediation (issue 8)" (other sections are kept).

Also usable from `bench/run.py`: `build(court, years)` and `pages()`.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import secrets
import statistics
import sys
import threading
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECTION = "## Mediation (issue 8)"
BENCH_DIR = Path(os.environ.get("TIANPING_MEDIATION_BENCH_DIR", "/tmp/tianping-mediation-bench"))
CAUSES = ["机动车交通事故责任纠纷", "民间借贷纠纷", "买卖合同纠纷", "婚姻家庭纠纷", "物业服务合同纠纷", "劳务合同纠纷"]


# --- the foundation harness's hooks ------------------------------------------------------------------
def build(court, years: int, per_year: int = 2600) -> int:
    """Bulk-insert `per_year` disputes a year for `years` years before this year, with two parties each, in
    final states (agreement → performed / confirmed, failure → filed …). Numbers continue the sequence."""
    from django.db import transaction

    from tianping.core.validators import id_check_char
    from tianping.mediation.models import Dispute, DisputeParty, Mediator, Room, Route, Ruling, Status, Studio
    from tianping.trials.casenumbers import format_case_number

    rng = random.Random(8)
    mediators = list(Mediator.objects.filter(court=court))
    studios = list(Studio.objects.filter(court=court))
    this_year = date.today().year  # noqa: DTZ011 - calendar years
    made = 0
    with transaction.atomic():
        for year in range(this_year - years, this_year):
            disputes = []
            for seq in range(1, per_year + 1):
                reg = date(year, 1, 1) + timedelta(days=int((seq - 1) * 365 / per_year))
                d = Dispute(court=court, number=format_case_number(year, court.code, "民诉前调", 900000 + seq),
                            cause=rng.choice(CAUSES), summary="批量测试数据", source="application",
                            consent_to_mediation=True, registered_on=reg, amount=rng.randint(1000, 300000))
                if rng.random() < 0.9:
                    d.route, d.triaged_on, d.accepted_on = Route.MEDIATION, reg, reg
                    d.deadline_on = reg + timedelta(days=30)
                    if rng.random() < 0.3 and studios:
                        d.room, d.studio = Room.STUDIO, rng.choice(studios)
                    else:
                        d.room, d.mediator = Room.PEOPLES, rng.choice(mediators)
                    end = reg + timedelta(days=rng.randint(3, 29))
                    r = rng.random()
                    if r < 0.6:
                        d.agreement_on = d.agreement_effective_on = end
                        d.agreement_terms = "支付"
                        if rng.random() < 0.5:
                            d.status, d.performed_on = Status.PERFORMED, end + timedelta(days=10)
                            d.closed_on = d.performed_on
                        else:
                            d.status, d.ruling = Status.CONFIRMED, Ruling.CONFIRMED
                            d.confirmation_applied_on = end + timedelta(days=5)
                            d.ruling_on = d.closed_on = end + timedelta(days=10)
                            d.confirmation_number = format_case_number(year, court.code, "民特", 900000 + seq)
                    else:
                        d.ended_on, d.end_kind = end, Status.FAILED
                        d.status, d.closed_on = Status.FAILED, end
                else:
                    d.route, d.triaged_on, d.status = Route.FILING, reg, Status.WITHDRAWN
                    d.ended_on = d.closed_on = reg
                disputes.append(d)
            Dispute.objects.bulk_create(disputes, batch_size=2000)
            parties = []
            for i, d in enumerate(Dispute.objects.filter(court=court, registered_on__year=year,
                                                         summary="批量测试数据").only("id")):
                for role, n in (("applicant", 2 * i), ("respondent", 2 * i + 1)):
                    first17 = f"370403{1960 + n % 40}{1 + n % 12:02d}{1 + n % 28:02d}{n % 100:02d}{n % 10}"
                    parties.append(DisputeParty(dispute=d, role=role, kind="person", name=f"当事人{year}{n}",
                                                id_number=first17 + id_check_char(first17)))
            DisputeParty.objects.bulk_create(parties, batch_size=5000)
            made += len(disputes)
    return made


def pages() -> list[tuple[str, str, str]]:
    today = date.today()  # noqa: DTZ011
    return [
        ("诉调对接统计 近十二个月", "/mediation/figures/", "centre_demo"),
        ("诉调对接统计 十年", f"/mediation/figures/?from={today.year - 10}-01-01&to={today.isoformat()}",
         "centre_demo"),
        ("诉前调解案件 第 1 页", "/mediation/", "centre_demo"),
        ("诉前调解案件 下钻 调解成功", f"/mediation/?stage=succeeded&registered_from={today.year - 1}-01-01",
         "centre_demo"),
        ("诉前调解案件 筛选 登记地点=诉讼服务中心", "/mediation/?site=centre", "centre_demo"),
        ("诉前调解案件 筛选 状态=调解不成", "/mediation/?status=failed", "centre_demo"),
        ("诉前调解案件 调解员自己的", "/mediation/", "mediator_demo"),
    ]


# --- standalone ------------------------------------------------------------------------------------------
def configure() -> None:
    os.environ["TIANPING_DATA_DIR"] = str(BENCH_DIR)
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(64))
    os.environ["ALLOWED_HOSTS"] = "testserver,localhost"
    os.environ["SECURE_SSL_REDIRECT"] = "0"
    os.environ["TIANPING_REQUIRE_MFA"] = "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tianping.settings")
    sys.path.insert(0, str(ROOT))


def fresh_database() -> None:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        import psycopg

        base, _, name = url.rpartition("/")
        with psycopg.connect(base + "/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
    else:
        for suffix in ("", "-wal", "-shm"):
            (BENCH_DIR / f"tianping.sqlite3{suffix}").unlink(missing_ok=True)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def seed_demo() -> object:
    import io

    from django.db import transaction
    from faker import Faker

    from tianping.core.management.commands.seed_demo import DemoContext
    from tianping.mediation import demo as mediation_demo
    from tianping.org import demo as org_demo

    faker = Faker("zh_CN")
    faker.seed_instance(2016)
    ctx = DemoContext(rng=random.Random(2016), faker=faker, stdout=io.StringIO())
    with transaction.atomic():
        org_demo.seed(ctx)
        mediation_demo.seed(ctx)
    return ctx.data["court"]


def timed(fn, n: int) -> dict:
    """Wall-clock and this process's CPU time (the page's Python work, which the machine's load does not inflate;
    the database server's time is in the wall clock only)."""
    for _ in range(2):
        fn()
    samples, cpu = [], []
    for _ in range(n):
        t, c = time.perf_counter(), time.process_time()
        fn()
        samples.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    samples.sort()
    cpu.sort()
    return {"median": statistics.median(samples), "p95": samples[max(0, int(len(samples) * 0.95) - 1)],
            "cpu": statistics.median(cpu)}


def page_timer(username: str, url: str):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from tianping.org.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    info = {}

    def fetch():
        with CaptureQueriesContext(connection) as q:
            r = client.get(url)
        assert r.status_code == 200, (url, r.status_code)
        info["queries"], info["bytes"] = len(q), len(r.content)

    return fetch, info


def registration_bench(court, n: int) -> dict:
    from tianping.mediation import services
    from tianping.org.models import User
    from tianping.org.tests.factories import make_id_number

    actor = User.objects.get(username="centre_demo")
    counter = {"i": 0}

    def one():
        counter["i"] += 1
        i = counter["i"]
        services.dispute_register(
            court=court, actor=actor, registered_on=date.today(), cause="民间借贷纠纷", summary="基准测试",  # noqa: DTZ011
            source="application", consent_to_mediation=True,
            parties=[{"role": "applicant", "kind": "person", "name": f"甲{i}", "id_number": make_id_number(i)},
                     {"role": "respondent", "kind": "person", "name": f"乙{i}", "id_number": make_id_number(i + 1)}])

    return timed(one, n)


def parallel_registrations(court, threads: int, each: int) -> tuple[float, int, int]:
    from django.db import connection

    from tianping.mediation import services
    from tianping.mediation.models import Dispute
    from tianping.org.models import User
    from tianping.org.tests.factories import make_id_number

    actor = User.objects.get(username="centre_demo")
    before = Dispute.objects.filter(court=court).count()
    barrier = threading.Barrier(threads)

    def work(t):
        barrier.wait()
        for i in range(each):
            n = 5000 + t * 100 + i
            services.dispute_register(
                court=court, actor=actor, registered_on=date.today(), cause="民间借贷纠纷", summary="并发",  # noqa: DTZ011
                source="application", consent_to_mediation=True,
                parties=[{"role": "applicant", "kind": "person", "name": f"丙{n}", "id_number": make_id_number(n)},
                         {"role": "respondent", "kind": "person", "name": f"丁{n}",
                          "id_number": make_id_number(n + 1)}])
        connection.close()

    start = time.perf_counter()
    ts = [threading.Thread(target=work, args=(t,)) for t in range(threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    elapsed = time.perf_counter() - start
    numbers = list(Dispute.objects.filter(court=court).values_list("number", flat=True))
    return elapsed, len(numbers) - before, len(numbers) - len(set(numbers))


def write(results: list, notes: list[str]) -> None:
    """Replace this database's subsection (### SQLite / ### PostgreSQL) of the Mediation section."""
    from django.db import connection

    vendor = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"
    lines = [f"### {vendor}", "",
             f"`bench/mediation_bench.py` on {vendor}, Python {platform.python_version()}, "
             f"{os.cpu_count()} CPUs, {date.today().isoformat()}. "  # noqa: DTZ011
             "Median and 95th percentile, milliseconds, warm; server time in process (Django test Client).", "",
             "| measurement | median ms | p95 ms | CPU ms (median) | queries | KB |",
             "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for label, r, info in results:
        q = info.get("queries", "")
        kb = f"{info['bytes'] / 1024:.0f}" if info.get("bytes") else ""
        cpu = f"{r['cpu']:.1f}" if "cpu" in r else ""
        lines.append(f"| {label} | {r['median']:.1f} | {r['p95']:.1f} | {cpu} | {q} | {kb} |")
    lines += ["", *notes, ""]
    sub = "\n".join(lines)
    target = ROOT / "docs" / "benchmarks.md"
    text = target.read_text(encoding="utf-8") if target.exists() else "# Benchmarks\n"
    subs = {}
    if SECTION in text:
        before, _, rest = text.partition(SECTION)
        nxt = rest.find("\n## ")
        body, after = (rest[:nxt], rest[nxt + 1:]) if nxt != -1 else (rest, "")
        for chunk in body.split("\n### ")[1:]:
            name = chunk.split("\n", 1)[0].strip()
            subs[name] = "### " + chunk.rstrip("\n") + "\n"
    else:
        before, after = text.rstrip("\n") + "\n\n", ""
    subs[vendor] = sub
    section = SECTION + "\n\n" + "\n".join(subs[k] for k in ("SQLite", "PostgreSQL") if k in subs)
    text = before + section + ("\n" + after if after else "")
    target.write_text(text.rstrip("\n") + "\n", encoding="utf-8")
    print(section)


def main() -> None:
    parser = argparse.ArgumentParser(description="mediation benchmark")
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--per-year", type=int, default=2600)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--reuse", action="store_true",
                        help="measure the database an earlier run built (same --years and --per-year)")
    args = parser.parse_args()
    configure()
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    if args.reuse:
        import django

        django.setup()
    else:
        fresh_database()
    from django.db import connection

    from tianping.mediation.models import Dispute
    from tianping.org.models import Court

    if args.reuse:
        court, seeded, built = Court.objects.get(code="鲁0403"), 0.0, 0.0
        made = Dispute.objects.filter(court=court, summary="批量测试数据").count()
    else:
        t = time.perf_counter()
        court = seed_demo()
        seeded = time.perf_counter() - t
        t = time.perf_counter()
        made = build(court, args.years, args.per_year)
        built = time.perf_counter() - t
    # a bulk load is followed by the statistics autovacuum/autoanalyze would gather: without them PostgreSQL
    # plans the list for 27 rows instead of 30,000 (hash joins over every dispute: 400 ms instead of 6 ms)
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            for table in ("mediation_dispute", "mediation_disputeparty"):
                cur.execute(f"VACUUM ANALYZE {table}")
        else:
            cur.execute("ANALYZE")
    total = Dispute.objects.filter(court=court).count()
    print(f"demo {seeded:.1f}s, bulk {made} disputes {built:.1f}s, total {total}", flush=True)

    results = []
    for label, url, user in pages():
        fetch, info = page_timer(user, url)
        results.append((label, timed(fetch, args.requests), info))
        print(label, results[-1][1], info, flush=True)
    d = Dispute.objects.filter(court=court, status="confirmed").order_by("-id").first()
    fetch, info = page_timer("centre_demo", f"/mediation/{d.pk}/")
    results.append(("纠纷详情（确认有效）", timed(fetch, args.requests), info))
    year = date.today().year - 1  # noqa: DTZ011
    fetch, info = page_timer("centre_demo", f"/mediation/?registered_from={year}-01-01&registered_to={year}-12-31"
                                            "&export=xlsx")
    results.append((f"导出 {year} 年全部（xlsx，{args.per_year} 行）", timed(fetch, 3), info))
    reg = registration_bench(court, 30)
    results.append(("登记一件纠纷（dispute_register，逐件）", reg, {}))
    notes = [f"Data: the demo court plus {made:,} bulk disputes ({args.per_year:,} a year × {args.years} years), "
             f"{total:,} disputes with two parties each.",
             "Targets (issue 17): the dispute list (first page, a filter, a mediator's own list) under 150 ms at p95 "
             "on SQLite and PostgreSQL; the ten-year figures page under 300 ms on PostgreSQL. The figures page runs one query over the "
             "period's disputes whatever the number of rooms, mediators and months (tests pin the query count); "
             "the list page's time is mostly the shared django-tables2 rendering, the export's mostly openpyxl.",
             f"Load average at the end of the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs."]
    if connection.vendor == "postgresql":
        elapsed, count, dups = parallel_registrations(court, 8, 25)
        notes.append(f"Parallel registrations on PostgreSQL: 8 threads × 25 = {count} disputes in {elapsed:.1f} s "
                     f"({count / elapsed:.0f}/s), {dups} duplicate numbers.")
    if not args.no_write:
        write(results, notes)
    else:
        for r in results:
            print(r)
        print("\n".join(notes))


if __name__ == "__main__":
    main()
