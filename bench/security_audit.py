"""Security benchmark (issue 3): the cost of the tamper-evident audit trail and of Argon2 sign-in.

    .venv/bin/python bench/security_audit.py [--entries 20000] [--no-write]

Builds its own database under /tmp/tianping-bench-security (or $DATABASE_URL), then measures:
- audit_record(): entries per second when written one by one (each locks the chain head and hashes);
- audit_verify over the whole chain (the daily check);
- the auditor's viewer (first page, a filtered page, an export of one actor's entries) with that many entries;
- a real password sign-in with the production Argon2 parameters (DEBUG=0, not the test MD5 hasher).
Results go to docs/benchmarks.md under "## Security (issue 3)" (other sections are kept).
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEADING = "## Security (issue 3)"
DATA = Path(os.environ.get("TIANPING_BENCH_DIR", "/tmp/tianping-bench-security"))


def setup() -> None:
    shutil.rmtree(DATA, ignore_errors=True)
    DATA.mkdir(parents=True)
    os.environ.update({"TIANPING_DATA_DIR": str(DATA), "DEBUG": "0", "ALLOWED_HOSTS": "testserver,localhost",
                       "SECURE_SSL_REDIRECT": "0", "TIANPING_REQUIRE_MFA": "0"})
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(64))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tianping.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def timed(fn, repeat: int) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return statistics.median(times), times[max(0, int(len(times) * 0.95) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=20000)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    setup()
    from django.db import connection, transaction
    from django.test import Client
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tianping.core.audit import audit_record, verify_chain
    from tianping.org.models import Court, User, UserRole

    court = Court.objects.create(code="鲁0403", name="薛城区人民法院")
    actors = []
    for i in range(20):
        u = User(username=f"user{i}", court=court, must_change_password=False)
        u.set_password("Bench@Pass2016")
        u.save()
        UserRole.objects.create(user=u, role="leader")
        actors.append(u)
    auditor = User(username="aud", court=court, must_change_password=False)
    auditor.set_password("Bench@Pass2016")
    auditor.save()
    UserRole.objects.create(user=auditor, role="auditor")
    TOTPDevice.objects.create(user=auditor, name="bench", confirmed=True)

    t = time.perf_counter()
    for i in range(args.entries):
        with transaction.atomic():
            audit_record(actor=actors[i % 20], event="person.updated" if i % 3 else "login",
                         before={"name": f"旧{i}"}, after={"name": f"新{i}"}, court_id=court.pk,
                         message=f"bench {i}")
    write_s = time.perf_counter() - t

    t = time.perf_counter()
    report = verify_chain()
    verify_s = time.perf_counter() - t
    assert report.ok and report.checked == args.entries, report

    client = Client()
    client.force_login(auditor)
    session = client.session
    session["otp_device_id"] = TOTPDevice.objects.get(user=auditor).persistent_id  # a verified sign-in
    session.save()
    pages = [("审计日志 第一页", "/security/audit/"),
             ("审计日志 按人+事件筛选", "/security/audit/?actor=user7&event=person"),
             ("审计日志 导出一人全部", "/security/audit/?actor=user7&export=xlsx")]
    rows = []
    for label, url in pages:
        for _ in range(2):
            assert client.get(url).status_code == 200
        med, p95 = timed(lambda u=url: client.get(u), 10)
        rows.append((label, url, med, p95))
    login_client = Client()

    def sign_in():
        login_client.post("/accounts/login/", {"username": "user3", "password": "Bench@Pass2016"})
        login_client.post("/accounts/logout/")

    login_med, login_p95 = timed(sign_in, 10)

    lines = [HEADING, "",
             f"`.venv/bin/python bench/security_audit.py --entries {args.entries}` on {connection.vendor}, "
             f"{time.strftime('%Y-%m-%d')}, load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs "
             "(other work was running: times are upper bounds).", "",
             "| Measurement | Result |", "| --- | --- |",
             f"| audit_record, one entry per transaction | {args.entries / write_s:,.0f} entries/s "
             f"({write_s * 1000 / args.entries:.2f} ms each) |",
             f"| audit_verify over {args.entries:,} entries | {verify_s:.2f} s ({args.entries / verify_s:,.0f}/s) |",
             *[f"| {label} (`{url}`) | median {med:.0f} ms, p95 {p95:.0f} ms |" for label, url, med, p95 in rows],
             f"| password sign-in + sign-out (Argon2id, production cost) | median {login_med:.0f} ms, "
             f"p95 {login_p95:.0f} ms |", ""]
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
