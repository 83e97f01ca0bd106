"""The annual party-building report: its figures, computed from the records by the apps that own them
(`tianping.core.registry.report_figures`, each app's report.py), and its text filled from them.

Definitions (the same as the pages each figure links to):
- cases_closed, party_member_closed_share, acceptance_rate, leadership_cases — trials/report.py
- judge_letters — integrity; integrity_lectures_court / _branch — partylife/report.py
- revisited_cases, revisited_people, revisit_satisfaction_rate, circuit_trials, outreach_events,
  partner_visits — service to the public
- disputes_diverted — mediation/report.py
- honours_person_times_3y, able_handlers_party_share, pioneer_posts — honours and pioneer posts
- recruits_3y, recruits_to_tribunals_3y, leaders_bachelor_or_above_share — org/report.py
A key no installed app provides is null (the JSON always has exactly KEYS)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tianping.core.registry import (
    BranchColumn,
    MonthlySeries,
    ReportFigure,
    branch_figures,
    monthly_figures,
    report_figures,
)

KEYS: tuple[str, ...] = (
    "cases_closed", "party_member_closed_share", "acceptance_rate", "leadership_cases",
    "judge_letters",
    "integrity_lectures_court", "integrity_lectures_branch",
    "revisited_cases", "revisited_people", "revisit_satisfaction_rate",
    "circuit_trials", "outreach_events", "partner_visits",
    "disputes_diverted",
    "honours_person_times_3y", "able_handlers_party_share",
    "recruits_3y", "recruits_to_tribunals_3y",
    "leaders_bachelor_or_above_share",
    "pioneer_posts",
)
RATE_KEYS = frozenset(k for k in KEYS if k.endswith(("_share", "_rate")))

LABELS: dict[str, Any] = {
    "cases_closed": gettext_lazy("审结案件"),
    "party_member_closed_share": gettext_lazy("党员干警办结案件占比"),
    "acceptance_rate": gettext_lazy("一审服判息诉率"),
    "leadership_cases": gettext_lazy("院领导承办和参与合议案件"),
    "judge_letters": gettext_lazy("发放法官寄语"),
    "integrity_lectures_court": gettext_lazy("全院廉政大讲堂"),
    "integrity_lectures_branch": gettext_lazy("支部廉政讲堂"),
    "revisited_cases": gettext_lazy("回访案件"),
    "revisited_people": gettext_lazy("回访当事人"),
    "revisit_satisfaction_rate": gettext_lazy("回访满意度"),
    "circuit_trials": gettext_lazy("巡回审判"),
    "outreach_events": gettext_lazy("法制宣传活动"),
    "partner_visits": gettext_lazy("双包双联走访"),
    "disputes_diverted": gettext_lazy("分流调解纠纷"),
    "honours_person_times_3y": gettext_lazy("近三年受表彰人次"),
    "able_handlers_party_share": gettext_lazy("办案能手、调解能手中党员占比"),
    "recruits_3y": gettext_lazy("近三年新招录人员"),
    "recruits_to_tribunals_3y": gettext_lazy("其中充实到人民法庭"),
    "leaders_bachelor_or_above_share": gettext_lazy("院领导本科以上学历占比"),
    "pioneer_posts": gettext_lazy("党员先锋岗"),
}

PLACEHOLDER = re.compile(r"\{(\w+)\}")
TEXT_KEYS = ("court", "year")  # placeholders that are not figures

DEFAULT_TITLE = "{court}{year}年度党建工作报告"
DEFAULT_BODY = """# 一、不忘初心，对党忠诚，做忠诚的合格法官

坚持支部建在庭上、先锋亮在岗上、党旗红在院上。{year}年，院领导班子承办和参与合议案件{leadership_cases}件，班子成员中本科以上学历占{leaders_bachelor_or_above_share}；在立案、信访、审判、执行等岗位设立党员先锋岗{pioneer_posts}个。近三年，党员干警受到各级表彰{honours_person_times_3y}人次。

