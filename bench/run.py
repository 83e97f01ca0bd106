"""`make bench`: build a large synthetic court and time the main pages.

    .venv/bin/python bench/run.py [--years 10] [--requests 30] [--keep] [--no-write]

1. A fresh database in its own data dir (/tmp/tianping-bench, or $TIANPING_BENCH_DIR; $DATABASE_URL is
   honoured, so `DATABASE_URL=postgres://… make bench` measures PostgreSQL) — var/ is never touched.
2. The demo court (`seed_demo`: 薛城区人民法院 with ~150 staff and the demo accounts), then ten years of
   staff movement (department changes, people leaving and joining, keeping ~150 in service).
3. Every other module `bench/*.py` that defines both
       build(court, years: int) -> None        add this app's data for `years` years
       pages() -> list[tuple[str, str, str]]   (label, url, username of a demo account)
   is imported and its data built, so apps add their own volume and pages without editing this file.
4. Each page is requested N times (after 3 warm-up requests) with Django's test Client, signed in as the
   given account: the median and 95th percentile of the server time (the whole request/response cycle in
   process, no network), the number of SQL queries and the response size.
5. The table goes to docs/benchmarks.md under "## Foundation (issue 2)"; other sections are kept.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import random
import resource
import secrets
import shutil
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = Path(os.environ.get("TIANPING_BENCH_DIR", "/tmp/tianping-bench"))
SECTION = "## Foundation (issue 2)"


def configure_environment() -> None:
    """Production-like settings (DEBUG off), our own data dir, no MFA prompt for the timed accounts."""
    os.environ["TIANPING_DATA_DIR"] = str(BENCH_DIR)
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(64))
    os.environ["ALLOWED_HOSTS"] = "testserver,localhost"
    os.environ["SECURE_SSL_REDIRECT"] = "0"
    os.environ["TIANPING_REQUIRE_MFA"] = "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tianping.settings")
    sys.path.insert(0, str(ROOT))


def fresh_database() -> None:
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "sqlite":
        connection.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{settings.DATABASES['default']['NAME']}{suffix}").unlink(missing_ok=True)
    else:
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)


# --- the foundation's share of the synthetic court ------------------------------------------------
def build_staff_history(court, years: int, rng: random.Random) -> dict:
    """Ten years of movement: each year ~10 % change department, ~4 % leave and as many join."""
    from django.db import transaction

    from tianping.core.validators import id_check_char
    from tianping.org.models import Department, DepartmentAssignment, Gender, Person, Post

    departments = list(Department.objects.filter(court=court, active=True).exclude(name="院领导"))
    start_year = date.today().year - years  # noqa: DTZ011 - calendar years
    moves = joins = leaves = 0
    next_number = 5000
    with transaction.atomic():
        for year in range(start_year, start_year + years):
            # only people whose current posting began before this year can move or leave during it
            settled = (DepartmentAssignment.objects.filter(court=court, end__isnull=True, start__lt=date(year, 1, 1))
                       .values("person_id"))
            staff = list(Person.objects.filter(court=court, left_on__isnull=True, is_leadership=False,
                                               id__in=settled).order_by("id"))
            moved = set()
            for person in rng.sample(staff, k=max(1, len(staff) // 10)):
                moved.add(person.pk)
                day = date(year, rng.randint(1, 12), rng.randint(1, 28))
                target = rng.choice([d for d in departments if d.pk != person.department_id])
                DepartmentAssignment.objects.filter(person=person, end__isnull=True).update(end=day)
                DepartmentAssignment.objects.create(court=court, person=person, department=target, start=day)
                Person.objects.filter(pk=person.pk).update(department=target)
                moves += 1
            leaving = rng.sample([p for p in staff if p.pk not in moved], k=max(1, len(staff) // 25))
            for person in leaving:
                day = date(year, rng.randint(1, 12), rng.randint(1, 28))
                Person.objects.filter(pk=person.pk).update(left_on=day)
                DepartmentAssignment.objects.filter(person=person, end__isnull=True).update(end=day)
                leaves += 1
            for _ in leaving:
                born = date(rng.randint(1985, 2000), rng.randint(1, 12), rng.randint(1, 28))
                male = rng.random() < 0.5
                first17 = f"370403{born:%Y%m%d}{rng.randint(10, 99)}{rng.choice('13579' if male else '02468')}"
                number = first17 + id_check_char(first17)
                if Person.objects.filter(court=court, id_number=number).exists():
                    continue
                dep = rng.choice(departments)
                hired = date(year, rng.randint(1, 12), 1)
                person = Person.objects.create(
                    court=court, name=f"新进{next_number}", gender=Gender.MALE if male else Gender.FEMALE,
                    birth_date=born, id_number=number, staff_number=f"{next_number:04d}", department=dep,
                    post=rng.choice([Post.ASSISTANT, Post.CLERK, Post.JUDGE]), hired_on=hired)
                DepartmentAssignment.objects.create(court=court, person=person, department=dep, start=hired)
                next_number += 1
                joins += 1
    return {"moves": moves, "joins": joins, "leaves": leaves}


def foundation_pages(court) -> list[tuple[str, str, str]]:
    from tianping.org.models import Department, Person

    person = Person.objects.filter(court=court, left_on__isnull=True).order_by("-id").first()
    dep = Department.objects.filter(court=court, name="执行局").first()
    return [
        ("登录页（未登录）", "/accounts/login/", ""),
        ("首页", "/", "party_office"),
        ("组织架构", "/org/", "party_office"),
        ("人员名册 第 1 页", "/org/people/", "party_office"),
        ("人员名册 筛选+排序 第 2 页", "/org/people/?in_service=true&sort=-hired_on&page=2", "party_office"),
        ("人员名册 按部门", f"/org/people/?department={dep.pk}", "party_office"),
        ("人员名册 关键词", "/org/people/?q=%E5%BC%A0", "party_office"),
        ("人员名册 htmx 局部", "/org/people/?q=%E6%9D%8E&sort=name", "party_office:htmx"),
        ("人员名册 导出 xlsx（全部）", "/org/people/?export=xlsx", "party_office"),
        ("人员详情", f"/org/people/{person.pk}/", "party_office"),
        ("部门", "/org/departments/", "party_office"),
        ("法院", "/org/courts/", "party_office"),
        ("组织架构（上级法院）", "/org/", "zaozhuang"),
    ]


# --- discovery of other apps' bench modules ---------------------------------------------------------
def discover_modules() -> list:
    modules = []
    for path in sorted(Path(__file__).parent.glob("*.py")):
        if path.name in {"run.py", "__init__.py"} or path.name.startswith("_"):
            continue
        spec = importlib.util.spec_from_file_location(f"bench_{path.stem}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        if callable(getattr(module, "build", None)) and callable(getattr(module, "pages", None)):
            modules.append(module)
    return modules


# --- timing ---------------------------------------------------------------------------------------
def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def time_page(clients: dict, label: str, url: str, who: str, n: int) -> dict:
    from django.db import connection
    from django.test import Client

    username, _, mode = who.partition(":")
    if username not in clients:
        client = Client()
        if username:
            from tianping.org.models import User

            client.force_login(User.objects.get(username=username))
        clients[username] = client
    client = clients[username]
    headers = {"HX-Request": "true"} if mode == "htmx" else {}
    for _ in range(3):
        response = client.get(url, headers=headers)
    if response.status_code != 200:
        return {"label": label, "url": url, "who": who, "error": f"HTTP {response.status_code}"}
    queries: list[str] = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        client.get(url, headers=headers)
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        response = client.get(url, headers=headers)
        times.append((time.perf_counter() - t0) * 1000)
    return {"label": label, "url": url, "who": who or "—", "median": statistics.median(times),
            "p95": percentile(times, 0.95), "queries": len(queries), "kb": len(response.content) / 1024}


def time_home_parts(username: str, n: int) -> list[tuple[str, float]]:
    """Median time of each app's home_panels(user) and todo_items(user) — which app makes the home slow."""
    from importlib import import_module

    from django.apps import apps

    from tianping.org.models import User

    user = User.objects.get(username=username)
    parts = []
    for config in apps.get_app_configs():
        if not config.name.startswith("tianping."):
            continue
        for module_name, func in (("home", "home_panels"), ("todo", "todo_items")):
            try:
                module = import_module(f"{config.name}.{module_name}")
            except ModuleNotFoundError:
                continue
            times = []
            for _ in range(n):
                fresh = User.objects.get(pk=user.pk)  # no cached roles between runs
                t0 = time.perf_counter()
                getattr(module, func)(fresh)
                times.append((time.perf_counter() - t0) * 1000)
            parts.append((f"{config.label}.{func}", statistics.median(times)))
    return parts


