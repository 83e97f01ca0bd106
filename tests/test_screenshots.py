"""`make screenshots`: PNGs of the main pages for several roles, written to docs/screenshots/tour/.

Skipped unless pytest runs with --screenshots. The pages are discovered from each role's left menu, so
pages that later apps add are photographed without changing this file. Also writes
docs/screenshots/tour/README.md, the gallery the main README links to.

The walk is also a check, for every role: every menu item and every button in a menu page's header opens
(no 403, no error); no page is an English-only error page (Django's bare "403 Forbidden", "Not Found",
"Server Error"); an unknown address gives the Chinese 404 page with a way back."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots" / "tour"  # apps keep their own hand-made shots one level up
# role accounts of the demo court, in the order their pages are photographed (a page seen by several
# roles is taken with the first of them)
ROLES = [
    ("party_office", "政治部 / 机关党委"),
    ("president", "院长"),
    ("secretary_shagou", "沙沟法庭党支部书记"),
    ("judge_demo", "法官（党员）"),
    ("trial_office", "审判管理办公室"),
    ("mediator_demo", "调解员"),
    ("zaozhuang", "上级法院"),
    ("admin", "系统管理员"),
    ("security", "安全管理员"),
    ("auditor", "审计管理员"),
]

# Django's and the browser's stock error pages, in English only
ENGLISH_ERROR = re.compile(r"\b(403 Forbidden|Forbidden \(403\)|Not Found|Page not found|Server Error|Bad Request)\b")
CHINESE = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(autouse=True)
def _only_when_asked(request):
    if "browser_context" in request.fixturenames and not request.config.getoption("--screenshots"):
        pytest.skip("run with --screenshots (make screenshots)")


def slug(path: str) -> str:
    s = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-")
    return s or "home"


def _login(context, username):
    context.clear_cookies()  # sign the previous role out
    page = context.new_page()
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", settings.TIANPING_DEMO_PASSWORD)
    page.click("[data-testid=login-submit]")
    page.wait_for_load_state("networkidle")
    return page


def _shot(page, name: str) -> str:
    page.wait_for_load_state("load")
    try:  # a page that polls (htmx every …) never goes network-idle: wait a little, then take it anyway
        page.wait_for_load_state("networkidle", timeout=5000)
    except Exception:  # noqa: BLE001 - Playwright's TimeoutError
        pass
    page.wait_for_timeout(400)  # charts finish their first animation frame
    page.screenshot(path=str(OUT / name), full_page=False)
    return name


def english_only_error(status: int, text: str) -> bool:
    """An error page that only speaks English (or a page of any status that is Django's stock error page)."""
    if ENGLISH_ERROR.search(text) and len(CHINESE.findall(text)) < 4:
        return True
    return status >= 400 and not CHINESE.search(text)


def header_links(page) -> list[tuple[str, str]]:
    """The buttons in a page's header (统计, 新增, 导入 …): where a menu page sends the user next. Downloads
    (export, PDF, .docx) and links out of the site are left out."""
    links = page.eval_on_selector_all(
        "main a.btn[href]", "els => els.map(e => [e.getAttribute('href'), e.textContent.trim(), e.hasAttribute('download')])")
    return [(href, label) for href, label, download in links
            if href.startswith("/") and not download and "export=" not in href and not href.endswith((".pdf", ".docx"))]


def test_english_only_error_detection():
    assert english_only_error(403, "<h1>403 Forbidden</h1>")
    assert english_only_error(404, "<h1>Not Found</h1><p>The requested resource was not found on this server.</p>")
    assert english_only_error(500, "<h1>Server Error (500)</h1>")
    assert english_only_error(404, "<h1>Page not found (404)</h1> Using the URLconf defined in tianping.urls")
    assert not english_only_error(403, "<h1>没有权限</h1><p>您的账号无权打开此页面。</p><a href='/'>返回首页</a>")
    assert not english_only_error(200, "<h1>人员名册</h1><p>Not Found 的英文说明：该页面显示中文内容，共 3 条</p>")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_screenshots(browser_context, demo_committed):
    OUT.mkdir(parents=True, exist_ok=True)
    browser_context.set_default_timeout(60000)  # the whole demo court on a shared machine
    gallery: list[tuple[str, str, str]] = []  # (file, title, who)

    page = browser_context.new_page()
    page.goto("/accounts/login/")
    gallery.append((_shot(page, "login.png"), "登录", "—"))
    page.close()

    seen: set[str] = set()
    broken: list[str] = []  # menu items and header buttons that do not open, per role
    english: list[str] = []  # pages that are English-only error pages
    for username, who in ROLES:
        page = _login(browser_context, username)
        if "/accounts/login/" in page.url:
            pytest.fail(f"demo account {username} cannot log in")
        page.goto("/")
        gallery.append((_shot(page, f"home-{username}.png"), f"首页（{who}）", username))
        links = page.eval_on_selector_all(
            "aside a.nav-link", "els => els.map(e => [e.getAttribute('href'), e.textContent.trim()])")
        checked: set[str] = set()
        for href, label in links:
            if not href.startswith("/") or href in checked:
                continue
            checked.add(href)
            if href in seen:  # photographed for an earlier role: this role must be able to open it too
                response = page.request.get(href)
                if response.status >= 400:
                    broken.append(f"{username} 菜单“{label}” {href}: {response.status}")
                elif english_only_error(response.status, response.text()):
                    english.append(f"{username} {href}")
                continue
            seen.add(href)
            response = page.goto(href)
            if response is None or response.status >= 400:
                broken.append(f"{username} 菜单“{label}” {href}: {response and response.status}")
                continue
            if english_only_error(response.status, page.content()):
                english.append(f"{username} {href}")
            name = f"{slug(href)}.png"
            gallery.append((_shot(page, name), label, username))
            for target, button in header_links(page):  # 统计, 新增, 导入 …: no button leads to a 403
                if target in checked:
                    continue
                checked.add(target)
                r = page.request.get(target)
                if r.status >= 400:
                    broken.append(f"{username} {href} 的按钮“{button}” {target}: {r.status}")
                elif english_only_error(r.status, r.text()):
                    english.append(f"{username} {target}")
            if href == "/org/people/":
                page.locator("#list-table tbody a").first.click()
                gallery.append((_shot(page, "org-person-detail.png"), "人员详情", username))
        # an address that does not exist: the Chinese 404 page with a way back, never Django's URL listing
        response = page.goto("/no-such-page-for-the-tour/")
        text = page.content()
        if response is None or response.status != 404 or english_only_error(404, text) or 'href="/"' not in text:
            english.append(f"{username} 404 page ({response and response.status})")
        page.close()

    assert {"login.png", "home-party_office.png", "org.png", "org-people.png", "org-person-detail.png"} <= {
        g[0] for g in gallery}
    lines = ["# 页面截图 / Screenshots", "",
             "由 `make screenshots` 生成（演示法院，Chromium 1400×900）。Generated by `make screenshots`.", "",
             "| 页面 | 账号 | 截图 |", "| --- | --- | --- |"]
    lines += [f"| {title} | {who} | ![{title}]({file}) |" for file, title, who in gallery]
    (OUT / "README.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert not broken, f"menu items or header buttons that do not open: {broken}"
    assert not english, f"English-only error pages: {english}"
