"""Writes of organisational life. Each is atomic, checks with full_clean() and leaves an audit entry."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from tianping.core.audit import audit_record
from tianping.core.uploads import check_upload
from tianping.partylife import party_adapter
from tianping.partylife.choices import ATTENDED, AttendanceSource, AttendanceStatus, MeetingStatus
from tianping.partylife.models import (
    Attachment,
    Attendance,
    CalendarFeed,
    Campaign,
    FollowUpTask,
    Meeting,
    MeetingSpeaker,
)

MEETING_FIELDS = ["meeting_type", "organisation", "date", "start_time", "end_time", "place", "host", "topic",
                  "campaign", "status", "study_hours", "minutes", "resolutions"]

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from tianping.org.models import Court, Person, User


def _snapshot(obj: Any, fields: list[str]) -> dict[str, Any]:
    return {f: getattr(obj, f) for f in fields}


# --- meetings -------------------------------------------------------------------------------------------
@transaction.atomic
def meeting_create(*, actor: User, court: Court, data: dict[str, Any], speakers: list[dict[str, Any]] | None = None,
                   refresh_expected: bool = True) -> Meeting:
    """Create a meeting record; the expected attendees come from the roster on its date."""
    import secrets

    meeting = Meeting(court=court, **data)
    meeting.signin_nonce = secrets.token_hex(8)  # the secret the rotating sign-in codes are derived from
    if "study_hours" not in data and meeting.meeting_type_id:
        meeting.study_hours = meeting.meeting_type.study_hours
    meeting.full_clean()
    meeting.save()
    if speakers:
        speakers_set(actor=actor, meeting=meeting, speakers=speakers, audit=False)
    if refresh_expected:
        meeting_refresh_expected(meeting=meeting)
    audit_record(actor=actor, event="meeting.created", target=meeting, after=_snapshot(meeting, MEETING_FIELDS))
    return meeting


@transaction.atomic
def meeting_update(*, actor: User, meeting: Meeting, data: dict[str, Any],
                   expected_version: int | None = None) -> Meeting:
    """Change a meeting. Two secretaries editing one record at once must not overwrite each other: the row
    is locked and the version the editor loaded is compared. A new date/organisation/type re-reads the roster."""
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if expected_version is not None and locked.version != expected_version:
        raise ValidationError(_("该会议记录已被他人修改，请刷新页面后重新编辑。"), code="stale")
    old = _snapshot(locked, MEETING_FIELDS)
    for key, value in data.items():
        setattr(locked, key, value)
    locked.full_clean()
    changed = [f for f in MEETING_FIELDS if old[f] != getattr(locked, f)]
    if not changed:
        return locked
    locked.version += 1
    locked.save(update_fields=[*changed, "version", "updated_at"])
    if {"date", "organisation", "meeting_type"} & set(changed):
        meeting_refresh_expected(meeting=locked)
    audit_record(actor=actor, event="meeting.updated", target=locked,
                 before={f: old[f] for f in changed}, after={f: getattr(locked, f) for f in changed})
    meeting.__dict__.update(locked.__dict__)
    return locked


@transaction.atomic
def meeting_refresh_expected(*, meeting: Meeting, actor: User | None = None) -> dict[str, int]:
    """Make the expected attendees match the roster on the meeting's date.

    New roster members are added (未登记); people no longer on the roster are dropped if nothing was
    recorded for them, or kept as non-expected (列席) if their attendance was recorded. When called on its
    own (the refresh button, `actor` given) a change leaves an audit entry; inside meeting_create/update the
    caller's entry covers it."""
    people = party_adapter.expected_people(court=meeting.court, organisation=meeting.organisation,
                                           audience=meeting.meeting_type.audience, day=meeting.date)
    wanted = {p.pk: vote for p, vote in people}
    existing = {a.person_id: a for a in meeting.attendances.all()}
    added = removed = 0
    new_rows = []
    for person_id, vote in wanted.items():
        row = existing.get(person_id)
        if row is None:
            new_rows.append(Attendance(meeting=meeting, person_id=person_id, expected=True, has_vote=vote))
            added += 1
        elif not row.expected or row.has_vote != vote:
            row.expected, row.has_vote = True, vote
            row.save(update_fields=["expected", "has_vote", "updated_at"])
    Attendance.objects.bulk_create(new_rows)
    for person_id, row in existing.items():
        if person_id in wanted or not row.expected:
            continue
        if row.status == AttendanceStatus.PENDING:
            row.delete()
            removed += 1
        else:
            row.expected = False
            row.has_vote = False
            row.save(update_fields=["expected", "has_vote", "updated_at"])
    if actor is not None and (added or removed):
        audit_record(actor=actor, event="meeting.expected_refreshed", target=meeting,
                     after={"added": added, "removed": removed})
    return {"added": added, "removed": removed}


