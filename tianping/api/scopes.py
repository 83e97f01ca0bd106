"""The token's identity during a call (its principal) and the scope checks.

A call acts as a copy of the token's account that holds exactly the token's role and court and no person:
every `visible_to(user)` and policy predicate of the other apps then answers for the token as it would for a
signed-in account with that role alone (a member-level role sees no one's personal record, for it is no one).
The copy is never saved; the audit trail names the account (its id) with the token's role."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from tianping.api.models import ApiToken, Scope
from tianping.api.policy import SCOPE_PERMISSIONS
from tianping.core.policy import allowed
from tianping.core.roles import _ROLE_CACHE, Role


def principal_for(token: ApiToken, account: Any = None) -> Any:
    """An unsaved User standing for the token (see the module's docstring)."""
    from tianping.org.models import User

    account = account if account is not None else token.account
    principal = User(id=account.pk, username=account.username, court_id=token.court_id, person_id=None,
                     is_active=True, is_superuser=False, is_staff=False)
    principal.court = token.court
    principal._state.adding = False
    principal._state.db = account._state.db
    setattr(principal, _ROLE_CACHE, {str(token.role)})
    principal.api_token = token  # type: ignore[attr-defined]
    return principal


def scope_label(scope: str) -> str:
    return str(dict(Scope.choices).get(scope, scope))


def role_label(role: str) -> str:
    return str(dict(Role.choices).get(role, role))


def role_may(principal: Any, scope: str) -> bool:
    return any(allowed(principal, perm) for perm in SCOPE_PERMISSIONS[scope])


def scope_refusal(*, role: str, court: Any, scope: str) -> str:
    """Why a token with this role cannot use this scope ("" when it can)."""
    from tianping.org.models import User

    if scope not in SCOPE_PERMISSIONS:
        return _("未知的权限范围“%(s)s”。") % {"s": scope}
    probe = ApiToken(role=role, court=court, scopes=[scope])
    principal = principal_for(probe, account=User(id=0, username="probe"))
    if role_may(principal, scope):
        return ""
    return _("角色“%(role)s”不能%(scope)s（页面上该角色也没有这项权限），请换一个角色或去掉这项权限范围。") % {
        "role": role_label(role), "scope": scope_label(scope)}
