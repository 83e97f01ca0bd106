"""Organisational life in Debian's Chromium: a secretary records a missed meeting with attendance and the
red cell of the compliance matrix turns green; a member signs in by the meeting's QR link."""

from datetime import timedelta
from importlib import import_module
from pathlib import Path

import pytest
from django.apps import apps
from django.utils import timezone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(__file__).resolve().parents[3] / "docs" / "screenshots"


@pytest.fixture
def rules(db):
    """Data migrations' rows (meeting types, duties, points rules) — a transactional test flushes them."""
    import_module("tianping.party.migrations.0002_seed_rules").seed(apps, None)
    import_module("tianping.partylife.migrations.0002_seed_types_and_duties").seed(apps, None)


def _shot(request, page, name):
    if request.config.getoption("--screenshots"):
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / name), full_page=False)


def test_secretary_records_meeting_and_cell_turns_green(request, rules, life, login):
    today = timezone.localdate()
    last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    key = f"{last_month:%Y-%m}"
    cell = f"cell-{life.branch.pk}-themed_day-{key}"
    page = login(life.secretary.username)
    page.goto(f"/life/compliance/?year={last_month.year}")
    assert page.get_by_test_id(cell).get_attribute("data-status") == "missed"
    assert "民一庭党支部" not in page.get_by_test_id("compliance").inner_text()  # only their branch
    _shot(request, page, "partylife-test-matrix-red.png")

    page.get_by_test_id(cell).locator("a").click()
    page.get_by_test_id("record-meeting").click()
    form = page.get_by_test_id("meeting-form")
    assert page.locator("#id_organisation").input_value() == str(life.branch.pk)
    page.fill("#id_date", f"{last_month:%Y-%m}-12")
    page.fill("#id_start_time", "15:00")
    page.fill("#id_end_time", "17:00")
    page.fill("#id_place", "沙沟法庭会议室")
    page.fill("#id_topic", "到敬老院开展巡回审判")
    form.get_by_test_id("save").click()

    page.get_by_test_id("attendance").wait_for()
    names = [p.name for p in life.full + life.probationary]
    page.get_by_test_id(f"status-{life.full[3].name}").select_option("leave")
    page.get_by_test_id("all-present").click()  # every row not yet recorded → 出席
    assert page.get_by_test_id(f"status-{life.full[0].name}").input_value() == "present"
    assert page.get_by_test_id(f"status-{life.full[3].name}").input_value() == "leave"
    page.locator(f"tr[data-person='{life.full[3].name}'] input").fill("外出开庭")
    page.get_by_test_id("save-attendance").click()
    page.get_by_test_id("meeting-status").wait_for()
    assert page.get_by_test_id("meeting-status").inner_text() == "已召开"
    assert page.get_by_test_id("attendance-summary").inner_text().startswith(f"{len(names) - 1}/{len(names)}")
    _shot(request, page, "partylife-test-recorded.png")

    page.goto(f"/life/compliance/?year={last_month.year}")
    assert page.get_by_test_id(cell).get_attribute("data-status") == "ok"
    assert page.get_by_test_id(cell).inner_text() == "1/1"
    _shot(request, page, "partylife-test-matrix-green.png")
    page.goto(f"/life/calendar/?month={key}")
    assert "主题党日" in page.get_by_test_id("calendar").inner_text()
    _shot(request, page, "partylife-test-calendar.png")


def _login_fresh(browser_context, live_server, username):
    """A second person on another phone: a new browser context (own cookies)."""
    from conftest import TEST_PASSWORD

    context = browser_context.browser.new_context(base_url=live_server.url, locale="zh-CN")
    page = context.new_page()
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", TEST_PASSWORD)
    page.click("[data-testid=login-submit]")
    page.wait_for_load_state("networkidle")
    return page


def test_member_signs_in_by_qr_link(request, rules, life, login, make_meeting, browser_context, live_server):
    now = timezone.localtime()
    start = (now - timedelta(minutes=10)).time().replace(second=0, microsecond=0)
    end = (now + timedelta(minutes=50)).time().replace(second=0, microsecond=0)
    if end <= start:  # around midnight: skip rather than build a meeting across days
        pytest.skip("meeting window would cross midnight")
    meeting = make_meeting(day=now.date(), start=start, end=end, topic="扫码签到测试")
    host = login(life.secretary.username)
    host.goto(f"/life/meetings/{meeting.pk}/qr/")
    assert host.get_by_test_id("qr").locator("svg").count() == 1
    _shot(request, host, "partylife-qr.png")
    signin_url = host.get_by_test_id("signin-url").inner_text()
    path = "/life/" + signin_url.split("/life/", 1)[1]
    member = _login_fresh(browser_context, live_server, life.member_user.username)
    member.goto(path)
    # opening the link only asks for confirmation (GET writes nothing); the button signs in
    assert life.member_user.person.name in member.get_by_test_id("signin-person").inner_text()
    assert "已签到 0" in host.get_by_test_id("signed-count").inner_text()
    member.get_by_test_id("signin-submit").click()
    member.wait_for_load_state("networkidle")
    assert "签到成功" in member.get_by_test_id("signin-result").inner_text()
    outsider = _login_fresh(browser_context, live_server, life.other_user.username)
    outsider.goto(path)
    assert "不在本次会议的应到人员名单中" in outsider.get_by_test_id("signin-result").inner_text()
    # the screen's panel refreshes itself (htmx polling): no reload needed
    from playwright.sync_api import expect

    expect(host.get_by_test_id("signed-count")).to_contain_text("已签到 1", timeout=20000)
    member.context.close()
    outsider.context.close()
