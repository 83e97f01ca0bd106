"""Integrity (issue 13) benchmark: importing a year of 7,000 cases, before and with the judge's letters.

Every case the import creates now gets its 法官寄语 (tianping.trials.hooks → integrity.services.judge_letter_issue:
one template lookup and one INSERT per new case, audited inside the import's one entry). Target: the import with
letters takes at most 1.3× the import without them ("today" = the same code with the listener removed, which is
what the import did before the integrity desk existed).

Each run is a fresh subprocess with its own SQLite database (migrate, a court with 10 departments and 40 judges,
and for "letters" two template versions, the second from 2016-07-01), timing only `run_import("cases", …)`.
Runs alternate between the two modes so that a busy machine weighs on both alike; the median is reported.

    .venv/bin/python bench/integrity_bench.py                  # 7,000 rows, 3 runs of each mode
    .venv/bin/python bench/integrity_bench.py --rows 2000 --runs 1 --no-write
Results go to docs/benchmarks.md under "## Integrity (issue 13)" (other sections are kept).

Also usable from `bench/run.py`: `build(court, years)` (nothing to add: the demo's cases have their letters) and
`pages()` (the letter desk, the letters list and the 三个规定 figures).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SECTION = "## Integrity (issue 13)"
TARGET_RATIO = 1.3
DEPARTMENTS = ["民事审判第一庭", "民事审判第二庭", "沙沟人民法庭", "临山人民法庭", "陶庄人民法庭", "邹坞人民法庭", "立案庭",
               "刑事审判庭", "行政审判庭", "执行局"]


# --- the foundation harness's hooks ------------------------------------------------------------------
def build(court, years: int) -> None:
    """Nothing to add: seed_demo gives every filed case of the demo court its letter."""


def pages() -> list[tuple[str, str, str]]:
    return [
        ("法官寄语统计 2016", "/integrity/?year=2016", "party_office"),
        ("已发放的法官寄语 2016", "/integrity/letters/?year=2016", "trial_office"),
        ("三个规定统计", "/integrity/rules/figures/", "party_office"),
    ]


# --- standalone ------------------------------------------------------------------------------------------
def write_cases(path: Path, rows: int) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("案件")
    ws.append(["案号", "案由", "审判程序", "立案日期", "承办部门", "承办人"])
    start = date(2016, 1, 4)
    for i in range(1, rows + 1):
        filed = start + timedelta(days=(i * 357) // rows)
        dep = i % len(DEPARTMENTS)
        ws.append([f"(2016)鲁0403民初{i}号", "民间借贷纠纷", "简易程序", filed, DEPARTMENTS[dep],
                   f"法官{dep:02d}{i % 4}"])
    wb.save(path)


def _child_env(db: Path, data_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update({"DATABASE_URL": f"sqlite:///{db}", "TIANPING_DATA_DIR": str(data_dir), "DEBUG": "0",
                "SECRET_KEY": secrets.token_urlsafe(64), "DJANGO_SETTINGS_MODULE": "tianping.settings",
                "SECURE_SSL_REDIRECT": "0"})
    env.pop("TIANPING_TESTING", None)
    return env


def child(mode: str, path: str) -> None:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from tianping.core.importexport import run_import
    from tianping.integrity.models import JudgeLetter, LetterTemplate
    from tianping.org.models import Court, Department, Person
    from tianping.trials import hooks
    from tianping.trials.models import Case

    court = Court.objects.create(code="鲁0403", name="薛城区人民法院")
    for d, name in enumerate(DEPARTMENTS):
        dep = Department.objects.create(court=court, name=name, type="trial")
        for j in range(4):
            Person.objects.create(court=court, name=f"法官{d:02d}{j}", department=dep, staff_number=f"{d:02d}{j}",
                                  gender="M", birth_date=date(1980, 1, 1), id_number=f"X{d:02d}{j}",
                                  is_quota_judge=True)
    if mode == "letters":
        for v, day in ((1, date(2014, 1, 1)), (2, date(2016, 7, 1))):
            LetterTemplate.objects.create(court=court, version=v, body="{法院}已受理您的案件（{案号}）。",
                                          complaint_phone="12368", effective_from=day)
    else:
        hooks._LISTENERS.clear()  # the import as it was before the integrity desk
    started, cpu = time.perf_counter(), time.process_time()
    result = run_import("cases", path, court=court)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(json.dumps({"seconds": seconds, "cpu": cpu, "ok": result.committed, "problems": [str(p) for p in result.problems[:3]],
                      "cases": Case.objects.count(), "letters": JudgeLetter.objects.count()}))


def run_child(mode: str, path: Path) -> dict:
    with tempfile.TemporaryDirectory(prefix="tp-integrity-bench-") as tmp:
        env = _child_env(Path(tmp) / "db.sqlite3", Path(tmp) / "data")
        out = subprocess.run([sys.executable, __file__, "--child", mode, str(path)], cwd=ROOT, env=env,
                             capture_output=True, text=True, check=False)
        if out.returncode != 0:
            raise SystemExit(f"{mode} failed:\n{out.stderr[-3000:]}")
        return json.loads(out.stdout.strip().splitlines()[-1])


def write_markdown(text: str) -> None:
    path = ROOT / "docs" / "benchmarks.md"
    old = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    if SECTION in old:
        head, _, rest = old.partition(SECTION)
        nxt = rest.find("\n## ")
        old = head.rstrip("\n") + ("\n\n" + rest[nxt + 1:] if nxt >= 0 else "\n")
    path.write_text(old.rstrip("\n") + "\n\n" + text.strip() + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=7000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--child", nargs=2, metavar=("MODE", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    results: dict[str, list[dict]] = {"before": [], "letters": []}
    loads = []
    with tempfile.TemporaryDirectory(prefix="tp-integrity-file-") as tmp:
        path = Path(tmp) / "cases.xlsx"
        write_cases(path, args.rows)
        for i in range(args.runs):
            for mode in ("before", "letters") if i % 2 == 0 else ("letters", "before"):
                r = run_child(mode, path)
                if not r["ok"]:
                    raise SystemExit(f"{mode}: the import was refused: {r['problems']}")
                results[mode].append(r)
                loads.append(os.getloadavg()[0])
                print(f"{mode:8s} {r['seconds']:7.2f} s wall {r['cpu']:7.2f} s CPU  cases {r['cases']}  "
                      f"letters {r['letters']}", flush=True)
    before = statistics.median(r["seconds"] for r in results["before"])
    after = statistics.median(r["seconds"] for r in results["letters"])
    cpu_before = statistics.median(r["cpu"] for r in results["before"])
    cpu_after = statistics.median(r["cpu"] for r in results["letters"])
    # the machine is shared: CPU time of the importing process is the fairer measure (SQLite runs in it)
    ratio = cpu_after / cpu_before
    verdict = "within" if ratio <= TARGET_RATIO else "OVER"
    print(f"median wall before {before:.2f} s, with letters {after:.2f} s; CPU {cpu_before:.2f} s → {cpu_after:.2f} s, "
          f"ratio {ratio:.2f} ({verdict} {TARGET_RATIO}×)")
    if args.no_write:
        return
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    runs = lambda mode: ", ".join(f"{r['seconds']:.1f}/{r['cpu']:.1f}" for r in results[mode])  # noqa: E731
    write_markdown(f"""{SECTION}

