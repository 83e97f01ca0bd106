"""Benchmark (issues 4 and 19): import 100,000 people rows from .xlsx.

Runs each import in a fresh subprocess with its own SQLite database and measures the wall time and CPU time
of the import and the subprocess's peak resident memory (max RSS from wait4). In one run, on one file, side
by side: tianping's importer (tianping.core.importexport.run_import), django-import-export's default path
(a ModelResource for Person, the file loaded with tablib, `import_data(dry_run=False)`) and the parse-only
floor (tianping's reader, python-calamine, walking every row of the file: what any importer pays before it
checks or writes anything). Writes the figures to docs/benchmarks.md under "Import (issue 19)".

    .venv/bin/python bench/import_bench.py                 # 100,000 rows, 3 runs of ours, 1 of theirs, 3 floors
    .venv/bin/python bench/import_bench.py --rows 20000 --runs 1 --no-write
Targets: under 15 s and under 300 MB for 100,000 rows.
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
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
HEADING = "## Import (issue 19)"
TARGET_SECONDS, TARGET_MB = 15, 300
LOADS: list[float] = []  # 5-minute load averages sampled while the runs go (the machine may be shared)


def _child_env(db: Path, data_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update({"DATABASE_URL": f"sqlite:///{db}", "TIANPING_DATA_DIR": str(data_dir), "DEBUG": "0",
                "SECRET_KEY": secrets.token_urlsafe(64), "DJANGO_SETTINGS_MODULE": "tianping.settings",
                "SECURE_SSL_REDIRECT": "0"})
    env.pop("TIANPING_TESTING", None)
    return env


def child(mode: str, path: str) -> None:
    """Inside the subprocess: migrate a fresh database, make the court and its departments, import."""
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from tianping.core.tests.importdata import DEPARTMENTS
    from tianping.org.models import Court, Department, Person

    court = Court.objects.create(code="鲁0403", name="薛城区人民法院")
    for name in DEPARTMENTS:
        Department.objects.create(court=court, name=name, type="trial")
    import resource

    cpu0 = resource.getrusage(resource.RUSAGE_SELF)
    kids0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    if mode == "parse":
        from tianping.core.importexport import open_sheet

        n = 0
        with open_sheet(path) as sheet:
            for _number, _cells in sheet.rows():
                n += 1
        ok, problems = True, []  # nothing is written: only the reading is timed
    elif mode in ("ours", "serial"):
        from django.conf import settings

        from tianping.core.importexport import run_import

        if mode == "serial":  # without the checker process (TIANPING_IMPORT_CHECK_AHEAD_ROWS=0)
            settings.TIANPING_IMPORT_CHECK_AHEAD_ROWS = 0

        if os.environ.get("BENCH_PROFILE"):
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            result = profiler.runcall(run_import, "people", path, court=court)
            pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(40)
        else:
            result = run_import("people", path, court=court)
        ok, problems = result.committed, [str(p) for p in result.problems[:5]]
    else:
        ok, problems = _import_export_default(path, court)
    seconds = time.perf_counter() - started
    cpu1 = resource.getrusage(resource.RUSAGE_SELF)
    kids1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    # CPU of the importing process and of the checker process it forks (waited for, so counted as a child)
    cpu = (cpu1.ru_utime - cpu0.ru_utime + cpu1.ru_stime - cpu0.ru_stime
           + kids1.ru_utime - kids0.ru_utime + kids1.ru_stime - kids0.ru_stime)
    people = n if mode == "parse" else Person.objects.filter(court=court).count()  # rows read, for the floor
    print(json.dumps({"seconds": seconds, "cpu": cpu, "ok": ok, "problems": problems, "people": people,
                      "checker_rss_mb": kids1.ru_maxrss / 1024}))


def _import_export_default(path: str, court):
    """django-import-export's default path: ModelResource, tablib Dataset from the .xlsx, import_data."""
    import tablib
    from import_export import fields, resources, widgets

    from tianping.org.models import Department, Person

    class PersonResource(resources.ModelResource):
        name = fields.Field(attribute="name", column_name="姓名")
        gender = fields.Field(attribute="gender", column_name="性别")
        birth_date = fields.Field(attribute="birth_date", column_name="出生日期", widget=widgets.DateWidget())
        id_number = fields.Field(attribute="id_number", column_name="身份证号")
        phone = fields.Field(attribute="phone", column_name="手机号")
        staff_number = fields.Field(attribute="staff_number", column_name="工号")
        department = fields.Field(attribute="department", column_name="部门",
                                  widget=widgets.ForeignKeyWidget(Department, field="name"))
        post = fields.Field(attribute="post", column_name="职务")
        is_quota_judge = fields.Field(attribute="is_quota_judge", column_name="是否员额法官",
                                      widget=widgets.BooleanWidget())
        is_leadership = fields.Field(attribute="is_leadership", column_name="是否院领导",
                                     widget=widgets.BooleanWidget())
        education = fields.Field(attribute="education", column_name="学历")
        hired_on = fields.Field(attribute="hired_on", column_name="入职日期", widget=widgets.DateWidget())

        class Meta:
            model = Person
            import_id_fields = ("id_number",)
            fields = ("name", "gender", "birth_date", "id_number", "phone", "staff_number", "department", "post",
                      "is_quota_judge", "is_leadership", "education", "hired_on")

        def before_save_instance(self, instance, row, **kwargs):
            instance.court_id = court.pk

    with open(path, "rb") as fh:
        dataset = tablib.Dataset().load(fh.read(), format="xlsx")
    result = PersonResource().import_data(dataset, dry_run=False, use_transactions=True, raise_errors=False)
    problems = [str(e.error)[:200] for _, errs in result.row_errors()[:5] for e in errs]
    return not result.has_errors() and not result.has_validation_errors(), problems


