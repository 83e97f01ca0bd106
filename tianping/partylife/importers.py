"""Spreadsheet layout of KIND `meetings` (会议活动), one row per meeting with its attendance.

A row is matched to an existing meeting by 组织名称 + 会议类型 + 日期 + 开始时间 within the court; an existing
meeting is updated (its attendance corrected, audited). People are written as 张伟 or 张伟(0312), joined by 、;
a 请假 entry may carry its reason after a colon (张伟：出差). A 主讲人 who is not on the staff is written as
姓名（单位）, e.g. 王教授（中共枣庄市委党校）."""

from __future__ import annotations

import re
from datetime import datetime, time
from typing import Any

from django.utils.translation import gettext_lazy

from tianping.core.importexport import (
    RowError,
    is_empty,
    parse_text,
    resolve_by_name,
    split_names,
)
from tianping.core.registers import Column, Register, register
from tianping.org.importers import resolve_person
from tianping.partylife.choices import AttendanceSource, AttendanceStatus
from tianping.partylife.models import Meeting, MeetingType

_TIME_RE = re.compile(r"^(\d{1,2})[:：](\d{2})(?:[:：]\d{2})?$")
_EXTERNAL_RE = re.compile(r"^(?P<name>[^（(]+)[（(](?P<unit>[^)）]*\D[^)）]*)[)）]$")
_REASON_RE = re.compile(r"^(?P<name>[^:：]+)[:：](?P<reason>.+)$")


