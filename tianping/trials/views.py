"""Trial quality pages: the 三比 comparison page, the drill-down case list, case detail, the higher court's
by-court supervision table, settings (party office) and case types (data).

Who sees what: leaders and the trial office read the court's figures and cases; the party office reads
the court's figures (without case lists); a judge (any other account linked to a person) reads their own
figures and the cases they handled or sat on; a higher court reads figures of the courts below it, never
their case lists. Court-vs-court tables exist only on the higher court's supervision page (SPC 2024:
no public league tables of courts).
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Any
from urllib.parse import quote_plus

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max, Min, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from tianping.core.actions import OnceFormMixin, add_service_errors, create_once
from tianping.core.cache import kept, role_key
from tianping.core.forms import PersonChoiceField, StyledModelForm, style_form
from tianping.core.policy import allowed, can, object_permission, permission_required, require
from tianping.core.replica import figures_from_replica
from tianping.core.scope import get_visible_or_404, readable_court_ids
from tianping.core.validators import validate_not_future
from tianping.core.views import FilteredListView
from tianping.org.models import Department, Person
from tianping.trials import selectors as sel
from tianping.trials.filtersets import CaseFilterSet, parse_day
from tianping.trials.models import Case, CaseType, Procedure, TimeLimit, TrialSettings, statutory_limit
from tianping.trials.services import (
    case_type_save,
    membership_refresh,
    membership_refresh_courts,
    trial_settings_save,
)
from tianping.trials.tables import CaseTable

FIGURE_MODES = {"court": "trials.view_court_figures", "branch": "trials.view_branch_figures",
                "own": "trials.view_own_figures"}


def figure_modes(user) -> list[str]:
    """The scopes of the 三比 page the user may read, as trials/policy.py declares: "court" (the court's
    figures), "branch" (本支部: a branch secretary's), "own" (a judge's own)."""
    return [mode for mode, perm in FIGURE_MODES.items() if allowed(user, perm)]


def figure_mode(user) -> str | None:
    """The user's first scope (court, then branch, then own), or None."""
    modes = figure_modes(user)
    return modes[0] if modes else None


def own_default_year(court, judge_id: int) -> int | None:
    """A judge's own figures open on the latest year in which they closed cases."""
    return busiest_recent_year(court, judge_id)


def led_branch_roster(user, period: sel.Period) -> tuple[list, list[int]]:
    """The branches the user leads today and the people on their rosters at the end of the period (today at
    the latest: a roster is not known ahead)."""
    from tianping.party.selectors import branches_led_by

    day = min(period.end, date.today())  # noqa: DTZ011
    branches = list(branches_led_by(user).order_by("name"))
    return branches, sel.branch_roster_ids(branches, day)


def can_list_court_cases(user) -> bool:
    return allowed(user, "trials.view_court_cases")


# -- period ----------------------------------------------------------------------------------------------
def years_with_cases(court) -> list[int]:
    agg = Case.objects.filter(court=court).aggregate(a=Min("filed_on"), b=Max("filed_on"))
    if not agg["a"]:
        return []
    return list(range(agg["b"].year, agg["a"].year - 1, -1))


def busiest_recent_year(court, judge_id: int | None = None) -> int | None:
    """The year a figures page opens on: the current year as soon as a case of the scope has closed in it;
    for data that stop earlier, the latest year with at least half the filings of the busiest year (so a
    few stray cases do not make an almost empty year the default); for a judge, the year of their latest
    closing. Two queries at most."""
    from django.db.models import Count, Q
    from django.utils import timezone

    today = timezone.localdate()
    court_ids = court if isinstance(court, list) else [court.pk]
    cases = Case.objects.filter(court_id__in=court_ids)
    if judge_id:
        cases = cases.filter(judge_id=judge_id)
    last = cases.filter(closed_on__lte=today).aggregate(m=Max("closed_on"))["m"]
    if last is None or last.year == today.year or judge_id:
        return last.year if last else None
    agg = cases.aggregate(a=Min("filed_on"), b=Max("filed_on"))
    years = range(agg["b"].year, agg["a"].year - 1, -1)
    per_year = cases.aggregate(**{
        f"y{y}": Count("id", filter=Q(filed_on__gte=date(y, 1, 1), filed_on__lte=date(y, 12, 31))) for y in years})
    counts = {y: per_year[f"y{y}"] for y in years}
    top = max(counts.values())
    return max(y for y, n in counts.items() if n * 2 >= top)


YEAR_MIN, YEAR_MAX = 1990, 2999


