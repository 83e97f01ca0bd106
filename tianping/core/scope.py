"""Who may read what: roles of a user, the courts whose business data they may read, and the rules for
personal data (the staff roster, full ID numbers, personal-data exports).

Every model's `visible_to(user)` starts from `readable_court_ids(user)` and narrows by role. The rules
(also in CONTRACTS.md and docs/security.md):

- 院领导 (leader), 政治部/机关党委 (party_office), 审管办 (trial_office): the whole of their own court.
- 支部书记 (branch_secretary): the people of the branches they lead (`tianping.party.selectors.branches_led_by`)
  plus themselves.
- 党员/干警 (member) and 调解员 (mediator): themselves.
- 上级法院 (higher_court): read-only *figures* of the courts below; no personal data of another court.
- 系统管理员/安全管理员/审计管理员: no business and no personal data at all (三员分立).
"""

from __future__ import annotations

import logging

from django.http import Http404

logger = logging.getLogger(__name__)

_ROLE_CACHE = "_tianping_roles"
_COURTS_CACHE = "_tianping_court_ids"
_BRANCH_PEOPLE_CACHE = "_tianping_branch_people"


def user_roles(user) -> set[str]:
    """The role codes (tianping.org.models.Role) an account holds; cached on the user object."""
    if user is None or not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, _ROLE_CACHE, None)
    if cached is None:
        cached = set(user.role_grants.values_list("role", flat=True))
        setattr(user, _ROLE_CACHE, cached)
    return cached


def forget_cached_roles(user) -> None:
    for attr in (_ROLE_CACHE, _COURTS_CACHE, _BRANCH_PEOPLE_CACHE):
        if hasattr(user, attr):
            delattr(user, attr)


def has_role(user, *roles: str) -> bool:
    return bool(user_roles(user) & set(roles))


# Roles that read business data of their own court.
BUSINESS_ROLES = {"leader", "party_office", "branch_secretary", "member", "trial_office", "mediator"}
# The three administrators (三员): accounts/settings, security policy, audit trail — no business data.
ADMIN_ROLES = {"sysadmin", "secadmin", "auditor"}
# Roles that read the personal data (roster) of everybody in their own court.
COURT_ROSTER_ROLES = {"leader", "party_office", "trial_office"}


def is_superuser_without_roles(user) -> bool:
    """A development/test superuser holding no role reads everything; production needs no superuser."""
    return bool(getattr(user, "is_superuser", False)) and not user_roles(user)


