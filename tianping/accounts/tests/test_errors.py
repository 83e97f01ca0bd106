"""Error pages a court's staff can read (issue 12): 403/404/500 in Chinese with a way back, also with DEBUG=1;
no /media/ route in any mode (issue 11); SQLite's "database is locked" becomes a 503 "系统繁忙" page."""

from __future__ import annotations

import importlib
import threading
import time

import pytest
from django.db import OperationalError, connection
from django.test import Client, override_settings
from django.urls import Resolver404, clear_url_caches, resolve

from conftest import TEST_PASSWORD


def _english(client: Client) -> Client:
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@override_settings(DEBUG=True)
def test_unknown_address_in_debug_is_the_chinese_404_not_the_url_list(court, make_user, client_for):
    anonymous = Client().get("/no/such/page/")
    html = anonymous.content.decode()
    assert anonymous.status_code == 404
    assert "页面不存在" in html and 'href="/"' in html
    assert "URLconf" not in html and "urlpatterns" not in html and "security/" not in html
    signed_in = client_for(make_user(court, "member")).get("/no/such/page/")
    html = signed_in.content.decode()
    assert signed_in.status_code == 404 and "页面不存在" in html
    assert 'data-testid="user-menu"' in html  # the menu shell: the way back is the menu
    assert "URLconf" not in html


@override_settings(DEBUG=True)
def test_http404_from_a_view_in_debug_is_the_chinese_404(court, make_user, client_for):
    response = client_for(make_user(court, "leader")).get("/org/people/987654/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "页面不存在" in html and "Page not found" not in html and "Traceback" not in html


@pytest.mark.parametrize("debug", [True, False])
def test_403_is_chinese_with_the_menu(court, make_user, client_for, debug):
    with override_settings(DEBUG=debug):
        response = client_for(make_user(court, "member")).get("/security/policy/")
    html = response.content.decode()
    assert response.status_code == 403
    assert "无权访问" in html and "403 Forbidden" not in html and 'data-testid="user-menu"' in html


def test_english_error_pages(court, make_user, client_for):
    client = _english(client_for(make_user(court, "member")))
    with override_settings(DEBUG=True):
        assert "Page not found" in client.get("/no/such/page/").content.decode()
    assert "Access denied" in client.get("/security/policy/").content.decode()


@pytest.mark.parametrize("debug", [True, False])
def test_500_is_chinese_and_plain(court, make_user, monkeypatch, debug):
    from tianping.core import views

    def boom(request):
        raise RuntimeError("boom")

    monkeypatch.setattr(views, "healthz", boom)
    clear_url_caches()
    import tianping.core.urls
    import tianping.urls

    importlib.reload(tianping.core.urls)
    importlib.reload(tianping.urls)
    try:
        client = Client(raise_request_exception=False)
        client.force_login(make_user(court, "member"))
        with override_settings(DEBUG=debug):
            response = client.get("/healthz")
    finally:
        monkeypatch.undo()
        importlib.reload(tianping.core.urls)
        importlib.reload(tianping.urls)
        clear_url_caches()
    html = response.content.decode()
    assert response.status_code == 500
    assert "系统出错" in html and 'href="/"' in html and "Traceback" not in html and "boom" not in html


def test_no_media_route_in_any_mode(settings, tmp_path, court, make_user, client_for):
    """An existing upload is not reachable under /media/, not even with DEBUG=1 (`make run`)."""
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "meetings").mkdir()
    (tmp_path / "meetings" / "minutes.pdf").write_bytes(b"%PDF-1.4 secret minutes")
    client = client_for(make_user(court, "party_office"))
    for debug in (True, False):
        settings.DEBUG = debug
        import tianping.urls

        importlib.reload(tianping.urls)
        clear_url_caches()
        try:
            with pytest.raises(Resolver404):
                resolve("/media/meetings/minutes.pdf")
            response = client.get("/media/meetings/minutes.pdf")
            assert response.status_code == 404 and b"secret minutes" not in response.content
        finally:
            settings.DEBUG = False
            importlib.reload(tianping.urls)
            clear_url_caches()


