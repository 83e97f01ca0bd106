"""Who reads the annual party-building report and who edits its text.

- The report and its downloads (the court's figures, each linking to the records behind it): 院领导 (LEADER)
  and 政治部/机关党委 (PARTY_OFFICE). The links lead to lists each of them may or may not open, by those
  lists' own rules.
- The report's text (the template with placeholders): PARTY_OFFICE.
- The dashboards (the court dashboard with its to-dos by owner, the branch scorecards and their .xlsx, the big
  screen of the command room): the same readers as the report.
- The leadership (五型五力): a court leader (an account whose person is 院领导/党组成员) writes their own yearly
  self-assessment and changes it while it is a draft or returned; the party office records the party group's
  review (grade and comment) of a submitted one, or returns it; the party office and the leaders (the party
  group) read the handed-in assessments and the year's list of who has not submitted or been reviewed, a leader
  their own drafts too (`LeaderAssessment.objects.scoped_to`).
- The leadership team's yearly education summary: the party office writes it; the leaders read it.
- Staff placement (where recruits were first posted, party members by department type): the same readers as
  the report.
"""

from __future__ import annotations

from typing import Any

import rules

from tianping.annual.choices import EDITABLE, AssessmentStatus
from tianping.annual.models import LeaderAssessment, LeadershipStudy, LeadershipStudyAttachment, ReportTemplate
from tianping.core.policy import declare, has_role, in_scope
from tianping.core.roles import Role

READERS = has_role(Role.LEADER, Role.PARTY_OFFICE)
OFFICE = has_role(Role.PARTY_OFFICE)

declare("annual.view_report", READERS)
declare(ReportTemplate, "view", READERS & in_scope("view"))
declare(ReportTemplate, "change", OFFICE & in_scope("view"))
declare("annual.view_dashboard", READERS)


@rules.predicate
def is_leader_person(user: Any) -> bool:
    """The account belongs to a court leader (院领导/党组成员) still in service."""
    person = getattr(user, "person", None) if getattr(user, "person_id", None) else None
    return bool(person and person.is_leadership and person.left_on is None and person.court_id == user.court_id)


@rules.predicate
def own_assessment(user: Any, obj: Any) -> bool:
    return obj is None or (bool(getattr(user, "person_id", None)) and obj.person_id == user.person_id)


@rules.predicate
def assessment_editable(user: Any, obj: Any) -> bool:
    return obj is None or obj.status in EDITABLE


@rules.predicate
def assessment_submitted(user: Any, obj: Any) -> bool:
    return obj is None or obj.status == AssessmentStatus.SUBMITTED


LEADERSHIP_READERS = READERS | is_leader_person
declare("annual.view_leadership", LEADERSHIP_READERS)
declare(LeaderAssessment, "view", LEADERSHIP_READERS & in_scope("view"))
declare(LeaderAssessment, "add", is_leader_person)
declare(LeaderAssessment, "change", is_leader_person & own_assessment & assessment_editable & in_scope("view"))
declare(LeaderAssessment, "review", OFFICE & assessment_submitted & in_scope("view"))
declare(LeaderAssessment, "delete", rules.always_deny)
declare(LeadershipStudy, "view", LEADERSHIP_READERS & in_scope("view"))
declare(LeadershipStudy, "add", OFFICE)
declare(LeadershipStudy, "change", OFFICE & in_scope("view"))
declare(LeadershipStudy, "delete", rules.always_deny)
declare(LeadershipStudyAttachment, "view", LEADERSHIP_READERS & in_scope("view"))
declare("annual.view_placement", READERS)
