"""Meetings (/api/v1/meetings): read, for the token's scope, and record attendance from a sign-in kiosk
(partylife's `attendance_record` service: the same checks, locks, points and audit as the attendance sheet)."""

from __future__ import annotations

from datetime import date, time
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import ConfigDict, Field

from tianping.api.auth import count, need
from tianping.api.errors import ApiError, with_errors
from tianping.core.policy import can

router = Router(tags=["组织生活"])


class MeetingOut(Schema):
    id: int
    type: str
    organisation: str
    date: date
    start_time: time
    end_time: time
    place: str
    topic: str
    status: str


class AttendanceOut(Schema):
    person_id: int
    name: str
    staff_number: str
    expected: bool
    status: str
    reason: str


class MeetingDetail(MeetingOut):
    attendance: list[AttendanceOut]


class MeetingList(Schema):
    count: int
    offset: int
    limit: int
    items: list[MeetingOut]


class MeetingQuery(Schema):
    start: date = Field(None, description="会议日期起（含）")  # type: ignore[assignment]
    end: date = Field(None, description="会议日期止（含）")  # type: ignore[assignment]
    offset: int = Field(0, ge=0, le=10_000_000)
    limit: int = Field(100, ge=1, le=1000)


def _meeting(m: Any) -> dict[str, Any]:
    return {"id": m.pk, "type": m.meeting_type.name, "organisation": m.organisation.name, "date": m.date,
            "start_time": m.start_time, "end_time": m.end_time, "place": m.place, "topic": m.topic,
            "status": m.status}


@router.get("/", response=with_errors({200: MeetingList}), summary="会议活动列表", operation_id="meetings_list")
def meetings_list(request: HttpRequest, q: Query[MeetingQuery]) -> dict[str, Any]:
    """本令牌范围内的会议活动（三会一课、主题党日……），按日期倒序。"""
    from tianping.partylife.models import Meeting

    principal = need(request, "meetings:read")
    qs = Meeting.objects.visible_to(principal).select_related("meeting_type", "organisation")
    if q.start:
        qs = qs.filter(date__gte=q.start)
    if q.end:
        qs = qs.filter(date__lte=q.end)
    total = qs.count()
    rows = list(qs.order_by("-date", "-start_time", "-pk")[q.offset:q.offset + q.limit])
    count(request, returned=len(rows))
    return {"count": total, "offset": q.offset, "limit": q.limit, "items": [_meeting(m) for m in rows]}


def _visible_meeting(principal: Any, meeting_id: int) -> Any:
    from tianping.core.scope import get_visible_or_404
    from tianping.partylife.models import Meeting

    return get_visible_or_404(Meeting.objects.select_related("meeting_type", "organisation"), principal,
                              pk=meeting_id)


def _detail(meeting: Any) -> dict[str, Any]:
    rows = meeting.attendances.select_related("person").order_by("person__name", "pk")
    return {**_meeting(meeting), "attendance": [
        {"person_id": a.person_id, "name": a.person.name, "staff_number": a.person.staff_number,
         "expected": a.expected, "status": a.status, "reason": a.reason} for a in rows]}


@router.get("/{int:meeting_id}", response=with_errors({200: MeetingDetail}), summary="一次会议及出勤",
            operation_id="meetings_get")
def meetings_get(request: HttpRequest, meeting_id: int) -> dict[str, Any]:
    """一次会议和它的应到人员、出勤状态（范围外或不存在：404）。"""
    principal = need(request, "meetings:read")
    meeting = _visible_meeting(principal, meeting_id)
    count(request, returned=1)
    return _detail(meeting)


class AttendanceEntry(Schema):
    model_config = ConfigDict(extra="forbid")

    staff_number: str = Field(min_length=1, max_length=20, description="工号（签到机刷卡或输入）")
    status: str = Field(pattern="^(present|late|leave|absent)$", description="present 出席 / late 迟到 / leave 请假 / absent 缺席")
    reason: str = Field("", max_length=200, description="请假事由（请假时必填）")


class AttendanceIn(Schema):
    model_config = ConfigDict(extra="forbid")

    entries: list[AttendanceEntry] = Field(min_length=1, max_length=500)


class AttendanceResult(Schema):
    changed: int


@router.post("/{int:meeting_id}/attendance", response=with_errors({200: AttendanceResult}, 409),
             summary="登记出勤（签到机）", operation_id="meetings_attendance")
def meetings_attendance(request: HttpRequest, meeting_id: int, payload: AttendanceIn) -> dict[str, int]:
    """按工号登记出勤；不在应到名单的本院人员记为列席。与“出勤登记”页相同的规则：未召开的会议只能登记请假（409），
    请假须写事由（400）。"""
    from django.core.exceptions import ValidationError

    from tianping.api.services import attendance_push
    from tianping.org.models import Person

    principal = need(request, "attendance:write")
    meeting = _visible_meeting(principal, meeting_id)
    if not can(principal, "record_attendance", meeting):
        raise ApiError(403, _("令牌的角色不能登记这次会议的出勤。"))
    numbers = [e.staff_number.strip() for e in payload.entries]
    people = {p.staff_number: p for p in Person.objects.filter(court_id=meeting.court_id, staff_number__in=numbers)}
    errors = [{"field": f"entries[{i}].staff_number", "message": _("本院没有工号为“%(n)s”的人员。") % {"n": n}}
              for i, n in enumerate(numbers) if n not in people]
    if errors:
        raise ApiError(400, errors[0]["field"] + "：" + errors[0]["message"], errors)
    count(request, received=len(numbers))
    try:
        changed = attendance_push(principal=principal, meeting=meeting, entries=[
            {"person": people[n], "status": e.status, "reason": e.reason} for n, e in zip(numbers, payload.entries,
                                                                                      strict=True)])
    except ValidationError as exc:
        status = 409 if getattr(exc, "code", "") == "future_date" else 400
        raise ApiError(status, "；".join(exc.messages)) from exc
    count(request, changed=changed)
    meeting.refresh_from_db()
    return {"changed": changed}