@transaction.atomic
def meeting_delete(*, actor: User, meeting: Meeting) -> None:
    if meeting.attendances.exclude(status=AttendanceStatus.PENDING).exists():
        raise ValidationError(_("已登记出勤的会议不能删除；如未召开，请将状态改为“已取消”。"))
    audit_record(actor=actor, event="meeting.deleted", target=meeting, before=_snapshot(meeting, MEETING_FIELDS))
    meeting.delete()


# --- speakers -------------------------------------------------------------------------------------------
@transaction.atomic
def speakers_set(*, actor: User, meeting: Meeting, speakers: list[dict[str, Any]],
                 audit: bool = True) -> list[MeetingSpeaker]:
    """Replace the speakers: each {"person": Person} or {"external_name", "external_unit"}, optional "title".
    A member who speaks earns points (lecture_give at the lecture hall, meeting_speak elsewhere)."""
    before = [str(s) for s in meeting.speakers.all()]
    keep: list[MeetingSpeaker] = []
    existing = {(s.person_id, s.external_name): s for s in meeting.speakers.all()}
    for spec in speakers:
        person = spec.get("person")
        key = (person.pk if person else None, "" if person else spec.get("external_name", "").strip())
        row = existing.pop(key, None) or MeetingSpeaker(meeting=meeting)
        row.person = person
        row.external_name = "" if person else spec.get("external_name", "").strip()
        row.external_unit = "" if person else spec.get("external_unit", "").strip()
        row.title = spec.get("title", "")
        row.full_clean()
        row.save()
        keep.append(row)
    for row in existing.values():
        if row.person_id:
            for code in ("lecture_give", "meeting_speak"):
                party_adapter.reverse_points(person=row.person, rule_code=code, actor=actor, source=row,
                                             note=_("主讲人更正"))
        row.delete()
    if meeting.status == MeetingStatus.HELD:
        _speaker_points(meeting=meeting, actor=actor)
    after = [str(s) for s in keep]
    if audit and before != after:
        audit_record(actor=actor, event="meeting.speakers", target=meeting, before={"speakers": before},
                     after={"speakers": after})
    return keep


def _speaker_points(*, meeting: Meeting, actor: User) -> None:
    if not meeting.meeting_type.awards_points:
        return
    rule = "lecture_give" if meeting.meeting_type.is_lecture else "meeting_speak"
    for s in meeting.speakers.filter(person__isnull=False).select_related("person"):
        party_adapter.award_points(person=s.person, rule_code=rule, occurred_on=meeting.date, actor=actor, source=s,
                                   note=meeting.topic[:100])


# --- attendance -----------------------------------------------------------------------------------------
POINT_RULES: dict[str, list[str]] = {
    AttendanceStatus.PRESENT: ["meeting_attend"],
    AttendanceStatus.LATE: ["meeting_attend", "meeting_late"],
    AttendanceStatus.ABSENT: ["meeting_absent_unexcused"],
}
ALL_POINT_RULES = {code for codes in POINT_RULES.values() for code in codes}
# statuses that may be recorded before a meeting takes place
FUTURE_STATUSES = {AttendanceStatus.PENDING, AttendanceStatus.LEAVE}


