"""三员分立: the system administrator manages accounts, the security administrator the policy, the auditor
reads the trail — none of them reads business or personal data; production needs no superuser."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from tianping.accounts.models import SecurityPolicy
from tianping.core.models import AuditEvent
from tianping.org.models import User


@pytest.fixture
def sysadmin(court, make_user):
    return make_user(court, "sysadmin", username="sys")


def test_sysadmin_creates_an_account_with_a_one_time_password_and_no_role(court, sysadmin, client_for):
    from tianping.org.tests.factories import PersonFactory

    PersonFactory(court=court, staff_number="0312")
    client = client_for(sysadmin)
    # a crafted post with roles and a person: the system administrator grants neither
    response = client.post("/security/accounts/new/", {"username": "zhangwei", "court": court.pk,
                                                       "person_staff_number": "0312", "roles": ["member", "leader"]})
    assert response.status_code == 200
    password = re.search(r'data-testid="one-time-password">([^<]+)<', response.content.decode()).group(1)
    user = User.objects.get(username="zhangwei")
    assert user.person is None and user.must_change_password and user.check_password(password)
    assert not user.role_grants.exists()
    assert AuditEvent.objects.filter(event="user.created", object_id=str(user.pk), actor_id=sysadmin.pk).exists()
    # the new user must change the password first
    c = Client()
    c.post("/accounts/login/", {"username": "zhangwei", "password": password})
    assert c.get("/")["Location"] == "/accounts/password/"


@pytest.fixture
def secadmin(court, make_user):
    return make_user(court, "secadmin", username="sec")


def test_secadmin_grants_roles_and_the_person(court, secadmin, make_user, client_for):
    from tianping.org.tests.factories import PersonFactory

    person = PersonFactory(court=court, staff_number="0312")
    account = make_user(court, username="zhangwei")
    client = client_for(secadmin)
    assert client.get(f"/security/accounts/{account.pk}/").status_code == 200
    response = client.post(f"/security/accounts/{account.pk}/", {"court": court.pk, "person_staff_number": "0312",
                                                                   "roles": ["member", "leader"]})
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.person == person and {g.role for g in account.role_grants.all()} == {"member", "leader"}
    entry = AuditEvent.objects.get(event="user.roles_changed", object_id=str(account.pk))
    assert entry.actor_id == secadmin.pk and entry.changes["after"]["roles"] == ["leader", "member"]


@pytest.mark.parametrize("roles,message", [
    (["sysadmin", "auditor"], "三员分立"),
    (["secadmin", "leader"], "不能同时持有业务角色"),
])
def test_grant_form_refuses_mixed_admin_roles(court, secadmin, make_user, client_for, roles, message):
    account = make_user(court, username="x1")
    response = client_for(secadmin).post(f"/security/accounts/{account.pk}/", {"court": court.pk, "roles": roles})
    assert message in response.content.decode()
    assert not account.role_grants.exists()


def test_unknown_staff_number_is_explained(court, secadmin, make_user, client_for):
    account = make_user(court, username="x2")
    response = client_for(secadmin).post(f"/security/accounts/{account.pk}/", {
        "court": court.pk, "person_staff_number": "9999", "roles": ["member"]})
    assert "没有工号为 9999 的人员" in response.content.decode()


def test_service_refuses_two_admin_roles(court, sysadmin, make_user):
    from django.core.exceptions import ValidationError

    from tianping.org.services import user_set_roles

    with pytest.raises(ValidationError, match="三员分立"):
        user_set_roles(actor=sysadmin, user=make_user(court), roles=["secadmin", "auditor"])


def test_sysadmin_disables_reset_and_unlocks(court, sysadmin, make_user, client_for):
    target = make_user(court, "member", username="target")
    victim = Client()
    victim.force_login(target)
    client = client_for(sysadmin)
    client.post(f"/security/accounts/{target.pk}/disable/")
    target.refresh_from_db()
    assert not target.is_active and victim.get("/").status_code == 302
    client.post(f"/security/accounts/{target.pk}/enable/")
    response = client.post(f"/security/accounts/{target.pk}/reset_password/")
    password = re.search(r'data-testid="one-time-password">([^<]+)<', response.content.decode()).group(1)
    target.refresh_from_db()
    assert target.is_active and target.must_change_password and target.check_password(password)
    for _i in range(5):
        Client().post("/accounts/login/", {"username": "target", "password": "bad"})
    assert "锁定至" in client.get("/security/accounts/").content.decode()
    client.post(f"/security/accounts/{target.pk}/unlock/")
    assert Client().post("/accounts/login/", {"username": "target", "password": password}).status_code == 302
    events = list(AuditEvent.objects.filter(actor_id=sysadmin.pk).values_list("event", flat=True))
    for e in ["user.disabled", "user.enabled", "user.password_reset", "user.unlocked"]:
        assert e in events


def test_sysadmin_cannot_disable_themself(sysadmin, client_for):
    client_for(sysadmin).post(f"/security/accounts/{sysadmin.pk}/disable/")
    sysadmin.refresh_from_db()
    assert sysadmin.is_active


def test_account_actions_need_post(court, sysadmin, make_user, client_for):
    target = make_user(court, "member")
    assert client_for(sysadmin).get(f"/security/accounts/{target.pk}/disable/").status_code == 405


def test_admins_read_no_personal_data(court, make_user, client_for):
    from tianping.org.tests.factories import PersonFactory

    person = PersonFactory(court=court, name="名册人")
    for role in ("sysadmin", "secadmin", "auditor"):
        client = client_for(make_user(court, role))
        assert client.get(f"/org/people/{person.pk}/").status_code == 404
        assert "名册人" not in client.get("/org/people/").content.decode()
        assert "名册人" not in client.get("/org/").content.decode()


def test_secadmin_sets_the_policy(court, make_user, client_for):
    secadmin = make_user(court, "secadmin")
    client = client_for(secadmin)
    page = client.get("/security/policy/")
    assert page.status_code == 200
    data = {"password_max_age_days": 60, "lockout_threshold": 5, "lockout_window_minutes": 15,
            "lockout_minutes": 45, "idle_timeout_minutes": 20, "session_max_hours": 8,
            "loaded_version": SecurityPolicy.objects.get(pk=1).version}
    assert client.post("/security/policy/", data).status_code == 302
    policy = SecurityPolicy.objects.get(pk=1)
    assert (policy.password_max_age_days, policy.lockout_minutes, policy.session_max_hours) == (60, 45, 8)
    entry = AuditEvent.objects.filter(event="security.policy_changed").latest("id")
    assert entry.changes["after"]["lockout_minutes"] == 45
    # a stale form (someone saved in between) is refused with an explanation
    stale = client.post("/security/policy/", {**data, "lockout_minutes": 50, "loaded_version": 1})
    assert "已被他人修改" in stale.content.decode()
    bad = client.post("/security/policy/", {**data, "idle_timeout_minutes": 1,
                                            "loaded_version": SecurityPolicy.objects.get(pk=1).version})
    assert bad.status_code == 200 and SecurityPolicy.objects.get(pk=1).idle_timeout_minutes == 20
    # switching on MFA for everyone applies at once, to the security administrator too
    client.post("/security/policy/", {**data, "require_mfa_all": "on",
                                      "loaded_version": SecurityPolicy.objects.get(pk=1).version})
    assert SecurityPolicy.objects.get(pk=1).require_mfa_all


def test_idle_timeout_follows_the_policy(court, make_user):
    from datetime import timedelta

    import time_machine
    from django.utils import timezone

    from tianping.accounts.security_policy import get_policy

    policy = get_policy()
    policy.idle_timeout_minutes = 10
    policy.save()
    make_user(court, "member", username="m10")
    client = Client()
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client.post("/accounts/login/", {"username": "m10", "password": "Test@Pass2016x"})
        traveller.shift(timedelta(minutes=11))
        assert client.get("/").status_code == 302


def test_create_admin_command(court):
    out = io.StringIO()
    call_command("create_admin", "sec1", "--role", "secadmin", "--court", court.code, stdout=out)
    password = re.search(r"一次性初始密码：(\S+)", out.getvalue()).group(1)
    user = User.objects.get(username="sec1")
    assert not user.is_superuser and user.must_change_password and user.check_password(password)
    assert {g.role for g in user.role_grants.all()} == {"secadmin"}
    with pytest.raises(CommandError, match="已存在"):
        call_command("create_admin", "sec1", "--role", "auditor")
    with pytest.raises(CommandError, match="鲁9999"):
        call_command("create_admin", "sec2", "--role", "auditor", "--court", "鲁9999")


def test_nobody_changes_their_own_roles(court, sysadmin, secadmin, client_for):
    response = client_for(secadmin).post(f"/security/accounts/{secadmin.pk}/", {"court": court.pk, "roles": []})
    assert "不能修改自己账号的角色" in response.content.decode()
    assert {g.role for g in secadmin.role_grants.all()} == {"secadmin"}
    # the system administrator has no grant page at all
    assert client_for(sysadmin).post(f"/security/accounts/{sysadmin.pk}/", {
        "court": court.pk, "roles": ["sysadmin", "party_office"]}).status_code == 403
    assert {g.role for g in sysadmin.role_grants.all()} == {"sysadmin"}
