"""Who may do what with disputes, mediators, studios and the mediation figures."""

from tianping.core.policy import declare, has_role
from tianping.core.roles import Role

CENTRE = has_role(Role.LEADER, Role.TRIAL_OFFICE, Role.MEDIATOR, Role.CENTRE, Role.MEMBER)

declare("mediation.view_disputes", CENTRE)
declare("mediation.view_figures", has_role(Role.LEADER, Role.TRIAL_OFFICE, Role.MEDIATOR, Role.CENTRE,
                                           Role.HIGHER_COURT))
declare("mediation.view_mediators", has_role(Role.LEADER, Role.TRIAL_OFFICE, Role.MEDIATOR, Role.CENTRE))
declare("mediation.view_statistics", has_role(Role.LEADER, Role.TRIAL_OFFICE, Role.MEDIATOR, Role.CENTRE))
