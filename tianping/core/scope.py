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
from typing import Any

from django.db.models import Q
from django.http import Http404

from tianping.core.roles import (
    _ROLE_CACHE,
    ADMIN_ROLES,
    BUSINESS_ROLES,
    COURT_ROSTER_ROLES,
    Role,
    has_role,
    is_superuser_without_roles,
    user_roles,
)

__all__ = ["ADMIN_ROLES", "BUSINESS_ROLES", "COURT_ROSTER_ROLES", "has_role", "is_superuser_without_roles",
           "user_roles"]

logger = logging.getLogger(__name__)

_COURTS_CACHE = "_tianping_court_ids"
_BRANCH_PEOPLE_CACHE = "_tianping_branch_people"


def forget_cached_roles(user: Any) -> None:
    for attr in (_ROLE_CACHE, _COURTS_CACHE, _BRANCH_PEOPLE_CACHE):
        if hasattr(user, attr):
            delattr(user, attr)


def readable_court_ids(user: Any) -> list[int] | None:
    """Courts whose records the user may read; [] for none. None is never returned for real accounts
    (a superuser is not needed in production; in tests a superuser without roles reads all)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    cached: list[int] | None = getattr(user, _COURTS_CACHE, None)
    if cached is not None:
        return cached
    roles = user_roles(user)
    ids: list[int] | None
    if not roles and user.is_superuser:
        ids = None
    elif roles & BUSINESS_ROLES and user.court_id:
        ids = [user.court_id]
        if Role.HIGHER_COURT in roles:
            ids = user.court.descendant_ids()
    elif Role.HIGHER_COURT in roles and user.court_id:
        ids = user.court.descendant_ids()
    else:
        ids = []  # the three administrators read no business or personal data
    setattr(user, _COURTS_CACHE, ids)
    return ids


def role_person_ids(user: Any, role: str) -> set[int]:
    """Ids of the people a role reaches beyond the user's own record, as the owning app registered it
    (`tianping.core.registry.register_person_scope`; the party app registers the branch secretary's branches)."""
    from tianping.core.registry import person_scopes

    cache: dict[str, set[int]] | None = getattr(user, _BRANCH_PEOPLE_CACHE, None)
    if cache is None:
        cache = {}
        setattr(user, _BRANCH_PEOPLE_CACHE, cache)
    if role not in cache:
        func = person_scopes.get(str(role))
        cache[role] = set(func(user)) if func is not None else set()
    return cache[role]


def branch_person_ids(user: Any) -> set[int]:
    """Ids of the people in the party branches this user leads now (a branch secretary's scope)."""
    return role_person_ids(user, Role.BRANCH_SECRETARY)


def person_scope_filter(user: Any) -> Q | None:
    """A Q over org.Person (field names relative to Person) for the people whose personal data the user may
    read, or None for "everyone" (a role-less superuser). Used by `PersonQuerySet.visible_to` and by any
    app model that belongs to one person (filter with `person__in=Person.objects.visible_to(user)`)."""
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
    if Role.BRANCH_SECRETARY in roles:
        q |= Q(pk__in=branch_person_ids(user), court_id=user.court_id)
    if getattr(user, "person_id", None):
        q |= Q(pk=user.person_id)
    return q


REVEAL_PERMISSION = "accounts.reveal_personal"  # declared in tianping/accounts/policy.py


def can_reveal_personal(user: Any) -> bool:
    """May see a full ID number (after stating a reason, audited): the policy's `accounts.reveal_personal` (the
    political department, which keeps the roster; administrators never)."""
    from tianping.core.policy import allowed

    return allowed(user, REVEAL_PERMISSION)


def can_export_personal(user: Any) -> bool:
    """May download spreadsheets with full ID numbers and phones — the same rule as seeing one on a person's
    page (`accounts.reveal_personal`), with a stated reason and an audit entry naming the rows."""
    return can_reveal_personal(user)


def get_visible_or_404(queryset: Any, user: Any, **lookup: Any) -> Any:
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


def is_personal_column(column: Any) -> bool:
    return bool(getattr(column, "personal", False)) or str(column.field).endswith(PERSONAL_COLUMN_SUFFIXES)


def has_personal_columns(reg: Any) -> bool:
    return any(is_personal_column(c) for c in reg.columns)


def register_for_user(reg: Any, user: Any, *, reveal: bool = False) -> Any:
    """The register as this user exports it: personal columns masked — always by default, as on every page;
    in clear only when `reveal` is asked for (the caller has taken a written reason and audits the rows) and
    `can_export_personal(user)`. `user` None is the command line (whoever can run manage.py).

    Returns (register, full) where `full` says whether personal data leaves in clear."""
    import dataclasses

    from tianping.core.validators import mask_id_number, mask_phone

    personal = [c for c in reg.columns if is_personal_column(c)]
    if not personal:
        return reg, False
    if reveal and (user is None or can_export_personal(user)):
        return reg, True
    columns = []
    for col in reg.columns:
        if col in personal:
            masker = mask_id_number if "id_number" in str(col.field) else mask_phone
            columns.append(dataclasses.replace(col, export=lambda obj, _c=col, _m=masker: _m(str(_c.value_of(obj) or ""))))
        else:
            columns.append(col)
    return dataclasses.replace(reg, columns=columns), False
