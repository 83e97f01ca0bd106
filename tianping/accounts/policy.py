"""Who may administer accounts, the security policy and the audit trail (三员分立), and who may read a full ID
number. docs/security.md ("三员分立") describes the split; tests/test_separation.py holds it.

- 系统管理员 (sysadmin): creates accounts (user name and court only), disables and re-enables them, unlocks
  them, resets passwords. Grants no role of any kind and binds no account to a person.
- 安全管理员 (secadmin): grants and withdraws roles (business and administrator roles) and binds an account to
  a person, issues the one-time second-factor enrolment code, clears a lost second factor, sets the security
  policy. Cannot create accounts nor reset passwords (so never knows one).
- 审计管理员 (auditor): reads and exports the audit trail; changes nothing.
Each of them acts on other accounts only (services refuse changes to one's own account)."""

from tianping.core.policy import declare, has_role
from tianping.core.roles import Role

declare("accounts.view_accounts", has_role(Role.SYSADMIN, Role.SECADMIN))
declare("accounts.manage_accounts", has_role(Role.SYSADMIN))
declare("accounts.reset_password", has_role(Role.SYSADMIN))
declare("accounts.grant_roles", has_role(Role.SECADMIN))
declare("accounts.clear_mfa", has_role(Role.SECADMIN))
declare("accounts.issue_enrolment_code", has_role(Role.SECADMIN))
declare("accounts.manage_security", has_role(Role.SECADMIN))
declare("accounts.view_audit", has_role(Role.AUDITOR))
# a person's full ID number and phone, one at a time with a written reason (the roster keeper)
declare("accounts.reveal_personal", has_role(Role.PARTY_OFFICE))
