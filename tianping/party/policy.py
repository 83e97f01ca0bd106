"""Who may do what with party organisations, members, dues and points: the only place in the party app that
names a role.

Two questions, answered here once:
- *which rows* a user's roles reach for an action (`organisation_scope`, `member_scope`, `person_scope`), read
  by the querysets' `scoped_to(user, action)` in models.py;
- *whether* the user may do the action at all, and to this object: `declare(Model, action, predicate)`, read
  by the views (`permission_required`, `object_permission`, `can`), the menu, the buttons and the templates
  (`{% can "change" obj as ok %}`).

Reach (the same for every party model; a child record follows its organisation or its member):
- 政治部/机关党委 (party office): the whole of its court, to read and to change;
- 院领导 (leader): the whole of its court, to read only;
- 支部书记 (branch secretary): the branches they lead now (书记/副书记) and the 党小组 below, to read and change;
- 党员 (member): their own record and their own branch's page, to read only;
- 上级法院 (higher court): nothing here. It reads figures of the courts below in the figures pages of other
  apps, never a roster, an organisation page, a picture or a member (docs/security.md);
- the three administrators: nothing.

An object predicate answers obj=None too ("some object of the kind": a menu item, an add button); for a child
record's "add" the object may be its parent (`allowed(user, "party.add_brandpicture", org)` = may add a
picture to this organisation)."""

from __future__ import annotations

import rules
from django.db.models import Q

from tianping.core import roles as _roles
from tianping.core.policy import declare, has_role, in_scope
from tianping.core.roles import Role
from tianping.party.models import (
    BranchMembership,
    BrandPicture,
    CommitteePost,
    DuesBase,
    DuesPayment,
    DuesReduction,
    DuesRule,
    MemberStep,
    PartyMember,
    PartyOrganisation,
    PartySetting,
    PartyTransfer,
    PointsEntry,
    PointsRule,
)

# --- roles -------------------------------------------------------------------------------------------------
OFFICE = has_role(Role.PARTY_OFFICE)
READS_COURT = has_role(Role.PARTY_OFFICE, Role.LEADER)
SECRETARY = has_role(Role.BRANCH_SECRETARY)
MANAGERS = READS_COURT | SECRETARY           # read the party records of a court or a branch
RECORDERS = OFFICE | SECRETARY               # record steps, transfers, dues
MEMBERS = MANAGERS | has_role(Role.MEMBER)   # also a member's own record

# actions that only read; everything else is a change and reaches no further than the change scope
READ_ACTIONS = frozenset({"view", "export"})


def led_branch_ids(user) -> list[int]:
    """The branches whose 书记 or 副书记 the user's person is today."""
    from tianping.party.selectors import branches_led_by

    return list(branches_led_by(user).values_list("pk", flat=True))


def _reads(action: str) -> bool:
    return action in READ_ACTIONS


def _whole_court(user, action: str) -> bool:
    held = _roles.user_roles(user)
    if Role.PARTY_OFFICE in held:
        return True
    return _reads(action) and Role.LEADER in held


# --- row scopes (read by models.py: `scoped_to(user, action)`); None = every row of the user's courts ----
def organisation_scope(user, action: str = "view") -> Q | None:
    if _roles.is_superuser_without_roles(user) or _whole_court(user, action):
        return None
    held = _roles.user_roles(user)
    q = Q(pk__in=[])
    if Role.BRANCH_SECRETARY in held:
        led = led_branch_ids(user)
        q |= Q(pk__in=led) | Q(parent_id__in=led)
    if _reads(action) and Role.MEMBER in held and getattr(user, "person_id", None):
        q |= Q(pk__in=PartyMember.objects.filter(person_id=user.person_id, branch__isnull=False)
               .values("branch_id"))
    return q


def member_scope(user, action: str = "view") -> Q | None:
    """Over PartyMember: whose party records the user reaches."""
    if _roles.is_superuser_without_roles(user) or _whole_court(user, action):
        return None
    held = _roles.user_roles(user)
    q = Q(pk__in=[])
    if Role.BRANCH_SECRETARY in held:
        led = led_branch_ids(user)
        q |= Q(branch_id__in=led) | Q(branch__parent_id__in=led)
    if _reads(action) and held & {Role.MEMBER, Role.BRANCH_SECRETARY} and getattr(user, "person_id", None):
        q |= Q(person_id=user.person_id)
    return q


def person_scope(user, action: str = "view") -> Q | None:
    """Over org.Person, for records that belong to a person (points): the people the user reaches."""
    if _roles.is_superuser_without_roles(user) or _whole_court(user, action):
        return None
    held = _roles.user_roles(user)
    q = Q(pk__in=[])
    if Role.BRANCH_SECRETARY in held:
        led = led_branch_ids(user)
        q |= Q(party_member__branch_id__in=led) | Q(party_member__branch__parent_id__in=led)
    if _reads(action) and held & {Role.MEMBER, Role.BRANCH_SECRETARY} and getattr(user, "person_id", None):
        q |= Q(pk=user.person_id)
    return q


# --- object predicates ---------------------------------------------------------------------------------
def organisation_in_scope(action: str) -> rules.Predicate:
    """The object's organisation (the object itself, or its `.organisation`) is within the action's reach."""
    return in_scope(action, model=PartyOrganisation, via="organisation")