def valid_year(request, raw: str | None) -> int | None:
    """A year from the query string, or None (with a message saying why) when it is not a plausible one."""
    raw = (raw or "").strip()
    if not raw:
        return None
    if raw.isdigit() and YEAR_MIN <= int(raw) <= YEAR_MAX:
        return int(raw)
    messages.warning(request, _("年度“%(y)s”无效，应为 %(a)d 至 %(b)d 之间的四位年份，已显示默认年度。")
                     % {"y": raw[:10], "a": YEAR_MIN, "b": YEAR_MAX})
    return None


def valid_day(request, raw: str | None):
    """A date from the query string, or None (with a message) when it is not a date of a plausible year."""
    raw = (raw or "").strip()
    if not raw:
        return None
    day = parse_day(raw)
    if day is None or not (YEAR_MIN <= day.year <= YEAR_MAX):
        messages.warning(request, _("日期“%(d)s”无效，应为 2016-01-01 这样的日期，已显示默认期间。") % {"d": raw[:20]})
        return None
    return day


def period_from_request(request, court, judge_id: int | None = None) -> tuple[sel.Period, list[int]]:
    years = years_with_cases(court)
    # a judge's own page opens on the latest year in which they closed cases
    default_year = (judge_id and busiest_recent_year(court, judge_id)) or busiest_recent_year(court)
    start, end = valid_day(request, request.GET.get("start")), valid_day(request, request.GET.get("end"))
    if start and end:
        if start <= end:
            return sel.Period(start, end), years
        messages.warning(request, _("统计起始日期晚于截止日期，已显示默认期间。"))
    year = valid_year(request, request.GET.get("year"))
    if year:
        return sel.year_period(year), years
    if default_year:
        return sel.year_period(default_year), years
    return sel.default_period(), years


# -- cells: every figure links to the cases behind it -----------------------------------------------------
PERCENT = "percent"
COLUMNS = [
    # key, label, group
    ("filed", gettext_lazy("新收"), "efficiency"),
    ("closed", gettext_lazy("已结"), "efficiency"),
    ("pending", gettext_lazy("未结"), "efficiency"),
    ("closure_rate", gettext_lazy("结案率"), "efficiency"),
    ("within_limit_rate", gettext_lazy("法定审限内结案率"), "efficiency"),
    ("avg_days", gettext_lazy("平均审理天数"), "efficiency"),
    ("appeal_rate", gettext_lazy("上诉率"), "quality"),
    ("reversal_remand_rate", gettext_lazy("改判发回重审率"), "quality"),
    ("mediation_withdrawal_rate", gettext_lazy("调撤率"), "effect"),
    ("acceptance_rate", gettext_lazy("服判息诉率"), "effect"),
    ("party_member_closed_share", gettext_lazy("党员结案占比"), "party"),
]
HEADLINE = ["filed", "carried_over", "closed", "pending", "closure_rate", "within_limit_rate", "avg_days",
            "mediation_rate", "mediation_withdrawal_rate", "appeal_rate", "acceptance_rate", "reversal_remand_rate",
            "over12", "enforcement_rate", "party_member_closed_share", "clearance_rate", "disposition_time"]


def case_list_url(period: sel.Period, set_name: str | None, key: dict[str, Any]) -> str | None:
    """The case list behind a figure: ?start=…&end=…&set=…&<the row's key> (urlencode's text, written here: the
    三比 page of a court with 40 judges builds ~1,500 of these)."""
    if any(v == "none" for v in key.values()):
        return None
    return (f"{_list_base()}?start={period.start.isoformat()}&end={period.end.isoformat()}"
            f"&set={quote_plus(str(set_name))}{_key_query(tuple(key.items()))}")


@lru_cache(maxsize=4096)
def _key_query(items: tuple[tuple[str, Any], ...]) -> str:
    return "".join(f"&{quote_plus(str(k))}={quote_plus(str(v))}" for k, v in items)


@lru_cache(maxsize=4)
def _list_base_for(prefix: str) -> str:
    return reverse("trials:case_list")


def _list_base() -> str:
    from django.urls import get_script_prefix

    return _list_base_for(get_script_prefix())