def test_a_locked_database_is_the_busy_page_not_a_500(court, make_user, monkeypatch):
    """Whatever raised SQLite's "database is locked" in a view, the user reads 系统繁忙 (503), in every mode."""
    from tianping.accounts import views

    def locked(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(views.services, "policy_update", locked)
    from tianping.accounts.models import SecurityPolicy
    from tianping.accounts.security_policy import get_policy

    get_policy()
    client = Client(raise_request_exception=False)
    client.force_login(make_user(court, "secadmin"))
    data = {"password_max_age_days": 60, "lockout_threshold": 5, "lockout_window_minutes": 15,
            "lockout_minutes": 45, "idle_timeout_minutes": 20, "session_max_hours": 8,
            "loaded_version": SecurityPolicy.objects.get(pk=1).version}
    for debug in (False, True):
        with override_settings(DEBUG=debug):
            response = client.post("/security/policy/", data)
        assert response.status_code == 503
        assert "系统繁忙，请稍后重试" in response.content.decode() and response["Retry-After"]


def test_handler500_turns_a_locked_database_outside_a_view_into_the_busy_page(rf):
    from tianping.core.middleware import handler500

    try:
        raise OperationalError("database is locked")
    except OperationalError:
        response = handler500(rf.get("/"))
    assert response.status_code == 503 and "系统繁忙" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_login_while_another_connection_writes_succeeds_or_is_busy(court, make_user):
    """A sign-in while another connection holds the write lock (e.g. an import's transaction) either succeeds
    after the other commits, or gets the busy page — never a 500."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's write lock")
    user = make_user(court, "member", username="waiting")
    holding, release = threading.Event(), threading.Event()

    def writer():
        from django.db import connection as conn
        from django.db import transaction
        from django.utils import timezone

        from tianping.accounts.models import LoginAttempt

        try:
            with transaction.atomic():
                LoginAttempt.objects.create(username="importer", at=timezone.now(), success=True)
                holding.set()
                release.wait(5)
        finally:
            conn.close()

    thread = threading.Thread(target=writer)
    thread.start()
    assert holding.wait(5)
    try:
        threading.Timer(1.0, release.set).start()  # the "import" commits after one second
        started = time.monotonic()
        response = Client(raise_request_exception=False).post(
            "/accounts/login/", {"username": user.username, "password": TEST_PASSWORD})
    finally:
        release.set()
        thread.join()
    assert response.status_code in (302, 503), response.content.decode()[:500]
    if response.status_code == 503:
        assert "系统繁忙" in response.content.decode()
    assert time.monotonic() - started < 25


def test_sqlite_settings_are_an_embedded_database(settings):
    options = settings.SQLITE_OPTIONS
    assert options["transaction_mode"] == "IMMEDIATE" and options["timeout"] >= 10
    assert "journal_mode=WAL" in options["init_command"] and "synchronous=NORMAL" in options["init_command"]


def test_two_read_then_write_transactions_do_not_deadlock(settings, tmp_path, django_db_blocker):
    """Two people saving unrelated records at the same moment: each transaction reads, then writes. With
    DEFERRED transactions the second upgrade fails at once ("database is locked", the busy timeout does not
    apply to a deadlock); with the settings' IMMEDIATE mode the second waits and both commit."""
    from django.db.backends.sqlite3.base import DatabaseWrapper

    path = tmp_path / "two.sqlite3"

    def wrapper(mode):
        options = {**settings.SQLITE_OPTIONS, "timeout": 5, "transaction_mode": mode}
        return DatabaseWrapper({"ENGINE": "django.db.backends.sqlite3", "NAME": str(path), "OPTIONS": options,
                                "TIME_ZONE": None, "CONN_MAX_AGE": 0, "CONN_HEALTH_CHECKS": False,
                                "AUTOCOMMIT": True, "ATOMIC_REQUESTS": False, "TEST": {}, "USER": "",
                                "PASSWORD": "", "HOST": "", "PORT": ""}, alias="two")

    with django_db_blocker.unblock():
        setup = wrapper("IMMEDIATE")
        with setup.cursor() as cur:
            cur.execute("CREATE TABLE rec (id INTEGER PRIMARY KEY, owner TEXT)")
        setup.close()

    def run(mode):
        errors: list[str] = []
        both_read = threading.Barrier(2, timeout=2)

        def save(owner):
            db = wrapper(mode)
            try:
                db.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
                with db.cursor() as cur:
                    cur.execute("SELECT count(*) FROM rec")
                    try:
                        both_read.wait()  # DEFERRED: both hold a read lock now; IMMEDIATE: the second waits
                    except threading.BrokenBarrierError:
                        pass
                    cur.execute("INSERT INTO rec (owner) VALUES (%s)", [owner])
                db.commit()
            except OperationalError as exc:
                errors.append(str(exc))
                db.rollback()
            finally:
                db.close()

        threads = [threading.Thread(target=save, args=(name,)) for name in ("a", "b")]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return errors

    with django_db_blocker.unblock():  # a database file of its own, not the test database
        assert any("locked" in e for e in run("DEFERRED"))  # the hole IMMEDIATE closes
        assert run(settings.SQLITE_OPTIONS["transaction_mode"]) == []