# 二、秉持公心，清正司法，做干净的合格法官

实行法官寄语制度，立案随案发放，{year}年发放{judge_letters}份。开展“廉政建设大讲堂”活动，全院大讲堂开展{integrity_lectures_court}场，各支部廉政讲堂开展{integrity_lectures_branch}场。近三年新招录人员{recruits_3y}名，其中{recruits_to_tribunals_3y}名充实到人民法庭。全年审结案件{cases_closed}件，其中党员干警办结{party_member_closed_share}；“办案能手”“调解能手”中党员占{able_handlers_party_share}；一审服判息诉率{acceptance_rate}。

# 三、永葆丹心，为民服务，做担当的合格法官

{year}年，回访案件当事人{revisited_cases}案{revisited_people}人，群众满意度{revisit_satisfaction_rate}。深入辖区开展巡回审判{circuit_trials}次，组织法制宣传活动{outreach_events}次；开展“双包双联为民服务”活动，走访{partner_visits}次。诉调对接中心分流调解纠纷{disputes_diverted}件。
"""


def known_placeholders() -> tuple[str, ...]:
    return TEXT_KEYS + KEYS


def unknown_placeholders(text: str) -> list[str]:
    return sorted({m for m in PLACEHOLDER.findall(text) if m not in known_placeholders()})


def compute(court: Any, year: int, keys: frozenset[str] | None = None) -> dict[str, ReportFigure]:
    """Every figure the installed apps provide for the court's year (KEYS, plus the per-year keys some
    providers add for the three-year tables). With `keys`, the providers that declare (core.registry.provides)
    none of them are skipped."""
    out: dict[str, ReportFigure] = {}
    for provider in report_figures:
        declared = getattr(provider, "report_keys", None)
        if keys is not None and declared is not None and not declared & keys:
            continue
        out.update(provider(court, year))
    return out


def report_json(court: Any, year: int, figures: dict[str, ReportFigure] | None = None) -> dict[str, Any]:
    """Exactly the issue's keys: court (code), year, then KEYS (None where no app provides the figure)."""
    figures = compute(court, year) if figures is None else figures
    data: dict[str, Any] = {"court": court.code, "year": year}
    for key in KEYS:
        fig = figures.get(key)
        data[key] = fig.value if fig is not None else None
    return data


def fmt(key: str, value: Any) -> str:
    if value is None:
        return "—"
    if key in RATE_KEYS:
        return f"{value * 100:.2f}%"
    if isinstance(value, float):
        return f"{value:.2f}"
    return f"{value:,}"


@dataclass
class Paragraph:
    heading: bool
    text: str         # plain text (figures formatted), for the .docx and the PDF
    html: SafeString  # the same with each figure a link to its records, for the page


def fill(text: str, court: Any, year: int, figures: dict[str, ReportFigure], *, links: bool) -> Any:
    """`text` with its placeholders replaced (escaped; figures as links when `links`)."""
    values = {"court": court.full_name or court.name, "year": str(year)}

    def plain(match: re.Match[str]) -> str:
        key = match.group(1)
        if key in values:
            return str(values[key])
        fig = figures.get(key)
        return fmt(key, fig.value if fig else None)

    if not links:
        return PLACEHOLDER.sub(plain, text)
    parts: list[str] = []
    last = 0
    for match in PLACEHOLDER.finditer(text):
        parts.append(format_html("{}", text[last:match.start()]))
        key = match.group(1)
        fig = figures.get(key)
        if key in values or fig is None or not fig.url:
            parts.append(format_html("<strong>{}</strong>", plain(match)))
        else:
            parts.append(format_html('<a href="{}" class="fw-bold" data-figure="{}">{}</a>', fig.url, key,
                                     plain(match)))
        last = match.end()
    parts.append(format_html("{}", text[last:]))
    return mark_safe("".join(parts))  # noqa: S308 - every part went through format_html


