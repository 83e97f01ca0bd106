"""What a person does in the browser: get locked out, enrol TOTP as an administrator, manage accounts, read the
audit trail. Writes docs/screenshots/accounts-*.png."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import override_settings

SHOTS = Path(__file__).resolve().parents[3] / "docs" / "screenshots"


def _shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"accounts-{name}.png"), full_page=True)


@pytest.mark.browser
def test_lockout_message_in_the_browser(court, make_user, browser_context):
    make_user(court, "member", username="lockme")
    page = browser_context.new_page()
    page.goto("/accounts/login/")
    for _i in range(5):
        page.fill("#id_username", "lockme")
        page.fill("#id_password", "wrong-password")
        page.click("[data-testid=login-submit]")
    error = page.locator("[data-testid=login-error]").inner_text()
    assert "已被锁定" in error
    assert page.locator("#id_username").input_value() == "lockme"  # what was typed is kept
    _shot(page, "locked")


@pytest.mark.browser
@override_settings(TIANPING_ADMIN_MFA=True)
def test_administrator_enrols_totp_and_manages_accounts(court, make_user, login):
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tianping.accounts.services import enrolment_code_issue

    admin = make_user(court, "sysadmin", username="sysadmin1")
    make_user(court, "member", username="someone")
    enrolment, _entry = enrolment_code_issue(actor=None, user=admin)  # as create_admin prints it
    page = login("sysadmin1")
    assert "/security/mfa/setup/" in page.url
    page.fill("#id_code", "WRONG-CODE-0000")
    page.click("[data-testid=code-submit]")
    assert "绑定码不正确" in page.locator("[data-testid=code-error]").inner_text()
    _shot(page, "mfa-code")
    page.fill("#id_code", enrolment)
    page.click("[data-testid=code-submit]")
    page.wait_for_load_state("networkidle")
    qr = page.locator("[data-testid=mfa-qr]")
    assert qr.evaluate("img => img.naturalWidth") > 0  # the inline QR code really renders
    _shot(page, "mfa-setup")
    device = TOTPDevice.objects.get(user=admin)
    code = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()
    page.fill("#id_token", f"{code:06d}")
    page.click("[data-testid=mfa-submit]")
    page.wait_for_load_state("networkidle")
    page.goto("/security/accounts/")
    assert page.locator("[data-testid=account-table]").is_visible()
    page.once("dialog", lambda d: d.accept())
    page.click("[data-testid=disable-someone]")
    page.wait_for_load_state("networkidle")
    row = page.locator("tr[data-username=someone]")
    assert "停用" in row.inner_text()
    _shot(page, "list")


@pytest.mark.browser
def test_auditor_reads_and_filters_the_trail(court, make_user, login):
    make_user(court, "auditor", username="auditor1")
    make_user(court, "leader", username="leader1")
    from django.test import Client

    from conftest import TEST_PASSWORD

    Client().post("/accounts/login/", {"username": "leader1", "password": TEST_PASSWORD})
    page = login("auditor1")
    page.goto("/security/audit/")
    page.fill("#id_actor", "leader1")
    page.click("[data-testid=search]")
    page.wait_for_load_state("networkidle")
    text = page.locator("[data-testid=audit-table]").inner_text()
    assert "leader1" in text and "登录" in text and "auditor1" not in text
    page.select_option("#id_event", "login")
    page.click("[data-testid=search]")
    page.wait_for_load_state("networkidle")
    assert set(page.locator("[data-testid=event-label]").all_inner_texts()) == {"登录"}
    _shot(page, "audit")


@pytest.mark.browser
def test_security_administrator_sets_the_policy(court, make_user, login):
    from tianping.accounts.models import SecurityPolicy

    make_user(court, "secadmin", username="sec1")
    page = login("sec1")
    page.goto("/security/policy/")
    page.fill("#id_lockout_minutes", "45")
    _shot(page, "policy")
    page.click("[data-testid=save]")
    page.wait_for_load_state("networkidle")
    assert SecurityPolicy.objects.get(pk=1).lockout_minutes == 45
