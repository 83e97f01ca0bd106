"""Who may do what with the service records (docs/service.md).

- Readers of records: 院领导 (LEADER), 政治部 (PARTY_OFFICE), 审管办 (TRIAL_OFFICE) read the court's records;
  a branch secretary those of the people on the rosters of the branches they lead; any other business account
  linked to a person (MEMBER) their own. The rows are each model's `scoped_to` (service/models.py).
- Revisits: the trial office, the political department and branch secretaries draw samples, assign the calls
  and record them; whoever is assigned a call records it; the follow-up's owner (or the trial office / the
  political department) closes it with the answer given.
- Circuit trials: recorded by the trial office, the political department, a branch secretary or the judge
  who held it; the list of places is kept by the trial office and the political department.
- Publicity events and 双包双联: the political department and branch secretaries record them; pairings are
  set up by the political department.
- Complaints about conduct: the political department registers, assigns and closes them; the handler answers.
  Nobody else sees one, except the person complained about once it is closed.
- The higher court (HIGHER_COURT): the figures of the courts below, never a record (404).
"""

from __future__ import annotations

import rules

from tianping.core.policy import declare, has_role, in_scope
from tianping.core.roles import Role


@rules.predicate
def has_court(user) -> bool:
    return bool(getattr(user, "court_id", None))


@rules.predicate
def has_person(user) -> bool:
    return bool(getattr(user, "person_id", None))


@rules.predicate
def of_own_court(user, obj) -> bool:
    return obj is None or (bool(getattr(user, "court_id", None)) and obj.court_id == user.court_id)


@rules.predicate
def is_caller(user, assignment) -> bool:
    """The account's person is to make this call (model level: is assigned some call)."""
    person_id = getattr(user, "person_id", None)
    if not person_id:
        return False
    if assignment is None:
        from tianping.service.models import RevisitAssignment

        return RevisitAssignment.objects.filter(caller_id=person_id).exists()
    return bool(assignment.caller_id == person_id)


@rules.predicate
def owns_follow_up(user, follow_up) -> bool:
    person_id = getattr(user, "person_id", None)
    if not person_id:
        return False
    if follow_up is None:
        return True
    return bool(follow_up.owner_id == person_id)


@rules.predicate
def handles_complaint(user, complaint) -> bool:
    person_id = getattr(user, "person_id", None)
    if not person_id:
        return False
    if complaint is None:
        return True
    return bool(complaint.handler_id == person_id)


@rules.predicate
def involved_in_complaints(user) -> bool:
    """The account's person handles a complaint, or was complained about in one that is closed (model level:
    the menu and the list; the rows are ComplaintQuerySet.scoped_to's)."""
    person_id = getattr(user, "person_id", None)
    if not person_id:
        return False
    cached = getattr(user, "_tianping_complaints", None)
    if cached is None:
        from django.db.models import Q

        from tianping.service.models import Complaint, ComplaintStatus

        cached = Complaint.objects.filter(Q(handler_id=person_id) | Q(subject_id=person_id,
                                                                       status=ComplaintStatus.CLOSED)).exists()
        user._tianping_complaints = cached
    return bool(cached)


never = rules.always_deny

COURT_READERS = has_court & has_role(Role.LEADER, Role.PARTY_OFFICE, Role.TRIAL_OFFICE)
READERS = COURT_READERS | (has_court & has_person & has_role(Role.BRANCH_SECRETARY, Role.MEMBER))
REVISIT_KEEPERS = has_court & has_role(Role.TRIAL_OFFICE, Role.PARTY_OFFICE, Role.BRANCH_SECRETARY)
COURT_KEEPERS = has_court & has_role(Role.TRIAL_OFFICE, Role.PARTY_OFFICE)
PARTY_OFFICE = has_court & has_role(Role.PARTY_OFFICE)
PARTY_WORK = has_court & has_role(Role.PARTY_OFFICE, Role.BRANCH_SECRETARY)
HIGHER = has_court & has_role(Role.HIGHER_COURT)


