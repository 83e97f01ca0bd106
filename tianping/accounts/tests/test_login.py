"""Sign-in: lockout (same answer for unknown names), session rotation, idle and absolute timeouts, first-login
and expired-password change, password rules, disabling ends sessions, audit of sign-in events."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from conftest import TEST_PASSWORD
from tianping.core.models import AuditEvent

LOGIN = "/accounts/login/"
START = timezone.datetime(2026, 3, 2, 9, 0, tzinfo=timezone.get_fixed_timezone(480))


def _login(client, username, password=TEST_PASSWORD):
    return client.post(LOGIN, {"username": username, "password": password})


def _error(response) -> str:
    form = response.context["form"]
    return " ".join(form.non_field_errors())


@pytest.fixture
def judge(court, make_user):
    return make_user(court, "member", username="judge1")


def test_login_success_and_audit(judge):
    client = Client()
    response = _login(client, "judge1")
    assert response.status_code == 302 and response["Location"] == "/"
    entry = AuditEvent.objects.filter(event="login").latest("id")
    assert entry.actor_id == judge.pk and entry.ip == "127.0.0.1" and entry.request_id
    client.post("/accounts/logout/")
    assert AuditEvent.objects.filter(event="logout", actor_id=judge.pk).exists()


def test_session_key_rotates_at_login(judge):
    client = Client()
    client.get(LOGIN)
    client.session.save()
    before = client.session.session_key
    client.cookies["tianping_session"] = before
    _login(client, "judge1")
    after = client.cookies["tianping_session"].value
    assert before and after and before != after
    assert not Session.objects.filter(session_key=before).exists()


def test_five_failures_in_15_minutes_lock_for_30_minutes(judge):
    client = Client()
    with time_machine.travel(START, tick=False) as traveller:
        for _i in range(4):
            response = _login(client, "judge1", "wrong-password")
            assert "用户名或密码错误" in _error(response)
            traveller.shift(timedelta(minutes=3))
        response = _login(client, "judge1", "wrong-password")  # 5th failure, 12 minutes after the first
        assert "已被锁定" in _error(response)
        assert AuditEvent.objects.filter(event="login.locked", actor_name="judge1").count() == 1
        # the right password does not help while locked
        response = _login(client, "judge1")
        assert response.status_code == 200 and "已被锁定" in _error(response)
        traveller.shift(timedelta(minutes=29))
        assert "已被锁定" in _error(_login(client, "judge1"))
        traveller.shift(timedelta(minutes=2))
        assert _login(client, "judge1").status_code == 302


def test_failures_spread_over_more_than_15_minutes_do_not_lock(judge):
    client = Client()
    with time_machine.travel(START, tick=False) as traveller:
        for _i in range(6):
            _login(client, "judge1", "wrong-password")
            traveller.shift(timedelta(minutes=4))  # never 5 failures within 15 minutes
        assert _login(client, "judge1").status_code == 302


def test_unknown_user_gets_the_same_answers(judge):
    known, unknown = Client(), Client()
    with time_machine.travel(START, tick=False):
        for _i in range(5):
            a = _error(_login(known, "judge1", "wrong-password"))
            b = _error(_login(unknown, "nobody-here", "wrong-password"))
            assert a == b
        assert "已被锁定" in a
        assert AuditEvent.objects.filter(event="login.failed", actor_name="nobody-here").count() == 5
        _login(unknown, "nobody-here", "wrong-password")  # refused while locked, and recorded
        assert AuditEvent.objects.filter(event="login.failed", actor_name="nobody-here").count() == 6


def test_success_resets_the_failure_count(judge):
    client = Client()
    with time_machine.travel(START, tick=False):
        for _i in range(4):
            _login(client, "judge1", "wrong-password")
        assert _login(client, "judge1").status_code == 302
        client.post("/accounts/logout/")
        for _i in range(4):
            assert "已被锁定" not in _error(_login(client, "judge1", "wrong-password"))


def test_idle_session_ends_after_30_minutes(judge):
    client = Client()
    with time_machine.travel(START, tick=False) as traveller:
        _login(client, "judge1")
        traveller.shift(timedelta(minutes=29))
        assert client.get("/").status_code == 200
        traveller.shift(timedelta(minutes=29))  # activity 29 minutes ago: still fine
        assert client.get("/").status_code == 200
        traveller.shift(timedelta(minutes=31))
        response = client.get("/")
        assert response.status_code == 302 and response["Location"].startswith(LOGIN)
        assert AuditEvent.objects.filter(event="session.idle_timeout", actor_id=judge.pk).exists()
        assert client.get("/").status_code == 302  # the session is gone for good


def test_idle_timeout_answers_htmx_with_hx_redirect(judge):
    client = Client()
    with time_machine.travel(START, tick=False) as traveller:
        _login(client, "judge1")
        traveller.shift(timedelta(minutes=31))
        response = client.get("/org/people/", HTTP_HX_REQUEST="true")
        assert response.status_code == 204 and response["HX-Redirect"].startswith(LOGIN)


def test_any_session_ends_after_12_hours(judge):
    client = Client()
    with time_machine.travel(START, tick=False) as traveller:
        _login(client, "judge1")
        for _i in range(36):  # busy all day: a request every 20 minutes, the last at 12 h exactly
            traveller.shift(timedelta(minutes=20))
            assert client.get("/").status_code == 200
        traveller.shift(timedelta(minutes=20))  # 12 h 20 min after sign-in
        response = client.get("/")
        assert response.status_code == 302
        assert AuditEvent.objects.filter(event="session.expired", actor_id=judge.pk).exists()


def test_first_login_must_change_password(judge):
    judge.must_change_password = True
    judge.save()
    client = Client()
    _login(client, "judge1")
    response = client.get("/org/people/")
    assert response.status_code == 302 and response["Location"] == "/accounts/password/"
    page = client.get("/accounts/password/")
    assert "首次登录" in page.content.decode()
    weak = client.post("/accounts/password/", {"old_password": TEST_PASSWORD, "new_password1": "abcdefghijk",
                                               "new_password2": "abcdefghijk"})
    assert weak.status_code == 200 and "至少 3 类" in weak.content.decode()
    new = "Qz7!vlkPw93x"
    ok = client.post("/accounts/password/", {"old_password": TEST_PASSWORD, "new_password1": new,
                                             "new_password2": new})
    assert ok.status_code == 302
    judge.refresh_from_db()
    assert not judge.must_change_password and judge.check_password(new)
    assert client.get("/org/people/").status_code != 302  # the session survived the change
    assert AuditEvent.objects.filter(event="user.password_changed", actor_id=judge.pk).exists()


def test_expired_password_must_be_changed(judge):
    judge.password_changed_at = timezone.now() - timedelta(days=91)
    judge.save()
    client = Client()
    _login(client, "judge1")
    response = client.get("/")
    assert response["Location"] == "/accounts/password/"
    assert "90 天" in client.get("/accounts/password/").content.decode()


def test_password_age_follows_the_policy(judge):
    from tianping.accounts.security_policy import get_policy

    policy = get_policy()
    policy.password_max_age_days = 200
    policy.save()
    judge.password_changed_at = timezone.now() - timedelta(days=91)
    judge.save()
    client = Client()
    _login(client, "judge1")
    assert client.get("/").status_code == 200


@pytest.mark.parametrize("password,ok", [
    ("Short1!", False),             # < 10 characters
    ("abcdefghijkl", False),        # one class
    ("abcdefgh1234", False),        # two classes
    ("abcdefgh123!", True),         # three classes
    ("Judge1!xyzw", False),         # too similar to the user name judge1
    ("Password1!", False),          # a common password (three classes, ten characters)
    ("Tq8#mzLw2rvX", True),
])
def test_password_rules(judge, password, ok):
    if ok:
        validate_password(password, judge)
    else:
        with pytest.raises(ValidationError):
            validate_password(password, judge)


def test_disabling_a_user_ends_their_sessions(court, make_user, judge):
    from tianping.accounts.services import user_set_active

    admin = make_user(court, "sysadmin")
    victim = Client()
    _login(victim, "judge1")
    assert victim.get("/").status_code == 200
    other_session = Client()
    other_session.force_login(judge)  # a session not opened through the login view
    user_set_active(actor=admin, user=judge, active=False)
    assert victim.get("/").status_code == 302
    assert other_session.get("/").status_code == 302
    assert not Session.objects.exists() or all(
        s.get_decoded().get("_auth_user_id") != str(judge.pk) for s in Session.objects.all())
    assert _login(Client(), "judge1").status_code == 200  # and cannot sign in again
    entry = AuditEvent.objects.filter(event="user.disabled").latest("id")
    assert entry.actor_id == admin.pk and entry.object_id == str(judge.pk)


def test_open_redirect_is_refused(judge):
    client = Client()
    response = client.post(LOGIN, {"username": "judge1", "password": TEST_PASSWORD, "next": "https://evil.example/"})
    assert response["Location"] == "/"