def write_markdown(section: str) -> Path:
    target = ROOT / "docs" / "benchmarks.md"
    text = target.read_text(encoding="utf-8") if target.exists() else "# Benchmarks\n\nFigures from `make bench`.\n"
    if SECTION in text:
        before, _, rest = text.partition(SECTION)
        after = ""
        nxt = rest.find("\n## ")
        if nxt != -1:
            after = rest[nxt + 1:]
        text = before + section + ("\n" + after if after else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text.rstrip("\n") + "\n", encoding="utf-8")
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--requests", type=int, default=30, help="timed requests per page")
    parser.add_argument("--keep", action="store_true", help="keep the data dir afterwards")
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks.md alone")
    args = parser.parse_args()

    configure_environment()
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from tianping.org.models import Court, DepartmentAssignment, Person

    timings: list[tuple[str, float]] = []
    t0 = time.perf_counter()
    fresh_database()
    timings.append(("migrate", time.perf_counter() - t0))
    t0 = time.perf_counter()
    call_command("seed_demo", verbosity=0)
    timings.append(("seed_demo", time.perf_counter() - t0))
    court = Court.objects.get(code="鲁0403")
    t0 = time.perf_counter()
    churn = build_staff_history(court, args.years, random.Random(2016))
    timings.append((f"org: {args.years} years of staff movement", time.perf_counter() - t0))

    pages = [("foundation", *p) for p in foundation_pages(court)]
    failures: list[str] = []
    for module in discover_modules():
        name = Path(module.__file__).stem
        t0 = time.perf_counter()
        try:
            with transaction.atomic():
                module.build(court, args.years)
            module_pages = [(name, *p) for p in module.pages()]
        except Exception as exc:  # noqa: BLE001 - one app's broken bench must not hide the others' figures
            failures.append(f"{name}: {type(exc).__name__}: {exc}")
            print(f"  ! bench/{name}.py failed: {exc!r}")
            continue
        timings.append((f"{name}.build", time.perf_counter() - t0))
        pages += module_pages

    print(f"staff records {Person.objects.filter(court=court).count()}, in service "
          f"{Person.objects.filter(court=court, left_on__isnull=True).count()}, department history rows "
          f"{DepartmentAssignment.objects.filter(court=court).count()} ({churn})")
    # as under Django's test runner: keep one connection instead of reconnecting per request (production
    # keeps connections too, CONN_MAX_AGE), and so that the per-request query count can be captured
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    clients: dict = {}
    results = []
    for source, label, url, who in pages:
        r = time_page(clients, label, url, who, args.requests)
        r["source"] = source
        results.append(r)
        if "error" in r:
            print(f"  {label:<32} {url:<60} {r['error']}")
        else:
            print(f"  {label:<32} median {r['median']:7.1f} ms  p95 {r['p95']:7.1f} ms  "
                  f"{r['queries']:3d} queries  {r['kb']:7.1f} KB")

    home_parts = time_home_parts("party_office", max(5, args.requests // 3))
    for name, ms in home_parts:
        print(f"  home part {name:<28} median {ms:7.1f} ms")

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    lines = [
        SECTION, "",
        f"`make bench` ({date.today():%Y-%m-%d}; {connection.vendor}, Python {platform.python_version()}, "  # noqa: DTZ011
        f"{os.cpu_count()} CPU; {args.requests} timed requests per page after 3 warm-ups; Django test Client, "
        f"server time in process, DEBUG off; load average {os.getloadavg()[0]:.1f} at the end — figures taken "
        "on a busy machine are upper bounds).",
        "",
        f"Data: the demo court plus {args.years} years of staff movement — "
        f"{Person.objects.filter(court=court).count()} staff records "
        f"({Person.objects.filter(court=court, left_on__isnull=True).count()} in service), "
        f"{DepartmentAssignment.objects.filter(court=court).count()} department-history rows; "
        f"modules: {', '.join(Path(m.__file__).stem for m in discover_modules()) or 'none'}.",
        "",
        "| page | account | source | median ms | p95 ms | SQL queries | KB |",
        "| --- | --- | --- | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        if "error" in r:
            lines.append(f"| {r['label']} | {r['who']} | {r['source']} | {r['error']} | | | |")
        else:
            lines.append(f"| {r['label']} | {r['who']} | {r['source']} | {r['median']:.1f} | {r['p95']:.1f} | "
                         f"{r['queries']} | {r['kb']:.0f} |")
    if failures:
        lines += ["", "Bench modules that failed to build (their pages are missing): "
                  + "; ".join(failures)]
    lines += ["", "The home page gathers every app's figures and to-do items; their share (median ms, party_office): "
              + "; ".join(f"{name} {ms:.0f}" for name, ms in home_parts) + "."]
    lines += ["", "Build steps: " + "; ".join(f"{name} {sec:.1f} s" for name, sec in timings)
              + f". Peak memory of the run {peak_mb:.0f} MB.", ""]
    section = "\n".join(lines)
    print()
    print(section)
    if not args.no_write:
        print(f"written to {write_markdown(section).relative_to(ROOT)}")
    connection.close()
    if not args.keep and connection.vendor == "sqlite":
        shutil.rmtree(BENCH_DIR, ignore_errors=True)


if __name__ == "__main__":
    main()
