"""Production operations: `manage.py doctor`, `backup` / `restore` round trip, the worker's heartbeat."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from tianping.core import doctor
from tianping.core.worker import heartbeat_start, heartbeat_write, heartbeats

ROOT = Path(__file__).resolve().parents[3]
SECURE = dict(DEBUG=False, SESSION_COOKIE_SECURE=True, CSRF_COOKIE_SECURE=True, SECURE_SSL_REDIRECT=True,
              SECURE_HSTS_SECONDS=31536000, SECURE_HSTS_INCLUDE_SUBDOMAINS=True, SECURE_HSTS_PRELOAD=True,
              ALLOWED_HOSTS=["court.example"])


@pytest.fixture
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"
    settings.MEDIA_ROOT = tmp_path / "data" / "media"
    settings.DATA_DIR.mkdir()
    return settings.DATA_DIR


# --- doctor ---------------------------------------------------------------------------------------
@pytest.mark.django_db(transaction=True)
def test_doctor_says_each_check_in_one_line_and_fails_until_worker_and_backup_exist(data_dir, settings, capsys,
                                                                                   monkeypatch):
    monkeypatch.delenv("DJANGO_ALLOW_ASYNC_UNSAFE")  # conftest's, for Playwright (check --deploy warns about it)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    # a clean clone (CI) has no var/audit_key: check --deploy would rightly report the missing audit key
    settings.TIANPING_AUDIT_KEY = "1:" + "k" * 48
    for key, value in SECURE.items():
        setattr(settings, key, value)
    with pytest.raises(CommandError, match="2 项检查未通过：后台任务进程、备份"):
        call_command("doctor")
    out = capsys.readouterr().out.splitlines()
    assert len(out) == len(doctor.CHECKS)
    assert out[0].startswith("✓ 部署检查") and out[1].startswith("✓ 数据库") and "迁移均已执行" in out[1]
    assert out[2].startswith("✗ 后台任务进程") and "从未收到心跳" in out[2]
    assert out[3].startswith("✓ PDF 字体") and out[4].startswith("✓ 数据目录")
    assert out[5].startswith("✗ 备份") and "manage.py backup" in out[5]

    heartbeat_write("w1")
    call_command("backup", str(data_dir.parent / "b1"), verbosity=0)
    call_command("doctor")
    out = capsys.readouterr().out
    assert "✓ 后台任务进程：1 个在运行" in out and "✓ 备份：最近的备份在 0.0 小时前" in out and "全部检查通过" in out


@pytest.mark.django_db
def test_doctor_names_what_is_wrong(data_dir, settings, monkeypatch):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    heartbeat_write("old", now=time.time() - 3600)
    worker = doctor.check_worker()
    assert not worker.ok and "最近一次心跳在 60 分钟前" in worker.detail
    assert doctor.check_worker(now=time.time() - 3600 + 5).ok  # it was alive an hour ago

    assert not doctor.check_deploy().ok  # the test settings are not production's: DEBUG, insecure cookies …

    settings.TIANPING_MIN_FREE_MB = 10**9
    disk = doctor.check_disk()
    assert not disk.ok and "请清理" in disk.detail

    monkeypatch.setattr(doctor, "REQUIRED_FONTS", ("Noto Sans CJK SC", "No Such Font SC"))
    fonts = doctor.check_fonts()
    assert not fonts.ok and "缺少 No Such Font SC" in fonts.detail

    (data_dir / doctor.LAST_BACKUP_FILE).write_text(json.dumps({"dir": str(data_dir / "gone"), "at": time.time()}))
    assert "已不存在" in doctor.check_backup().detail
    (data_dir / "gone").mkdir()
    (data_dir / "gone" / "manifest.json").write_text("{}")
    assert doctor.check_backup().ok
    late = doctor.check_backup(now=time.time() + 30 * 3600)
    assert not late.ok and "超过 26 小时" in late.detail


def test_the_worker_beats_while_it_runs(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    stop = heartbeat_start("beating", every=0.05)
    first = heartbeats()[0].at
    time.sleep(0.2)
    stop.set()
    assert heartbeats()[0].worker_id == "beating" and heartbeats()[0].at > first


# --- backup and restore ---------------------------------------------------------------------------
def _build_small_court():
    """A court with people (audited), a branch and an uploaded picture: rows in many tables, a file, a chain."""
    from tianping.org import services as org_services
    from tianping.org.models import Gender
    from tianping.org.tests.factories import CourtFactory, DepartmentFactory, UserFactory, make_id_number
    from tianping.party import services as party_services
    from tianping.party.tests.factories import OrganisationFactory, make_member

    court = CourtFactory(code="鲁0403", name="薛城区人民法院")
    dept = DepartmentFactory(court=court, name="民一庭")
    actor = UserFactory(court=court, roles=["party_office"])
    people = [org_services.person_create(actor=actor, court=court, moved_on=date(2020, 1, 1),
                                         data={"name": f"测试{i}", "id_number": make_id_number(900 + i), "department": dept,
                                               "gender": Gender.MALE, "birth_date": date(1985, 3, 7)})
              for i in range(3)]
    branch = OrganisationFactory(court=court, name="民一庭党支部")
    make_member(branch=branch, person=people[0])
    party_services.brand_picture_add(actor=actor, organisation=branch, caption="巡回审判",
                                     image=SimpleUploadedFile("p.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4))
    return court


def _restored_counts(env: dict[str, str]) -> dict[str, int]:
    url = env["DATABASE_URL"]
    if url.startswith("sqlite"):
        db = sqlite3.connect(url.removeprefix("sqlite:///"))
        names = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")]
        return {n: db.execute(f'SELECT COUNT(*) FROM "{n}"').fetchone()[0] for n in names}
    import psycopg

    with psycopg.connect(url) as db:
        names = [r[0] for r in db.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
        return {n: db.execute(f'SELECT COUNT(*) FROM "{n}"').fetchone()[0] for n in names}


@pytest.mark.django_db(transaction=True)
def test_backup_then_restore_into_an_empty_database_gives_back_every_row_file_and_the_audit_chain(data_dir, settings, tmp_path):
    from tianping.core.backup import table_counts
    from tianping.party.models import BrandPicture

    _build_small_court()
    picture = BrandPicture.objects.get()
    original = (settings.MEDIA_ROOT / picture.image.name).read_bytes()
    before = table_counts()
    assert before["org_person"] == 3 and before["core_auditevent"] >= 4

    folder = tmp_path / "backup"
    call_command("backup", str(folder), verbosity=0)
    manifest = json.loads((folder / "manifest.json").read_text())
    assert f"media/{picture.image.name}" in manifest["files"] and manifest["engine"] == connection.vendor

    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}
    env.update(DEBUG="1", TIANPING_TESTING="1", TIANPING_DATA_DIR=str(tmp_path / "restored"),
               TIANPING_AUDIT_KEY=settings.TIANPING_AUDIT_KEY or "")
    if connection.vendor == "postgresql":
        import psycopg

        db = connection.settings_dict
        restored_name = f"{db['NAME']}_restored"
        base = f"postgresql://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
        with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{restored_name}"')
            admin.execute(f'CREATE DATABASE "{restored_name}"')
        env["DATABASE_URL"] = f"{base}/{restored_name}"
    else:
        env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'restored.sqlite3'}"
    try:
        for cmd in (["restore", str(folder)], ["audit_verify"]):
            done = subprocess.run([sys.executable, "manage.py", *cmd], cwd=ROOT, env=env, capture_output=True, text=True,
                                  timeout=300)
            assert done.returncode == 0, done.stdout + done.stderr
        assert "哈希链无断裂" in done.stdout
        assert _restored_counts(env) == before
        assert (tmp_path / "restored" / "media" / picture.image.name).read_bytes() == original
    finally:
        if connection.vendor == "postgresql":
            with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{restored_name}"')

    # a second restore of the same backup over the now filled database is refused without --replace
    with pytest.raises(CommandError, match="不是空库"):
        call_command("restore", str(folder))
    # refused before anything is touched: another engine's backup, a changed file
    manifest["engine"] = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    (folder / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(CommandError, match="这份备份来自"):
        call_command("restore", str(folder))
    with (folder / "media" / picture.image.name).open("ab") as fh:
        fh.write(b"x")
    with pytest.raises(CommandError, match=f"media/{picture.image.name}（SHA-256 不符）"):
        call_command("restore", str(folder))
    with pytest.raises(CommandError, match="不是空的"):
        call_command("backup", str(folder))


# --- protected downloads behind nginx (X-Accel-Redirect) ----------------------------------------------
@pytest.mark.django_db
def test_uploads_go_through_the_permission_check_then_to_nginx_with_x_accel_redirect(data_dir, settings, client_for):
    from django.urls import reverse

    from tianping.core.uploads import upload_response
    from tianping.org.tests.factories import CourtFactory, UserFactory
    from tianping.party import services as party_services
    from tianping.party.tests.factories import OrganisationFactory

    court = CourtFactory(code="鲁0403", name="薛城区人民法院")
    office = UserFactory(court=court, roles=["party_office"])
    outsider = UserFactory(court=CourtFactory(code="鲁0404", name="峄城区人民法院"), roles=["party_office"])
    content = b"\x89PNG\r\n\x1a\n" + bytes(range(256))
    pic = party_services.brand_picture_add(actor=office, organisation=OrganisationFactory(court=court),
                                           image=SimpleUploadedFile("p.png", content))
    url = reverse("party:picture_file", args=[pic.pk])

    streamed = client_for(office).get(url)  # no nginx in front: Django streams the file
    assert b"".join(streamed.streaming_content) == content and "X-Accel-Redirect" not in streamed

    settings.TIANPING_X_ACCEL_REDIRECT = "/_protected/media/"
    handed = client_for(office).get(url)
    assert handed.status_code == 200 and handed.content == b""
    assert handed["X-Accel-Redirect"] == f"/_protected/media/{pic.image.name}" and handed["Content-Type"] == "image/png"
    refused = client_for(outsider).get(url)
    assert refused.status_code == 404 and "X-Accel-Redirect" not in refused

    named = upload_response(pic.image, filename="调解协议 2016.pdf")
    assert named["Content-Type"] == "application/pdf"
    assert named["Content-Disposition"] == "attachment; filename*=utf-8''%E8%B0%83%E8%A7%A3%E5%8D%8F%E8%AE%AE%202016.pdf"
    (settings.MEDIA_ROOT / pic.image.name).unlink()
    assert client_for(office).get(url).status_code == 404  # a lost file is "not found", never a 500


def test_the_environment_template_names_every_setting_the_site_reads():
    import re

    settings_py = (ROOT / "tianping" / "settings.py").read_text(encoding="utf-8")
    read = set(re.findall(r'_env_(?:int|bool)\("([A-Z_]+)"', settings_py)) | set(re.findall(r'environ\.get\("([A-Z_]+)"', settings_py))
    template = (ROOT / "deploy" / "tianping.env.example").read_text(encoding="utf-8")
    missing = sorted(name for name in read if name not in template)
    assert not missing, f"deploy/tianping.env.example does not mention {missing}"
    assert read >= {"SECRET_KEY", "DATABASE_URL", "TIANPING_X_ACCEL_REDIRECT"}


def test_without_a_secret_key_only_the_source_file_commands_run(tmp_path):
    """A fresh clone with no var/secret_key: `makemigrations --check` (and the catalogue commands) need no key;
    anything that could sign, hash or serve still refuses with the Chinese reason."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("SECRET_KEY", "DEBUG", "TIANPING_TESTING") and not k.startswith(("DJANGO_", "PYTEST"))}
    env["TIANPING_DATA_DIR"] = str(tmp_path)  # no secret_key file there
    checked = subprocess.run([sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"], cwd=ROOT,
                             env=env, capture_output=True, text=True, timeout=120)
    assert checked.returncode == 0, checked.stderr[-1500:]
    assert "No changes detected" in checked.stdout
    refused = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True,
                             text=True, timeout=120)
    assert refused.returncode != 0 and "未设置 SECRET_KEY" in refused.stderr