def _declare_all() -> None:
    from tianping.service.models import (
        CircuitPlace,
        CircuitTrial,
        Complaint,
        FollowUp,
        OutreachEvent,
        Partnership,
        PartnerVisit,
        Revisit,
        RevisitAssignment,
        RevisitSample,
        ServiceSettings,
    )

    # --- revisits ---------------------------------------------------------------------------------------
    declare(RevisitSample, "view", READERS & in_scope("view"))
    declare(RevisitSample, "add", REVISIT_KEEPERS)             # 抽取回访案件
    declare(RevisitSample, "change", never)                    # a drawing is a record: its seed reproduces it
    declare(RevisitSample, "delete", never)
    declare(RevisitAssignment, "view", READERS & in_scope("view"))
    declare(RevisitAssignment, "record", (REVISIT_KEEPERS | is_caller) & in_scope("view"))  # 登记回访
    declare(RevisitAssignment, "assign", REVISIT_KEEPERS & in_scope("view"))                # 更换回访人
    declare(Revisit, "view", READERS & in_scope("view"))
    declare(Revisit, "add", REVISIT_KEEPERS | is_caller)
    declare(Revisit, "change", never)      # corrected by re-importing the row (the natural key finds it)
    declare(Revisit, "delete", never)
    declare(Revisit, "import", COURT_KEEPERS)
    declare(Revisit, "export", READERS)
    declare(FollowUp, "view", READERS & in_scope("view"))
    declare(FollowUp, "close", (owns_follow_up | COURT_KEEPERS) & in_scope("view"))
    declare(ServiceSettings, "view", COURT_KEEPERS & of_own_court)
    declare(ServiceSettings, "change", COURT_KEEPERS & of_own_court)

    # --- circuit trials -----------------------------------------------------------------------------------
    declare(CircuitPlace, "view", READERS)
    declare(CircuitPlace, "add", COURT_KEEPERS)
    declare(CircuitPlace, "change", COURT_KEEPERS & of_own_court)
    declare(CircuitPlace, "delete", never)  # retired by clearing 启用: trials held there keep their place
    declare(CircuitTrial, "view", READERS & in_scope("view"))
    declare(CircuitTrial, "add", COURT_KEEPERS | (has_court & has_person & has_role(Role.BRANCH_SECRETARY,
                                                                                    Role.MEMBER)))
    declare(CircuitTrial, "change", never)
    declare(CircuitTrial, "delete", never)
    declare(CircuitTrial, "import", COURT_KEEPERS)
    declare(CircuitTrial, "export", READERS)

    # --- 法官六进 and legal publicity ------------------------------------------------------------------------
    declare(OutreachEvent, "view", READERS & in_scope("view"))
    declare(OutreachEvent, "add", PARTY_WORK)
    declare(OutreachEvent, "change", never)
    declare(OutreachEvent, "delete", never)
    declare(OutreachEvent, "import", PARTY_OFFICE)
    declare(OutreachEvent, "export", READERS)

    # --- 双包双联 ---------------------------------------------------------------------------------------------
    declare(Partnership, "view", READERS & in_scope("view"))
    declare(Partnership, "add", PARTY_OFFICE)
    declare(Partnership, "change", PARTY_OFFICE & of_own_court)
    declare(Partnership, "delete", never)
    declare(PartnerVisit, "view", READERS & in_scope("view"))
    declare(PartnerVisit, "add", PARTY_WORK)
    declare(PartnerVisit, "change", never)
    declare(PartnerVisit, "delete", never)
    declare(PartnerVisit, "import", PARTY_OFFICE)
    declare(PartnerVisit, "export", READERS)

    # --- complaints about conduct ---------------------------------------------------------------------------
    declare(Complaint, "view", (PARTY_OFFICE | (has_court & involved_in_complaints)) & in_scope("view"))
    declare(Complaint, "add", PARTY_OFFICE)
    declare(Complaint, "assign", PARTY_OFFICE & of_own_court)
    declare(Complaint, "answer", (handles_complaint | PARTY_OFFICE) & of_own_court)
    declare(Complaint, "close", PARTY_OFFICE & of_own_court)
    declare(Complaint, "change", never)
    declare(Complaint, "delete", never)

    # --- pages ------------------------------------------------------------------------------------------------
    declare("service.view_figures", READERS | HIGHER)    # the service page (the higher court: figures only)
    declare("service.view_court_figures", COURT_READERS | HIGHER)  # the by-judge / department / branch tables


_declare_all()
