"""The dashboards' honours figure (tianping/annual): per branch, the honours dated in the year that the people on
its roster received (人次) plus those the branch itself received as a party organisation."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tianping.core.registry import BranchColumn, BranchFigures, ReportFigure, branch_figures


def branch_honours(court: Any, year: int, rosters: dict[int, list[int]]) -> dict[int, dict[str, ReportFigure]]:
    from tianping.honours.models import HolderKind, Honour

    everyone = sorted({pid for ids in rosters.values() for pid in ids})
    year_honours = Honour.objects.filter(court=court, awarded_on__gte=date(year, 1, 1),
                                         awarded_on__lte=date(year, 12, 31))
    per_person: dict[int, int] = defaultdict(int)
    for pid in year_honours.filter(holder_kind=HolderKind.PERSON, person_id__in=everyone).values_list(
            "person_id", flat=True):
        per_person[pid] += 1
    per_branch: dict[int, int] = defaultdict(int)
    for oid in year_honours.filter(holder_kind=HolderKind.BRANCH, organisation_id__in=list(rosters)).values_list(
            "organisation_id", flat=True):
        per_branch[oid] += 1
    url = f"{reverse('honours:honour_list')}?year={year}"
    return {bid: {"honours": ReportFigure(sum(per_person[p] for p in roster) + per_branch[bid], url)}
            for bid, roster in rosters.items()}


branch_figures.register(BranchFigures("honours", (
    BranchColumn("honours", _("表彰奖励")),
), branch_honours), order=60)
