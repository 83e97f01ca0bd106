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

from tianping.core.registry import ReportFigure, report_figures

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


def compute(court: Any, year: int) -> dict[str, ReportFigure]:
    """Every figure the installed apps provide for the court's year (KEYS, plus the per-year keys some
    providers add for the three-year tables)."""
    out: dict[str, ReportFigure] = {}
    for provider in report_figures:
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


def three_years(court: Any, year: int, figures: dict[str, ReportFigure]) -> list[dict[str, Any]]:
    """Rows for the year and the two before it (the seed's "近 3 年"): the columns above, each a figure with
    its link (None where no app provides it)."""
    rows = []
    for y in (year - 2, year - 1, year):
        figs = figures if y == year else compute(court, y)
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
