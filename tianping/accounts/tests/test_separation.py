"""三员分立 for real (issue 11): the system administrator creates accounts but grants no role; the security
administrator grants roles, issues enrolment codes and clears second factors; a reset password alone does not
open an account; every administrator action is audited and shown to the audit administrator."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client, override_settings
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tianping.accounts import services
from tianping.accounts.models import EnrolmentCode
from tianping.core.models import AuditEvent
from tianping.org.models import User


def _totp(device: TOTPDevice) -> str:
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"


def _one_time_password(response) -> str:
    return re.search(r'data-testid="one-time-password">([^<]+)<', response.content.decode()).group(1)


def _enrolment_code(response) -> str:
    return re.search(r'data-testid="enrolment-code">([^<]+)<', response.content.decode()).group(1)


@pytest.fixture
def admins(court, make_user):
    return {"sys": make_user(court, "sysadmin", username="sys"), "sec": make_user(court, "secadmin", username="sec"),
            "aud": make_user(court, "auditor", username="aud")}


def test_sysadmin_cannot_reach_personal_data_through_an_account_it_creates(court, admins, client_for):
    """The old path: create an account with the party_office role, sign in with it, read full ID numbers."""
    from tianping.org.tests.factories import PersonFactory

    person = PersonFactory(court=court, staff_number="0007", name="名册人")
    sysadmin = client_for(admins["sys"])
    created = sysadmin.post("/security/accounts/new/", {"username": "sidedoor", "court": court.pk,
                                                        "roles": ["party_office"], "person_staff_number": "0007"})
    password = _one_time_password(created)
    account = User.objects.get(username="sidedoor")
    assert not account.role_grants.exists() and account.person is None
    # no grant page, no grant service for the system administrator
    assert sysadmin.get(f"/security/accounts/{account.pk}/").status_code == 403
    assert sysadmin.post(f"/security/accounts/{account.pk}/", {"court": court.pk,
                                                                "roles": ["party_office"]}).status_code == 403
    with pytest.raises(PermissionDenied):
        services.user_grant(actor=admins["sys"], user=account, court=court, person=None, roles=["party_office"])
    assert not account.role_grants.exists()
    # signed in with it, the account reads nothing
    side = Client()
    side.post("/accounts/login/", {"username": "sidedoor", "password": password})
    side.post("/accounts/password/", {"old_password": password, "new_password1": "Qz7#mWp2vLx9",
                                      "new_password2": "Qz7#mWp2vLx9"})
    assert side.get("/").status_code == 200
    assert side.get(f"/org/people/{person.pk}/").status_code in (403, 404)
    assert side.get(f"/security/reveal/person/{person.pk}/").status_code == 403
    assert "名册人" not in side.get("/org/people/").content.decode()


def test_secadmin_grants_but_cannot_create_or_reset(court, admins, make_user, client_for):
    account = make_user(court, username="plain")
    sec = client_for(admins["sec"])
    assert sec.get("/security/accounts/new/").status_code == 403
    assert sec.post("/security/accounts/new/", {"username": "x9", "court": court.pk}).status_code == 403
    assert sec.post(f"/security/accounts/{account.pk}/reset_password/").status_code == 403
    assert sec.post(f"/security/accounts/{account.pk}/disable/").status_code == 403
    assert not User.objects.filter(username="x9").exists()
    with pytest.raises(PermissionDenied):
        services.user_reset_password(actor=admins["sec"], user=account)


@override_settings(TIANPING_REQUIRE_MFA=True)
def test_a_reset_password_alone_does_not_sign_in(court, admins, make_user, client_for):
    """Production mode: the system administrator resets a party_office account's password and tries to sign in
    with it — the second factor's enrolment needs the security administrator's code."""
    target = make_user(court, "party_office", username="office")
    with override_settings(TIANPING_REQUIRE_MFA=False):  # the administrator passed its own second factor
        reset = client_for(admins["sys"]).post(f"/security/accounts/{target.pk}/reset_password/")
    password = _one_time_password(reset)
    target.refresh_from_db()
    assert target.must_change_password
    thief = Client()
    assert thief.post("/accounts/login/", {"username": "office", "password": password}).status_code == 302
    for url in ("/", "/org/people/", "/accounts/password/"):
        response = thief.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/security/mfa/setup/"), url
    refused = thief.post("/security/mfa/setup/", {"code": "ABCD-EFGH-JKMN"})
    assert "没有有效的绑定码" in refused.content.decode()
    assert not TOTPDevice.objects.filter(user=target).exists()
    # a guessed token without a code gets nowhere either
    assert thief.post("/security/mfa/setup/", {"token": "123456"}).status_code == 200
    assert not TOTPDevice.objects.filter(user=target, confirmed=True).exists()
    assert thief.get("/org/people/").status_code == 302

    # an account that has an authenticator: the reset password is not enough either
    device = TOTPDevice.objects.create(user=target, name="phone", confirmed=True)
    thief = Client()
    thief.post("/accounts/login/", {"username": "office", "password": password})
    assert thief.get("/org/people/")["Location"].startswith("/security/mfa/verify/")
    assert thief.get("/security/mfa/setup/")["Location"].startswith("/security/mfa/verify/")
    assert device.confirmed


@override_settings(TIANPING_REQUIRE_MFA=True)
def test_enrolment_with_the_code_from_the_security_administrator(court, admins, make_user, client_for):
    target = make_user(court, "member", username="owner")
    sec = client_for(admins["sec"])
    with override_settings(TIANPING_REQUIRE_MFA=False):  # the administrator passed its own second factor
        issued = sec.post(f"/security/accounts/{target.pk}/enrolment_code/")
    code = _enrolment_code(issued)
    entry = EnrolmentCode.objects.get(user=target)
    assert code.replace("-", "") not in entry.code_hash and entry.issued_by == admins["sec"]
    assert AuditEvent.objects.filter(event="mfa.code_issued", actor_id=admins["sec"].pk,
                                     object_id=str(target.pk)).exists()
    assert code not in "".join(AuditEvent.objects.values_list("message", flat=True))

    owner = Client()
    owner.force_login(target)
    assert owner.post("/security/mfa/setup/", {"code": code}).status_code == 302
    device = TOTPDevice.objects.get(user=target, confirmed=False)
    done = owner.post("/security/mfa/setup/", {"token": _totp(device)})
    assert done.status_code == 302
    device.refresh_from_db()
    entry.refresh_from_db()
    assert device.confirmed and entry.used_at is not None
    assert owner.get("/").status_code == 200
    # the code is used up
    TOTPDevice.objects.filter(user=target).delete()
    again = Client()
    again.force_login(target)
    assert "没有有效的绑定码" in again.post("/security/mfa/setup/", {"code": code}).content.decode()


def test_enrolment_codes_expire_and_die_after_wrong_tries(court, admins, make_user, settings):
    target = make_user(court, "member", username="owner2")
    code, entry = services.enrolment_code_issue(actor=admins["sec"], user=target)
    with pytest.raises(Exception, match="不正确"):
        services.enrolment_code_check(user=target, code="WRONG-WRONG-WRONG")
    assert services.enrolment_code_check(user=target, code=code.lower()).pk == entry.pk
    EnrolmentCode.objects.filter(pk=entry.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(Exception, match="没有有效的绑定码"):
        services.enrolment_code_check(user=target, code=code)
    code, entry = services.enrolment_code_issue(actor=admins["sec"], user=target)
    for _i in range(settings.TIANPING_ENROLMENT_CODE_MAX_FAILURES):
        with pytest.raises(Exception, match="不正确"):
            services.enrolment_code_check(user=target, code="AAAA-AAAA-AAAA")
    with pytest.raises(Exception, match="没有有效的绑定码"):
        services.enrolment_code_check(user=target, code=code)
    failures = AuditEvent.objects.filter(event="mfa.code_failed").count()
    assert failures == 1 + settings.TIANPING_ENROLMENT_CODE_MAX_FAILURES
    # a new code voids the earlier one
    first, _e = services.enrolment_code_issue(actor=admins["sec"], user=target)
    services.enrolment_code_issue(actor=admins["sec"], user=target)
    with pytest.raises(Exception, match="不正确"):
        services.enrolment_code_check(user=target, code=first)
    # only the security administrator issues codes, never for their own account
    with pytest.raises(PermissionDenied):
        services.enrolment_code_issue(actor=admins["sys"], user=target)
    with pytest.raises(Exception, match="不能为自己的账号"):
        services.enrolment_code_issue(actor=admins["sec"], user=admins["sec"])


def test_clearing_a_second_factor_is_the_security_administrators_and_audited(court, admins, make_user, client_for):
    target = make_user(court, "member", username="lostphone")
    TOTPDevice.objects.create(user=target, name="phone", confirmed=True)
    assert client_for(admins["sys"]).post(f"/security/accounts/{target.pk}/mfa_reset/").status_code == 403
    assert TOTPDevice.objects.filter(user=target).exists()
    assert client_for(admins["sec"]).post(f"/security/accounts/{target.pk}/mfa_reset/").status_code == 302
    assert not TOTPDevice.objects.filter(user=target).exists()
    assert AuditEvent.objects.filter(event="user.mfa_reset", actor_id=admins["sec"].pk,
                                     object_id=str(target.pk)).exists()
    with pytest.raises(Exception, match="不能清除自己"):
        services.user_mfa_reset(actor=admins["sec"], user=admins["sec"])


def test_every_administrator_action_reaches_the_audit_administrator(court, other_court, admins, make_user,
                                                                    client_for):
    """Also the actions on an account of another court (the auditor's court filter must not hide them)."""
    sys, sec = client_for(admins["sys"]), client_for(admins["sec"])
    created = sys.post("/security/accounts/new/", {"username": "elsewhere", "court": other_court.pk})
    assert created.status_code == 200
    account = User.objects.get(username="elsewhere")
    sys.post(f"/security/accounts/{account.pk}/reset_password/")
    sys.post(f"/security/accounts/{account.pk}/disable/")
    sys.post(f"/security/accounts/{account.pk}/enable/")
    sec.post(f"/security/accounts/{account.pk}/", {"court": other_court.pk, "roles": ["member"]})
    sec.post(f"/security/accounts/{account.pk}/enrolment_code/")
    expected = {"user.created", "user.password_reset", "user.disabled", "user.enabled", "user.roles_changed",
                "mfa.code_issued"}
    from django.test import RequestFactory

    from tianping.accounts.forms import AuditFilterForm
    from tianping.accounts.views import _audit_queryset

    request = RequestFactory().get("/security/audit/")
    request.user = admins["aud"]
    seen = set(_audit_queryset(request, AuditFilterForm()).values_list("event", flat=True))
    assert expected <= seen, expected - seen
    page = client_for(admins["aud"]).get("/security/audit/?actor=sys").content.decode()
    assert "elsewhere" in page


def test_a_code_voided_between_the_two_steps_is_explained(court, admins, make_user):
    """The code is checked at step 1 and used at step 2; if the security administrator issues a new one in
    between, the enrolment is refused with a message and starts again (the device stays unconfirmed)."""
    target = make_user(court, "member", username="between")
    code, _entry = services.enrolment_code_issue(actor=admins["sec"], user=target)
    client = Client()
    client.force_login(target)
    assert client.post("/security/mfa/setup/", {"code": code}).status_code == 302
    device = TOTPDevice.objects.get(user=target, confirmed=False)
    EnrolmentCode.objects.filter(user=target).update(expires_at=timezone.now())
    response = client.post("/security/mfa/setup/", {"token": _totp(device)}, follow=True)
    assert "绑定码已失效" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=target, confirmed=True).exists()
