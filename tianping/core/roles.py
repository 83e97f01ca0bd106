"""The roles of tianping: one enum, the role sets derived from it, and what an account holds.

This is the only place a role is named by its code. Everything else says `Role.PARTY_OFFICE`; who may do what
with those roles is declared in each app's `policy.py` (see `tianping.core.policy`)."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """Roles of tianping. The three administrator roles (三员) are mutually exclusive."""

    SYSADMIN = "sysadmin", _("系统管理员")
    SECADMIN = "secadmin", _("安全管理员")
    AUDITOR = "auditor", _("审计管理员")
    LEADER = "leader", _("院领导")
    PARTY_OFFICE = "party_office", _("政治部/机关党委")
    BRANCH_SECRETARY = "branch_secretary", _("支部书记")
    MEMBER = "member", _("党员/干警")
    TRIAL_OFFICE = "trial_office", _("审管办")
    MEDIATOR = "mediator", _("调解员")
    CENTRE = "centre", _("诉调对接中心")
    HIGHER_COURT = "higher_court", _("上级法院")
    DISCIPLINE = "discipline", _("纪检监察")


# The three administrators (三员): accounts, security policy, audit trail — no business data.
ADMIN_ROLES: frozenset[str] = frozenset({Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR})
# Roles that read business data of their own court.
BUSINESS_ROLES: frozenset[str] = frozenset({Role.LEADER, Role.PARTY_OFFICE, Role.BRANCH_SECRETARY, Role.MEMBER,
                                            Role.TRIAL_OFFICE, Role.MEDIATOR, Role.CENTRE,
                                            Role.DISCIPLINE})
# Roles that read the personal data (roster) of everybody in their own court.
COURT_ROSTER_ROLES: frozenset[str] = frozenset({Role.LEADER, Role.PARTY_OFFICE, Role.TRIAL_OFFICE})

_ROLE_CACHE = "_tianping_roles"


def user_roles(user: Any) -> set[str]:
    """The role codes an account holds; cached on the user object (`forget_cached_roles` clears it)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, _ROLE_CACHE, None)
    if cached is None:
        cached = set(user.role_grants.values_list("role", flat=True))
        setattr(user, _ROLE_CACHE, cached)
    return cached


def has_role(user: Any, *roles: str) -> bool:
    return bool(user_roles(user) & set(roles))


def is_superuser_without_roles(user: Any) -> bool:
    """The one special case: a development/test superuser holding no role reads and does everything.

    Production has no superuser (accounts are created with roles); a superuser that holds a role is judged by
    its roles like anybody else."""
    return bool(getattr(user, "is_superuser", False)) and bool(getattr(user, "is_authenticated", False)) \
        and not user_roles(user)