def fmt(key: str, value) -> str:
    if value is None:
        return "—"
    if key in sel.RATE_KEYS:
        return f"{value * 100:.2f}%"
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def cell(row: dict, key: str, period: sel.Period, links: bool, counts_petitions: bool = False) -> dict:
    num_set, den_sets = sel.FIGURE_SETS[key]
    if key == "acceptance_rate" and counts_petitions:
        num_set = "appealed_or_petitioned"
    counts = row.get("counts", {})
    out: dict[str, Any] = {"key": key, "text": fmt(key, row.get(key)), "url": None, "num": None, "den": None}
    if not den_sets or key in ("avg_days",):
        out["url"] = case_list_url(period, num_set, row["key"]) if links and num_set else None
        if key == "avg_days":
            out["den"] = {"n": counts.get("closed", 0), "url": case_list_url(period, "closed", row["key"]) if links
                          else None}
        return out
    den_set = den_sets[0]
    out["url"] = case_list_url(period, num_set, row["key"]) if links else None
    if key == "enforcement_rate":
        return out
    out["num"] = {"n": counts.get(num_set, 0), "url": out["url"]}
    out["den"] = {"n": counts.get(den_set, 0), "url": case_list_url(period, den_set, row["key"]) if links else None}
    if key == "acceptance_rate":
        out["minus"] = True
    return out


def cell_html(c: dict) -> str:
    """A figure as HTML: the value linked to its numerator's cases, then (numerator/denominator) linked. Written
    with f-strings and escape() (the same HTML format_html wrote): a court's page has ~4,000 of these."""
    text = conditional_escape(c["text"])
    main = (f'<a href="{escape(c["url"])}" data-testid="figure-{escape(c["key"])}">{text}</a>' if c["url"]
            else text)
    if not c.get("den"):
        return mark_safe(main)  # noqa: S308 - every part escaped above

    def part(p, title):
        if p is None:
            return ""
        if p["url"]:
            return f'<a class="text-muted" href="{escape(p["url"])}" title="{escape(title)}">{escape(p["n"])}</a>'
        return escape(str(p["n"]))

    num = part(c.get("num"), _("分子"))
    den = part(c["den"], _("分母"))
    inner = f'{"1−" if c.get("minus") else ""}{num}{"/" if num else ""}{den}'
    return mark_safe(f'{main}<span class="small text-muted ms-1">({inner})</span>')  # noqa: S308 - escaped


def table_rows(rows: list[dict], period: sel.Period, links: bool, counts_petitions: bool,
               keys: list[str] | None = None) -> list[dict]:
    keys = keys or [k for k, _l, _g in COLUMNS]
    return [{"scope": r["scope"], "key": r["key"],
             "cells": [cell_html(cell(r, k, period, links, counts_petitions)) for k in keys]} for r in rows]


def _render_overview(request, ctx: dict):
    """The 三比 page; a period whose headline figures are all zero or "—" says so (data-testid empty-period,
    which the demo tour checks on every default page)."""
    ctx["period_empty"] = all(str(c.get("text", "")) in ("", "0", "—", "0.00", "0.0") for c in ctx.get("headline", []))
    return render(request, "trials/overview.html", ctx)


def _headline(row, period, links, cp) -> list[dict]:
    out = []
    for k in HEADLINE:
        c = cell(row, k, period, links, cp)
        out.append({"label": sel.FIGURE_LABELS[k], "key": k, "text": c["text"], "html": cell_html(c)})
    return out


def _extra_html(v: dict, key: str = "") -> str:
    main = (format_html('<a href="{}" data-testid="figure-{}">{}</a>', v["url"], key, v["text"]) if v.get("url")
            else conditional_escape(v["text"]))
    if v.get("den") is None:
        return main
    return format_html('{}<span class="small text-muted ms-1">({}/{})</span>', main, v.get("num", ""), v["den"])


def add_extra_figures(ctx: dict, court, period: sel.Period, user, judge_ids: list[int] | None = None) -> None:
    """Figures the later apps add to the page through `tianping.trials.hooks.extra_figures` (the service app's
    revisit satisfaction rate in the "effect" group): a column of every table and a headline card."""
    from tianping.trials.hooks import extra_figures

    extras = list(extra_figures)
    if not extras:
        return
    ctx["columns"] = [*ctx.get("columns", COLUMNS), *[(e.key, e.label, e.group) for e in extras]]
    for e in extras:
        for dim, _title, rows in ctx.get("tables", []):
            values = e.values(court, period, dim, [r["key"] for r in rows], user, judge_ids)
            for r, v in zip(rows, values, strict=True):
                r["cells"].append(_extra_html(v, f"{e.key}-{dim}"))
        if "headline" in ctx:
            (v,) = e.values(court, period, "court", [{}], user, judge_ids)
            ctx["headline"].append({"label": e.label, "key": e.key, "text": v["text"], "html": _extra_html(v, e.key)})


