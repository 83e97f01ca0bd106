"""Home-page figures of trials: the latest full year's closed cases, closure rate and party share,
each linking to the cases behind it (or to the 三比 page for figures-only roles); for a judge, their open
cases, 审限 warnings and own 三比 card."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from tianping.core import registry
from tianping.core.policy import allowed
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


@registry.home_panels.register(order=35)
def judge_home_panels(user) -> list[dict]:
    """A judge on arriving: their pending cases, the 审限 warnings (due within 15 days, overdue) and their own
    三比 card. Every count links to the case list behind it, which lists exactly that many cases."""
    from django.utils import timezone

    from tianping.trials.models import Case
    from tianping.trials.views import case_list_url, fmt, own_default_year

    if not (allowed(user, "trials.view_own_figures") and allowed(user, "trials.view_case")):
        return []
    court, person_id = user.court, user.person_id
    today = timezone.localdate()
    own = Case.objects.visible_to(user).filter(judge_id=person_id)
    base = reverse("trials:case_list")
    panels = [{"title": _("我的案件"), "figures": [
        {"label": sel.DEADLINE_LABELS[kind], "value": own.filter(sel.deadline_q(kind, today)).count(),
         "url": f"{base}?{urlencode({'judge': person_id, 'limit': kind})}"}
        for kind in ("open", "due_soon", "overdue")]}]
    year = own_default_year(court, person_id)
    if year is None:
        return panels
    period = sel.year_period(year)
    membership_refresh(court=court, actor=user)
    (row,) = sel.metrics(court, period, "court", refresh=False, extra_q=sel.scope_q(judge=person_id))
    key = {"judge": person_id}
    page = f"{reverse('trials:overview')}?{urlencode({'scope': 'own', 'year': year})}"
    panels.append({"title": _("本人三比（%(y)s 年）") % {"y": year}, "figures": [
        {"label": _("已结"), "value": row["closed"], "url": case_list_url(period, "closed", key)},
        {"label": _("未结"), "value": row["pending"], "url": case_list_url(period, "pending", key)},
        {"label": _("法定审限内结案率"), "value": fmt("within_limit_rate", row["within_limit_rate"]),
         "url": case_list_url(period, "closed_within", key)},
        {"label": _("调撤率"), "value": fmt("mediation_withdrawal_rate", row["mediation_withdrawal_rate"]),
         "url": case_list_url(period, "mediated_withdrawn", key)},
        {"label": _("平均审理天数"), "value": fmt("avg_days", row["avg_days"]), "url": page},
    ]})
    return panels
