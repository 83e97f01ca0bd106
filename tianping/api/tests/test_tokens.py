"""API tokens: granted only by the security administrator, shown once and stored hashed, expiring, revocable, rate
limited across processes, every call audited without its payload; the sign-in middleware lets the API through
and keeps refusing pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from tianping.api.models import ApiToken, Scope
from tianping.api.services import token_grant, token_hash, token_revoke
from tianping.core.models import AuditEvent
from tianping.core.roles import Role

pytestmark = pytest.mark.django_db


def test_the_secret_is_shown_once_and_only_its_hash_is_kept(grant):
    secret, token = grant(Role.TRIAL_OFFICE, Scope.PUSH_CASES)
    assert secret.startswith("tp1_") and len(secret) > 40
    row = ApiToken.objects.get(pk=token.pk)
    assert row.key_hash == token_hash(secret) and secret not in str(row.__dict__)
    assert row.prefix == secret[:10]
    entry = AuditEvent.objects.filter(event="api.token_granted").get()
    assert secret not in str(entry.changes) and secret not in entry.message


def test_only_the_security_administrator_grants(court, make_user, integration_account):
    for role in (Role.SYSADMIN, Role.AUDITOR, Role.TRIAL_OFFICE, Role.LEADER):
        actor = make_user(court, role)
        with pytest.raises(PermissionDenied):
            token_grant(actor=actor, account=integration_account, name="x", role=Role.TRIAL_OFFICE,
                        scopes=[Scope.READ_CASES], expires_at=timezone.now() + timedelta(days=1))


def test_no_token_for_oneself_nor_for_an_administrator(secadmin, court, make_user):
    with pytest.raises(ValidationError, match="自己"):
        token_grant(actor=secadmin, account=secadmin, name="x", role=Role.TRIAL_OFFICE, scopes=[Scope.READ_CASES],
                    expires_at=timezone.now() + timedelta(days=1))
    admin = make_user(court, Role.SYSADMIN)
    with pytest.raises(ValidationError, match="三员"):
        token_grant(actor=secadmin, account=admin, name="x", role=Role.TRIAL_OFFICE, scopes=[Scope.READ_CASES],
                    expires_at=timezone.now() + timedelta(days=1))


def test_a_scope_the_role_cannot_use_in_the_pages_is_refused(grant):
    # pushing cases is the trial office's import: the political department's role cannot hold it
    with pytest.raises(ValidationError, match="推送案件"):
        grant(Role.PARTY_OFFICE, Scope.PUSH_CASES)
    # the higher court reads figures, never people
    with pytest.raises(ValidationError, match="读取人员"):
        grant(Role.HIGHER_COURT, Scope.READ_PEOPLE)
    grant(Role.HIGHER_COURT, Scope.READ_FIGURES)


def test_calls_need_a_valid_token(grant, api_client):
    anonymous = Client().get("/api/v1/token")
    assert anonymous.status_code == 401 and anonymous.json()["message"].startswith("缺少接口令牌")
    assert "Traceback" not in anonymous.content.decode()
    wrong = api_client("tp1_" + "x" * 43).get("/api/v1/token")
    assert wrong.status_code == 401 and "令牌无效" in wrong.json()["message"]
    secret, token = grant(Role.TRIAL_OFFICE, Scope.READ_CASES)
    ok = api_client(secret).get("/api/v1/token")
    assert ok.status_code == 200, ok.content
    assert ok.json()["role"] == Role.TRIAL_OFFICE and ok.json()["scopes"] == [Scope.READ_CASES]


def test_a_revoked_token_gets_401_at_once(grant, api_client, secadmin):
    secret, token = grant(Role.TRIAL_OFFICE, Scope.READ_CASES)
    client = api_client(secret)
    assert client.get("/api/v1/token").status_code == 200
    token_revoke(actor=secadmin, token=token)
    answer = client.get("/api/v1/token")
    assert answer.status_code == 401 and "吊销" in answer.json()["message"]
    with pytest.raises(ValidationError):
        token_revoke(actor=secadmin, token=token)


def test_an_expired_token_and_a_disabled_account_get_401(grant, api_client, integration_account):
    secret, token = grant(Role.TRIAL_OFFICE, Scope.READ_CASES, days=2)
    client = api_client(secret)
    with time_machine.travel(timezone.now() + timedelta(days=3)):
        answer = client.get("/api/v1/token")
    assert answer.status_code == 401 and "过期" in answer.json()["message"]
    integration_account.is_active = False
    integration_account.save(update_fields=["is_active"])
    assert client.get("/api/v1/token").status_code == 401


def test_the_token_acts_with_its_role_not_the_accounts(grant, api_client, court, make_user):
    """The account holds the leader's role; the token only the higher court's: it reads no roster."""
    account = make_user(court, Role.LEADER, username="leader-system")
    secret, _token = grant(Role.TRIAL_OFFICE, Scope.READ_CASES, account=account)
    from tianping.api.scopes import principal_for
    from tianping.core.roles import user_roles

    principal = principal_for(_token)
    assert user_roles(principal) == {Role.TRIAL_OFFICE} and principal.person_id is None
    assert principal.court_id == court.pk


def test_rate_limit_is_counted_in_the_database(grant, api_client):
    secret, token = grant(Role.TRIAL_OFFICE, Scope.READ_CASES, rate=3)
    client = api_client(secret)
    start = timezone.now().replace(second=5, microsecond=0) + timedelta(minutes=1)
    with time_machine.travel(start, tick=False):
        statuses = [client.get("/api/v1/token").status_code for _i in range(5)]
        # another process (another client) shares the same counter: the database row
        assert api_client(secret).get("/api/v1/token").status_code == 429
    assert statuses == [200, 200, 200, 429, 429]
    with time_machine.travel(start + timedelta(minutes=1), tick=False):
        answer = client.get("/api/v1/token")
    assert answer.status_code == 200
    # the first refusal of the minute is audited, the rest are not (a loop must not flood the trail)
    refused = AuditEvent.objects.filter(event="api.refused")
    assert refused.count() == 1 and refused.get().changes["after"]["status"] == 429


def test_every_call_is_audited_with_token_endpoint_and_status_not_payload(grant, api_client):
    secret, token = grant(Role.TRIAL_OFFICE, Scope.READ_CASES)
    api_client(secret).get("/api/v1/token")
    entry = AuditEvent.objects.filter(event="api.called").get()
    after = entry.changes["after"]
    assert after["token_id"] == token.pk and after["endpoint"] == "GET /api/v1/token" and after["status"] == 200
    assert after["returned"] == 1
    assert entry.actor_id == token.account_id and entry.actor_roles == Role.TRIAL_OFFICE
    assert secret not in str(entry.changes)


def test_the_login_middleware_lets_the_api_through_and_keeps_refusing_pages():
    client = Client()
    assert client.get("/api/v1/token").status_code == 401          # the token check answers, not the login page
    assert client.get("/api/v1/nowhere").status_code == 401 or client.get("/api/v1/nowhere").status_code == 404
    page = client.get("/api/tokens/")
    assert page.status_code == 302 and "/accounts/login/" in page["Location"]
    assert client.get("/trials/").status_code == 302


def test_an_unknown_api_address_is_a_json_404(grant, api_client):
    secret, _token = grant(Role.TRIAL_OFFICE, Scope.READ_CASES)
    answer = api_client(secret).get("/api/v1/no/such/thing")
    assert answer.status_code == 404 and answer["Content-Type"].startswith("application/json")
    assert "接口文档" in answer.json()["message"]


def test_a_body_over_the_limit_is_413_before_it_is_read(grant, api_client):
    from tianping.api.urls import MAX_BODY_BYTES

    secret, _token = grant(Role.TRIAL_OFFICE, Scope.PUSH_CASES)
    answer = api_client(secret).client.post("/api/v1/token", b"x" * (MAX_BODY_BYTES + 1),
                                            content_type="application/json",
                                            headers={"Authorization": f"Bearer {secret}"})
    assert answer.status_code == 413 and "分批" in answer.json()["message"]


# --- the security administrator's pages -------------------------------------------------------------------
def test_the_security_administrator_grants_and_revokes_on_the_pages(secadmin, integration_account, client_for):
    client = client_for(secadmin)
    assert client.get("/api/tokens/").status_code == 200
    form = client.get("/api/tokens/new/")
    assert form.status_code == 200 and integration_account.username in form.content.decode()
    expires = (timezone.localdate() + timedelta(days=90)).isoformat()
    answer = client.post("/api/tokens/new/", {"name": "审判系统", "account": integration_account.pk,
                                             "role": Role.TRIAL_OFFICE, "scopes": [Scope.PUSH_CASES, Scope.READ_CASES],
                                             "expires_on": expires, "rate_per_minute": 60})
    assert answer.status_code == 200
    token = ApiToken.objects.get()
    html = answer.content.decode()
    secret = html.split('data-testid="token-secret">')[1].split("<")[0]
    assert token_hash(secret) == token.key_hash
    assert secret not in client.get("/api/tokens/").content.decode()  # never shown again
    client.post(f"/api/tokens/{token.pk}/revoke/")
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_the_form_says_why_a_scope_is_refused_and_keeps_the_input(secadmin, integration_account, client_for):
    client = client_for(secadmin)
    answer = client.post("/api/tokens/new/", {"name": "政治部对接", "account": integration_account.pk,
                                             "role": Role.PARTY_OFFICE, "scopes": [Scope.PUSH_CASES],
                                             "expires_on": (timezone.localdate() + timedelta(days=9)).isoformat(),
                                             "rate_per_minute": 60})
    html = answer.content.decode()
    assert answer.status_code == 200 and "不能推送案件" in html and "政治部对接" in html
    assert not ApiToken.objects.exists()


def test_other_roles_cannot_open_the_token_pages(court, make_user, client_for):
    for role in (Role.SYSADMIN, Role.AUDITOR, Role.TRIAL_OFFICE):
        assert client_for(make_user(court, role)).get("/api/tokens/").status_code == 403