# -- charts (ECharts options as JSON; static/tianping/app.js draws [data-echarts]) -------------------------
def _pct(v):
    return None if v is None else round(v * 100, 2)


def bar_chart(title: str, categories: list[str], series: list[tuple[str, list]], *, percent=True) -> dict:
    return {
        "title": {"text": title, "left": "center", "textStyle": {"fontSize": 14}},
        "tooltip": {"trigger": "axis"},
        "legend": {"bottom": 0},
        "grid": {"left": 50, "right": 20, "top": 40, "bottom": 70, "containLabel": True},
        "xAxis": {"type": "category", "data": categories, "axisLabel": {"interval": 0, "rotate": 30}},
        "yAxis": {"type": "value", "name": "%" if percent else ""},
        "series": [{"name": name, "type": "bar", "data": data} for name, data in series],
    }


def trend_chart(title: str, trend: list[dict]) -> dict:
    months = [f"{r['month']:%Y-%m}" for r in trend]
    return {
        "title": {"text": title, "left": "center", "textStyle": {"fontSize": 14}},
        "tooltip": {"trigger": "axis"},
        "legend": {"bottom": 0},
        "grid": {"left": 50, "right": 50, "top": 40, "bottom": 50, "containLabel": True},
        "xAxis": {"type": "category", "data": months},
        "yAxis": [{"type": "value", "name": _("件")}, {"type": "value", "name": "%", "max": 100}],
        "series": [
            {"name": _("结案数"), "type": "bar", "data": [r["closed"] for r in trend]},
            {"name": _("党员结案数"), "type": "bar", "data": [r["party_closed"] for r in trend]},
            {"name": _("法定审限内结案率"), "type": "line", "yAxisIndex": 1,
             "data": [round(100 * r["closed_within"] / r["closed"], 2) if r["closed"] else None for r in trend]},
            {"name": _("调撤率"), "type": "line", "yAxisIndex": 1,
             "data": [round(100 * r["mediated_withdrawn"] / r["closed"], 2) if r["closed"] else None
                      for r in trend]},
        ],
    }


# -- the 三比 page -----------------------------------------------------------------------------------------
@permission_required("trials.view_overview")
def overview(request):
    user = request.user
    modes = figure_modes(user)
    if not modes:  # the higher court: figures of the courts below, on its own page
        return redirect("trials:courts")
    mode = request.GET.get("scope") if request.GET.get("scope") in modes else modes[0]
    court = user.court
    period, years = period_from_request(request, court, user.person_id if mode == "own" else None)
    membership_refresh(court=court, actor=user)
    settings_ = TrialSettings.for_court(court)
    cp = settings_.acceptance_counts_petitions
    ctx: dict = {"page_title": _("审判质效“三比”"), "breadcrumbs": [(_("审判质效“三比”"), None)],
                 "period": period, "years": years, "mode": mode, "court": court,
                 "columns": COLUMNS, "counts_petitions": cp, "settings": settings_,
                 "selected_year": period.start.year if (period.start.month, period.start.day, period.end.month,
                                                        period.end.day) == (1, 1, 12, 31) else None,
                 "scopes": [(m, {"court": _("全院"), "branch": _("本支部"), "own": _("本人")}[m]) for m in modes]}
    if mode == "branch":
        ctx.update(_branch_context(user, court, period, cp))
        add_extra_figures(ctx, court, period, user, ctx.pop("roster_ids"))
        return _render_overview(request, ctx)
    if mode == "own":
        extra = sel.scope_q(judge=user.person_id)
        (row,) = sel.metrics(court, period, "court", refresh=False, extra_q=extra, counts_petitions=cp)
        row["key"] = {"judge": user.person_id}
        row["scope"] = user.person.name
        ctx["headline"] = _headline(row, period, True, cp)
        trend = sel.monthly_trend(court, period, extra_q=extra)
        ctx["charts"] = [("chart-trend", trend_chart(_("本人逐月结案趋势"), trend))]
        add_extra_figures(ctx, court, period, user, [user.person_id])
        return _render_overview(request, ctx)

    # the court-wide figures (~60 grouped queries, ~150 ms of CPU): kept per court, period and roles for
    # TIANPING_FIGURES_CACHE_SECONDS, shared by every account with the same roles; the page says when they were
    # gathered and ?refresh=1 gathers them anew
    key = (f"trials:overview:{court.pk}:{period.start}:{period.end}:{int(cp)}:{role_key(user)}:"
           f"{get_language() or settings.LANGUAGE_CODE}")
    court_ctx, ctx["figures_at"] = kept(key, lambda: _court_context(user, court, period, settings_, cp),
                                        seconds=settings.TIANPING_FIGURES_CACHE_SECONDS,
                                        refresh="refresh" in request.GET)
    ctx.update(court_ctx)
    ctx["can_edit_settings"] = can(user, "change", settings_)
    return _render_overview(request, ctx)


