"""Who may read what: roles of a user and the courts whose business data they may read.

Every model's `visible_to(user)` starts from `readable_court_ids(user)` and narrows by role.
"""

from __future__ import annotations

from django.http import Http404

_ROLE_CACHE = "_tianping_roles"
_COURTS_CACHE = "_tianping_court_ids"


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
    for attr in (_ROLE_CACHE, _COURTS_CACHE):
        if hasattr(user, attr):
            delattr(user, attr)


def has_role(user, *roles: str) -> bool:
    return bool(user_roles(user) & set(roles))


# Roles that read business data of their own court.
BUSINESS_ROLES = {"leader", "party_office", "branch_secretary", "member", "trial_office", "mediator"}


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


def get_visible_or_404(queryset, user, **lookup):
    """Fetch one object within the user's scope; outside it answer 404 (and log a denied access)."""
    obj = queryset.visible_to(user).filter(**lookup).first()
    if obj is None:
        if queryset.filter(**lookup).exists():
            from tianping.core.audit import audit_record

            audit_record(actor=user, event="access.denied",
                         message=f"{queryset.model._meta.label_lower} {lookup}")
        raise Http404
    return obj
