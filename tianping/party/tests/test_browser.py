"""The party office converts a probationary member in Chromium, and the branch page shows it."""

from datetime import date, timedelta

import pytest

from tianping.party.models import CommitteePost, CommitteeRole, PartyMember, Stage
from tianping.party.tests.factories import OrganisationFactory, make_member

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_office_converts_probationary_member(login, court, make_user):
    branch = OrganisationFactory(court=court, name="沙沟法庭党支部", brand_name="维护老年人合法权益")
    full = [make_member(branch=branch) for _ in range(3)]
    CommitteePost.objects.create(court=court, organisation=branch, person=full[0].person,
                                 role=CommitteeRole.SECRETARY, term_start=date(2025, 1, 10),
                                 term_end=date(2099, 1, 10))
    admitted = date.today() - timedelta(days=400)
    prob = make_member(branch=branch, stage=Stage.PROBATIONARY, admitted_on=admitted)
    due = prob.conversion_due_on
    make_user(court, "party_office", "member", username="office")

    page = login("office")
    # the to-do list on the home page names the overdue conversion
    assert prob.person.name in page.get_by_test_id("todo").inner_text()
    page.get_by_test_id("todo").get_by_role("link", name=prob.person.name, exact=False).first.click()
    page.get_by_test_id("conversion-due").wait_for()
    assert f"预备期至 {due:%Y-%m-%d} 届满" in page.get_by_test_id("conversion-due").inner_text()

    # too early first: refused with the reason, the form is still there
    page.select_option("#id_step", "converted")
    page.fill("#id_occurred_on", (due - timedelta(days=3)).isoformat())
    page.fill("#id_evidence", "支部党员大会决议")
    page.get_by_test_id("step-submit").click()
    page.wait_for_load_state("networkidle")
    assert "预备期未满" in page.locator("main").inner_text()
    assert page.get_by_test_id("member-stage").inner_text() == "预备党员"

    page.select_option("#id_step", "converted")
    page.fill("#id_occurred_on", due.isoformat())
    page.fill("#id_evidence", "支部党员大会决议同意按期转正，机关党委批复同意")
    page.get_by_test_id("step-submit").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("member-stage").inner_text() == "正式党员"
    assert page.get_by_test_id("converted-on").inner_text() == due.isoformat()
    assert PartyMember.objects.get(pk=prob.pk).stage == Stage.FULL

    page.get_by_role("link", name="沙沟法庭党支部").first.click()
    row = page.get_by_test_id(f"roster-{prob.pk}")
    row.wait_for()
    assert "正式党员" in row.inner_text() and due.isoformat() in row.inner_text()
    figures = page.get_by_test_id("org-figures").inner_text()
    assert "正式党员\n4" in figures
    assert "维护老年人合法权益" in page.get_by_test_id("brand").inner_text()


def test_inline_dues_refusal_shows_beside_the_field_and_step_fields_follow_the_step(login, live_server, court,
                                                                                    make_user):
    """Issue 12: -5 or "abc" typed into the dues sheet were refused by the server but the page showed nothing;
    延长月数 showed for every step."""
    from decimal import Decimal

    from tianping.party.models import DuesBase, DuesPayment

    branch = OrganisationFactory(court=court, name="沙沟法庭党支部")
    member = make_member(branch=branch)
    DuesBase.objects.create(court=court, member=member, amount=Decimal("5000"), effective_from=date(2015, 1, 1))
    prob = make_member(branch=branch, stage=Stage.PROBATIONARY, admitted_on=date.today() - timedelta(days=100))
    make_user(court, "party_office", "member", username="office")
    page = login("office")
    page.goto(f"{live_server.url}/party/dues/?month=2016-05")
    row = page.get_by_test_id(f"dues-row-{member.pk}")
    row.locator("input[name=paid_amount]").fill("-5")
    row.get_by_role("button").click()
    error = page.get_by_test_id(f"dues-error-{member.pk}")
    error.wait_for()
    assert "不能为负数" in error.inner_text()
    assert page.get_by_test_id(f"dues-row-{member.pk}").locator("input[name=paid_amount]").input_value() == "-5"
    assert not DuesPayment.objects.exists()
    page.get_by_test_id(f"dues-row-{member.pk}").locator("input[name=paid_amount]").fill("50.00")
    page.get_by_test_id(f"dues-row-{member.pk}").get_by_role("button").click()
    page.get_by_test_id(f"dues-row-{member.pk}").get_by_text("已交").wait_for()
    assert DuesPayment.objects.get(member=member).paid_amount == Decimal("50.00")

    page.goto(f"{live_server.url}/party/members/{prob.pk}/")
    months = page.locator("#id_months")
    page.select_option("#id_step", "converted")
    assert not months.is_visible()
    page.select_option("#id_step", "extended")
    assert months.is_visible()