def _attendance_points(*, row: Attendance, actor: User) -> None:
    """Points follow the current status; the party service is idempotent per (person, rule, source) and
    reverses what no longer applies, so re-saving or correcting never double-counts."""
    meeting = row.meeting
    if not meeting.meeting_type.awards_points:
        return
    wanted = POINT_RULES.get(row.status, [])
    for code in wanted:
        party_adapter.award_points(person=row.person, rule_code=code, occurred_on=meeting.date, actor=actor,
                                   source=row, note=str(meeting)[:100])
    for code in ALL_POINT_RULES - set(wanted):
        party_adapter.reverse_points(person=row.person, rule_code=code, actor=actor, source=row,
                                     note=_("出勤更正：%(m)s") % {"m": str(meeting)[:80]})


@transaction.atomic
def attendance_record(*, actor: User, meeting: Meeting, entries: list[dict[str, Any]],
                      source: str = AttendanceSource.MANUAL,
                      mark_held: bool = True) -> int:
    """Record or correct attendance: entries of {"person": Person, "status": str, "reason": str}.

    A person not expected (not on the roster that day) is added as 列席. Every change of an already
    recorded status is a correction and is audited with before/after. Returns the number of rows changed."""
    # Lock the meeting row: two secretaries saving the sheet at once (or a QR sign-in arriving while the
    # sheet is saved) must not interleave their reads and writes of the attendance rows.
    meeting = Meeting.objects.select_for_update().select_related("meeting_type", "organisation").get(pk=meeting.pk)
    today = timezone.localdate()
    if meeting.date > today and any(e["status"] not in FUTURE_STATUSES for e in entries):
        # 出席/迟到/缺席 are facts of a meeting that has taken place; leave may be asked for in advance
        raise ValidationError(_("会议日期 %(d)s 晚于今天，尚未召开，不能登记出席、迟到或缺席（可以登记请假）。")
                              % {"d": f"{meeting.date:%Y-%m-%d}"}, code="future_date")
    rows = {a.person_id: a for a in meeting.attendances.select_related("person")}
    changed = 0
    corrections_before: dict[str, str] = {}
    corrections_after: dict[str, str] = {}
    for entry in entries:
        person = entry["person"]
        if person.court_id != meeting.court_id:
            raise ValidationError(_("%(name)s 不是本院人员，不能登记出勤。") % {"name": person.name})
        status = entry["status"]
        reason = (entry.get("reason") or "").strip()
        if status not in AttendanceStatus.values:
            raise ValidationError(_("出勤状态“%(s)s”无法识别。") % {"s": status})
        if status == AttendanceStatus.LEAVE and not reason:
            raise ValidationError(_("%(name)s 请假须填写事由。") % {"name": person.name})
        row = rows.get(person.pk)
        if row is None:
            row = Attendance(meeting=meeting, person=person, expected=False, has_vote=False)
            rows[person.pk] = row
            old_status, old_reason = None, ""
        else:
            old_status, old_reason = row.status, row.reason
        if old_status == status and old_reason == reason:
            continue
        row.status, row.reason, row.source = status, reason if status == AttendanceStatus.LEAVE else "", source
        row.full_clean()
        row.save()
        changed += 1
        if old_status not in (None, AttendanceStatus.PENDING):
            corrections_before[person.label] = f"{AttendanceStatus(old_status).label} {old_reason}".strip()
            corrections_after[person.label] = f"{AttendanceStatus(status).label} {row.reason}".strip()
        _attendance_points(row=row, actor=actor)
    if mark_held and changed and meeting.status == MeetingStatus.PLANNED and meeting.date <= today:
        meeting.status = MeetingStatus.HELD
        meeting.version += 1
        meeting.save(update_fields=["status", "version", "updated_at"])
        _speaker_points(meeting=meeting, actor=actor)
    if corrections_before:
        audit_record(actor=actor, event="meeting.attendance_corrected", target=meeting,
                     before=corrections_before, after=corrections_after)
    elif changed:
        audit_record(actor=actor, event="meeting.attendance_recorded", target=meeting,
                     message=_("登记出勤 %(n)d 人") % {"n": changed})
    return changed


# --- QR sign-in -----------------------------------------------------------------------------------------
# The code on the meeting's screen rotates: a token is an HMAC of the meeting's secret (its nonce, keyed with
# SECRET_KEY) and the current 30-second step, and is accepted during its step and the next one. A photo of
# the screen sent to someone elsewhere stops working within a minute; regenerating the nonce stops it at once.
SIGNIN_STEP_SECONDS = 30
SIGNIN_TICKET_SALT = "tianping.partylife.signin-ticket"
SIGNIN_TICKET_MAX_AGE = 10 * 60  # the confirmation page's button stays valid this long after the scan


