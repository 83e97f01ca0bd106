"""In Debian's Chromium: a leader fills the 五型五力 self-assessment (a submission with an item ungraded is refused
and keeps what was typed, then the draft is submitted), and the party office sees it on the year's list and
records the review. With --screenshots: docs/screenshots/annual-leadership-form.png and -list.png."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tianping.annual.choices import LeadershipItem
from tianping.core.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(__file__).resolve().parents[3] / "docs" / "screenshots"


def _shot(request, page, name):
    if request.config.getoption("--screenshots"):
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / name), full_page=False)


def test_a_leader_submits_and_the_party_office_reviews(request, login, make_user):
    from tianping.annual.models import LeaderAssessment
    from tianping.annual.services import leader_assessment_review, leader_assessment_save
    from tianping.org.models import DepartmentType, Post
    from tianping.org.tests.factories import CourtFactory, DepartmentFactory, PersonFactory

    court = CourtFactory(name="薛城区人民法院")
    dep = DepartmentFactory(court=court, name="院领导", type=DepartmentType.ADMIN)
    names = [("王建国", Post.PRESIDENT), ("李秀英", Post.VICE_PRESIDENT), ("张伟", Post.VICE_PRESIDENT),
             ("刘洋", Post.VICE_PRESIDENT), ("陈静", Post.VICE_PRESIDENT)]
    people = [PersonFactory(court=court, department=dep, name=n, post=p, is_leadership=True,
                            hired_on=date(2010, 1, 1)) for n, p in names]
    make_user(court, Role.LEADER, Role.MEMBER, person=people[0], username="wangjg")
    office = make_user(court, Role.PARTY_OFFICE, username="office")
    items = {k: {"grade": "good", "text": "坚持以身作则"} for k in LeadershipItem.values}
    for i, p in enumerate(people[1:4]):
        user = make_user(court, Role.LEADER, person=p, username=f"leader{i}")
        a = leader_assessment_save(actor=user, person=p, year=2016, items=items, summary="全年工作总结", submit=True)
        if i == 0:
            leader_assessment_review(actor=office, assessment=a, decision="review", grade="excellent", comment="同意")
        if i == 1:
            leader_assessment_review(actor=office, assessment=a, decision="return", comment="请补充具体事例")

    page = login("wangjg")
    page.goto("/annual/leadership/?year=2016")
    page.get_by_test_id("fill").click()
    for n, key in enumerate(LeadershipItem.values[:-1]):
        page.select_option(f"#id_{key}_grade", "good" if n % 3 else "fairly_good")
        page.fill(f"#id_{key}_text", f"{LeadershipItem(key).label}：带头学习、带头办案，做法扎实。")
    page.fill("#id_summary", "本年度认真履行党组书记、院长职责，带领班子成员落实全面从严治党主体责任。")
    page.get_by_test_id("submit").click()
    assert "提交前请为每一项选择等次：创新力 尚未选择" in page.get_by_test_id("form-errors").inner_text()
    assert page.input_value("#id_summary").startswith("本年度认真履行")   # kept
    _shot(request, page, "annual-leadership-form.png")
    page.select_option("#id_innovation_grade", "good")
    page.get_by_test_id("submit").click()
    assert page.get_by_test_id("assessment-status").inner_text() == "已提交，待评议"
    assert LeaderAssessment.objects.get(person=people[0], year=2016).status == "submitted"

    page.context.clear_cookies()   # the same browser: sign the leader out
    page = login("office")
    page.goto("/annual/leadership/?year=2016")
    assert page.get_by_test_id(f"state-{people[4].pk}").inner_text() == "未提交"
    assert page.get_by_test_id("count-awaiting_review").inner_text().split()[-1] == "2"
    _shot(request, page, "annual-leadership-list.png")
    page.get_by_test_id(f"review-{people[0].pk}").click()
    page.select_option("#id_grade", "excellent")
    page.fill("#id_comment", "班子成员一致同意评为优秀。")
    page.get_by_test_id("review-save").click()
    assert page.get_by_test_id(f"grade-{people[0].pk}").inner_text() == "优秀"
