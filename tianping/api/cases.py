"""Cases (/api/v1/cases): bulk upsert by 案号 through the `cases` register (the spreadsheet import's parsers,
checks and services, all or nothing), one case, and the list with filters — for the token's scope."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from tianping.api.auth import count, need
from tianping.api.errors import ApiError, with_errors
from tianping.api.registers import input_rows, record_in, record_out, record_values

router = Router(tags=["案件"])

MAX_ITEMS = 1000
CaseIn = record_in("cases")
CaseOut = record_out("cases")


class CasePush(Schema):
    items: list[CaseIn] = Field(description="案件，每批最多 1000 件；按案号新增或更新，整批要么全部写入、要么全部不写。")  # type: ignore[valid-type]


class PushResult(Schema):
    total: int
    created: int
    updated: int
    unchanged: int


class CaseDetail(CaseOut):  # type: ignore[valid-type,misc]
    id: int
    updated_at: datetime


class CaseList(Schema):
    count: int
    offset: int
    limit: int
    items: list[CaseDetail]


class CaseFilters(Schema):
    year: int = Field(None, ge=1990, le=2999, description="立案年度，如 2016")  # type: ignore[assignment]
    department: str = Field(None, max_length=100, description="承办部门名称")  # type: ignore[assignment]
    judge: str = Field(None, max_length=60, description="承办人姓名，同名时写成 张伟(0312)")  # type: ignore[assignment]
    state: str = Field(None, pattern="^(pending|closed)$", description="pending 未结 / closed 已结")  # type: ignore[assignment]
    updated_since: datetime = Field(None, description="只列出此时间之后新增或更新的案件（ISO 8601）")  # type: ignore[assignment]
    offset: int = Field(0, ge=0, le=10_000_000)
    limit: int = Field(100, ge=1, le=1000)


def _detail(case: Any) -> dict[str, Any]:
    return {**record_values("cases", case), "id": case.pk, "updated_at": case.updated_at}


@router.post("/push", response=with_errors({200: PushResult}), by_alias=True, summary="批量推送案件（按案号新增或更新）",
             operation_id="cases_push")
def cases_push(request: HttpRequest, payload: CasePush) -> dict[str, int]:
    """与“案件”表格导入相同的列、校验和写入：字段名即导入模板的列名（如 `案号`、`立案日期`，也可用英文字段名），
    值与表格单元格相同（日期 `2016-03-02`，是否 `是/否` 或 `true/false`，同名承办人写成 `张伟(0312)`）。
    省略的字段视为空。一次最多 1000 件；任何一件有问题则整批不写入，400 的 `errors` 逐件列出
    （`items[17].结案日期`）。"""
    from tianping.api.services import cases_push as push

    principal = need(request, "cases:write")
    items = payload.items
    count(request, received=len(items))
    if len(items) > MAX_ITEMS:
        raise ApiError(413, _("一次最多推送 %(max)d 件，本次 %(n)d 件：请分批发送。") % {"max": MAX_ITEMS, "n": len(items)})
    if not items:
        raise ApiError(400, _("items 不能为空：请至少推送一件案件。"), [{"field": "items", "message": _("不能为空。")}])
    result = push(principal=principal, token=request.api_token, items=input_rows(items))  # type: ignore[attr-defined]
    if not result.committed:
        errors = [{"field": f"items[{p.row - 2}].{p.column}" if p.column else f"items[{p.row - 2}]",
                   "message": p.message} for p in result.problems]
        count(request, problems=len(errors))
        first = errors[0] if errors else {"field": "", "message": ""}
        raise ApiError(400, _("有 %(n)d 件案件有问题，整批未写入。首个：%(first)s") % {
            "n": len({p.row for p in result.problems}), "first": f"{first['field']}：{first['message']}"}, errors)
    count(request, created=result.created, updated=result.updated, unchanged=result.unchanged)
    return {"total": result.total, "created": result.created, "updated": result.updated, "unchanged": result.unchanged}


@router.get("/", response=with_errors({200: CaseList}), by_alias=True, summary="案件列表", operation_id="cases_list")
def cases_list(request: HttpRequest, filters: Query[CaseFilters]) -> dict[str, Any]:
    """本令牌范围内的案件，按立案日期、案号排序；可按立案年度、承办部门、承办人、未结/已结、更新时间筛选，分页。"""
    from tianping.trials.models import Case

    principal = need(request, "cases:read")
    qs = Case.objects.visible_to(principal)
    if filters.year:
        qs = qs.filter(year=filters.year)
    if filters.department:
        qs = qs.filter(department__name=filters.department)
    if filters.judge:
        name, _sep, staff = filters.judge.partition("(")
        q = Q(judge__name=name.strip())
        if staff:
            q &= Q(judge__staff_number=staff.rstrip(")").strip())
        qs = qs.filter(q)
    if filters.state == "pending":
        qs = qs.filter(closed_on__isnull=True)
    elif filters.state == "closed":
        qs = qs.filter(closed_on__isnull=False)
    if filters.updated_since:
        qs = qs.filter(updated_at__gte=filters.updated_since)
    total = qs.count()
    page = list(qs.select_related("judge", "department").prefetch_related("panel")
                .order_by("filed_on", "number")[filters.offset:filters.offset + filters.limit])
    count(request, returned=len(page))
    return {"count": total, "offset": filters.offset, "limit": filters.limit, "items": [_detail(c) for c in page]}


@router.get("/{number}", response=with_errors({200: CaseDetail}), by_alias=True, summary="一件案件",
            operation_id="cases_get")
def cases_get(request: HttpRequest, number: str) -> dict[str, Any]:
    """按案号读取一件案件（范围外或不存在：404）。案号在地址中须 URL 编码。"""
    from tianping.core.scope import get_visible_or_404
    from tianping.trials.models import Case

    principal = need(request, "cases:read")
    case = get_visible_or_404(Case.objects.select_related("judge", "department").prefetch_related("panel"),
                              principal, number=number.strip())
    count(request, returned=1)
    return _detail(case)