def member_in_scope(action: str) -> rules.Predicate:
    """The object's party record (the object itself, or its `.member`) is within the action's reach."""
    return in_scope(action, model=PartyMember, via="member")


def points_in_scope(action: str) -> rules.Predicate:
    """The points entry's person is within the action's reach."""
    return in_scope(action, model=PointsEntry)


never = rules.always_deny  # append-only records: corrected by a new entry, never edited or deleted

# --- organisations --------------------------------------------------------------------------------------
declare(PartyOrganisation, "view", MEMBERS & organisation_in_scope("view"))
declare(PartyOrganisation, "add", OFFICE)
# a secretary changes their branch's brand; the structure (name, kind, parent, departments) is the office's
declare(PartyOrganisation, "change", RECORDERS & organisation_in_scope("change"))
declare(PartyOrganisation, "restructure", OFFICE & organisation_in_scope("change"))
declare(PartyOrganisation, "delete", OFFICE & organisation_in_scope("delete"))
declare(PartyOrganisation, "import", OFFICE)
declare(PartyOrganisation, "export", MANAGERS)

# committee posts are approved by the higher organisation: the party office records them
declare(CommitteePost, "view", MEMBERS & organisation_in_scope("view"))
declare(CommitteePost, "add", OFFICE & organisation_in_scope("change"))
declare(CommitteePost, "change", OFFICE & organisation_in_scope("change"))
declare(CommitteePost, "delete", OFFICE & organisation_in_scope("delete"))

declare(BrandPicture, "view", MEMBERS & organisation_in_scope("view"))
declare(BrandPicture, "add", RECORDERS & organisation_in_scope("change"))
declare(BrandPicture, "delete", RECORDERS & organisation_in_scope("delete"))

# --- members ---------------------------------------------------------------------------------------------
declare("party.view_my_record", has_role(Role.MEMBER))
declare(PartyMember, "view", MEMBERS & member_in_scope("view"))
# a new record is opened in a branch the user may change (checked again against the chosen branch)
declare(PartyMember, "add", RECORDERS)
declare(PartyMember, "change", RECORDERS & member_in_scope("change"))
declare(PartyMember, "delete", never)  # a record is closed (transfer out, cancellation), never deleted
declare(PartyMember, "import", OFFICE)
declare(PartyMember, "export", MANAGERS)

declare(MemberStep, "view", MEMBERS & member_in_scope("view"))
declare(MemberStep, "add", RECORDERS & member_in_scope("change"))
# 接收预备党员, 转正, 延长预备期, 取消资格: decisions of the branch's general assembly, recorded with evidence
declare(MemberStep, "approve", RECORDERS & member_in_scope("change"))
declare(MemberStep, "change", never)
declare(MemberStep, "delete", never)

declare(BranchMembership, "view", MEMBERS & member_in_scope("view"))

declare(PartyTransfer, "view", MANAGERS & member_in_scope("view"))
declare(PartyTransfer, "add", RECORDERS & member_in_scope("change"))
declare(PartyTransfer, "export", MANAGERS)

# --- dues --------------------------------------------------------------------------------------------------
declare(DuesPayment, "view", MEMBERS & member_in_scope("view"))
declare(DuesPayment, "add", RECORDERS & member_in_scope("change"))
declare(DuesPayment, "change", RECORDERS & member_in_scope("change"))
declare(DuesPayment, "delete", never)
declare(DuesPayment, "import", OFFICE)
declare(DuesPayment, "export", MANAGERS)
# the monthly sheets, arrears and totals of whole branches (a member sees their own months on their record)
declare("party.view_dues_sheet", MANAGERS)

declare(DuesBase, "view", MEMBERS & member_in_scope("view"))
declare(DuesBase, "add", RECORDERS & member_in_scope("change"))
declare(DuesReduction, "view", MEMBERS & member_in_scope("view"))
declare(DuesReduction, "add", RECORDERS & member_in_scope("change"))

# the rules (dues bands, intervals, points values) are changed by a data migration, not on a page
declare(DuesRule, "view", READS_COURT)
declare(PartySetting, "view", READS_COURT)
declare(PointsRule, "view", READS_COURT)
declare("party.view_rules", READS_COURT)

# --- points ------------------------------------------------------------------------------------------------
declare(PointsEntry, "view", MEMBERS & points_in_scope("view"))
declare(PointsEntry, "add", OFFICE)  # a manual adjustment with a reason
declare(PointsEntry, "reverse", OFFICE & points_in_scope("change"))
declare(PointsEntry, "change", never)
declare(PointsEntry, "delete", never)
declare(PointsEntry, "export", MANAGERS)
# figures of whole branches: the points ranking, the home panel
declare("party.view_figures", MANAGERS)


def own_branch(user) -> PartyOrganisation | None:
    """The branch preselected on a branch secretary's pages (dues, ranking, new records): the one branch they
    lead; None for those who read the whole court, lead several branches or none."""
    from tianping.party.selectors import branches_led_by

    if _roles.is_superuser_without_roles(user) or _whole_court(user, "view"):
        return None
    if Role.BRANCH_SECRETARY not in _roles.user_roles(user):
        return None
    led = list(branches_led_by(user)[:2])
    return led[0] if len(led) == 1 else None