def readable_court_ids(user) -> list[int] | None:
    """Courts whose records the user may read; [] for none. None is never returned for real accounts
    (a superuser is not needed in production; in tests a superuser without roles reads all)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, _COURTS_CACHE, None)
    if cached is not None:
        return cached
    roles = user_roles(user)
    ids: list[int] | None
    if not roles and user.is_superuser:
        ids = None
    elif roles & BUSINESS_ROLES and user.court_id:
        ids = [user.court_id]
        if "higher_court" in roles:
            ids = user.court.descendant_ids()
    elif "higher_court" in roles and user.court_id:
        ids = user.court.descendant_ids()
    else:
        ids = []  # the three administrators read no business or personal data
    setattr(user, _COURTS_CACHE, ids)
    return ids


def branch_person_ids(user) -> set[int]:
    """Ids of the people in the party branches this user leads now (a branch secretary's scope).

    Uses `tianping.party.selectors.branches_led_by(user)` and the branch's current roster. Until the party
    app provides them (it is developed alongside), the fallback is the people of the departments that the
    secretary's own department belongs to — i.e. the secretary's own department — and a warning is logged."""
    cached = getattr(user, _BRANCH_PEOPLE_CACHE, None)
    if cached is not None:
        return cached
    ids: set[int] = set()
    try:
        from tianping.party import selectors as party_selectors

        branches_led_by = party_selectors.branches_led_by
        branch_roster_on = party_selectors.branch_roster_on
    except (ImportError, AttributeError):
        branches_led_by = branch_roster_on = None
    if branches_led_by is not None and branch_roster_on is not None:
        from django.utils import timezone

        today = timezone.localdate()
        for branch in branches_led_by(user):
            ids.update(branch_roster_on(branch, today).values_list("id", flat=True))
    else:
        logger.warning("tianping.party.selectors is not available: branch secretary scope falls back to own "
                       "department")
        person = getattr(user, "person", None)
        if person is not None and person.department_id:
            from tianping.org.models import Person

            ids.update(Person.objects.filter(department_id=person.department_id).values_list("id", flat=True))
    setattr(user, _BRANCH_PEOPLE_CACHE, ids)
    return ids


def person_scope_filter(user):
    """A Q over org.Person (field names relative to Person) for the people whose personal data the user may
    read, or None for "everyone" (a role-less superuser). Used by `PersonQuerySet.visible_to` and by any
    app model that belongs to one person (filter with `person__in=Person.objects.visible_to(user)`)."""
    from django.db.models import Q

    if user is None or not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    if is_superuser_without_roles(user):
        return None
    roles = user_roles(user)
    if not user.court_id or not (roles & BUSINESS_ROLES):
        return Q(pk__in=[])  # administrators and higher-court accounts: no personal data
    q = Q(pk__in=[])
    if roles & COURT_ROSTER_ROLES:
        q |= Q(court_id=user.court_id)
    if "branch_secretary" in roles:
        q |= Q(pk__in=branch_person_ids(user), court_id=user.court_id)
    if getattr(user, "person_id", None):
        q |= Q(pk=user.person_id)
    return q


def can_reveal_personal(user) -> bool:
    """May see a full ID number (after stating a reason, audited): the political department, which keeps
    the roster. Nobody else; administrators never."""
    return has_role(user, "party_office") or is_superuser_without_roles(user)


def can_export_personal(user) -> bool:
    """May download spreadsheets with full ID numbers and phones (audited); others get them masked."""
    return has_role(user, "party_office") or is_superuser_without_roles(user)


def get_visible_or_404(queryset, user, **lookup):
    """Fetch one object within the user's scope; outside it answer 404 and log a denied access.

    The denied access is logged whether or not the object exists, so the audit trail shows probing, and
    the answer is the same 404 either way (no oracle for existence)."""
    obj = queryset.visible_to(user).filter(**lookup).first()
    if obj is None:
        from tianping.core.audit import audit_record

        model = queryset.model._meta.label_lower
        exists = queryset.model._default_manager.filter(**lookup).exists()
        audit_record(actor=user, event="access.denied", court_id=getattr(user, "court_id", None),
                     message=f"{model} {lookup}" + ("" if exists else " (不存在)"))
        raise Http404
    return obj


# Register columns whose values are personal identifiers: masked in exports for users without
# `can_export_personal` (the column keeps its place, so the layout still matches the import template).
PERSONAL_COLUMN_SUFFIXES = ("id_number", "phone", "mobile")


def is_personal_column(column) -> bool:
    return bool(getattr(column, "personal", False)) or str(column.field).endswith(PERSONAL_COLUMN_SUFFIXES)


def register_for_user(reg, user):
    """The register as this user may export it: personal columns masked unless `can_export_personal(user)`.

    Returns (register, full) where `full` says whether personal data leaves in clear (the audit entry says so)."""
    import dataclasses

    from tianping.core.validators import mask_id_number, mask_phone

    personal = [c for c in reg.columns if is_personal_column(c)]
    if not personal:
        return reg, False
    if can_export_personal(user):
        return reg, True
    columns = []
    for col in reg.columns:
        if col in personal:
            masker = mask_id_number if "id_number" in str(col.field) else mask_phone
            columns.append(dataclasses.replace(col, export=lambda obj, _c=col, _m=masker: _m(str(_c.value_of(obj) or ""))))
        else:
            columns.append(col)
    return dataclasses.replace(reg, columns=columns), False
