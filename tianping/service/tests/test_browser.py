"""The trial office in Debian's Chromium: draw a sample, record two calls (one dissatisfied), see the satisfaction
rate change, close the follow-up. With --screenshots the pages go to docs/screenshots/."""

from __future__ import annotations

from pathlib import Path

import pytest

from tianping.service.models import FollowUp, Revisit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).resolve().parents[3] / "docs" / "screenshots"


@pytest.fixture
def shot(request):
    def _shot(page, name):
        if request.config.getoption("--screenshots"):
            SHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SHOTS / f"service-{name}.png"), full_page=True)
    return _shot


def _rate(page) -> str:
    page.goto("/service/")
    return page.get_by_test_id("figure-rate").inner_text().strip()


def _record(page, position: int, name: str, rating: str, comments: str) -> None:
    page.get_by_test_id(f"record-{position}").click()
    page.fill("#id_contact_name", name)
    page.select_option("#id_relation", label="原告")
    page.select_option("#id_rating", label=rating)
    page.fill("#id_comments", comments)
    page.get_by_test_id("save").click()
    page.get_by_test_id("assignments").wait_for()


def test_draw_record_two_calls_and_close_the_follow_up(world, login, shot):
    page = login("to")
    assert _rate(page) == "—"
    page.get_by_test_id("draw-sample").click()
    page.fill("#id_title", "三月结案回访")
    page.fill("#id_closed_from", "2026-03-01")
    page.fill("#id_closed_to", "2026-03-31")
    page.fill("#id_size", "3")
    page.select_option("#id_callers", label="张伟（0312 · 民一庭）")
    page.get_by_test_id("save").click()
    page.get_by_test_id("reproducible").wait_for()
    assert "结果一致" in page.get_by_test_id("reproducible").inner_text()
    assert page.locator("[data-testid=assignments] tbody tr").count() == 3

    _record(page, 1, "王某", "满意", "法官很耐心")
    sample_url = page.url
    assert _rate(page) == "100.00%"
    page.goto(sample_url)
    _record(page, 2, "李某", "不满意", "判决书送达太慢")
    shot(page, "sample")
    assert Revisit.objects.count() == 2
    follow_up = FollowUp.objects.get()
    assert _rate(page) == "50.00%"
    assert page.get_by_test_id("figure-follow_ups_open").inner_text().strip() == "1"
    shot(page, "home")

    page.get_by_test_id("figure-follow_ups_open").get_by_role("link").click()
    page.get_by_test_id(f"close-{follow_up.pk}").click()
    page.fill("#id_answer", "已向当事人说明送达时间并致歉")
    page.get_by_test_id("save").click()
    page.get_by_test_id("follow-up-table").wait_for()
    follow_up.refresh_from_db()
    assert follow_up.status == "closed"
    page.goto("/service/")
    assert page.get_by_test_id("figure-follow_ups_open").inner_text().strip() == "0"
    assert page.get_by_test_id("figure-rate").inner_text().strip() == "50.00%"