def resave_like_office(path: Path, tmp: Path) -> Path:
    """openpyxl writes every text cell inline; Excel, WPS and LibreOffice write a shared-strings table. Re-save
    the file with LibreOffice so the benchmark reads what court staff upload (skipped if soffice is missing)."""
    import shutil

    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        print("soffice not found: benchmarking the openpyxl-written file (inline strings, slower to read)")
        return path
    out = tmp / "office"
    t = time.perf_counter()
    subprocess.run([exe, "--headless", f"-env:UserInstallation=file://{tmp}/lo-profile", "--convert-to",
                    "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out), str(path)],
                   check=True, timeout=1800, capture_output=True)
    saved = out / path.name
    print(f"re-saved by LibreOffice ({saved.stat().st_size / 1048576:.1f} MB) in {time.perf_counter() - t:.1f} s")
    return saved


def run_child(mode: str, path: Path, timeout: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="tp-bench-") as tmp:
        env = _child_env(Path(tmp) / "db.sqlite3", Path(tmp) / "data")
        proc = subprocess.Popen([sys.executable, __file__, "--child", mode, str(path)], cwd=ROOT, env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        deadline = time.monotonic() + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                return {"timeout": True, "seconds": float(timeout), "rss_mb": usage.ru_maxrss / 1024,
                        "cpu": usage.ru_utime + usage.ru_stime}  # the whole subprocess's, up to the timeout
            time.sleep(0.2)
        out = proc.stdout.read().decode()
        err = proc.stderr.read().decode()
        if os.environ.get("BENCH_PROFILE"):
            print(err[-12000:])
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"{mode} failed:\n{err[-3000:]}")
        data = json.loads(out.strip().splitlines()[-1])
        data["rss_mb"] = usage.ru_maxrss / 1024  # Linux reports KiB
        return data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3, help="runs of tianping's importer (median reported)")
    parser.add_argument("--theirs-runs", type=int, default=1, help="runs of django-import-export")
    parser.add_argument("--floor-runs", type=int, default=3, help="runs of the parse-only floor")
    parser.add_argument("--serial-runs", type=int, default=1,
                        help="runs of tianping's importer without the checker process (TIANPING_IMPORT_CHECK_AHEAD_ROWS=0)")
    parser.add_argument("--timeout", type=int, default=1800, help="seconds before a run is given up")
    parser.add_argument("--no-write", action="store_true", help="print only, do not update docs/benchmarks.md")
    parser.add_argument("--file", help="benchmark this existing .xlsx instead of generating one")
    parser.add_argument("--keep-file", help="copy the generated (office-saved) file here")
    parser.add_argument("--save-ours", help="also store tianping's figures in this JSON file")
    parser.add_argument("--load-ours", help="reuse tianping's figures from this JSON file")
    parser.add_argument("--save-theirs", help="also store django-import-export's figures in this JSON file")
    parser.add_argument("--load-theirs", help="reuse django-import-export's figures from this JSON file")
    parser.add_argument("--child", nargs=2, metavar=("MODE", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tianping.settings")
    from tianping.core.tests.importdata import write_people_xlsx

    with tempfile.TemporaryDirectory(prefix="tp-bench-file-") as tmp:
        if args.file:
            path = Path(args.file)
        else:
            path = Path(tmp) / "people.xlsx"
            t = time.perf_counter()
            write_people_xlsx(path, args.rows)
            print(f"wrote {args.rows} rows ({path.stat().st_size / 1048576:.1f} MB) in {time.perf_counter() - t:.1f} s")
            path = resave_like_office(path, Path(tmp))
        if args.keep_file:
            import shutil

            shutil.copy(path, args.keep_file)
        def our_run(mode: str, label: str, number: int) -> dict:
            LOADS.append(os.getloadavg()[1])
            r = run_child(mode, path, args.timeout)
            if not r.get("timeout") and (not r["ok"] or r["people"] != args.rows):
                raise SystemExit(f"{label} did not import every row: {r}")
            checker = f" (checker process {r['checker_rss_mb']:.0f} MB)" if r.get("checker_rss_mb") else ""
            print(f"{label} run {number}: {r['seconds']:.1f} s (CPU {r['cpu']:.1f} s), "
                  f"peak RSS {r['rss_mb']:.0f} MB{checker}")
            return r

        ours = json.loads(Path(args.load_ours).read_text()) if args.load_ours else []
        for i in range(0 if args.load_ours else args.runs):
            ours.append(our_run("ours", "tianping", i + 1))
            if args.save_ours:
                Path(args.save_ours).write_text(json.dumps(ours))
        serial = [our_run("serial", "tianping without the checker", i + 1) for i in range(args.serial_runs)]
        floor = []
        for i in range(args.floor_runs):
            r = run_child("parse", path, args.timeout)
            if r["people"] != args.rows:
                raise SystemExit(f"the reader did not read every row: {r}")
            print(f"parse-only floor run {i + 1}: {r['seconds']:.1f} s (CPU {r['cpu']:.1f} s), peak RSS {r['rss_mb']:.0f} MB")
            floor.append(r)
        theirs = json.loads(Path(args.load_theirs).read_text()) if args.load_theirs else []
        for i in range(0 if args.load_theirs else args.theirs_runs):
            r = run_child("theirs", path, args.timeout)
            label = "timed out" if r.get("timeout") else f"ok={r['ok']} people={r['people']}"
            print(f"django-import-export run {i + 1}: {r['seconds']:.1f} s (CPU {r.get('cpu', 0):.1f} s), "
                  f"peak RSS {r['rss_mb']:.0f} MB ({label})")
            theirs.append(r)
            if args.save_theirs:
                Path(args.save_theirs).write_text(json.dumps(theirs))
    if ours:
        report(args, ours, theirs, floor, serial)


def _row(label: str, runs: list[dict], target: str = "—") -> str:
    t = statistics.median(r["seconds"] for r in runs)
    cpu = statistics.median(r.get("cpu", 0.0) for r in runs)
    m = max(r["rss_mb"] for r in runs)
    shown = " / ".join(f"{r['seconds']:.1f}" for r in runs)
    late = "> " if any(r.get("timeout") for r in runs) else ""
    return f"| {label} | {len(runs)} ({shown} s) | {late}{t:.1f} s | {cpu:.1f} s | {m:.0f} MB | {target} |"


def report(args, ours: list[dict], theirs: list[dict], floor: list[dict], serial: list[dict]) -> None:
    t_ours = statistics.median(r["seconds"] for r in ours)
    m_ours = max(r["rss_mb"] for r in ours)
    load = max(LOADS + [os.getloadavg()[1]])
    met = "met" if t_ours < TARGET_SECONDS and m_ours < TARGET_MB else "NOT met"
    lines = [HEADING, "",
             f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC · {platform.machine()} · {os.cpu_count()} CPU "
             f"(5-minute load average up to {load:.1f} while it ran) · "
             f"Python {platform.python_version()} · SQLite · `bench/import_bench.py --rows {args.rows}`", "",
             f"Importing {args.rows:,} people rows from one .xlsx as saved by LibreOffice (shared strings, as Excel "
             "and WPS write them; 12 columns, department names resolved within the court, every row full_clean()ed, "
             "department history written, one transaction). The three in one run on the same file, each run in a "
             "fresh subprocess; time and CPU are the import's (the subprocess's user + system CPU seconds during it); "
             "peak memory is the subprocess's max RSS (includes Django and the migrations).", "",
             "| what | runs | median time | median CPU | peak memory | target |", "|---|---|---|---|---|---|",
             _row("tianping `run_import` (python-calamine reader, rows checked ahead in a second process)", ours,
                  f"< {TARGET_SECONDS} s, < {TARGET_MB} MB: {met}")]
    if serial:
        lines.append(_row("tianping `run_import` in one process (`TIANPING_IMPORT_CHECK_AHEAD_ROWS=0`)", serial))
    if theirs:
        lines.append(_row("django-import-export `ModelResource.import_data` (tablib loads the .xlsx)", theirs))
    if floor:
        lines.append(_row("parse-only floor (the same reader walking every row; nothing checked or written)", floor))
    lines.append("")
    checker = max(r.get("checker_rss_mb", 0) for r in ours)
    if checker:
        lines.append(f"The checker process forked by the import peaked at {checker:.0f} MB RSS, most of it pages shared "
                     "with the importing process (copy-on-write); its CPU time is in the CPU column.")
    if theirs:
        t_theirs = statistics.median(r["seconds"] for r in theirs)
        m_theirs = max(r["rss_mb"] for r in theirs)
        lines.append(f"Ratios: django-import-export ÷ tianping: time {t_theirs / t_ours:.1f}×, memory "
                     f"{m_theirs / m_ours:.1f}×.")
    if floor:
        t_floor = statistics.median(r["seconds"] for r in floor)
        lines.append(f"tianping ÷ parse-only floor: time {t_ours / t_floor:.1f}× (the rest is parsing cells, "
                     "resolving departments, full_clean, the unique checks and the writes).")
    lines.append("")
    text = "\n".join(lines)
    print(text)
    if args.no_write:
        return
    doc = ROOT / "docs" / "benchmarks.md"
    old = doc.read_text(encoding="utf-8") if doc.exists() else "# Benchmarks\n\n"
    if HEADING in old:
        start = old.index(HEADING)
        nxt = old.find("\n## ", start + len(HEADING))
        old = old[:start] + (old[nxt + 1:] if nxt != -1 else "")
    doc.write_text(old.rstrip("\n") + "\n\n" + text, encoding="utf-8")


if __name__ == "__main__":
    main()