def _court_context(user, court, period: sel.Period, settings_, cp: bool) -> dict:
    """全院: the headline, the four tables, the charts, the leaders' participation and the candidates."""
    ctx: dict = {}
    links = can_list_court_cases(user)
    cube = sel.cube_counts([court.pk], period)  # the one grouped query behind every table of the page
    court_rows = sel.metrics(court, period, "court", refresh=False, counts_petitions=cp, counts=cube)
    branch_rows = sel.metrics(court, period, "branch", refresh=False, counts_petitions=cp, counts=cube)
    dep_rows = sel.metrics(court, period, "department", refresh=False, counts_petitions=cp, counts=cube)
    party_rows = sel.metrics(court, period, "party", refresh=False, counts_petitions=cp, counts=cube)
    judge_rows = [r for r in sel.metrics(court, period, "judge", refresh=False, counts_petitions=cp, counts=cube)
                  if r["closed"] or r["pending"]]
    row = court_rows[0]
    ctx["headline"] = _headline(row, period, links, cp)
    ctx["links"] = links
    ctx["tables"] = [
        ("party", _("党员与非党员"), table_rows(party_rows, period, links, cp)),
        ("branch", _("按党支部"), table_rows(branch_rows, period, links, cp)),
        ("department", _("按部门（立案时的承办部门）"), table_rows(dep_rows, period, links, cp)),
        ("judge", _("按承办人"), table_rows(judge_rows, period, links, cp)),
    ]
    comparison = [r for r in (branch_rows or dep_rows) if r["closed"]]
    party_labels = [r["scope"] for r in party_rows]
    rate_keys = ["closure_rate", "within_limit_rate", "mediation_withdrawal_rate", "acceptance_rate"]
    top_judges = judge_rows[:20]
    ctx["charts"] = [
        ("chart-party", bar_chart(_("党员与非党员：质量、效率、效果"), [str(sel.FIGURE_LABELS[k]) for k in rate_keys],
                                  [(label, [_pct(r[k]) for k in rate_keys]) for label, r in zip(
                                      party_labels, party_rows, strict=True)])),
        ("chart-branch", bar_chart(_("各支部（部门）比效率与效果"), [r["scope"] for r in comparison],
                                   [(str(sel.FIGURE_LABELS[k]), [_pct(r[k]) for r in comparison])
                                    for k in ("within_limit_rate", "mediation_withdrawal_rate", "acceptance_rate",
                                              "party_member_closed_share")])),
        ("chart-judges", bar_chart(_("承办人结案数（前 20 名）"), [r["scope"] for r in top_judges],
                                   [(_("已结"), [r["closed"] for r in top_judges]),
                                    (_("未结"), [r["pending"] for r in top_judges])], percent=False)),
        ("chart-trend", trend_chart(_("逐月结案趋势"), sel.monthly_trend(court, period))),
    ]
    leaders = sel.leadership_participation(court, period)
    ctx["leaders"] = [{**r, "url": case_list_url(period, "closed", {"participant": r["person"].pk}) if links
                       else None} for r in leaders]
    ctx["leadership_total"] = sel.leadership_total(court, period)
    cands = sel.candidates(court, period, judge_rows)
    ctx["candidates"] = []
    for kind, title in (("expert", _("办案能手候选")), ("mediator", _("调解能手候选"))):
        rows = cands[kind]
        members = sum(1 for r in rows if r["party_member"])
        ctx["candidates"].append({"kind": kind, "title": title, "rows": [
            {**r, "closed_url": case_list_url(period, "closed", r["key"]) if links else None} for r in rows],
            "members": members, "share": fmt("closure_rate", members / len(rows)) if rows else "—"})
    ctx["thresholds"] = {k: fmt("closure_rate", float(getattr(settings_, k))) for k in (
        "expert_min_within_limit_rate", "expert_max_reversal_rate", "mediator_min_mediation_withdrawal_rate")}
    add_extra_figures(ctx, court, period, user)
    return ctx


