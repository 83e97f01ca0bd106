"""People and party members (/api/v1/people, /api/v1/members) for the token's scope (`visible_to`): ID numbers and
phones always masked, as on the pages. /members is the layout the provincial party platform imports (docs/api.md):
the `members` register's columns plus the year's dues."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema
from pydantic import Field

from tianping.api.auth import count, need
from tianping.api.errors import with_errors
from tianping.api.registers import record_out, record_values

router = Router(tags=["人员与党员"])


class Page(Schema):
    offset: int = Field(0, ge=0, le=10_000_000)
    limit: int = Field(100, ge=1, le=1000)


class PersonOut(Schema):
    id: int
    name: str
    gender: str
    staff_number: str
    department: str | None
    post: str
    is_quota_judge: bool
    is_leadership: bool
    hired_on: date | None
    left_on: date | None
    id_number_masked: str
    phone_masked: str


class PeopleList(Schema):
    count: int
    offset: int
    limit: int
    items: list[PersonOut]


@router.get("/people", response=with_errors({200: PeopleList}), summary="人员名册", operation_id="people_list")
def people_list(request: HttpRequest, page: Query[Page]) -> dict[str, Any]:
    """本令牌范围内的人员（与该角色在“人员名册”页看到的相同）；身份证号和手机号只给遮蔽后的形式。"""
    from tianping.org.models import Person

    principal = need(request, "people:read")
    qs = Person.objects.visible_to(principal).select_related("department").order_by("pk")
    total = qs.count()
    rows = list(qs[page.offset:page.offset + page.limit])
    count(request, returned=len(rows))
    return {"count": total, "offset": page.offset, "limit": page.limit, "items": [{
        "id": p.pk, "name": p.name, "gender": p.get_gender_display(), "staff_number": p.staff_number,
        "department": p.department.name if p.department else None, "post": p.get_post_display(),
        "is_quota_judge": p.is_quota_judge, "is_leadership": p.is_leadership, "hired_on": p.hired_on,
        "left_on": p.left_on, "id_number_masked": p.id_number_masked, "phone_masked": p.phone_masked}
        for p in rows]}


MemberRecord = record_out("members")


class DuesMonth(Schema):
    month: str = Field(description="YYYY-MM")
    due: float
    paid: float
    paid_on: date | None


class MemberOut(MemberRecord):  # type: ignore[valid-type,misc]
    id: int
    dues: list[DuesMonth]


class MembersList(Schema):
    year: int
    count: int
    offset: int
    limit: int
    items: list[MemberOut]


class MembersQuery(Page):
    year: int = Field(default_factory=lambda: timezone.localdate().year, ge=2000, le=2100, description="党费年度")


@router.get("/members", response=with_errors({200: MembersList}), by_alias=True, summary="党员名册（省级党建平台格式）",
            operation_id="members_list")
def members_list(request: HttpRequest, q: Query[MembersQuery]) -> dict[str, Any]:
    """本令牌范围内的党员：列与“党员”导入模板相同（身份证号遮蔽），另附该年度逐月党费（应交、实交、交纳日期）。
    省级党建平台的导入格式见 docs/api.md。"""
    from tianping.core.registers import get_register
    from tianping.core.scope import register_for_user
    from tianping.party.models import DuesPayment, PartyMember

    principal = need(request, "people:read")
    reg, _full = register_for_user(get_register("members"), principal)
    qs = (PartyMember.objects.visible_to(principal).select_related("person", "branch").order_by("pk"))
    total = qs.count()
    members = list(qs[q.offset:q.offset + q.limit])
    dues: dict[int, list[dict[str, Any]]] = {}
    for d in (DuesPayment.objects.filter(member__in=members, month__year=q.year).order_by("month")
              .values("member_id", "month", "due_amount", "paid_amount", "paid_on")):
        dues.setdefault(d["member_id"], []).append({"month": f"{d['month']:%Y-%m}", "due": float(d["due_amount"]),
                                                    "paid": float(d["paid_amount"]), "paid_on": d["paid_on"]})
    count(request, returned=len(members))
    return {"year": q.year, "count": total, "offset": q.offset, "limit": q.limit, "items": [
        {**record_values("members", m, reg), "id": m.pk, "dues": dues.get(m.pk, [])} for m in members]}
