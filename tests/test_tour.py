"""The demo tour without a browser (issue 12): every demo account, every page of its left menu and every button
in such a page's header, checked on the server's responses with Django's test client — fast enough for every
CI run (the Chromium walk, `make screenshots`, photographs the same pages and checks the same things).

For each account: no menu item or header button leads to a 403 (or any error); no page is an English-only
error page; no page opens on an empty default period (pages with a period show the shared notice
data-testid="empty-period" when the chosen period has no figures — the demo must give every default period
data); an unknown address gives the Chinese 404 page with a way back."""

from __future__ import annotations

import re

import pytest
from django.db import transaction
from django.test import Client


def _english_only_error():
    """The tour's own definition (tests/test_screenshots.py), loaded by path: tests/ is not a package."""
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location("tour_screenshots", Path(__file__).with_name("test_screenshots.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.english_only_error


english_only_error = _english_only_error()

pytestmark = [pytest.mark.django_db, pytest.mark.slow]
EMPTY_PERIOD = 'data-testid="empty-period"'
MENU = re.compile(r'class="nav-link[^"]*" href="(/[^"]*)"')
TAG = re.compile(r"<a\b[^>]*>")
HREF = re.compile(r'\bhref="(/[^"]*)"')
BTN = re.compile(r'\bclass="[^"]*\bbtn\b')


@pytest.fixture(scope="module")
def tour(_shared_demo, django_db_blocker):
    """The run's shared demo court (conftest.py), in a savepoint rolled back after the module; the demo's
    accounts."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            from tianping.org.models import User

            users = [u for u in User.objects.filter(is_active=True, role_grants__isnull=False).distinct().order_by("username")
                     if u.has_usable_password()]
            yield users
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def _main(html: str) -> str:
    return html.split("<main", 1)[-1].split("</main>", 1)[0]


def header_buttons(html: str) -> list[str]:
    """Links styled as buttons in a page's main part (统计, 新增, 导入 …); downloads and exports left out."""
    out = []
    for tag in TAG.findall(_main(html)):
        href = HREF.search(tag)
        if not href or not BTN.search(tag):
            continue
        href = href.group(1)
        if " download" in tag or "export=" in href or href.endswith((".pdf", ".docx", ".xlsx")) or "/template/" in href:
            continue
        out.append(href.replace("&amp;", "&"))
    return out


def test_header_buttons_and_empty_period_detection():
    html = ('<aside><a class="nav-link" href="/a/">A</a></aside><main><a class="btn btn-sm" href="/b/?x=1&amp;y=2">B</a>'
            '<a class="btn" href="/c/?export=xlsx">C</a><a href="/d/">D</a><a class="btn" download href="/e/">E</a>'
            '</main>')
    assert header_buttons(html) == ["/b/?x=1&y=2"]
    assert MENU.findall(html) == ["/a/"]


def test_the_empty_period_notice_shows_on_a_year_without_data(tour):
    """The check below can fail: a figures page asked for a year without data says so."""
    users = {u.username: u for u in tour}
    c = Client()
    c.force_login(users["party_office"])
    assert EMPTY_PERIOD in c.get("/party/dues/totals/?year=1999").content.decode()
    assert EMPTY_PERIOD not in c.get("/party/dues/totals/").content.decode()


def test_every_role_menu_opens_in_chinese_on_a_period_with_data(tour):
    assert {"party_office", "president", "secretary_shagou", "judge_demo", "trial_office", "mediator_demo",
            "centre_demo", "zaozhuang", "admin", "security", "auditor"} <= {u.username for u in tour}
    broken, english, empty = [], [], []
    for user in tour:
        c = Client()
        c.force_login(user)
        home = c.get("/", follow=True)
        if home.status_code != 200:
            broken.append(f"{user.username} /: {home.status_code}")
            continue
        aside = home.content.decode().split("<aside", 1)[-1].split("</aside>", 1)[0]
        checked: set[str] = set()
        for href in dict.fromkeys(MENU.findall(aside)):
            checked.add(href)
            r = c.get(href, follow=True)  # a menu item may redirect (我的党员档案 → own profile)
            html = r.content.decode(errors="replace")
            if r.status_code != 200:
                broken.append(f"{user.username} menu {href}: {r.status_code}")
                continue
            if english_only_error(r.status_code, html):
                english.append(f"{user.username} {href}")
            if EMPTY_PERIOD in html:
                empty.append(f"{user.username} {href}")
            for target in header_buttons(html):
                if target in checked:
                    continue
                checked.add(target)
                b = c.get(target)
                if b.status_code >= 400:
                    broken.append(f"{user.username} {href} button {target}: {b.status_code}")
                elif english_only_error(b.status_code, b.content.decode(errors="replace")):
                    english.append(f"{user.username} {target}")
        missing = c.get("/no-such-page-for-the-tour/")
        text = missing.content.decode()
        if missing.status_code != 404 or english_only_error(404, text) or 'href="/"' not in text:
            english.append(f"{user.username} 404 page ({missing.status_code})")
    assert not broken, f"menu items or header buttons that do not open: {broken}"
    assert not english, f"English-only error pages: {english}"
    assert not empty, f"pages whose default period has no data: {empty}"
