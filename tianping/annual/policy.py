"""Who reads the annual party-building report and who edits its text.

- The report and its downloads (the court's figures, each linking to the records behind it): 院领导 (LEADER)
  and 政治部/机关党委 (PARTY_OFFICE). The links lead to lists each of them may or may not open, by those
  lists' own rules.
- The report's text (the template with placeholders): PARTY_OFFICE.
- The dashboards (the court dashboard with its to-dos by owner, the branch scorecards and their .xlsx, the big
  screen of the command room): the same readers as the report.
"""

from __future__ import annotations

from tianping.annual.models import ReportTemplate
from tianping.core.policy import declare, has_role, in_scope
from tianping.core.roles import Role

READERS = has_role(Role.LEADER, Role.PARTY_OFFICE)
OFFICE = has_role(Role.PARTY_OFFICE)

declare("annual.view_report", READERS)
declare(ReportTemplate, "view", READERS & in_scope("view"))
declare(ReportTemplate, "change", OFFICE & in_scope("view"))
declare("annual.view_dashboard", READERS)
