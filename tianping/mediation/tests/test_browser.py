"""The centre in Debian's Chromium: register → triage → mediate → agreement → judicial confirmation, and a
second dispute that fails and becomes a filed case. With --screenshots the pages go to docs/screenshots/."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tianping.mediation.models import Dispute, Status
from tianping.org.tests.factories import make_id_number

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).resolve().parents[3] / "docs" / "screenshots"


@pytest.fixture
def shot(request):
    def _shot(page, name):
        if request.config.getoption("--screenshots"):
            SHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SHOTS / f"mediation-{name}.png"), full_page=True)
    return _shot


def _register(page, applicant, respondent, n):
    page.goto("/mediation/")
    page.get_by_role("link", name="新增").click()
    page.fill("#id_cause", "民间借贷纠纷")
    page.fill("#id_amount", "52000")
    page.fill("#id_summary", "被申请人借款五万二千元到期未还。")
    page.check("#id_consent_to_mediation")
    page.fill("#id_materials_text", f"借条/{applicant}/1")
    page.fill("#id_party-0-name", applicant)
    page.fill("#id_party-0-id_number", make_id_number(n, date(1984, 2, 3)))
    page.fill("#id_party-0-phone", "13812345678")
    page.fill("#id_party-1-name", respondent)
    page.fill("#id_party-1-id_number", make_id_number(n + 1, date(1979, 8, 9)))
    page.get_by_test_id("save").click()
    page.get_by_test_id("dispute-number").wait_for()
    return Dispute.objects.get(parties__name=applicant)


def _action(page, name):
    page.get_by_test_id(f"action-{name}").click()
    page.get_by_test_id("action-form").wait_for()


def _submit(page):
    page.get_by_test_id("submit").click()
    page.get_by_test_id("dispute-status").wait_for()


def _triage_to_mediator(page, mediator_name):
    _action(page, "triage")
    page.check("input[name=route][value=mediation]")
    page.fill("#id_reason", "小额借贷纠纷，双方同意调解")
    page.select_option("#id_room", "peoples")
    page.select_option("#id_mediator", label=mediator_name)
    _submit(page)


@pytest.mark.slow
def test_register_to_confirmation_and_failure_to_filing(reference_data, login, centre, mediator, shot):
    page = login("centre")
    d = _register(page, "皇甫明远", "司马文静", 31)
    assert page.get_by_test_id("dispute-number").inner_text() == d.number == f"({date.today().year})鲁0403民诉前调1号"
    shot(page, "registered")

    _triage_to_mediator(page, mediator.name)
    assert page.get_by_test_id("dispute-status").inner_text() == "已分流待调解"
    _action(page, "accept")
    _submit(page)
    assert page.get_by_test_id("dispute-status").inner_text() == "调解中"
    _action(page, "session")
    page.check("#id_online")
    page.fill("#id_notes", "线上调解，双方就还款期限达成一致意见。")
    _submit(page)
    assert "线上调解" in page.get_by_test_id("sessions").inner_text()
    _action(page, "agreement")
    page.fill("#id_amount", "50000")
    page.fill("#id_terms", "被申请人于三十日内向申请人支付人民币50000元。")
    _submit(page)
    assert page.get_by_test_id("dispute-status").inner_text() == "达成协议"
    _action(page, "confirm_apply")
    _submit(page)
    assert page.get_by_test_id("dispute-status").inner_text() == "已申请司法确认"
    _action(page, "rule")
    page.check("input[name=ruling][value=confirmed]")
    _submit(page)
    assert page.get_by_test_id("dispute-status").inner_text() == "确认有效"
    assert f"({date.today().year})鲁0403民特1号" in page.get_by_test_id("confirmation").inner_text()
    shot(page, "detail")
    with page.expect_download() as dl:
        page.get_by_test_id("doc-ruling-docx").click()
    assert dl.value.suggested_filename.endswith(".docx")
    d.refresh_from_db()
    assert d.status == Status.CONFIRMED

    # the second dispute fails and is filed as a case
    f = _register(page, "上官子墨", "诸葛清扬", 41)
    _triage_to_mediator(page, mediator.name)
    _action(page, "accept")
    _submit(page)
    _action(page, "fail")
    page.fill("#id_reason", "被申请人否认借款事实，调解不成。")
    _submit(page)
    assert page.get_by_test_id("dispute-status").inner_text() == "调解不成"
    # a refused transition shows its Chinese reason: the form posts to an action not allowed any more
    _action(page, "transfer")
    _submit(page)
    assert page.get_by_test_id("dispute-status").inner_text() == "已转立案"
    assert f"({date.today().year})鲁0403民初1号" in page.get_by_test_id("filed-case").inner_text()
    f.refresh_from_db()
    assert [p["name"] for p in f.filed_case.parties] == ["上官子墨", "诸葛清扬"]
    assert "借条" in f.filed_case.source_note

    page.goto("/mediation/figures/")
    assert page.get_by_test_id("total-received").inner_text() == "2"
    assert page.get_by_test_id("total-confirmed").inner_text() == "1"
    shot(page, "figures")
    page.goto("/mediation/")
    shot(page, "list")


def test_mediator_cannot_open_someone_elses_dispute(reference_data, login, centre, mediator, other_mediator,
                                                    make_dispute):
    from tianping.mediation import services

    d = make_dispute()
    services.dispute_triage(dispute=d, actor=centre, route="mediation", reason="x", triaged_on=d.registered_on,
                            room="peoples", mediator=other_mediator)
    page = login("med_a")
    page.goto("/mediation/")
    assert d.number not in page.content()
    r = page.goto(f"/mediation/{d.pk}/")
    assert r.status == 404


def test_judge_entrusts_a_filed_case_and_the_agreement_closes_it(reference_data, login, judge, mediator,
                                                                 filed_case, shot, browser_context, live_server):
    """诉中委托调解: the judge entrusts from the case's page, the mediator records an agreement, the case shows
    closed by mediation."""
    from datetime import timedelta

    today = date.today()
    case = filed_case(filed_on=today - timedelta(days=min(10, today.timetuple().tm_yday - 1)))
    page = login("judge_c")
    page.goto(f"/trials/cases/{case.pk}/")
    page.get_by_test_id("entrust").click()
    page.get_by_test_id("action-form").wait_for()
    page.select_option("#id_room", "peoples")
    page.select_option("#id_mediator", label=mediator.name)
    page.fill("#id_reason", "买卖合同货款争议，适宜调解")
    shot(page, "entrust")
    page.get_by_test_id("submit").click()
    page.get_by_test_id("entrusted-mediation").wait_for()
    assert "调解员甲" in page.get_by_test_id("entrusted-mediation").inner_text()

    # the mediator on their own computer (own cookies)
    from conftest import TEST_PASSWORD

    med = browser_context.browser.new_context(base_url=live_server.url, locale="zh-CN").new_page()
    med.goto("/accounts/login/")
    med.fill("#id_username", "med_a")
    med.fill("#id_password", TEST_PASSWORD)
    med.click("[data-testid=login-submit]")
    med.wait_for_load_state("networkidle")
    med.goto("/mediation/")
    med.get_by_role("link", name=f"{case.number}委托调解").click()
    med.get_by_test_id("dispute-status").wait_for()
    _action(med, "accept")
    _submit(med)
    _action(med, "agreement")
    med.fill("#id_terms", "被告于十日内支付货款人民币20000元，原告放弃其余诉讼请求。")
    med.select_option("#id_case_outcome", "mediation")
    _submit(med)
    assert med.get_by_test_id("dispute-status").inner_text() == "协议已回写案件"

    page.goto(f"/trials/cases/{case.pk}/")
    info = page.get_by_test_id("case-info").inner_text()
    assert "调解" in info and today.isoformat() in info
    assert "调解结案" in page.get_by_test_id("entrusted-mediation").inner_text()
    shot(page, "entrusted-case")
    case.refresh_from_db()
    assert (case.outcome, case.closed_on) == ("mediation", today)