def _signin_step(now: datetime) -> int:
    return int(now.timestamp()) // SIGNIN_STEP_SECONDS


def _signin_code(meeting: Meeting, step: int) -> str:
    from django.utils.crypto import salted_hmac

    return salted_hmac("tianping.partylife.signin", f"{meeting.pk}:{meeting.signin_nonce}:{step}",
                       algorithm="sha256").hexdigest()[:24]


@transaction.atomic
def signin_secret_ensure(*, meeting: Meeting, actor: User | None = None) -> str:
    """The meeting's sign-in secret, made on first use (meetings generated in bulk by the demo have none)."""
    import secrets

    if not meeting.signin_nonce:
        nonce = secrets.token_hex(8)
        # only the first of two simultaneous screens sets it; both then read the same value
        made = Meeting.objects.filter(pk=meeting.pk, signin_nonce="").update(signin_nonce=nonce)
        meeting.signin_nonce = Meeting.objects.filter(pk=meeting.pk).values_list("signin_nonce", flat=True).get()
        if made:
            audit_record(actor=actor, event="meeting.signin_secret_created", target=meeting)
    return meeting.signin_nonce


def signin_token(meeting: Meeting, *, now: datetime | None = None, actor: User | None = None) -> str:
    """The value inside the QR code at `now`: the meeting and the code of the current time step."""
    signin_secret_ensure(meeting=meeting, actor=actor)
    return f"{meeting.pk}-{_signin_code(meeting, _signin_step(now or timezone.now()))}"


@dataclass
class SignInResult:
    ok: bool
    message: str
    attendance: Attendance | None = None
    meeting: Meeting | None = None
    ticket: str = ""


def _refuse(message: str, meeting: Meeting | None = None) -> SignInResult:
    return SignInResult(False, message, meeting=meeting)


def _meeting_of_token(token: str, now: datetime, *, lock: bool) -> tuple[Meeting | None, str]:
    import hmac

    pk, _sep, code = (token or "").partition("-")
    if not pk.isdigit() or not code:
        return None, _("签到码无效：请扫描会议现场显示的二维码。")
    qs = Meeting.objects.select_related("meeting_type", "organisation")
    if lock:
        qs = qs.select_for_update()
    meeting = qs.filter(pk=int(pk)).first()
    if meeting is None or not meeting.signin_nonce:
        return None, _("签到码无效：请扫描会议现场显示的二维码。")
    step = _signin_step(now)
    if not any(hmac.compare_digest(code, _signin_code(meeting, s)) for s in (step, step - 1)):
        return None, _("签到码已过期：现场二维码每 %(s)d 秒更换一次，请在会场扫描屏幕上最新的二维码。") % {
            "s": SIGNIN_STEP_SECONDS}
    return meeting, ""


def _meeting_of_ticket(ticket: str, user: User, *, lock: bool) -> tuple[Meeting | None, str]:
    try:
        data = signing.loads(ticket, salt=SIGNIN_TICKET_SALT, max_age=SIGNIN_TICKET_MAX_AGE)
    except signing.SignatureExpired:
        return None, _("确认签到超时：请重新扫描会议现场的二维码。")
    except signing.BadSignature:
        return None, _("签到码无效：请扫描会议现场显示的二维码。")
    if data.get("u") != user.pk:
        return None, _("签到码无效：请扫描会议现场显示的二维码。")
    qs = Meeting.objects.select_related("meeting_type", "organisation")
    if lock:
        qs = qs.select_for_update()
    meeting = qs.filter(pk=data.get("m")).first()
    if meeting is None or data.get("n") != meeting.signin_nonce:
        return None, _("签到码已失效：主持人已更换二维码，请扫描现场最新的二维码。")
    return meeting, ""


