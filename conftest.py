"""Shared fixtures: a court with staff, accounts for each role, an outsider court, and a browser."""

from __future__ import annotations

import os

import pytest
from hypothesis import settings as hypothesis_settings

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

# No per-example time limit: CI runs the SQLite and PostgreSQL suites side by side on two shared cores, where
# hypothesis's default 200 ms deadline fails correct code (DeadlineExceeded, then Flaky). Speed is the
# benchmarks' business (bench/), never a unit test's.
hypothesis_settings.register_profile("tianping", deadline=None)
hypothesis_settings.load_profile("tianping")

TEST_PASSWORD = "Test@Pass2016x"  # noqa: S105 - synthetic test accounts only


@pytest.fixture(autouse=True)
def _chinese_by_default():
    """Each test starts in Chinese: a request in English (LocaleMiddleware) leaves the thread's language set."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True, scope="session")
def _uploads_in_a_temporary_directory(tmp_path_factory):
    """Uploads written by tests go to this run's own directory, never var/media: the SQLite and PostgreSQL
    runs of CI go side by side in one checkout."""
    from django.test.utils import override_settings

    with override_settings(MEDIA_ROOT=str(tmp_path_factory.mktemp("media"))):
        yield


@pytest.fixture
def court(db):
    from tianping.org.tests.factories import CourtFactory

    return CourtFactory(code="鲁0403", name="薛城区人民法院")


@pytest.fixture
def other_court(db):
    from tianping.org.tests.factories import CourtFactory

    return CourtFactory(code="鲁0404", name="峄城区人民法院")


@pytest.fixture
def make_user(db):
    """make_user(court, *roles, person=None, username=None) -> User with password TEST_PASSWORD."""
    from tianping.org.tests.factories import UserFactory

    def _make(court, *roles, person=None, username=None):
        kwargs = {"court": court, "person": person, "roles": list(roles)}
        if username:
            kwargs["username"] = username
        return UserFactory(**kwargs)

    return _make


@pytest.fixture
def client_for(client):
    """client_for(user) -> a test client logged in as that user."""
    from django.test import Client

    def _client(user):
        c = Client()
        c.force_login(user)
        return c

    return _client


# --- the demo court --------------------------------------------------------------------------------
# Loading the whole demo (2014 to today, about 100,000 cases) takes 30 s on SQLite and a minute on PostgreSQL, so
# a run loads it once: `_shared_demo` seeds it inside a transaction that stays open until the end of the run and
# is then rolled back. Every test that asks for `demo` (or builds on `_shared_demo`, like the permission matrix's
# module fixture) nests its own transaction in it and rolls back what it wrote, as any TestCase does.
# `pytest_collection_modifyitems` runs these tests last, after every other test (which must not see the demo),
# and refuses a transactional test that asks for it: a live server on another connection could not see
# uncommitted rows. Such a test asks for `demo_committed` instead (it seeds inside the test; the flush after a
# transactional test empties the database again).
SHARED_DEMO_FIXTURES = {"demo", "_shared_demo", "demo_court"}


@pytest.fixture(scope="session")
def _shared_demo(django_db_setup, django_db_blocker):
    from django.core.management import call_command
    from django.db import connection, transaction

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            # the reference rows of the data migrations (case types, points rules …): a transactional test that
            # ran earlier ended with a flush, and only the next transactional test would have restored them
            serialized = getattr(connection, "_test_serialized_contents", None)
            if serialized:
                connection.creation.deserialize_db_from_string(serialized)
            call_command("seed_demo", verbosity=0)
            # PostgreSQL checks deferred foreign keys when a test ends (TestCase's SET CONSTRAINTS ALL
            # IMMEDIATE), and a check fired inside a test's savepoint is undone with it: without checking the
            # demo's own rows here, out of any savepoint, every test would check all of them again (seconds each)
            connection.check_constraints()
            if connection.vendor == "postgresql":
                # the planner's statistics: autovacuum never sees rows of an open transaction, so without
                # this every query plans for empty tables (nested loops over 100,000 cases); ANALYZE inside
                # the transaction counts its own rows
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def demo(_shared_demo, db):
    """The demo court loaded by seed_demo (org part and whatever other apps add), shared by the run."""
    from tianping.org.models import Court

    return Court.objects.get(code="鲁0403")


@pytest.fixture
def demo_committed(transactional_db):
    """The demo court for a transactional (live-server) test: seeded inside the test, committed."""
    from django.core.management import call_command

    call_command("seed_demo", verbosity=0)
    from tianping.org.models import Court

    return Court.objects.get(code="鲁0403")


# --- browser ----------------------------------------------------------------------------------------
CHROMIUM = "/usr/bin/chromium"


@pytest.fixture
def browser_context(live_server):
    """A Playwright context on Debian's Chromium. Any request to a non-local address fails the test."""
    pytest.importorskip("playwright")
    if not os.path.exists(CHROMIUM):
        pytest.fail("Debian chromium is missing: `make test` installs it (apt-get install chromium)")
    from urllib.parse import urlparse

    from playwright.sync_api import sync_playwright

    external: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        context = browser.new_context(base_url=live_server.url, locale="zh-CN", accept_downloads=True,
                                      viewport={"width": 1400, "height": 900})

        def _route(route):
            host = urlparse(route.request.url).hostname or ""
            if route.request.url.startswith(("data:", "blob:")) or host in {"localhost", "127.0.0.1"}:
                route.continue_()
            else:
                external.append(route.request.url)
                route.abort()

        context.route("**/*", _route)
        context.set_default_timeout(15000)
        yield context
        context.close()
        browser.close()
    assert not external, f"pages loaded external URLs: {external[:5]}"


