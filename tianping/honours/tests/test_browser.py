"""In Debian's Chromium: a selection end to end — the office publishes the shortlist and opens the ballot, three
voters vote on their own pages (one tries twice), the office closes and counts, re-counts, starts 公示; then the
lobby screen opens without login at 1920×1080."""

from __future__ import annotations

from datetime import date
from importlib import import_module
from pathlib import Path

import pytest
from django.apps import apps
from django.utils import timezone

from tianping.core.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(__file__).resolve().parents[3] / "docs" / "screenshots"


def _shot(request, page, name):
    if request.config.getoption("--screenshots"):
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / name), full_page=False)


def _own_login(browser_context, base_url, username, **options):
    """A signed-in page in a context of its own (each voter on their own phone: separate cookies)."""
    from conftest import TEST_PASSWORD

    context = browser_context.browser.new_context(base_url=base_url, locale="zh-CN", **options)
    page = context.new_page()
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", TEST_PASSWORD)
    page.click("[data-testid=login-submit]")
    page.wait_for_load_state("networkidle")
    return context, page


def test_a_selection_with_three_voters_and_the_lobby_screen(request, setup, make_user, login, browser_context,
                                                            live_server):
    import_module("tianping.party.migrations.0002_seed_rules").seed(apps, None)  # the 受到表彰 points rule
    from tianping.honours import services
    from tianping.honours.models import Ballot, HolderKind, HonourLevel, PostWindow, SelectionStatus

    s = setup
    voters = {"zw1": s["zw1"], "zw2": s["zw2"], "lina": s["li"]}
    for username, person in voters.items():
        if username != "lina":
            make_user(s["court"], Role.MEMBER, person=person, username=username)
    sel = services.selection_create(actor=s["office"], court=s["court"], data={
        "title": "2016年度优秀党员先锋岗代表评选", "kind": "post_rep", "year": 2016, "honour_name": "优秀党员先锋岗代表",
        "honour_level": HonourLevel.COURT, "issuer": "机关党委", "seats": 1, "max_choices": 1})
    for p in (s["zw1"], s["li"]):
        services.nomination_add(actor=s["office"], selection=sel, person=p, nominated_by="branch",
                                organisation=s["branch"], reason="亮身份、亮承诺，群众满意")

    office = login("office")
    office.goto(f"/honours/selections/{sel.pk}/")
    office.get_by_test_id("shortlist-张伟").check()
    office.get_by_test_id("shortlist-李娜").check()
    office.get_by_test_id("save-shortlist").click()
    office.get_by_test_id("open-voting").click()
    assert office.get_by_test_id("status").inner_text() == "投票中"

    for username in voters:
        context, page = _own_login(browser_context, live_server.url, username)
        page.goto("/")
        page.get_by_role("link", name="请投票：2016年度优秀党员先锋岗代表评选").click()
        page.get_by_label("李娜（立案庭）").check()
        page.get_by_test_id("cast").click()
        assert "投票成功" in page.content()
        page.goto(f"/honours/selections/{sel.pk}/vote/")
        assert page.get_by_test_id("voted").is_visible()  # a second visit: already voted, no ballot paper
        context.close()
    assert Ballot.objects.filter(selection=sel).count() == 3

    office.goto(f"/honours/selections/{sel.pk}/")
    assert "已投票 3 人" in office.get_by_test_id("turnout").inner_text()
    office.get_by_test_id("close-voting").click()
    result = office.get_by_test_id("result").inner_text()
    assert "李娜" in result and "当选" in result
    office.get_by_test_id("recount").click()
    assert "结果与首次计票一致" in office.content()
    office.get_by_test_id("start-publicity").click()
    assert office.get_by_test_id("status").inner_text() == "公示中"
    sel.refresh_from_db()
    assert sel.status == SelectionStatus.PUBLICITY
    _shot(request, office, "honours-selection.png")

    # the lobby screen: a post with its holder and pledge, an honour of the year, no login
    post = services.post_save(actor=s["office"], court=s["court"], data={
        "name": "立案窗口党员先锋岗", "window": PostWindow.FILING, "department": s["dep"], "brand_text": "当场立案、一次告知",
        "identity_text": "共产党员 · 立案窗口"})
    services.post_holder_add(actor=s["office"], post=post, person=s["zw1"], start=date(2016, 3, 1),
                             pledge="群众来访，热情接待，件件有回音")
    services.honour_record(actor=s["office"], court=s["court"], data={
        "name": "优秀共产党员", "level": HonourLevel.COURT, "issuer": "机关党委", "awarded_on": timezone.localdate(),
        "holder_kind": HolderKind.PERSON, "person": s["li"]})
    office.goto("/honours/lobby/")
    office.fill("#id_name", "诉讼服务中心大厅")
    office.get_by_role("button", name="生成链接").click()
    link = office.get_by_test_id("screen-link").get_attribute("href")
    screen = browser_context.browser.new_context(base_url=live_server.url, viewport={"width": 1920, "height": 1080},
                                                 locale="zh-CN")
    lobby = screen.new_page()
    lobby.goto(link)
    assert "登录" not in lobby.title()
    post_slide = lobby.get_by_test_id("slide-post")
    assert "群众来访，热情接待，件件有回音" in post_slide.inner_text() or "件件有回音" in lobby.content()
    _shot(request, lobby, "honours-lobby-test.png")
    screen.close()
