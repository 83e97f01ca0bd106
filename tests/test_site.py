"""Site-wide checks: no page references the internet, vendored files are documented, settings refuse
malformed environment values, `manage.py check` is clean and the demo loads idempotently."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = sorted(ROOT.glob("tianping/**/templates/**/*.html"))
EXTERNAL_IN_HTML = re.compile(r"""(?:src|href|action|srcset|data-src)\s*=\s*["']\s*(?:https?:)?//""", re.I)
EXTERNAL_IN_CSS = re.compile(r"""(?:url\(\s*["']?\s*(?:https?:)?//|@import\s+["'](?:https?:)?//)""", re.I)
STATIC_TAG = re.compile(r"""{%\s*static\s+["']([^"']+)["']\s*%}""")


def test_templates_exist():
    assert len(TEMPLATES) > 5


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_template_loads_nothing_from_the_internet(path):
    text = path.read_text(encoding="utf-8")
    hits = EXTERNAL_IN_HTML.findall(text) + EXTERNAL_IN_CSS.findall(text)
    assert not hits, f"{path.relative_to(ROOT)} references an external address: vendor it under static/vendor/"


def test_css_and_js_load_nothing_from_the_internet():
    bad = []
    for path in [*ROOT.glob("static/**/*.css"), *ROOT.glob("tianping/**/static/**/*.css")]:
        if EXTERNAL_IN_CSS.search(path.read_text(encoding="utf-8", errors="replace")):
            bad.append(str(path.relative_to(ROOT)))
    for path in [*ROOT.glob("static/tianping/**/*.js"), *ROOT.glob("tianping/**/static/**/*.js")]:
        if re.search(r"""["'](?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}""", path.read_text(encoding="utf-8")):
            bad.append(str(path.relative_to(ROOT)))
    assert not bad, f"external addresses in {bad}"


def test_every_static_file_a_template_names_exists():
    from django.contrib.staticfiles import finders

    missing = []
    for path in TEMPLATES:
        for name in STATIC_TAG.findall(path.read_text(encoding="utf-8")):
            if finders.find(name) is None:
                missing.append(f"{path.relative_to(ROOT)}: {name}")
    assert not missing, missing


def test_vendor_md_lists_every_vendored_folder():
    vendor = ROOT / "static" / "vendor"
    doc = (vendor / "VENDOR.md").read_text(encoding="utf-8")
    rows = [line for line in doc.splitlines() if line.startswith("|") and not line.startswith("| ---")]
    folders = sorted(p for p in vendor.glob("*/*") if p.is_dir())
    assert folders, "static/vendor has no library folders"
    for folder in folders:
        lib, version = folder.parent.name, folder.name
        row = next((r for r in rows if f"{lib}/{version}/" in r), None)
        assert row is not None, f"static/vendor/VENDOR.md has no row for {lib}/{version}"
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert version in cells, f"VENDOR.md row for {lib} does not state version {version}"
        assert any(re.fullmatch(r"[A-Za-z0-9.\-+ ]*(MIT|BSD|Apache|ISC|OFL)[A-Za-z0-9.\-+ ]*", c) for c in cells), (
            f"VENDOR.md row for {lib} does not state a licence")
        listed = re.findall(r"[\w.\-]+\.(?:js|css)", row)
        for name in listed:
            assert (folder / name).exists(), f"VENDOR.md lists {lib}/{version}/{name}, which is missing"


# --- settings from the environment ----------------------------------------------------------------
def _start(env_overrides: dict[str, str]) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}
    env.update({"DJANGO_SETTINGS_MODULE": "tianping.settings", "TIANPING_DATA_DIR": "/tmp/tp-settings-test"})
    env.pop("DATABASE_URL", None)
    env.update(env_overrides)
    return subprocess.run([sys.executable, "-c", "import django; django.setup(); print('started')"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("overrides,names", [
    ({"DEBUG": "maybe"}, ["DEBUG", "1 或 0"]),
    ({"DEBUG": "1", "PORT": "abc"}, ["PORT", "整数"]),
    ({"DEBUG": "1", "PORT": "70000"}, ["PORT", "范围"]),
    ({"DEBUG": "1", "DATABASE_URL": "mysql://x"}, ["DATABASE_URL", "postgres://"]),
    ({"DEBUG": "1", "ALLOWED_HOSTS": "court.example, http://bad/"}, ["ALLOWED_HOSTS"]),
    ({"DEBUG": "0", "SECRET_KEY": ""}, ["SECRET_KEY"]),
    ({"DEBUG": "0", "SECRET_KEY": "short"}, ["SECRET_KEY", "50"]),
])
def test_malformed_environment_stops_start_up_with_a_clear_message(overrides, names):
    done = _start(overrides)
    assert done.returncode != 0, done.stdout
    assert "started" not in done.stdout
    last = done.stderr.strip().splitlines()[-1]
    assert "ImproperlyConfigured" in last
    for name in names:
        assert name in last, last


def test_good_environment_starts():
    done = _start({"DEBUG": "0", "SECRET_KEY": "k" * 60, "PORT": "8080", "ALLOWED_HOSTS": "court.example",
                   "DATABASE_URL": "postgres://tp@127.0.0.1:5432/tp"})
    assert done.returncode == 0, done.stderr[-1500:]
    assert "started" in done.stdout


def test_manage_py_check_is_clean():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}
    env.update(DEBUG="1", TIANPING_DATA_DIR="/tmp/tp-settings-test")
    done = subprocess.run([sys.executable, "manage.py", "check", "--fail-level", "WARNING"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


# --- the demo court ------------------------------------------------------------------------------
@pytest.mark.django_db
@pytest.mark.slow
def test_seed_demo_twice_adds_nothing(demo):
    """Every app's demo.py together: a second run creates, changes and deletes nothing (the first run is the
    shared demo court of conftest.py). Every page of every demo account's menu: tests/test_tour.py."""
    from django.apps import apps
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    def counts():
        return {m._meta.label: m.objects.count() for m in apps.get_models()
                if m.__module__.startswith("tianping.") and m._meta.label != "core.AuditEvent"}

    first = counts()
    assert first["org.Person"] >= 130
    call_command("seed_demo", verbosity=0)
    second = counts()
    changed = {k: (first[k], second[k]) for k in first if first[k] != second[k]}
    assert not changed, f"seed_demo is not idempotent: {changed}"
    # the README's demo accounts sign in with the demo password
    for username in ("party_office", "president", "secretary_shagou", "judge_demo", "trial_office",
                     "mediator_demo", "zaozhuang", "admin", "security", "auditor"):
        assert Client().login(username=username, password=settings.TIANPING_DEMO_PASSWORD), username
