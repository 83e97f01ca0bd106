from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from tianping.core.tables import DateColumn
from tianping.trials.models import Case

NOWRAP = {"td": {"class": "text-nowrap"}, "th": {"class": "text-nowrap"}}


class CaseTable(tables.Table):
    number = tables.Column(linkify=("trials:case_detail", {"pk": tables.A("pk")}),
                           attrs={"td": {"class": "text-nowrap"}})
    cause = tables.Column(attrs=NOWRAP)
    procedure = tables.Column(attrs=NOWRAP)
    filed_on = DateColumn(format="Y-m-d", attrs=NOWRAP)
    closed_on = DateColumn(format="Y-m-d", attrs=NOWRAP)
    judge = tables.Column(verbose_name=_("承办人"), accessor="judge__name", attrs=NOWRAP)
    department = tables.Column(verbose_name=_("承办部门"), accessor="department__name", attrs=NOWRAP)
    outcome = tables.Column(attrs=NOWRAP)
    limit_end = DateColumn(verbose_name=_("审限届满（含扣除）"), format="Y-m-d", attrs=NOWRAP)
    days_taken = tables.Column(verbose_name=_("审理天数"), attrs=NOWRAP)
    appeal_result = tables.Column(attrs=NOWRAP)

    class Meta:
        model = Case
        fields = ["number", "cause", "procedure", "filed_on", "closed_on", "department", "judge", "outcome",
                  "limit_end", "days_taken", "appealed", "appeal_result"]
        attrs = {"class": "table table-sm table-hover align-middle", "data-testid": "case-table"}
        order_by = ("-filed_on",)
