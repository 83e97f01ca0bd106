"""Figures (/api/v1/figures): the trial metrics (the selector and the keys of `manage.py trial_metrics`), the
compliance matrix of organisational life (`manage.py partylife_compliance`), the mediation centre's figures —
for the token's scope. A higher court's token gets the figures of the courts below it, one row per court: never
a case, a judge or a person."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from tianping.api.auth import count, need
from tianping.api.errors import ApiError, with_errors
from tianping.core.policy import allowed
from tianping.core.replica import read_replica

router = Router(tags=["统计数字"])


class TrialRow(Schema):
    scope: str = Field(description="统计范围：法院、部门、承办人……的名称")
    court_code: str
    filed: int | None = None
    carried_over: int | None = None
    closed: int | None = None
    pending: int | None = None
    closure_rate: float | None = None
    within_limit_rate: float | None = None
    avg_days: float | None = None
    mediation_rate: float | None = None
    mediation_withdrawal_rate: float | None = None
    appeal_rate: float | None = None
    acceptance_rate: float | None = None
    reversal_remand_rate: float | None = None
    party_member_closed_share: float | None = None
    clearance_rate: float | None = None
    disposition_time: float | None = None


class TrialFigures(Schema):
    year: int
    by: str
    rows: list[TrialRow]


class TrialQuery(Schema):
    year: int = Field(default_factory=lambda: timezone.localdate().year, ge=2000, le=2100, description="年度")
    by: str = Field("court", pattern="^(court|department|branch|judge|party|leadership)$",
                    description="按什么分组；上级法院的令牌只能 court（每个辖区法院一行）")


def _need_perm(principal: Any, *perms: str) -> str:
    for perm in perms:
        if allowed(principal, perm):
            return perm
    raise ApiError(403, _("令牌的角色不能读取这项统计。"))


def _num(value: Any) -> Any:
    return None if value is None else float(value) if not isinstance(value, int) else value


@router.get("/trials", response=with_errors({200: TrialFigures}), summary="审判质效指标（三比）",
            operation_id="figures_trials")
def figures_trials(request: HttpRequest, q: Query[TrialQuery]) -> dict[str, Any]:
    """与 `manage.py trial_metrics --format json` 相同的选择器和键（结案率等为 0–1 的比率）。本院角色：本院按所选维度；
    上级法院：辖区各法院各一行（监督用，不排名、不公开）。"""
    from tianping.trials import selectors as sel
    from tianping.trials.selectors import FIGURE_KEYS

    principal = need(request, "figures:read")
    perm = _need_perm(principal, "trials.view_court_figures", "trials.view_courts")
    period = sel.year_period(q.year)
    if perm == "trials.view_court_figures":
        court = principal.court
        with read_replica():  # the figures may come from the streaming replica (docs/deploy.md 只读副本)
            rows = [{"court_code": court.code, **r} for r in sel.metrics_json(sel.metrics(court, period, q.by))]
    else:
        if q.by != "court":
            raise ApiError(400, _("上级法院的令牌只能按法院统计（by=court）。"), [{"field": "by", "message": _("只能是 court。")}])
        from tianping.core.scope import readable_court_ids
        from tianping.org.models import Court
        from tianping.trials.services import membership_refresh_courts

        ids = [i for i in (readable_court_ids(principal) or []) if i != principal.court_id]
        membership_refresh_courts(courts=list(Court.objects.filter(pk__in=ids)), actor=principal)
        with read_replica():
            rows = [{"scope": r["scope"], "court_code": r["code"], **{k: r[k] for k in FIGURE_KEYS}}
                    for r in sel.court_table(ids, period)]
    count(request, returned=len(rows))
    return {"year": q.year, "by": q.by, "rows": [{k: (_num(v) if k in FIGURE_KEYS else v) for k, v in r.items()}
                                                 for r in rows]}


class ComplianceCell(Schema):
    organisation: str
    duty: str
    period: str
    required: int
    held: int
    status: str


class ComplianceFigures(Schema):
    year: int
    cells: list[ComplianceCell]


class YearQuery(Schema):
    year: int = Field(default_factory=lambda: timezone.localdate().year, ge=2000, le=2100, description="年度")


@router.get("/compliance", response=with_errors({200: ComplianceFigures}), summary="组织生活合规矩阵",
            operation_id="figures_compliance")
def figures_compliance(request: HttpRequest, q: Query[YearQuery]) -> dict[str, Any]:
    """每个党组织 × 每项组织生活要求 × 每个周期：应开次数、已开次数、状态（与 `manage.py partylife_compliance` 相同）。"""
    from tianping.party.models import PartyOrganisation
    from tianping.partylife.compliance import court_matrix

    principal = need(request, "figures:read")
    _need_perm(principal, "partylife.read_court")
    orgs = PartyOrganisation.objects.filter(court=principal.court, active=True).order_by("sort_order", "name")
    cells = [c.as_dict() for c in court_matrix(court=principal.court, year=q.year, today=timezone.localdate(),
                                               organisations=orgs)]
    count(request, returned=len(cells))
    return {"year": q.year, "cells": [{**c, "organisation": str(c["organisation"]), "duty": str(c["duty"])}
                                      for c in cells]}


class MediationFigures(Schema):
    start: date
    end: date
    received: int
    diverted: int
    concluded: int
    succeeded: int
    confirmed: int
    filed: int
    success_rate: float | None = Field(None, description="调解成功率（%）")
    average_days: float | None = Field(None, description="平均调解天数")


class PeriodQuery(Schema):
    start: date = Field(None, description="登记日期起（含），默认本年 1 月 1 日")  # type: ignore[assignment]
    end: date = Field(None, description="登记日期止（含），默认今天")  # type: ignore[assignment]


@router.get("/mediation", response=with_errors({200: MediationFigures}), summary="诉调对接数字",
            operation_id="figures_mediation")
def figures_mediation(request: HttpRequest, q: Query[PeriodQuery]) -> dict[str, Any]:
    """诉调对接中心的收案、分流、调解成功、司法确认、转立案（与“诉调对接数字”页相同的选择器）。上级法院：辖区合计。"""
    from tianping.mediation.selectors import figures, figures_scope

    principal = need(request, "figures:read")
    _need_perm(principal, "mediation.view_figures")
    today = timezone.localdate()
    start, end = q.start or date(today.year, 1, 1), q.end or today
    if end < start:
        raise ApiError(400, _("止日不能早于起日。"), [{"field": "end", "message": _("止日不能早于起日。")}])
    scope, _linked = figures_scope(principal)
    result = figures(scope.filter(registered_on__gte=start, registered_on__lte=end))
    count(request, returned=1)
    return {"start": start, "end": end, **{k: (_num(v)) for k, v in result.items()}}
