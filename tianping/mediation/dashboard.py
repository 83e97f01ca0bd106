"""The dashboards' dispute-centre figure (tianping/annual): disputes registered each month and diverted to
mediation (the annual report's disputes_diverted, month by month)."""

from __future__ import annotations

import calendar
from datetime import date
from typing import Any

from django.db.models import Count
from django.db.models.functions import ExtractMonth
from django.utils.translation import gettext_lazy as _

from tianping.core.registry import MonthlySeries, monthly_figures


@monthly_figures.register(order=40)
def dispute_months(court: Any, year: int) -> list[MonthlySeries]:
    from tianping.mediation.models import Dispute
    from tianping.mediation.selectors import list_url, stage_q

    counts = dict(Dispute.objects.filter(stage_q("diverted"), court=court, registered_on__gte=date(year, 1, 1),
                                         registered_on__lte=date(year, 12, 31))
                  .order_by().annotate(m=ExtractMonth("registered_on")).values("m").annotate(n=Count("id"))
                  .values_list("m", "n"))
    urls = [list_url({"registered_from": date(year, m, 1).isoformat(),
                      "registered_to": date(year, m, calendar.monthrange(year, m)[1]).isoformat()}, "diverted")
            for m in range(1, 13)]
    return [MonthlySeries("disputes_diverted", _("分流调解纠纷"), [counts.get(m, 0) for m in range(1, 13)], urls)]
