"""Security headers on every page, and Django's deployment check with production settings."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings

ROOT = Path(__file__).resolve().parents[3]


def test_headers_on_pages(court, make_user, client_for):
    client = client_for(make_user(court, "leader"))
    response = client.get("/org/people/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cache-Control"] == "no-store"
    assert response["X-Request-ID"]


def test_login_page_has_no_inline_script_and_htmx_eval_off(client):
    html = client.get("/accounts/login/").content.decode()
    assert "<script>" not in html and "<script " not in html.replace('<script src=', '')
    assert '"allowEval": false' in html


@override_settings(SECURE_HSTS_SECONDS=31536000, SECURE_HSTS_INCLUDE_SUBDOMAINS=True)
def test_hsts_on_https(client):
    response = client.get("/accounts/login/", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


def test_check_deploy_passes_with_production_settings(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_", "TIANPING_"))}
    env.update({"DEBUG": "0", "SECRET_KEY": "k" * 20 + "Zq9-xP2!vR7@tL4#wE6$yU1%iO3^aS5&dF8*gH0(jK",
                "ALLOWED_HOSTS": "court.example", "TIANPING_DATA_DIR": str(tmp_path),
                "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3", "TIANPING_AUDIT_KEY": "1:" + "a" * 40})
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_a_missing_secret_key(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_", "TIANPING_"))}
    env.update({"DEBUG": "0", "SECRET_KEY": "", "TIANPING_DATA_DIR": str(tmp_path)})
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


@pytest.mark.parametrize("url", ["/org/people/", "/security/audit/"])
def test_anonymous_is_sent_to_login(client, url, db):
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