def _check_signin(meeting: Meeting, user: User, now: datetime) -> tuple[Attendance | None, SignInResult | None]:
    """The row to sign in, or a result that ends the attempt (refusal, or "already signed in")."""
    from tianping.core.policy import can

    if meeting.status == MeetingStatus.CANCELLED:
        return None, _refuse(_("本次会议已取消，无需签到。"), meeting)
    opens, closes = meeting.signin_window()
    local = timezone.localtime
    if now < opens:
        return None, _refuse(_("签到尚未开始：%(t)s 起可以签到。") % {"t": f"{local(opens):%Y-%m-%d %H:%M}"}, meeting)
    if now > closes:
        return None, _refuse(_("签到已结束（会议于 %(t)s 结束）。如确实参会，请联系支部书记更正出勤。")
                             % {"t": f"{local(closes):%H:%M}"}, meeting)
    row = meeting.attendances.select_related("person").filter(
        person_id=getattr(user, "person_id", None) or 0, expected=True).first()
    if row is None or not can(user, "sign_in", meeting):
        return None, _refuse(_("您不在本次会议的应到人员名单中，不能签到。如有疑问，请联系会议组织者。"), meeting)
    if row.status in ATTENDED:
        return None, SignInResult(True, _("您已于 %(t)s 签到，无需重复签到。")
                                  % {"t": f"{local(row.signed_in_at):%H:%M}" if row.signed_in_at else "—"}, row,
                                  meeting)
    return row, None


def signin_preview(*, token: str, user: User, now: datetime | None = None) -> SignInResult:
    """What the scan of `token` would do, without doing it (the confirmation page: GET writes nothing). When
    the member may sign in, the result carries a ticket for the confirmation form, bound to the account."""
    now = now or timezone.now()
    meeting, error = _meeting_of_token(token, now, lock=False)
    if meeting is None:
        return _refuse(error)
    row, done = _check_signin(meeting, user, now)
    if done is not None:
        return done
    assert row is not None  # _check_signin gives a row or a result
    ticket = signing.dumps({"m": meeting.pk, "u": user.pk, "n": meeting.signin_nonce}, salt=SIGNIN_TICKET_SALT)
    return SignInResult(True, _("请确认签到。"), row, meeting, ticket)


@transaction.atomic
def attendance_sign_in(*, user: User, token: str = "", ticket: str = "", now: datetime | None = None) -> SignInResult:
    """An expected attendee confirming a scan within the meeting's window is marked present (late after
    start + grace). `ticket` comes from the confirmation page (signin_preview); `token` is the QR code itself.
    Everyone else gets a clear refusal."""
    now = now or timezone.now()
    if ticket:
        meeting, error = _meeting_of_ticket(ticket, user, lock=True)
    else:
        meeting, error = _meeting_of_token(token, now, lock=True)
    if meeting is None:
        return _refuse(error)
    row, done = _check_signin(meeting, user, now)
    if done is not None:
        return done
    assert row is not None  # _check_signin gives a row or a result
    grace = timedelta(minutes=settings.TIANPING_SIGNIN_GRACE_MINUTES)
    status = AttendanceStatus.LATE if now > meeting.starts_at() + grace else AttendanceStatus.PRESENT
    before = row.status
    row.status, row.reason, row.signed_in_at, row.source = status, "", now, AttendanceSource.QR
    row.full_clean()
    row.save(update_fields=["status", "reason", "signed_in_at", "source", "updated_at"])
    _attendance_points(row=row, actor=user)
    if meeting.status == MeetingStatus.PLANNED:
        meeting.status = MeetingStatus.HELD
        meeting.version += 1
        meeting.save(update_fields=["status", "version", "updated_at"])
    audit_record(actor=user, event="meeting.signed_in", target=meeting, before={"status": before},
                 after={"status": status, "person": row.person.label})
    message = _("签到成功，已记为迟到。") if status == AttendanceStatus.LATE else _("签到成功，欢迎参会。")
    return SignInResult(True, message, row, meeting)


@transaction.atomic
def signin_code_regenerate(*, actor: User, meeting: Meeting) -> str:
    import secrets

    Meeting.objects.filter(pk=meeting.pk).update(signin_nonce=secrets.token_hex(8))
    meeting.refresh_from_db(fields=["signin_nonce"])
    audit_record(actor=actor, event="meeting.signin_code_regenerated", target=meeting)
    return signin_token(meeting)