def _branch_context(user, court, period: sel.Period, cp: bool) -> dict:
    """本支部: the cases handled by the people on the roster of the branches the secretary leads; party status
    on the closing date as for every figure. Figures only: the case lists are the court's and the judges'."""
    branches, roster = led_branch_roster(user, period)
    extra = Q(judge_id__in=roster)
    cube = sel.cube_counts([court.pk], period, extra_q=extra)
    (row,) = sel.metrics(court, period, "court", refresh=False, counts_petitions=cp, counts=cube)
    party_rows = sel.metrics(court, period, "party", refresh=False, counts_petitions=cp, counts=cube)
    judge_rows = [r for r in sel.metrics(court, period, "judge", refresh=False, counts_petitions=cp, counts=cube)
                  if r["closed"] or r["pending"]]
    return {
        "branch_names": "、".join(b.name for b in branches), "roster_size": len(roster), "links": False,
        "roster_ids": list(roster),
        "headline": _headline(row, period, False, cp),
        "tables": [("party", _("党员与非党员（按结案时身份）"), table_rows(party_rows, period, False, cp)),
                   ("judge", _("按承办人（本支部名册上的人员）"), table_rows(judge_rows, period, False, cp))],
        "charts": [("chart-trend", trend_chart(_("本支部逐月结案趋势"), sel.monthly_trend(court, period, extra_q=extra)))],
    }


# -- case list and detail ---------------------------------------------------------------------------------
class CaseListView(FilteredListView):
    table_class = CaseTable
    filterset_class = CaseFilterSet
    register_kind = "cases"
    page_title = gettext_lazy("案件")
    template_name = "trials/case_list.html"

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "xlsx":
            require(request.user, "export", Case)
        return super().get(request, *args, **kwargs)

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["user"] = self.request.user
        kwargs["court"] = self.request.user.court
        return kwargs

    def get_queryset(self):
        return Case.objects.visible_to(self.request.user).select_related("judge", "department")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        fs = ctx.get("filter")
        if fs is not None and fs.is_bound and fs.is_valid():
            cd = fs.form.cleaned_data
            period = fs.period()
            if period and cd.get("set"):
                ctx["drilldown"] = {"set": sel.SET_LABELS[cd["set"]], "period": period,
                                    "count": ctx["table"].paginator.count if hasattr(ctx["table"], "paginator")
                                    else len(ctx["table"].rows)}
        if can(self.request.user, "import", Case):
            ctx["import_kind"] = "cases"
        ctx["can_export"] = can(self.request.user, "export", Case)
        ctx["breadcrumbs"] = [(_("审判质效“三比”"), reverse("trials:overview")), (_("案件"), None)]
        return ctx


case_list = permission_required("trials.view_case")(CaseListView.as_view())


@object_permission(Case, "view")
def case_detail(request, pk: int):
    from tianping.core.registry import case_panels

    case = get_visible_or_404(Case.objects.select_related("judge", "department", "court"), request.user, pk=pk)
    rule = statutory_limit(case.type_code, case.procedure, case.filed_on) if case.filed_on else None
    extra = [item for fn in case_panels for item in fn(case, request.user)]
    return render(request, "trials/case_detail.html", {
        "case": case, "panel": list(case.panel.all()), "page_title": case.number, "limit_rule": rule,
        "extra_rows": [i for i in extra if i.get("kind", "row") == "row"],
        "extra_actions": [i for i in extra if i.get("kind") == "action"],
        "breadcrumbs": [(_("案件"), reverse("trials:case_list")), (case.number, None)]})


# -- higher court: figures of the courts below (supervision only) ----------------------------------------
@permission_required("trials.view_courts")
@figures_from_replica  # reads from the streaming replica when there is one (docs/deploy.md 只读副本)
def courts(request):
    user = request.user
    ids = [i for i in (readable_court_ids(user) or []) if i != user.court_id]
    year = valid_year(request, request.GET.get("year"))
    today = date.today()  # noqa: DTZ011
    period = sel.year_period(year) if year else None
    if period is None:
        period = sel.year_period(busiest_recent_year(ids) or today.year)
    from tianping.org.models import Court

    membership_refresh_courts(courts=list(Court.objects.filter(pk__in=ids)), actor=user)
    rows = sel.court_table(ids, period)
    keys = [k for k, _l, _g in COLUMNS]
    table = [{"scope": r["scope"], "code": r["code"], "cells": [{"text": fmt(k, r[k])} for k in keys],
              "url": reverse("trials:court_figures", args=[r["court_id"]]) + f"?year={period.start.year}"}
             for r in rows]
    return render(request, "trials/courts.html", {
        "page_title": _("辖区法院审判质效（监督用）"), "breadcrumbs": [(_("辖区法院审判质效（监督用）"), None)],
        "period": period, "rows": table, "columns": COLUMNS,
        "years": _court_years(ids, today)})


