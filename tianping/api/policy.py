"""Who may grant and revoke API tokens, and which role may hold which scope.

Tokens are credentials with a business role, so they follow the rule for business roles (三员分立,
tianping/accounts/policy.py): the security administrator (安全管理员) grants and revokes them; the system
administrator creates the account they belong to and can disable it (which stops its tokens too); nobody
grants a token to their own account.

A scope is only useful if the token's role may do the thing in the pages: `SCOPE_PERMISSIONS` names, per scope,
the permissions of the other apps' policies the role must pass (any one of them). A grant that could never work
is refused, and every call asks again (a policy may change after the grant)."""

from __future__ import annotations

from tianping.core.policy import declare, has_role
from tianping.core.roles import Role

declare("api.manage_tokens", has_role(Role.SECADMIN))

# scope -> permissions (model permissions as "app.action_model"), any of which the token's role must pass
SCOPE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    "cases:read": ("trials.view_case",),
    "cases:write": ("trials.import_case",),
    "figures:read": ("trials.view_court_figures", "trials.view_courts", "partylife.view_compliance",
                     "mediation.view_figures"),
    "people:read": ("org.view_person", "party.view_partymember"),
    "meetings:read": ("partylife.view_meeting",),
    "attendance:write": ("partylife.record_attendance_meeting",),
}
