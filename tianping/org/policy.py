"""Who may see and manage courts, departments and people."""

from tianping.core.policy import declare, has_role
from tianping.core.roles import BUSINESS_ROLES, Role

ROSTER = has_role(Role.LEADER, Role.PARTY_OFFICE, Role.TRIAL_OFFICE)

declare("org.view_tree", has_role(*BUSINESS_ROLES, Role.HIGHER_COURT))
declare("org.view_roster", ROSTER)
declare("org.view_departments", ROSTER)
declare("org.view_courts", has_role(Role.LEADER, Role.PARTY_OFFICE, Role.HIGHER_COURT, Role.SYSADMIN))