@pytest.fixture
def login(browser_context):
    """login(username, password=TEST_PASSWORD) -> a Playwright page signed in."""

    def _login(username, password=TEST_PASSWORD):
        page = browser_context.new_page()
        page.goto("/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("[data-testid=login-submit]")
        page.wait_for_load_state("networkidle")
        return page

    return _login


def pytest_addoption(parser):
    parser.addoption("--screenshots", action="store_true", default=False, help="write docs/screenshots/*.png")


def pytest_collection_modifyitems(config, items):
    """Transactional tests (live_server, transactional_db, transaction=True) end with a flush that would also
    wipe the reference data written by data migrations (case types, points rules, meeting types …), so every
    later transactional test would run against empty reference tables. Serialized rollback restores the
    post-migration contents before each such test.

    Tests on the shared demo court (`demo`, see above) go last, in their collected order."""
    shared, others = [], []
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        (shared if names & SHARED_DEMO_FIXTURES else others).append(item)
    items[:] = others + shared
    for item in items:
        names = getattr(item, "fixturenames", ())
        marker = item.get_closest_marker("django_db")
        transactional = "live_server" in names or "transactional_db" in names or (
            marker is not None and marker.kwargs.get("transaction"))
        if transactional:
            kwargs = dict(marker.kwargs) if marker is not None else {}
            kwargs.update(transaction=True, serialized_rollback=True)
            item.add_marker(pytest.mark.django_db(**kwargs), append=False)
            if item in shared:
                raise pytest.UsageError(f"{item.nodeid}: a transactional test cannot use the shared demo court "
                                        "(uncommitted); ask for `demo_committed`")


# --- where the suite's time goes ---------------------------------------------------------------------------
# TIANPING_TEST_TIMES=FILE appends one tab-separated line per test phase (nodeid, phase, seconds) to FILE;
# `python bench/suite_times.py FILE` totals them per file (docs/benchmarks.md "The test suite in CI").
def pytest_runtest_logreport(report):
    path = os.environ.get("TIANPING_TEST_TIMES")
    if path:
        with open(path, "a", encoding="utf-8") as out:
            out.write(f"{report.nodeid}\t{report.when}\t{report.duration:.3f}\n")
