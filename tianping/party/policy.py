"""Who may do what with party organisations, members, dues and points."""

from tianping.core.policy import declare, has_role
from tianping.core.roles import Role

MANAGERS = has_role(Role.LEADER, Role.PARTY_OFFICE, Role.BRANCH_SECRETARY)
MEMBERS = MANAGERS | has_role(Role.MEMBER)

declare("party.view_my_record", has_role(Role.MEMBER))
declare("party.view_organisations", MEMBERS)
declare("party.view_members", MEMBERS)
declare("party.view_transfers", MANAGERS)
declare("party.view_dues", MANAGERS)
declare("party.view_points", MEMBERS)
declare("party.view_ranking", MANAGERS)
declare("party.view_rules", has_role(Role.PARTY_OFFICE, Role.LEADER))
