"""TOTP second factor: always for the three administrators, for everyone when required; enrolment with an
inline QR code; verification after the password; a stolen password alone cannot enrol a new device."""

from __future__ import annotations

import re

import pytest
from django.test import Client, override_settings
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import TEST_PASSWORD
from tianping.core.models import AuditEvent


def _code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def _login(client, user):
    return client.post("/accounts/login/", {"username": user.username, "password": TEST_PASSWORD})


@pytest.fixture
def admin(court, make_user):
    return make_user(court, "sysadmin", username="sys1")


@override_settings(TIANPING_ADMIN_MFA=True)
def test_admin_must_enrol_then_verify(admin):
    from tianping.accounts.services import enrolment_code_issue

    code, _entry = enrolment_code_issue(actor=None, user=admin)
    client = Client()
    assert _login(client, admin).status_code == 302
    response = client.get("/security/accounts/")
    assert response.status_code == 302 and response["Location"].startswith("/security/mfa/setup/")
    # step 1: the enrolment code; no secret is shown before it
    page = client.get(response["Location"])
    assert 'data-testid="mfa-qr"' not in page.content.decode()
    assert not TOTPDevice.objects.filter(user=admin).exists()
    assert client.post("/security/mfa/setup/", {"code": code.lower()}).status_code == 302
    page = client.get("/security/mfa/setup/")
    html = page.content.decode()
    assert 'src="data:image/svg+xml;base64,' in html  # the QR code is inline, nothing loaded from outside
    assert "http://" not in re.sub(r'xmlns(:\w+)?="[^"]+"', "", html).split("<body", 1)[1]
    device = TOTPDevice.objects.get(user=admin, confirmed=False)
    bad = client.post("/security/mfa/setup/", {"token": "000000" if _code(device) != "000000" else "111111"})
    assert bad.status_code == 200 and "验证码不正确" in bad.content.decode()
    device.refresh_from_db()
    assert device.throttling_failure_count == 1  # repeated guesses are slowed down
    device.throttle_reset()
    ok = client.post("/security/mfa/setup/?next=/security/accounts/", {"token": _code(device),
                                                                        "next": "/security/accounts/"})
    assert ok.status_code == 302 and ok["Location"] == "/security/accounts/"
    assert client.get("/security/accounts/").status_code == 200
    assert AuditEvent.objects.filter(event="mfa.enrolled", actor_id=admin.pk).exists()

    # next sign-in: password, then the code
    client = Client()
    _login(client, admin)
    response = client.get("/security/accounts/")
    assert response["Location"].startswith("/security/mfa/verify/")
    # the enrolment page cannot be used to add a second device with the password alone
    assert client.get("/security/mfa/setup/")["Location"].startswith("/security/mfa/verify/")
    wrong = client.post("/security/mfa/verify/", {"token": "12345a"})
    assert "6 位数字" in wrong.content.decode()
    device.refresh_from_db()
    device.last_t = -1  # allow reuse of the current step in this test
    device.save()
    device.throttle_reset()
    ok = client.post("/security/mfa/verify/", {"token": _code(device)})
    assert ok.status_code == 302
    assert client.get("/security/accounts/").status_code == 200
    assert AuditEvent.objects.filter(event="mfa.verified", actor_id=admin.pk).exists()


@override_settings(TIANPING_ADMIN_MFA=True)
def test_admin_with_force_login_is_still_gated(admin, client_for):
    client = client_for(admin)
    response = client.get("/security/accounts/")
    assert response.status_code == 302 and "/security/mfa/" in response["Location"]
    # not even the password can be changed with the password alone
    response = client.post("/accounts/password/", {"old_password": TEST_PASSWORD, "new_password1": "Xy7!pqrsTuv",
                                                   "new_password2": "Xy7!pqrsTuv"})
    assert response.status_code == 302 and "/security/mfa/" in response["Location"]
    admin.refresh_from_db()
    assert admin.check_password(TEST_PASSWORD)


@override_settings(TIANPING_ADMIN_MFA=True)
def test_ordinary_user_needs_no_mfa_by_default(court, make_user):
    user = make_user(court, "member", username="plain")
    client = Client()
    _login(client, user)
    assert client.get("/").status_code == 200


@override_settings(TIANPING_REQUIRE_MFA=True)
def test_everyone_needs_mfa_when_required(court, make_user):
    user = make_user(court, "member", username="plain2")
    client = Client()
    _login(client, user)
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/security/mfa/setup/")


def test_policy_switch_requires_mfa_for_everyone(court, make_user):
    from tianping.accounts.security_policy import get_policy

    policy = get_policy()
    policy.require_mfa_all = True
    policy.save()
    user = make_user(court, "leader", username="boss")
    client = Client()
    _login(client, user)
    assert client.get("/")["Location"].startswith("/security/mfa/setup/")
    # logout stays reachable while gated
    assert client.post("/accounts/logout/").status_code == 302


@override_settings(TIANPING_ADMIN_MFA=True)
def test_demo_admins_have_the_printed_totp_secret(court, make_user):
    """The demo seeds a known TOTP secret for the three demo administrators (printed by `make run`)."""
    import base64
    import io
    import random
    from types import SimpleNamespace

    from tianping.accounts import demo

    for username, role in (("admin", "sysadmin"), ("security", "secadmin"), ("auditor", "auditor")):
        make_user(court, role, username=username)
    ctx = SimpleNamespace(rng=random.Random(1), faker=None, stdout=io.StringIO(), data={})
    demo.seed(ctx)
    demo.seed(ctx)  # idempotent
    assert demo.DEMO_TOTP_SECRET_B32 in ctx.stdout.getvalue()
    for username in ("admin", "security", "auditor"):
        device = TOTPDevice.objects.get(user__username=username, confirmed=True)
        assert base64.b32encode(device.bin_key).decode() == demo.DEMO_TOTP_SECRET_B32
    client = Client()
    client.post("/accounts/login/", {"username": "admin", "password": TEST_PASSWORD})
    client.post("/security/mfa/verify/", {"token": _code(TOTPDevice.objects.get(user__username="admin"))})
    assert client.get("/security/accounts/").status_code == 200
