"""The dashboards' party-membership figures (tianping/annual): each branch's dues (实交 ÷ 应交 of the year, as the
党费年度汇总 counts them; in the current year the months whose due day has passed) and points per person on its roster (the 积分 ledger)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tianping.core.registry import BranchColumn, BranchFigures, ReportFigure, branch_figures


def branch_party(court: Any, year: int, rosters: dict[int, list[int]]) -> dict[int, dict[str, ReportFigure]]:
    from tianping.party.dues import dues_year
    from tianping.party.models import PointsEntry

    today = timezone.localdate()
    due: dict[int, Decimal] = defaultdict(Decimal)
    paid: dict[int, Decimal] = defaultdict(Decimal)
    if year <= today.year:
        # the current year up to the last month whose due day has passed (as the arrears list counts)
        from tianping.party.views import arrears_until

        for r in dues_year(court.pk, year, until=arrears_until(today) if year == today.year else None):
            due[r.branch.pk] += r.due
            paid[r.branch.pk] += r.paid
    everyone = sorted({pid for ids in rosters.values() for pid in ids})
    points = dict(PointsEntry.objects.filter(court=court, occurred_on__gte=date(year, 1, 1),
                                             occurred_on__lte=date(year, 12, 31), person_id__in=everyone)
                  .order_by().values("person_id").annotate(s=Sum("points")).values_list("person_id", "s"))
    out: dict[int, dict[str, ReportFigure]] = {}
    for bid, roster in rosters.items():
        total = sum((points.get(p) or Decimal("0") for p in roster), Decimal("0"))
        out[bid] = {
            "dues_paid_rate": ReportFigure(round(float(paid[bid] / due[bid]), 4) if due[bid] else None,
                                           f"{reverse('party:dues_totals')}?year={year}&branch={bid}"),
            "points_avg": ReportFigure(round(float(total) / len(roster), 1) if roster else None,
                                       f"{reverse('party:points_ranking')}?year={year}&branch={bid}"),
        }
    return out


branch_figures.register(BranchFigures("party", (
    BranchColumn("dues_paid_rate", _("党费交纳率"), "rate"),
    BranchColumn("points_avg", _("人均积分"), "number"),
), branch_party), order=20)
