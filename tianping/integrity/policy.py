"""Who may do what at the integrity desk.

- 法官寄语: the filing desk (审管办, 诉调对接中心) prints letters and records their handover; the party office
  keeps the templates; leaders, the party office and the discipline role (纪检监察) read letters and figures.
- The six mechanisms: the party office, leaders, discipline and branch secretaries read the court's measures,
  the party office and discipline record them. 惩戒 (discipline) entries are the discipline role's alone: no
  other role sees one (404, never in a list or an export), and every reading is audited.
- Family integrity: the party office and discipline keep the records; leaders read them; a member of staff
  reads their own family's contacts and pledges.
- 三个规定: any member of staff with a person records interference and files their monthly report; the
  records are read by the discipline role and their writer only; the party office sees the figures and the
  list of judges who have not reported (no record's content).
- The higher court sees nothing here.
"""

from __future__ import annotations

from typing import Any

import rules

from tianping.core.policy import declare, has_role, in_scope
from tianping.core.roles import Role


@rules.predicate
def has_court(user: Any) -> bool:
    return bool(getattr(user, "court_id", None))


@rules.predicate
def has_person(user: Any) -> bool:
    return bool(getattr(user, "person_id", None))


@rules.predicate
def not_discipline_entry(user: Any, obj: Any) -> bool:
    return obj is None or getattr(obj, "mechanism", "") != "discipline"


never = rules.always_deny

FILING_DESK = has_court & has_role(Role.TRIAL_OFFICE, Role.CENTRE)
PARTY_OFFICE = has_court & has_role(Role.PARTY_OFFICE)
DISCIPLINE = has_court & has_role(Role.DISCIPLINE)
LETTER_READERS = FILING_DESK | has_court & has_role(Role.PARTY_OFFICE, Role.LEADER, Role.DISCIPLINE)
MEASURE_READERS = has_court & has_role(Role.PARTY_OFFICE, Role.LEADER, Role.DISCIPLINE, Role.BRANCH_SECRETARY)
FAMILY_KEEPERS = PARTY_OFFICE | DISCIPLINE
FAMILY_READERS = has_court & has_role(Role.PARTY_OFFICE, Role.DISCIPLINE, Role.LEADER)
STAFF = has_court & has_person & has_role(Role.MEMBER, Role.BRANCH_SECRETARY, Role.PARTY_OFFICE, Role.LEADER,
                                          Role.TRIAL_OFFICE, Role.CENTRE, Role.DISCIPLINE)


def _declare_all() -> None:
    from tianping.integrity.models import (
        FamilyActivity,
        FamilyAward,
        FamilyContact,
        FamilyPledge,
        InterferenceRecord,
        JudgeLetter,
        LetterTemplate,
        Measure,
        MeasureAttachment,
        MonthlyReport,
    )

    declare(LetterTemplate, "view", (LETTER_READERS) & in_scope("view"))
    declare(LetterTemplate, "add", PARTY_OFFICE)
    declare(LetterTemplate, "change", PARTY_OFFICE & in_scope("view"))
    declare(LetterTemplate, "delete", never)
    declare(JudgeLetter, "view", LETTER_READERS & in_scope("view"))
    declare(JudgeLetter, "add", FILING_DESK)      # issue the letters missing for cases filed under a template
    declare(JudgeLetter, "change", FILING_DESK & in_scope("view"))   # handover, print
    declare(JudgeLetter, "delete", never)
    declare(JudgeLetter, "export", LETTER_READERS)
    declare("integrity.view_letter_figures", LETTER_READERS)

    declare(Measure, "view", MEASURE_READERS & in_scope("view"))
    declare(Measure, "add", PARTY_OFFICE | DISCIPLINE)
    declare(Measure, "change", (DISCIPLINE | PARTY_OFFICE & not_discipline_entry) & in_scope("view"))
    declare(Measure, "delete", never)
    declare(Measure, "add_discipline", DISCIPLINE)
    declare(MeasureAttachment, "view", MEASURE_READERS & in_scope("view"))

    for model in (FamilyContact, FamilyPledge, FamilyAward):
        declare(model, "view", (FAMILY_READERS | STAFF) & in_scope("view"))
        declare(model, "add", FAMILY_KEEPERS)
        declare(model, "change", FAMILY_KEEPERS & in_scope("view"))
        declare(model, "delete", FAMILY_KEEPERS & in_scope("view"))
    declare(FamilyActivity, "view", FAMILY_READERS & in_scope("view"))
    declare(FamilyActivity, "add", FAMILY_KEEPERS)
    declare(FamilyActivity, "change", FAMILY_KEEPERS & in_scope("view"))
    declare(FamilyActivity, "delete", never)
    declare(FamilyPledge, "import", FAMILY_KEEPERS)
    declare(FamilyPledge, "export", FAMILY_KEEPERS)
    declare("integrity.view_family", FAMILY_READERS | STAFF)

    declare(InterferenceRecord, "view", (DISCIPLINE | STAFF) & in_scope("view"))
    declare(InterferenceRecord, "add", STAFF)
    declare(InterferenceRecord, "change", never)   # a record stands as written; a correction is a new record
    declare(InterferenceRecord, "delete", never)
    declare(InterferenceRecord, "import", DISCIPLINE)
    declare(InterferenceRecord, "export", DISCIPLINE | STAFF)
    declare(MonthlyReport, "view", (DISCIPLINE | STAFF) & in_scope("view"))
    declare(MonthlyReport, "add", STAFF)
    declare(MonthlyReport, "change", never)
    declare(MonthlyReport, "delete", never)
    declare("integrity.view_report_figures", PARTY_OFFICE | DISCIPLINE)   # figures and the missing list


_declare_all()
