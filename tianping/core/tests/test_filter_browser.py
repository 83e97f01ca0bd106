"""The list filter bar in Debian's Chromium: a searchable dropdown filter (部门 on the staff roster, 所在支部 on
the member roster) applies on the first click on 查询.

The bug: TomSelect kept the typed text and its list open after a pick; the mousedown on 查询 blurred it, the
control shrank, 查询 slid left under the pointer and the click landed beside it — nothing was sent."""

import pytest

from tianping.org.tests.factories import DepartmentFactory, PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _pick_and_search_once(page, field_id: str, typed: str, option: str) -> list[str]:
    """Type into the searchable filter, pick the option with the mouse, click 查询 once; the requests sent."""
    page.locator(f"#{field_id}").locator("xpath=following-sibling::div[contains(@class,'ts-wrapper')]") \
        .locator(".ts-control").click()
    page.keyboard.type(typed)
    page.locator(".ts-dropdown .option", has_text=option).click()
    sent: list[str] = []
    page.on("request", lambda r: sent.append(r.url) if "?" in r.url else None)
    page.get_by_test_id("search").click()
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)
    return sent


@pytest.fixture
def roster(court, make_user):
    civil = DepartmentFactory(court=court, name="民事审判庭", sort_order=1)
    shagou = DepartmentFactory(court=court, name="沙沟人民法庭", type="tribunal", sort_order=2)
    for i in range(3):
        PersonFactory(court=court, department=civil, name=f"钱{i}", staff_number=f"01{i:02d}")
    PersonFactory(court=court, department=shagou, name="孙悦", staff_number="0201")
    make_user(court, "party_office", "member", username="office")
    return shagou


def test_department_filter_applies_on_first_click(login, roster):
    page = login("office")
    page.goto("/org/people/")
    sent = _pick_and_search_once(page, "id_department", "沙沟", "沙沟人民法庭")
    assert len(sent) == 1 and f"department={roster.pk}" in sent[0]
    assert f"department={roster.pk}" in page.url
    table = page.locator("#list-table").inner_text()
    assert "孙悦" in table and "钱0" not in table
    # the filter keeps its choice, and the control did not move the button
    assert page.eval_on_selector("#id_department", "e => e.value") == str(roster.pk)


def test_branch_filter_on_member_roster_applies_on_first_click(login, court, make_user):
    from tianping.party.tests.factories import OrganisationFactory, make_member

    one = OrganisationFactory(court=court, name="机关第一党支部")
    two = OrganisationFactory(court=court, name="沙沟法庭党支部")
    make_member(branch=one, person=PersonFactory(court=court, name="赵一"))
    make_member(branch=two, person=PersonFactory(court=court, name="孙二"))
    make_user(court, "party_office", "member", username="office")
    page = login("office")
    page.goto("/party/members/")
    sent = _pick_and_search_once(page, "id_branch", "沙沟", "沙沟法庭党支部")
    assert len(sent) == 1 and f"branch={two.pk}" in sent[0]
    table = page.locator("#list-table").inner_text()
    assert "孙二" in table and "赵一" not in table