def paragraphs(body: str, court: Any, year: int, figures: dict[str, ReportFigure]) -> list[Paragraph]:
    out = []
    for block in re.split(r"\n\s*\n", body.strip()):
        block = " ".join(line.strip() for line in block.strip().splitlines())
        if not block:
            continue
        heading = block.startswith("#")
        block = block.lstrip("#").strip() if heading else block
        out.append(Paragraph(heading, fill(block, court, year, figures, links=False),
                             fill(block, court, year, figures, links=True)))
    return out


def template_for(court: Any) -> tuple[str, str]:
    """(title, body): the court's edited template, or the default (the seed's three sections)."""
    from tianping.annual.models import ReportTemplate

    t = ReportTemplate.objects.filter(court=court).first()
    return (t.title, t.body) if t else (DEFAULT_TITLE, DEFAULT_BODY)


THREE_YEAR_COLUMNS: tuple[tuple[str, Any], ...] = (
    ("cases_closed", gettext_lazy("审结案件")),
    ("party_member_closed_share", gettext_lazy("党员办结占比")),
    ("acceptance_rate", gettext_lazy("一审服判息诉率")),
    ("recruits_year", gettext_lazy("新招录人员")),
    ("honours_person_times_year", gettext_lazy("受表彰人次")),
)

THREE_YEAR_KEYS = frozenset(k for k, _label in THREE_YEAR_COLUMNS)


def three_years(court: Any, year: int, figures: dict[str, ReportFigure]) -> list[dict[str, Any]]:
    """Rows for the year and the two before it (the seed's "近 3 年"): the columns above, each a figure with
    its link (None where no app provides it)."""
    rows = []
    for y in (year - 2, year - 1, year):
        figs = figures if y == year else compute(court, y, THREE_YEAR_KEYS)
        cells = []
        for key, _label in THREE_YEAR_COLUMNS:
            fig = figs.get(key)
            cells.append({"key": key, "text": fmt(key if key in RATE_KEYS else "", fig.value if fig else None),
                          "url": fig.url if fig else ""})
        rows.append({"year": y, "cells": cells})
    return rows


def report(court: Any, year: int) -> dict[str, Any]:
    """Everything the page and the documents show."""
    figures = compute(court, year)
    title, body = template_for(court)
    return {
        "court": court, "year": year,
        "title": fill(title, court, year, figures, links=False),
        "paragraphs": paragraphs(body, court, year, figures),
        "figures": [{"key": k, "label": LABELS[k], "value": figures[k].value if k in figures else None,
                     "text": fmt(k, figures[k].value if k in figures else None),
                     "url": figures[k].url if k in figures else ""} for k in KEYS],
        "three_years": three_years(court, year, figures),
        "three_year_columns": [label for _k, label in THREE_YEAR_COLUMNS],
        "json": report_json(court, year, figures),
    }


def missing_keys(figures: dict[str, ReportFigure]) -> list[str]:
    return [k for k in KEYS if k not in figures]


def default_year(today: Any) -> int:
    """An annual report is about a complete year: the last one."""
    return int(today.year) - 1


def no_provider_note() -> str:
    return _("“—”表示尚无记录来源或分母为零。")


# --- the dashboards: the court dashboard, the branch scorecards, the big screen ------------------------------
MONTHS = tuple(range(1, 13))
# The dashboards are read often (the big screen polls, leaders open them at will) and their figures cost a
# second or so to gather from every app; they are kept this long per court and year (the page says when they
# were gathered). The annual report itself always computes afresh.
CACHE_SECONDS = 300


def cached(key: str, fn: Any) -> Any:
    from tianping.core.cache import kept

    return kept(key, fn, seconds=CACHE_SECONDS)[0]


