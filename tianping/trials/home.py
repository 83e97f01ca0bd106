"""Home-page figures of trials: the latest full year's closed cases, closure rate and party share,
each linking to the cases behind it (or to the 三比 page for figures-only roles)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from tianping.core import registry
from tianping.trials import selectors as sel
from tianping.trials.services import membership_refresh


@registry.home_panels.register(order=40)
def home_panels(user) -> list[dict]:
    from tianping.trials.views import (
        busiest_recent_year,
        can_list_court_cases,
        case_list_url,
        figure_mode,
        fmt,
    )

    if figure_mode(user) != "court":
        return []
    court = user.court
    year = busiest_recent_year(court)
    if year is None:
        return []
    period = sel.year_period(year)
    membership_refresh(court=court, actor=user)
    (row,) = sel.metrics(court, period, "court", refresh=False)
    links = can_list_court_cases(user)
    page = f"{reverse('trials:overview')}?year={year}"

    def url(set_name):
        return case_list_url(period, set_name, {}) if links else page

    return [{
        "title": _("审判质效（%(y)s 年）") % {"y": year},
        "figures": [
            {"label": _("已结"), "value": row["closed"], "url": url("closed")},
            {"label": _("结案率"), "value": fmt("closure_rate", row["closure_rate"]), "url": page},
            {"label": _("党员结案占比"), "value": fmt("party_member_closed_share", row["party_member_closed_share"]),
             "url": url("party_closed") if links else page},
        ],
    }]