# --- tasks ----------------------------------------------------------------------------------------------
@transaction.atomic
def task_add(*, actor: User, meeting: Meeting, description: str, owner: Person, due_on: date) -> FollowUpTask:
    task = FollowUpTask(meeting=meeting, description=description.strip(), owner=owner, due_on=due_on)
    task.full_clean()
    if owner.court_id != meeting.court_id:
        raise ValidationError({"owner": _("责任人必须是本院人员。")})
    task.save()
    audit_record(actor=actor, event="meeting.task_added", target=meeting,
                 after={"task": task.description, "owner": owner.label, "due_on": due_on})
    return task


@transaction.atomic
def task_set_done(*, actor: User, task: FollowUpTask, done_on: date | None) -> FollowUpTask:
    before = task.done_on
    task.done_on = done_on
    task.full_clean()
    task.save(update_fields=["done_on", "updated_at"])
    audit_record(actor=actor, event="meeting.task_done" if done_on else "meeting.task_reopened",
                 target=task.meeting, before={"task": task.description, "done_on": before},
                 after={"task": task.description, "done_on": done_on})
    return task


# --- attachments ----------------------------------------------------------------------------------------
@transaction.atomic
def attachment_add(*, actor: User, meeting: Meeting, upload: UploadedFile[Any]) -> Attachment:
    ctype = check_upload(upload, max_bytes=settings.TIANPING_MEETING_ATTACHMENT_MAX_BYTES)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    name = upload.name or "upload"
    att = Attachment(meeting=meeting, original_name=name[-200:], content_type=ctype, size=upload.size or 0,
                     uploaded_by=actor)
    att.file.save(name, upload, save=False)
    att.save()
    audit_record(actor=actor, event="meeting.attachment_added", target=meeting,
                 after={"file": att.original_name, "size": att.size, "sha256": digest.hexdigest()})
    return att


@transaction.atomic
def attachment_delete(*, actor: User, attachment: Attachment) -> None:
    meeting = attachment.meeting
    audit_record(actor=actor, event="meeting.attachment_deleted", target=meeting,
                 before={"file": attachment.original_name, "size": attachment.size})
    attachment.file.delete(save=False)
    attachment.delete()


# --- calendar feed --------------------------------------------------------------------------------------
@transaction.atomic
def calendar_feed_get(*, user: User, regenerate: bool = False) -> CalendarFeed:
    feed = CalendarFeed.objects.select_for_update().filter(user=user).first()
    if feed is None:
        feed = CalendarFeed.objects.create(user=user, token=CalendarFeed.new_token())
        audit_record(actor=user, event="partylife.feed_created", target=feed, court_id=user.court_id)
    elif regenerate:
        feed.token = CalendarFeed.new_token()
        feed.save(update_fields=["token", "updated_at"])
        audit_record(actor=user, event="partylife.feed_regenerated", target=feed, court_id=user.court_id)
    return feed


# --- campaigns ----------------------------------------------------------------------------------------
@transaction.atomic
def campaign_create(*, actor: User, court: Court, name: str, starts_on: date | None = None, ends_on: date | None = None,
                    description: str = "") -> Campaign:
    campaign = Campaign(court=court, name=name.strip(), starts_on=starts_on, ends_on=ends_on,
                        description=description)
    campaign.full_clean()
    campaign.save()
    audit_record(actor=actor, event="partylife.campaign_created", target=campaign, after={"name": campaign.name})
    return campaign


# --- settings as data -----------------------------------------------------------------------------------
@transaction.atomic
def setting_row_save(*, actor: User, row: Model, fields: list[str], before: dict[str, Any] | None = None) -> Model:
    """Save a DutyRule or MeetingType row (a setting as data) and audit what changed."""
    created = row.pk is None
    row.full_clean()
    row.save()
    after = {f: getattr(row, f) for f in fields}
    changed = {f for f in fields if before is None or before.get(f) != after[f]}
    if created or changed:
        audit_record(actor=actor, event=f"partylife.{row._meta.model_name}.{'created' if created else 'updated'}",
                     target=row, court_id=getattr(actor, "court_id", None),
                     before={f: (before or {}).get(f) for f in changed} if before else None,
                     after={f: after[f] for f in changed})
    return row
