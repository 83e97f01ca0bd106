"""Who may do what with meetings, attendance, study and the lecture hall."""

from tianping.core.policy import declare, has_role
from tianping.core.roles import Role

MANAGERS = has_role(Role.LEADER, Role.PARTY_OFFICE, Role.BRANCH_SECRETARY)
MEMBERS = MANAGERS | has_role(Role.MEMBER)

declare("partylife.view_meetings", MEMBERS)
declare("partylife.view_compliance", MANAGERS)
declare("partylife.view_study", MEMBERS)
declare("partylife.manage_settings", has_role(Role.PARTY_OFFICE))
