"""The leadership's yearly self-assessment (五型五力) and its review, the year's list of who has not submitted,
the education summary: the services' outcomes on hand-built leaders."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tianping.annual import leadership
from tianping.annual.choices import AssessmentStatus, LeadershipItem
from tianping.annual.models import LeaderAssessment
from tianping.annual.services import leader_assessment_review, leader_assessment_save, leadership_study_save
from tianping.core.models import AuditEvent
from tianping.core.roles import Role
from tianping.org.tests.factories import CourtFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

ALL_GOOD = {k: {"grade": "good", "text": "本年度" + k} for k in LeadershipItem.values}


@pytest.fixture
def court():
    court = CourtFactory()
    a = PersonFactory(court=court, is_leadership=True, hired_on=date(2010, 1, 1))
    b = PersonFactory(court=court, is_leadership=True, hired_on=date(2010, 1, 1))
    gone = PersonFactory(court=court, is_leadership=True, hired_on=date(2010, 1, 1), left_on=date(2015, 6, 30))
    return {"court": court, "a": a, "b": b, "gone": gone,
            "ua": UserFactory(court=court, person=a, roles=[Role.LEADER]),
            "ub": UserFactory(court=court, person=b, roles=[Role.LEADER]),
            "office": UserFactory(court=court, roles=[Role.PARTY_OFFICE])}


def test_submit_review_and_the_years_list(court):
    a, ua = court["a"], court["ua"]
    with pytest.raises(ValidationError) as exc:
        leader_assessment_save(actor=ua, person=a, year=2016, items={"learning": {"grade": "good"}},
                               summary="", submit=True)
    assert set(exc.value.message_dict) == {"items", "summary"}
    draft = leader_assessment_save(actor=ua, person=a, year=2016, items={"learning": {"grade": "good"}}, summary="")
    assert draft.status == AssessmentStatus.DRAFT
    # another leader's draft is private: the party office sees a, b and nothing submitted
    over = leadership.assessment_overview(court["court"], 2016, court["office"])
    assert over["counts"] == {"leaders": 2, "not_submitted": 2, "awaiting_review": 0, "reviewed": 0}
    assert not LeaderAssessment.objects.visible_to(court["office"]).exists()
    with pytest.raises(ValidationError):   # stale: the form was loaded before the draft's save
        leader_assessment_save(actor=ua, person=a, year=2016, items=ALL_GOOD, summary="总结", expected_version=0)
    done = leader_assessment_save(actor=ua, person=a, year=2016, items=ALL_GOOD, summary="总结", submit=True,
                                  expected_version=draft.version)
    assert done.status == AssessmentStatus.SUBMITTED
    with pytest.raises(ValidationError):   # handed in: no more changes
        leader_assessment_save(actor=ua, person=a, year=2016, items=ALL_GOOD, summary="改")
    with pytest.raises(ValidationError):   # someone else's
        leader_assessment_save(actor=court["ub"], person=a, year=2017, items=ALL_GOOD, summary="x")
    with pytest.raises(ValidationError):   # not a leader in post that year
        leader_assessment_save(actor=court["ub"], person=court["b"], year=2009, items=ALL_GOOD, summary="x")
    over = leadership.assessment_overview(court["court"], 2016, court["office"])
    assert over["counts"] == {"leaders": 2, "not_submitted": 1, "awaiting_review": 1, "reviewed": 0}
    assert [r["person"] for r in over["groups"]["not_submitted"]] == [court["b"]]
    # the leader who left in 2015 owes 2015, not 2016
    assert court["gone"] in leadership.leaders_during(court["court"], 2015)
    assert court["gone"] not in leadership.leaders_during(court["court"], 2016)

    with pytest.raises(ValidationError) as exc:
        leader_assessment_review(actor=court["office"], assessment=done, decision="review", grade="", comment="好")
    assert "grade" in exc.value.message_dict
    reviewed = leader_assessment_review(actor=court["office"], assessment=done, decision="review",
                                        grade="excellent", comment="同意", expected_version=done.version)
    assert (reviewed.status, reviewed.review_grade) == (AssessmentStatus.REVIEWED, "excellent")
    with pytest.raises(ValidationError):   # a second review of the same row
        leader_assessment_review(actor=court["office"], assessment=done, decision="return", comment="再改")
    over = leadership.assessment_overview(court["court"], 2016, court["office"])
    assert over["counts"]["reviewed"] == 1
    events = list(AuditEvent.objects.filter(event__startswith="leader_assessment.").order_by("pk").values_list("event", flat=True))
    assert events == ["leader_assessment.created", "leader_assessment.submitted", "leader_assessment.reviewed"]


def test_pending_years_and_the_study_summary(court):
    a = court["a"]
    assert leadership.pending_years(a, date(2017, 3, 1)) == [2016]
    assert leadership.pending_years(a, date(2017, 12, 5)) == [2016, 2017]
    leader_assessment_save(actor=court["ua"], person=a, year=2016, items=ALL_GOOD, summary="总结", submit=True)
    assert leadership.pending_years(a, date(2017, 3, 1)) == []
    study = leadership_study_save(actor=court["office"], court=court["court"], year=2016, sessions=24,
                                  topics="两学一做\n\n三严三实\n", hours=Decimal("48.5"), summary="全年集中学习")
    assert study.topic_list() == ["两学一做", "三严三实"]
    with pytest.raises(ValidationError):
        leadership_study_save(actor=court["office"], court=court["court"], year=2016, sessions=1, topics="x",
                              hours=Decimal("1"), summary="y", expected_version=study.version - 1)