def figures_gathered_at(court: Any, year: int) -> Any:
    """When the dashboards' figures of the court's year were gathered (None: not kept)."""
    from tianping.core.cache import kept_at

    return kept_at(f"annual:figures:{court.pk}:{year}")


def compute_cached(court: Any, year: int) -> dict[str, ReportFigure]:
    return cached(f"annual:figures:{court.pk}:{year}", lambda: compute(court, year))  # type: ignore[no-any-return]


def change(key: str, this: Any, last: Any) -> dict[str, Any]:
    """This year against last: {"text", "direction": up|down|flat|""}. Counts: the difference and the percentage;
    rates: the difference in percentage points."""
    if this is None or last is None:
        return {"text": "—", "direction": ""}
    diff = this - last
    direction = "up" if diff > 0 else "down" if diff < 0 else "flat"
    if key in RATE_KEYS:
        return {"text": _("%(d)+.2f 个百分点") % {"d": diff * 100}, "direction": direction}
    pct = f"（{diff / last * 100:+.1f}%）" if last else ""
    if isinstance(diff, float):
        return {"text": f"{diff:+,.2f}{pct}", "direction": direction}
    return {"text": f"{diff:+,}{pct}", "direction": direction}


def compare(court: Any, year: int) -> list[dict[str, Any]]:
    """The report's figures (KEYS) for the year and the year before, each with its link and the change."""
    this, last = compute_cached(court, year), compute_cached(court, year - 1)
    rows = []
    for key in KEYS:
        a, b = this.get(key), last.get(key)
        va, vb = (a.value if a else None), (b.value if b else None)
        rows.append({"key": key, "label": LABELS[key], "value": va, "last_value": vb,
                     "text": fmt(key, va), "url": a.url if a else "",
                     "last_text": fmt(key, vb), "last_url": b.url if b else "",
                     "change": change(key, va, vb), "provided": a is not None})
    return rows


def monthly(court: Any, year: int, today: Any) -> dict[str, MonthlySeries]:
    """Every app's monthly series of the year (months after `today`'s, in the current year, are None)."""
    out: dict[str, MonthlySeries] = {}
    gathered = cached(f"annual:months:{court.pk}:{year}",
                      lambda: [s for provider in monthly_figures for s in provider(court, year)])
    for series in gathered:
        values = list(series.values)
        if year == today.year:
            values = [v if m <= today.month else None for m, v in zip(MONTHS, values, strict=True)]
        elif year > today.year:
            values = [None] * 12
        out[series.key] = MonthlySeries(series.key, series.label, values, list(series.urls))
    return out


def trend_charts(court: Any, year: int, today: Any, *, dark: bool = False) -> list[tuple[str, dict[str, Any]]]:
    """ECharts options, one chart per monthly series: the year against the year before, month by month; each
    point carries the address of its records (static/tianping/app.js opens it on a click)."""
    this, last = monthly(court, year, today), monthly(court, year - 1, today)
    months = [_("%(m)d月") % {"m": m} for m in MONTHS]
    text = "#e6f1ff" if dark else "#333"
    charts = []
    for key, series in this.items():
        before = last.get(key)

        def points(s: MonthlySeries | None) -> list[Any]:
            if s is None:
                return [None] * 12
            urls = s.urls or [""] * 12
            return [{"value": v, "url": u} if v is not None else None for v, u in zip(s.values, urls, strict=True)]

        title: dict[str, Any] = {"text": str(series.label), "left": "center",
                                 "textStyle": {"fontSize": 14, "color": text}}
        if year == today.year:  # the month under way is counted up to today
            title["subtext"] = _("%(m)d月统计至%(d)d日") % {"m": today.month, "d": today.day}
            title["subtextStyle"] = {"color": "#90a4ae", "fontSize": 11}
        charts.append((f"trend-{key}", {
            "backgroundColor": "transparent",
            "title": title,
            "tooltip": {"trigger": "axis"},
            "legend": {"bottom": 0, "textStyle": {"color": text}},
            "grid": {"left": 10, "right": 20, "top": 52 if year == today.year else 40, "bottom": 30,
                     "containLabel": True},
            "xAxis": {"type": "category", "data": months, "axisLabel": {"color": text}},
            "yAxis": {"type": "value", "minInterval": 1, "axisLabel": {"color": text}},
            "series": [
                {"name": _("%(y)d年") % {"y": year - 1}, "type": "line", "data": points(before),
                 "lineStyle": {"type": "dashed"}, "itemStyle": {"color": "#90a4ae"}},
                {"name": _("%(y)d年") % {"y": year}, "type": "line", "data": points(series),
                 "itemStyle": {"color": "#ffb300" if dark else "#c62828"}},
            ],
        }))
    return charts