`bench/integrity_bench.py` ({stamp}; {platform.python_implementation()} {platform.python_version()}, SQLite,
{os.cpu_count()} cores shared with other work, 1-minute load average during the runs {min(loads):.1f}–{max(loads):.1f}).
Importing one year of {args.rows:,} new cases (`import_data cases`, .xlsx with 案号, 案由, 审判程序, 立案日期, 承办部门,
承办人), each run in a fresh database, runs alternating, median of {args.runs}. The machine was shared with
other work, so the import process's CPU time (SQLite runs inside it) is the measure compared; wall time is shown
too:

| | CPU (median) | wall (median) | runs (wall/CPU s) | letters written |
| --- | ---: | ---: | --- | ---: |
| before the integrity desk (listener removed) | {cpu_before:.1f} s | {before:.1f} s | {runs("before")} | {results["before"][0]["letters"]} |
| with the 法官寄语 of every new case | {cpu_after:.1f} s | {after:.1f} s | {runs("letters")} | {results["letters"][0]["letters"]} |

Ratio (CPU) {ratio:.2f}× — {verdict} the target of {TARGET_RATIO}× (wall {after / before:.2f}×). Each new case costs one
template lookup and one INSERT (no savepoint; the audit fact joins the import's one entry).
""")


if __name__ == "__main__":
    main()