def parse_time(value: Any) -> time | None:
    """15:00, 15:00:00, 15：00, an Excel time cell or a fraction of a day."""
    if is_empty(value):
        return None
    if isinstance(value, datetime):
        return value.time().replace(second=0, microsecond=0)
    if isinstance(value, time):
        return value.replace(second=0, microsecond=0)
    if isinstance(value, float) and 0 <= value < 1:
        minutes = round(value * 24 * 60)
        return time(minutes // 60, minutes % 60)
    text = parse_text(value)
    m = _TIME_RE.match(text)
    if m and int(m.group(1)) < 24 and int(m.group(2)) < 60:
        return time(int(m.group(1)), int(m.group(2)))
    raise ValueError(f"“{text[:20]}”不是时间，请写成 15:00 的形式。")


def resolve_organisation(ctx, value):
    from tianping.party.models import PartyOrganisation

    return resolve_by_name(ctx, PartyOrganisation.objects.all(), value, label="党组织")


def resolve_meeting_type(ctx, value):
    name = parse_text(value)
    index = ctx.cache.get("partylife:types")
    if index is None:
        index = {}
        for t in MeetingType.objects.filter(active=True):
            index[t.name] = t
            for alias in split_names(t.aliases):
                index.setdefault(alias, t)
        ctx.cache["partylife:types"] = index
    if name in index:
        return index[name]
    names = "、".join(t.name for t in MeetingType.objects.filter(active=True))
    raise ValueError(f"会议类型“{name[:20]}”无法识别，可选：{names}。")


def resolve_speakers(ctx, value) -> list[dict]:
    out, problems = [], []
    for part in split_names(value):
        m = _EXTERNAL_RE.match(part)
        if m:
            out.append({"external_name": m.group("name").strip(), "external_unit": m.group("unit").strip()})
            continue
        try:
            out.append({"person": resolve_person(ctx, part)})
        except ValueError as exc:
            problems.append(f"{exc}（外请主讲人请写成 姓名（单位））")
    if problems:
        raise ValueError("；".join(problems))
    return out


def _people_with_reasons(ctx, value) -> list[tuple[Any, str]]:
    out, problems = [], []
    for part in split_names(value):
        m = _REASON_RE.match(part)
        name, reason = (m.group("name").strip(), m.group("reason").strip()) if m else (part, "")
        try:
            out.append((resolve_person(ctx, name), reason))
        except ValueError as exc:
            problems.append(str(exc))
    if problems:
        raise ValueError("；".join(problems))
    return out


def resolve_attendees(ctx, value):
    return [p for p, _reason in _people_with_reasons(ctx, value)]


def save_meeting_row(ctx, values: dict) -> str:
    from tianping.partylife import services
    from tianping.partylife.scope import managed_org_ids

    org, mtype = values["organisation"], values["meeting_type"]
    if ctx.user is not None and org.pk not in managed_org_ids(ctx.user):
        raise RowError("组织名称", f"您不能为“{org.name}”导入会议，只能导入本人负责的组织。")
    if values.get("end_time") is None:
        raise RowError("结束时间", "必填，不能为空。请填写结束时间，如 16:30。")
    present = values.get("present") or []
    leave = values.get("leave") or []
    absent = values.get("absent") or []
    seen: dict[int, str] = {}
    for label, people in (("出席人员", present), ("请假人员", [p for p, _ in leave]), ("缺席人员", absent)):
        for p in people:
            if p.pk in seen:
                raise RowError(label, f"{p.name} 同时出现在“{seen[p.pk]}”和“{label}”中，请只保留一处。")
            seen[p.pk] = label
    data = {"meeting_type": mtype, "organisation": org, "date": values["date"], "start_time": values["start_time"],
            "end_time": values["end_time"], "place": values.get("place") or "", "host": values.get("host"),
            "topic": values.get("topic") or mtype.name}
    actor = ctx.user
    existing = Meeting.objects.filter(court=ctx.court, organisation=org, meeting_type=mtype, date=values["date"],
                                      start_time=values["start_time"]).first()
    if existing is None:
        meeting = services.meeting_create(actor=actor, court=ctx.court, data=data)
        action = "created"
    else:
        meeting = existing
        before = meeting.version
        services.meeting_update(actor=actor, meeting=meeting, data=data)
        action = "updated" if meeting.version != before else "unchanged"
    if values.get("speakers") is not None:
        speakers = values["speakers"] or []
        current = sorted((s.person_id or 0, s.external_name) for s in meeting.speakers.all())
        wanted = sorted(((s["person"].pk if s.get("person") else 0), s.get("external_name", "")) for s in speakers)
        if current != wanted:
            services.speakers_set(actor=actor, meeting=meeting, speakers=speakers)
            action = "updated" if action == "unchanged" else action
    entries = ([{"person": p, "status": AttendanceStatus.PRESENT} for p in present]
               + [{"person": p, "status": AttendanceStatus.LEAVE, "reason": r or "请假（导入未注明事由）"} for p, r in leave]
               + [{"person": p, "status": AttendanceStatus.ABSENT} for p in absent])
    if entries:
        changed = services.attendance_record(actor=actor, meeting=meeting, entries=entries,
                                             source=AttendanceSource.IMPORT)
        if changed and action == "unchanged":
            action = "updated"
    return action


def _names(meeting: Meeting, status: str) -> str:
    rows = [a for a in meeting.attendances.all() if a.status == status]
    if status == AttendanceStatus.LEAVE:
        return "、".join(f"{a.person.label}：{a.reason}" if a.reason else a.person.label for a in rows)
    return "、".join(a.person.label for a in rows)


def _speakers(meeting: Meeting) -> str:
    return "、".join(s.person.label if s.person else f"{s.external_name}（{s.external_unit}）" if s.external_unit
                    else s.external_name for s in meeting.speakers.all())


def _export_queryset(user, court):
    qs = Meeting.objects.visible_to(user)
    if court is not None:
        qs = qs.filter(court=court)
    return (qs.select_related("organisation", "meeting_type", "host")
            .prefetch_related("attendances__person", "speakers__person").order_by("date", "start_time"))


register(Register(
    kind="meetings", title=gettext_lazy("会议活动"), model=Meeting, natural_key=("organisation", "meeting_type", "date", "start_time"),
    save_row=save_meeting_row, export_queryset=_export_queryset,
    extra={"list_url_name": "partylife:meeting_list"},
    description=gettext_lazy("三会一课等会议活动及出勤：按 组织名称+会议类型+日期+开始时间 识别，已有的会议会被更新（出勤修改记为更正）。"),
    columns=[
        Column("组织名称", "organisation", required=True, resolve=resolve_organisation, width=20,
               export=lambda m: m.organisation.name, example="沙沟人民法庭党支部"),
        Column("会议类型", "meeting_type", required=True, resolve=resolve_meeting_type,
               export=lambda m: m.meeting_type.name, example="支部党员大会",
               choices=None),
        Column("日期", "date", required=True, example="2016-03-10"),
        Column("开始时间", "start_time", required=True, parse=parse_time, text=True,
               export=lambda m: f"{m.start_time:%H:%M}", example="15:00"),
        Column("结束时间", "end_time", required=True, parse=parse_time, text=True,
               export=lambda m: f"{m.end_time:%H:%M}", example="16:30"),
        Column("地点", "place", example="沙沟法庭会议室"),
        Column("主持人", "host", resolve=lambda ctx, v: resolve_person(ctx, v),
               export=lambda m: m.host.label if m.host_id else "", example="张伟"),
        Column("主讲人", "speakers", parse=parse_text, resolve=resolve_speakers, export=_speakers,
               example="王教授（中共枣庄市委党校）", help="本院人员写姓名或 姓名(工号)；外请人员写 姓名（单位）。"),
        Column("主题", "topic", required=True, example="学习新修订的党章", width=24),
        Column("出席人员", "present", parse=parse_text, resolve=resolve_attendees, width=30,
               export=lambda m: "、".join(filter(None, [_names(m, AttendanceStatus.PRESENT),
                                                        _names(m, AttendanceStatus.LATE)])),
               example="张伟、李娜(0312)", help="姓名用顿号“、”分隔；同名者写 姓名(工号)。"),
        Column("请假人员", "leave", parse=parse_text, resolve=_people_with_reasons, width=24,
               export=lambda m: _names(m, AttendanceStatus.LEAVE), example="王强：出差",
               help="可在姓名后用冒号写请假事由，如 王强：出差。"),
        Column("缺席人员", "absent", parse=parse_text, resolve=resolve_attendees, width=20,
               export=lambda m: _names(m, AttendanceStatus.ABSENT), example=""),
    ],
))
