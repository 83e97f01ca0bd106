"""Who may do what with disputes, the roster (mediators, studios) and the traffic studio's reference data.

The centre has three kinds of people (docs/mediation.md):
- the centre's desk (Role.CENTRE, 诉调对接中心): registers disputes (登记 = "add"), triages and reassigns them
  (指导分流 = "triage"), transfers them to filing (转立案 = "transfer"), keeps the roster and the statistics,
  and reads every dispute of its court. A judge of the centre's judicial-confirmation room (司法确认室) also
  rules on applications for judicial confirmation ("confirm").
- the handlers ("handle"): the mediator of the roster the dispute is assigned to (Mediator.user, usually an
  account with Role.MEDIATOR) and the judge of the studio it is assigned to (Studio.judge, any account linked
  to that person); they accept, record sessions, extend, record agreements or failure, add materials and
  calculations. The desk may act for a handler (it hands over paper the parties bring to the desk).
- readers: 院领导 (LEADER) and 审管办 (TRIAL_OFFICE) read every dispute of the court; the higher court reads
  the figures only (never a dispute, a party or the roster).

CentreStaff keeps its two flags, because the two desks are staffed by different people and one of them is a
judicial act: `can_confirm` says the CENTRE account belongs to the 司法确认室 (a ruling on judicial confirmation
is made by a judge, not by the clerk who registered the dispute); `can_intake=False` makes a confirmation-room
account that does not work the intake desk. A CENTRE account without a CentreStaff entry works the intake
desk only — the common case, so the role alone is enough to run the centre's front desk. The flags no longer
grant anything on their own: without Role.CENTRE a CentreStaff entry is inert (migration 0003 gave the role to
the accounts that had an entry).

Child records (parties, sessions, extensions, materials, calculations) have no permissions of their own: they
are read with their dispute and written only through the dispute's actions.
"""

from __future__ import annotations

import rules

from tianping.core.policy import declare, has_role, in_scope
from tianping.core.roles import Role

_STAFF_CACHE = "_tianping_centre_staff"
_STUDIO_CACHE = "_tianping_studio_judge"


def _centre_staff(user):
    cached = getattr(user, _STAFF_CACHE, False)
    if cached is False:
        from tianping.mediation.models import CentreStaff

        cached = CentreStaff.objects.filter(user_id=user.pk).first() if user.pk else None
        setattr(user, _STAFF_CACHE, cached)
    return cached


@rules.predicate
def at_intake_desk(user) -> bool:
    """诉调对接中心 (Role.CENTRE) at the intake desk: no CentreStaff entry, or one with can_intake."""
    if Role.CENTRE not in _role_set(user):
        return False
    staff = _centre_staff(user)
    return staff is None or staff.can_intake


@rules.predicate
def in_confirmation_room(user) -> bool:
    """诉调对接中心 (Role.CENTRE) with a CentreStaff entry marked can_confirm (司法确认室)."""
    if Role.CENTRE not in _role_set(user):
        return False
    staff = _centre_staff(user)
    return bool(staff and staff.can_confirm)


@rules.predicate
def is_studio_judge(user) -> bool:
    """The account's person is the judge of a judge's studio (法官工作室) of the centre."""
    cached = getattr(user, _STUDIO_CACHE, None)
    if cached is None:
        from tianping.mediation.models import Studio

        cached = bool(getattr(user, "person_id", None)) and Studio.objects.filter(judge_id=user.person_id).exists()
        setattr(user, _STUDIO_CACHE, cached)
    return cached


@rules.predicate
def of_own_court(user, obj) -> bool:
    """The object belongs to the user's court (True for the model-level question)."""
    return obj is None or (bool(getattr(user, "court_id", None)) and obj.court_id == user.court_id)


@rules.predicate
def assigned_to_user(user, dispute) -> bool:
    """The dispute is assigned to the user: its mediator's account or its studio's judge.
    Model level (no dispute): the user may be assigned disputes at all."""
    if dispute is None:
        return Role.MEDIATOR in _role_set(user) or is_studio_judge(user)
    if dispute.mediator_id and dispute.mediator.user_id == user.pk:
        return True
    return bool(dispute.studio_id and getattr(user, "person_id", None)
                and dispute.studio.judge_id == user.person_id)


_ENTRUSTING_CACHE = "_tianping_entrusting_judge"


@rules.predicate
def entrusted_mediation(user) -> bool:
    """The account's person is the judge of a case whose mediation was entrusted (诉中委托调解): they follow
    those mediations (DisputeQuerySet.scoped_to reaches exactly them)."""
    cached = getattr(user, _ENTRUSTING_CACHE, None)
    if cached is None:
        from tianping.mediation.models import Dispute

        person_id = getattr(user, "person_id", None)
        cached = bool(person_id) and Dispute.objects.filter(litigation_case__judge_id=person_id).exists()
        setattr(user, _ENTRUSTING_CACHE, cached)
    return cached


@rules.predicate
def judges_open_case(user, case) -> bool:
    """The account's person is the 承办人 of the open case (诉中委托调解 is the handling judge's decision).
    Model level (no case): the account is linked to a person, so it may handle cases at all."""
    person_id = getattr(user, "person_id", None)
    if case is None:
        return bool(person_id)
    return bool(person_id) and case.judge_id == person_id and case.closed_on is None \
        and case.court_id == getattr(user, "court_id", None)