def branch_rosters(court: Any, day: Any) -> tuple[list[Any], dict[int, list[int]]]:
    """The court's party branches (党支部: active, or with members on `day`) in their order, and {branch id: the
    people on its roster on `day`, its 党小组 included} (one query for all)."""
    from django.db.models import Q

    from tianping.party.models import BranchMembership, OrgKind, PartyOrganisation

    orgs = list(PartyOrganisation.objects.filter(court=court).only("pk", "name", "kind", "parent_id", "active",
                                                                    "sort_order"))
    parent = {o.pk: o.parent_id for o in orgs}
    kind = {o.pk: o.kind for o in orgs}
    rosters: dict[int, set[int]] = {o.pk: set() for o in orgs if o.kind == OrgKind.BRANCH}
    for org_id, person_id in (BranchMembership.objects.filter(court=court, start__lte=day)
                              .filter(Q(end__isnull=True) | Q(end__gte=day))
                              .values_list("organisation_id", "member__person_id")):
        target = parent.get(org_id) if kind.get(org_id) == OrgKind.GROUP else org_id
        if target in rosters:
            rosters[target].add(person_id)
    branches = sorted((o for o in orgs if o.kind == OrgKind.BRANCH and (o.active or rosters[o.pk])),
                      key=lambda o: (o.sort_order, o.name))
    return branches, {o.pk: sorted(rosters[o.pk]) for o in branches}


def scorecard_columns() -> list[BranchColumn]:
    return [c for provider in branch_figures for c in provider.columns]


def reference_day(year: int, today: Any) -> Any:
    from datetime import date

    return min(today, date(year, 12, 31))


def scorecards(court: Any, year: int, today: Any) -> dict[str, Any]:
    """The branch scorecards (支部建设比拼): one row per branch, the members on its roster and every app's
    columns (`core.registry.branch_figures`), each cell a figure with its link."""
    from django.urls import reverse

    day = reference_day(year, today)
    columns = scorecard_columns()
    branches, rosters, values = cached(f"annual:branches:{court.pk}:{year}:{day}",
                                       lambda: _branch_values(court, year, day))
    rows = []
    for b in branches:
        cells = []
        for col in columns:
            fig = values[b.pk].get(col.key)
            value = fig.value if fig else None
            cells.append({"key": col.key, "value": value, "text": cell_text(col.kind, value),
                          "url": fig.url if fig else ""})
        rows.append({"branch": b, "id": b.pk, "name": b.name, "members": len(rosters[b.pk]),
                     "url": reverse("party:organisation_detail", args=[b.pk]), "cells": cells})
    return {"year": year, "day": day, "columns": columns, "rows": rows}


def _branch_values(court: Any, year: int, day: Any) -> tuple[list[Any], dict[int, list[int]],
                                                              dict[int, dict[str, ReportFigure]]]:
    branches, rosters = branch_rosters(court, day)
    values: dict[int, dict[str, ReportFigure]] = {b.pk: {} for b in branches}
    for provider in branch_figures:
        for bid, figs in provider.compute(court, year, rosters).items():
            if bid in values:
                values[bid].update(figs)
    return branches, rosters, values