@permission_required("trials.view_courts")
@figures_from_replica  # reads from the streaming replica when there is one (docs/deploy.md 只读副本)
def court_figures(request, court_id: int):
    """The higher court's drill-down into one supervised court: its figures by department and by month.
    Figures only — no case list, no judge, no party: a department is the smallest unit shown."""
    from django.http import Http404
    from django.utils import timezone

    from tianping.org.models import Court, Department

    user = request.user
    ids = [i for i in (readable_court_ids(user) or []) if i != user.court_id]
    court = Court.objects.filter(pk=court_id, pk__in=ids).first()
    if court is None:
        raise Http404
    today = timezone.localdate()
    year = valid_year(request, request.GET.get("year"))
    period = sel.year_period(year or busiest_recent_year(court) or today.year)
    membership_refresh(court=court, actor=user)
    keys = [k for k, _l, _g in COLUMNS]
    (row,) = sel.court_table([court.pk], period)
    names = dict(Department.objects.filter(court=court).values_list("pk", "name"))
    counts = sel.rollup(sel.cube_counts([court.pk], period), "department")  # from the rollups where it can
    departments = []
    for dep_id, c in sorted(counts.items(), key=lambda kv: names.get(kv[0], "")):
        figures = sel.figures_from_counts(c, period)
        if figures["closed"] or figures["pending"] or figures["filed"]:
            departments.append({"scope": names.get(dep_id) or _("未分配部门"),
                                "cells": [{"text": fmt(k, figures[k])} for k in keys]})
    months = [{"month": r["month"], "closed": r["closed"],
               "within": fmt("within_limit_rate", r["closed_within"] / r["closed"] if r["closed"] else None),
               "mw": fmt("mediation_withdrawal_rate", r["mediated_withdrawn"] / r["closed"] if r["closed"] else None),
               "party": fmt("party_member_closed_share", r["party_closed"] / r["closed"] if r["closed"] else None)}
              for r in sel.monthly_trend(court, period)]
    title = _("%(court)s审判质效（监督用）") % {"court": court.name}
    return render(request, "trials/court_figures.html", {
        "page_title": title, "court": court, "period": period, "columns": COLUMNS,
        "total": [{"text": fmt(k, row[k])} for k in keys], "departments": departments, "months": months,
        "years": _court_years([court.pk], today),
        "breadcrumbs": [(_("辖区法院审判质效（监督用）"), reverse("trials:courts") + f"?year={period.start.year}"),
                        (court.name, None)]})


def _court_years(ids: list[int], today: date) -> list[int]:
    """Years from the first filing in the supervised courts to the current year, newest first."""
    first = Case.objects.filter(court_id__in=ids).aggregate(m=Min("filed_on"))["m"]
    return list(range(today.year, (first or today).year - 1, -1))


# -- settings (party office) and case types (data) ---------------------------------------------------------
class TrialSettingsForm(StyledModelForm):
    class Meta:
        model = TrialSettings
        fields = ["acceptance_counts_petitions", "expert_min_closed", "expert_min_within_limit_rate",
                  "expert_max_reversal_rate", "mediator_min_closed", "mediator_min_mediation_withdrawal_rate"]

    def clean(self):
        cleaned = super().clean()
        for f in ("expert_min_within_limit_rate", "expert_max_reversal_rate",
                  "mediator_min_mediation_withdrawal_rate"):
            v = cleaned.get(f)
            if v is not None and not (0 <= v <= 1):
                self.add_error(f, _("请填写 0 到 1 之间的小数，如 0.95 表示 95%。"))
        return cleaned


@permission_required("trials.change_trialsettings")
def settings_edit(request):
    user = request.user
    instance = TrialSettings.for_court(user.court)
    require(user, "change", instance)
    form = TrialSettingsForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            trial_settings_save(actor=user, settings=form.instance,
                                expected_version=form.cleaned_data.get("loaded_version"))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("trials:overview")
    return render(request, "trials/settings_form.html", {
        "form": form, "page_title": _("三比设置"),
        "breadcrumbs": [(_("审判质效“三比”"), reverse("trials:overview")), (_("三比设置"), None)]})


class CaseTypeForm(StyledModelForm):
    class Meta:
        model = CaseType
        fields = ["code", "name", "category", "instance", "counts_in_metrics", "active", "sort_order"]

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if not code or any(not ("\u4e00" <= ch <= "\u9fff") for ch in code) or "号" in code:
            raise forms.ValidationError(_("类型代字只能由汉字组成（不含“号”），如 民初、执恢。"))
        return code


