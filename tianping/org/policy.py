"""Who may see and manage courts, departments and people.

- The staff roster (people's personal data) is kept by 政治部 (PARTY_OFFICE, also the personnel office): it
  adds, edits, imports people and departments of its own court. 院领导 and 审管办 read the whole roster of the
  court; a branch secretary the people of the branches they lead; every business account its own record (the
  row scope is `tianping.core.scope.person_scope_filter`).
- Departments and courts are names, not personal data: every business account reads its court's; the
  higher court reads the courts below (figures pages link them) and the department names, never people.
- The system administrator reads the court list (it assigns accounts to courts) but no person.
- Courts are set up by import (PARTY_OFFICE) when the system is installed.
"""

from __future__ import annotations

import rules

from tianping.core.policy import declare, has_role, in_scope
from tianping.core.roles import BUSINESS_ROLES, Role


@rules.predicate
def of_own_court(user, obj) -> bool:
    return obj is None or (bool(getattr(user, "court_id", None)) and obj.court_id == user.court_id)


never = rules.always_deny

ROSTER = has_role(Role.LEADER, Role.PARTY_OFFICE, Role.TRIAL_OFFICE)
KEEPER = has_role(Role.PARTY_OFFICE)
BUSINESS = has_role(*BUSINESS_ROLES)


def _declare_all() -> None:
    from tianping.org.models import Court, Department, DepartmentAssignment, Person

    # --- pages ----------------------------------------------------------------------------------------
    declare("org.view_tree", BUSINESS | has_role(Role.HIGHER_COURT))
    # the menu's 人员名册: for those who read others' records (the list page itself opens for any business
    # account, "org.view_person", and shows the people in its scope — a member their own record)
    declare("org.view_roster", ROSTER | has_role(Role.BRANCH_SECRETARY))
    declare("org.view_departments", ROSTER)     # the department list with head counts
    declare("org.view_courts", has_role(Role.LEADER, Role.PARTY_OFFICE, Role.HIGHER_COURT, Role.SYSADMIN))

    # --- models ---------------------------------------------------------------------------------------
    declare(Person, "view", BUSINESS & in_scope("view"))
    declare(Person, "add", KEEPER)
    declare(Person, "change", KEEPER & of_own_court)
    declare(Person, "delete", never)     # people leave (离职日期); their records stay
    declare(Person, "import", KEEPER)
    declare(Person, "export", BUSINESS)  # the rows in the user's scope; ID numbers masked (core.scope)

    declare(Department, "view", BUSINESS | has_role(Role.HIGHER_COURT))
    declare(Department, "add", KEEPER)
    declare(Department, "change", KEEPER & of_own_court)
    declare(Department, "delete", never)  # deactivated, never deleted (assignment history refers to it)
    declare(Department, "import", KEEPER)
    declare(Department, "export", ROSTER)

    # a person's department history is roster data; its rows are the court's (CourtScopedQuerySet), so only the
    # roles that read the whole court's roster may list them
    declare(DepartmentAssignment, "view", ROSTER)

    declare(Court, "view", BUSINESS | has_role(Role.HIGHER_COURT, Role.SYSADMIN))
    declare(Court, "add", KEEPER)
    declare(Court, "change", KEEPER)      # by import: a court's name and code change with the roster
    declare(Court, "delete", never)
    declare(Court, "import", KEEPER)
    declare(Court, "export", has_role(Role.LEADER, Role.PARTY_OFFICE, Role.HIGHER_COURT, Role.SYSADMIN))


_declare_all()
