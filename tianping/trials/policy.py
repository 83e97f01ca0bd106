"""Who may see trial figures and cases, and manage the case types."""

from tianping.core.policy import declare, has_role
from tianping.core.roles import Role

declare("trials.view_figures", has_role(Role.LEADER, Role.TRIAL_OFFICE, Role.PARTY_OFFICE, Role.MEMBER,
                                        Role.BRANCH_SECRETARY))
declare("trials.view_cases", has_role(Role.LEADER, Role.TRIAL_OFFICE, Role.MEMBER))
declare("trials.view_courts", has_role(Role.HIGHER_COURT))
declare("trials.manage_case_types", has_role(Role.TRIAL_OFFICE, Role.SYSADMIN))