@permission_required("trials.view_casetype", post="trials.add_casetype")
def case_types(request):
    user = request.user
    can_edit = can(user, "add", CaseType)
    form = CaseTypeForm(request.POST or None) if can_edit else None
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            try:
                case_type_save(actor=user, case_type=form.instance)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return redirect("trials:case_types")
    return render(request, "trials/case_types.html", {
        "types": CaseType.objects.all(), "limits": TimeLimit.objects.order_by("type_code", "procedure", "valid_from"),
        "form": form,
        "page_title": _("案件类型与法定审限"), "breadcrumbs": [(_("案件类型与法定审限"), None)]})


# -- 立案登记: the filing desk files a case by hand ------------------------------------------------------------
class CaseFilingForm(OnceFormMixin, forms.Form):
    """The filing desk's form: the number comes from the allocator, the statutory deadline from the limits."""

    type_code = forms.ChoiceField(label=gettext_lazy("案件类型"), widget=forms.Select(attrs={"data-searchable": "1"}))
    cause = forms.CharField(label=gettext_lazy("案由"), max_length=100)
    procedure = forms.ChoiceField(label=gettext_lazy("审判程序"), choices=[("", "—"), *Procedure.choices],
                                  required=False)
    filed_on = forms.DateField(label=gettext_lazy("立案日期"), validators=[validate_not_future],
                               widget=forms.DateInput)
    plaintiffs = forms.CharField(label=gettext_lazy("原告（申请人）"), max_length=300,
                                 help_text=gettext_lazy("多人用顿号“、”分隔"))
    defendants = forms.CharField(label=gettext_lazy("被告（被申请人）"), max_length=300, required=False,
                                 help_text=gettext_lazy("多人用顿号“、”分隔；无被告的特别程序案件留空"))
    department = forms.ModelChoiceField(label=gettext_lazy("承办部门"), queryset=Department.objects.none())
    judge = PersonChoiceField(label=gettext_lazy("承办人"), queryset=Person.objects.none())

    def __init__(self, *args: Any, court: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.court = court
        fields: dict[str, Any] = self.fields
        fields["type_code"].choices = [(t.code, str(t)) for t in CaseType.objects.filter(active=True)]
        fields["department"].queryset = Department.objects.filter(court=court).order_by("sort_order", "name")
        fields["judge"].queryset = Person.objects.filter(court=court, is_quota_judge=True, left_on__isnull=True) \
            .select_related("department").order_by("department__sort_order", "name")
        if not self.is_bound:
            from django.utils import timezone

            self.fields["filed_on"].initial = timezone.localdate()
        style_form(self)

    @staticmethod
    def _names(text: str) -> list[str]:
        return [n.strip() for n in text.replace(",", "、").replace("，", "、").split("、") if n.strip()]

    def parties(self) -> list[dict[str, str]]:
        cd = self.cleaned_data
        return ([{"role": "原告", "name": n} for n in self._names(cd.get("plaintiffs") or "")]
                + [{"role": "被告", "name": n} for n in self._names(cd.get("defendants") or "")])


@permission_required("trials.add_case")
def case_file(request):
    """立案登记: allocate the next 案号 of the type and year (services.case_register), compute the statutory
    deadline, and tell the apps listening for filed cases (trials.hooks: the integrity desk's letter)."""
    from django.utils.http import url_has_allowed_host_and_scheme

    from tianping.trials.services import case_register

    user = request.user
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    form = CaseFilingForm(request.POST or None, court=user.court)
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data

        def call() -> Case:
            case = case_register(court=user.court, type_code=cd["type_code"], filed_on=cd["filed_on"],
                                 cause=cd["cause"], actor=user, department=cd["department"], judge=cd["judge"],
                                 procedure=cd["procedure"], parties=form.parties(), source_note=_("立案登记"))
            messages.success(request, _("已立案：%(n)s，审限届满日期 %(d)s。") % {
                "n": case.number, "d": case.deadline.isoformat() if case.deadline else _("无法定审限")})
            return case

        def url_of(case: Case) -> str:
            if next_url:
                return next_url
            return reverse("trials:case_detail", args=[case.pk]) if can(user, "view", case) \
                else reverse("trials:case_file")

        try:
            response = create_once(request, form, call, url_of)
        except ValidationError as exc:
            add_service_errors(form, exc, {"number": "type_code"})
        else:
            return response
    return render(request, "trials/case_file.html", {
        "form": form, "next": next_url, "page_title": _("立案登记"),
        "breadcrumbs": [(_("立案登记"), None)]})