def cell_text(kind: str, value: Any) -> str:
    if value is None:
        return "—"
    if kind == "rate":
        return f"{value * 100:.1f}%"
    if kind == "number":
        return f"{value:,.1f}"
    return f"{value:,}"


def sort_rows(rows: list[dict[str, Any]], key: str, descending: bool) -> list[dict[str, Any]]:
    """Rows by a column (or "name", "members"); an empty cell last whichever the direction."""
    def value(r: dict[str, Any]) -> Any:
        if key == "name":
            return r["name"]
        if key == "members":
            return r["members"]
        return next((c["value"] for c in r["cells"] if c["key"] == key), None)

    present = [r for r in rows if value(r) is not None]
    missing = [r for r in rows if value(r) is None]
    return sorted(present, key=value, reverse=descending) + missing


def scorecard_table(card: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    """The scorecards as a plain table (header, rows) for the .xlsx: rates as percentages with one decimal."""
    header = [str(_("党支部")), str(_("党员人数")), *[str(c.label) for c in card["columns"]]]
    out = []
    for r in card["rows"]:
        row: list[Any] = [r["name"], r["members"]]
        for col, cell in zip(card["columns"], r["cells"], strict=True):
            v = cell["value"]
            row.append(None if v is None else round(v * 100, 1) if col.kind == "rate" else v)
        out.append(row)
    return header, out


# --- to-dos by owner ------------------------------------------------------------------------------------------
def todo_owners(court: Any) -> list[dict[str, Any]]:
    from django.utils.translation import get_language

    return cached(f"annual:todo:{court.pk}:{get_language()}", lambda: _todo_owners(court))  # type: ignore[no-any-return]


def _todo_owners(court: Any) -> list[dict[str, Any]]:
    """The court's open to-dos (every app's `core.registry.todo`) grouped by who must act, named by post — the
    role and the branch they lead or their department — never by a person's name. One owner row per post;
    an item two accounts of one post both see counts once."""
    from django.contrib.auth import get_user_model

    from tianping.core.roles import ADMIN_ROLES, Role
    from tianping.core.views import collect_todo
    from tianping.party.selectors import branches_led_by

    labels = dict(Role.choices)
    users = (get_user_model().objects.filter(court=court, is_active=True).select_related("person__department")
             .prefetch_related("role_grants").order_by("pk"))
    owners: dict[str, dict[str, Any]] = {}
    for user in users:
        roles = sorted({g.role for g in user.role_grants.all()} - set(ADMIN_ROLES))
        if not roles:
            continue
        if len(roles) > 1 and Role.MEMBER in roles:  # 党员/干警 says nothing beside a post
            roles.remove(Role.MEMBER)
        where = ""
        if Role.BRANCH_SECRETARY in roles:
            where = "、".join(branches_led_by(user).values_list("name", flat=True))
        elif user.person is not None and user.person.department is not None:
            where = user.person.department.name
        name = "、".join(str(labels.get(r, r)) for r in roles) + (f"（{where}）" if where else "")
        entry = owners.setdefault(name, {"owner": name, "users": [], "items": {}})
        entry["users"].append(user.pk)
        for item in collect_todo(user):
            entry["items"].setdefault((str(item["label"]), item["url"]), item)
    out = []
    for name, entry in owners.items():
        items = list(entry["items"].values())
        if not items:
            continue
        key = "-".join(str(pk) for pk in entry["users"])
        kinds: dict[str, int] = {}
        for i in items:
            kinds[str(i["kind"])] = kinds.get(str(i["kind"]), 0) + 1
        out.append({"owner": name, "key": key, "total": len(items),
                    "danger": sum(1 for i in items if i["level"] == "danger"),
                    "warning": sum(1 for i in items if i["level"] == "warning"),
                    "kinds": sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0])), "items": items})
    return sorted(out, key=lambda o: (-o["danger"], -o["total"], o["owner"]))


