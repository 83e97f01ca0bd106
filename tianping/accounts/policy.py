"""Who may administer accounts, the security policy and the audit trail (三员分立)."""

from tianping.core.policy import declare, has_role
from tianping.core.roles import Role

declare("accounts.manage_accounts", has_role(Role.SYSADMIN))
declare("accounts.manage_security", has_role(Role.SECADMIN))
declare("accounts.view_audit", has_role(Role.AUDITOR))