@rules.predicate
def station_secretary(user) -> bool:
    """A tribunal's secretary (支部书记 of a people's tribunal with a service station): its station's figures."""
    from tianping.mediation.selectors import secretary_station

    return secretary_station(user) is not None


def _role_set(user) -> set[str]:
    from tianping.core.roles import user_roles

    return user_roles(user)


never = rules.always_deny

DESK = at_intake_desk & of_own_court
HANDLER = assigned_to_user | DESK
# who may handle some dispute (Dispute "handle" asked of the model): the calculator's users
CALCULATOR_USERS = has_role(Role.MEDIATOR) | is_studio_judge | at_intake_desk
# who works with the centre's disputes at all (menu, lists, roster, reference data)
CENTRE_PEOPLE = has_role(Role.LEADER, Role.TRIAL_OFFICE, Role.CENTRE, Role.MEDIATOR) | is_studio_judge


def _declare_all() -> None:
    from tianping.mediation.models import (
        CentreStaff,
        Committee,
        Dispute,
        GuidanceActivity,
        InsuranceLimit,
        Mediator,
        ProvinceStatistic,
        Site,
        Studio,
    )

    # --- disputes -------------------------------------------------------------------------------------
    declare(Dispute, "view", (CENTRE_PEOPLE | entrusted_mediation) & in_scope("view"))
    declare(Dispute, "add", at_intake_desk)                    # 登记 (intake)
    declare(Dispute, "triage", DESK)                           # 指导分流, 更换调解员
    declare(Dispute, "handle", HANDLER)                        # the mediator's or studio's actions, materials
    declare(Dispute, "confirm", in_confirmation_room & of_own_court)   # 司法确认裁定
    declare(Dispute, "transfer", DESK)                         # 转立案
    declare(Dispute, "change", never)    # a registered dispute changes only through its actions
    declare(Dispute, "delete", never)    # never deleted: a withdrawal or failure is recorded instead
    declare(Dispute, "import", at_intake_desk)  # the court's earlier ledger (services.dispute_import_row)
    declare(Dispute, "export", has_role(Role.LEADER, Role.TRIAL_OFFICE, Role.CENTRE) | assigned_to_user)

    # 诉中委托调解: the judge of an open case entrusts it to a mediator or studio (from the case's page)
    from tianping.trials.models import Case

    declare(Case, "entrust", judges_open_case)

    # --- the roster -----------------------------------------------------------------------------------
    for model in (Mediator, Studio):
        declare(model, "view", CENTRE_PEOPLE)
        declare(model, "add", at_intake_desk)
        declare(model, "change", DESK)
        declare(model, "delete", never)  # retired by clearing 在册/启用: the disputes keep their handler

    # --- guidance of people's mediation: the committees' register, visits and trainings ----------------------
    declare(Committee, "view", CENTRE_PEOPLE)
    declare(Committee, "add", at_intake_desk)
    declare(Committee, "change", DESK)
    declare(Committee, "delete", never)  # retired by clearing 在册: its mediators and disputes keep it
    declare(Committee, "import", at_intake_desk)
    declare(Committee, "export", CENTRE_PEOPLE)
    declare(GuidanceActivity, "view", CENTRE_PEOPLE)
    declare(GuidanceActivity, "add", at_intake_desk | is_studio_judge)  # the desk or a studio's judge records it
    for action in ("change", "delete"):
        declare(GuidanceActivity, action, never)  # a record of what happened

    declare(Site, "view", CENTRE_PEOPLE)
    for action in ("add", "change", "delete"):
        declare(Site, action, never)  # the centre and one station per tribunal: services.sites_ensure

    declare(CentreStaff, "view", has_role(Role.LEADER, Role.CENTRE))
    for action in ("add", "change", "delete"):
        declare(CentreStaff, action, never)  # set up with the account (Django admin), not from these pages

    # --- the traffic studio's reference data ----------------------------------------------------------
    declare(ProvinceStatistic, "view", CENTRE_PEOPLE)
    declare(ProvinceStatistic, "add", at_intake_desk)
    declare(ProvinceStatistic, "change", at_intake_desk)
    declare(ProvinceStatistic, "delete", never)
    declare(ProvinceStatistic, "import", at_intake_desk)
    declare(ProvinceStatistic, "export", CENTRE_PEOPLE)
    declare(InsuranceLimit, "view", CENTRE_PEOPLE)
    for action in ("add", "change", "delete"):
        declare(InsuranceLimit, action, never)  # set by law; changed by a data migration

    # --- pages ----------------------------------------------------------------------------------------
    # the figures count disputes: the higher court gets the courts below, without links (figures only)
    declare("mediation.view_figures", CENTRE_PEOPLE | has_role(Role.HIGHER_COURT) | station_secretary)
    # the figures link to the lists behind them only for those who may read disputes
    declare("mediation.view_figure_lists", CENTRE_PEOPLE)
    # the traffic studio's calculator on its own page (a lawyer or party asking "how much?" before any dispute
    # is registered): whoever may use a dispute's calculator — the intake desk, mediators, studios' judges
    declare("mediation.use_calculator", CALCULATOR_USERS)


_declare_all()
