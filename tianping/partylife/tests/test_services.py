from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from tianping.core.models import AuditEvent
from tianping.partylife import services
from tianping.partylife.choices import AttendanceStatus, MeetingStatus
from tianping.partylife.models import Attendance

pytestmark = pytest.mark.django_db


def _expected(meeting):
    return set(meeting.attendances.filter(expected=True).values_list("person__name", flat=True))


def test_expected_attendees_follow_roster_changes(life, make_meeting):
    from tianping.party import services as party_services
    from tianping.party.models import PartyMember

    mover = life.full[3]
    party_services.member_branch_change(actor=None, member=PartyMember.objects.get(person=mover),
                                        branch=life.other_branch, moved_on=date(2016, 4, 1))
    march = make_meeting(day=date(2016, 3, 10))
    april = make_meeting(day=date(2016, 4, 10))
    assert mover.name in _expected(march)
    assert mover.name not in _expected(april)
    assert _expected(april) == {p.name for p in life.full + life.probationary} - {mover.name}
    # the other branch's April meeting expects the mover
    other_april = make_meeting(organisation=life.other_branch, day=date(2016, 4, 12))
    assert mover.name in _expected(other_april)
    # moving the March meeting into April re-reads the roster; a recorded row is kept as 列席
    services.attendance_record(actor=life.office, meeting=march,
                               entries=[{"person": mover, "status": AttendanceStatus.PRESENT}])
    services.meeting_update(actor=life.office, meeting=march, data={"date": date(2016, 4, 20)})
    row = Attendance.objects.get(meeting=march, person=mover)
    assert not row.expected and row.status == AttendanceStatus.PRESENT
    assert _expected(march) == _expected(april)


def test_probationary_members_expected_without_vote(life, make_meeting):
    meeting = make_meeting()
    votes = dict(meeting.attendances.values_list("person__name", "has_vote"))
    assert all(votes[p.name] for p in life.full)
    assert not any(votes[p.name] for p in life.probationary)


def test_quorum_counts_full_members_only(life, make_meeting):
    meeting = make_meeting()
    # 2 full + 2 probationary present: 4 people but only 2 of 5 voters
    services.attendance_record(actor=life.office, meeting=meeting, entries=[
        *[{"person": p, "status": AttendanceStatus.PRESENT} for p in life.full[:2] + life.probationary],
        *[{"person": p, "status": AttendanceStatus.ABSENT} for p in life.full[2:]]])
    q = meeting.quorum()
    assert (q["voters"], q["present"], q["needed"], q["reached"]) == (5, 2, 3, False)
    services.attendance_record(actor=life.office, meeting=meeting, entries=[
        {"person": life.full[2], "status": AttendanceStatus.LATE}])
    q = meeting.quorum()
    assert (q["present"], q["reached"]) == (3, True)


def test_quorum_exactly_half_is_not_enough(life, make_meeting):
    from tianping.party.tests.factories import make_member

    make_member(branch=life.branch)  # sixth full member: half = 3 is not "more than half"
    meeting = make_meeting()
    services.attendance_record(actor=life.office, meeting=meeting, entries=[
        {"person": p, "status": AttendanceStatus.PRESENT} for p in life.full[:3]])
    q = meeting.quorum()
    assert (q["voters"], q["present"], q["needed"], q["reached"]) == (6, 3, 4, False)


def test_attendance_marks_held_and_awards_points_once(life, make_meeting):
    from tianping.party.models import PointsEntry

    meeting = make_meeting()
    assert meeting.status == MeetingStatus.PLANNED
    entry = [{"person": life.full[1], "status": AttendanceStatus.PRESENT}]
    services.attendance_record(actor=life.office, meeting=meeting, entries=entry)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD
    services.attendance_record(actor=life.office, meeting=meeting, entries=entry)  # re-save: no double count
    entries = PointsEntry.objects.filter(person=life.full[1])
    assert entries.count() == 1 and entries.get().rule.code == "meeting_attend"


def test_correction_is_audited_and_reverses_points(life, make_meeting):
    from tianping.party.models import PointsEntry, PointsRule

    meeting = make_meeting()
    person = life.full[1]
    services.attendance_record(actor=life.secretary, meeting=meeting,
                               entries=[{"person": person, "status": AttendanceStatus.PRESENT}])
    services.attendance_record(actor=life.secretary, meeting=meeting,
                               entries=[{"person": person, "status": AttendanceStatus.ABSENT}])
    event = AuditEvent.objects.filter(event="meeting.attendance_corrected").get()
    assert event.changes["before"] == {person.label: "出席"}
    assert event.changes["after"] == {person.label: "缺席"}
    absent = PointsRule.objects.get(code="meeting_absent_unexcused").points
    total = sum(e.points for e in PointsEntry.objects.filter(person=person))
    assert total == absent  # the attend award was reversed


def test_leave_needs_reason(life, make_meeting):
    meeting = make_meeting()
    with pytest.raises(ValidationError, match="请假须填写事由"):
        services.attendance_record(actor=life.office, meeting=meeting,
                                   entries=[{"person": life.full[1], "status": AttendanceStatus.LEAVE}])
    services.attendance_record(actor=life.office, meeting=meeting,
                               entries=[{"person": life.full[1], "status": "leave", "reason": "外出开庭"}])
    assert Attendance.objects.get(meeting=meeting, person=life.full[1]).reason == "外出开庭"


def test_speaker_points_and_external_lecturer(life, make_meeting):
    from tianping.party.models import PointsEntry

    meeting = make_meeting(code="integrity_lecture", topic="廉洁司法")
    services.speakers_set(actor=life.office, meeting=meeting, speakers=[
        {"person": life.full[2], "title": "守住底线"},
        {"external_name": "李教授", "external_unit": "中共枣庄市委党校"}])
    services.attendance_record(actor=life.office, meeting=meeting,
                               entries=[{"person": life.full[2], "status": AttendanceStatus.PRESENT}])
    codes = set(PointsEntry.objects.filter(person=life.full[2]).values_list("rule__code", flat=True))
    assert codes == {"meeting_attend", "lecture_give"}
    assert [str(s) for s in meeting.speakers.all()] == [life.full[2].name, "李教授（中共枣庄市委党校）"]
    with pytest.raises(ValidationError):
        services.speakers_set(actor=life.office, meeting=meeting, speakers=[{"external_name": ""}])


def test_end_time_after_start(life, make_meeting):
    from datetime import time

    with pytest.raises(ValidationError, match="结束时间"):
        make_meeting(start=time(16, 0), end=time(15, 0))


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


@pytest.mark.parametrize(("name", "content", "ok"), [
    ("photo.png", PNG, True), ("minutes.pdf", PDF, True), ("photo.pdf", PNG, False),
    ("evil.jpg", b"<script>alert(1)</script>", False), ("note.txt", b"hello", False)])
def test_attachment_checked_by_magic_bytes(life, make_meeting, tmp_path, settings, name, content, ok):
    settings.MEDIA_ROOT = tmp_path
    meeting = make_meeting()
    upload = SimpleUploadedFile(name, content)
    if ok:
        att = services.attachment_add(actor=life.office, meeting=meeting, upload=upload)
        assert att.size == len(content) and att.content_type in {"image/png", "application/pdf"}
    else:
        with pytest.raises(ValidationError):
            services.attachment_add(actor=life.office, meeting=meeting, upload=upload)
        assert not meeting.attachments.exists()


@override_settings(TIANPING_MEETING_ATTACHMENT_MAX_BYTES=1024)
def test_attachment_size_limit(life, make_meeting, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    meeting = make_meeting()
    with pytest.raises(ValidationError, match="超过"):
        services.attachment_add(actor=life.office, meeting=meeting,
                                upload=SimpleUploadedFile("big.png", PNG + b"\x00" * 2000))


def test_study_hours_and_attendance_rate(life, make_meeting):
    from tianping.partylife.selectors import attendance_rates, study_hours

    m1 = make_meeting(code="party_lecture", day=date(2016, 3, 1), study_hours=Decimal("2.0"))
    m2 = make_meeting(code="themed_day", day=date(2016, 4, 1), study_hours=Decimal("1.5"))
    p = life.full[1]
    services.attendance_record(actor=life.office, meeting=m1, entries=[{"person": p, "status": "present"}])
    services.attendance_record(actor=life.office, meeting=m2, entries=[{"person": p, "status": "leave",
                                                                        "reason": "病假"}])
    hours = study_hours(court=life.court, year=2016, person_ids=[p.pk])
    assert hours[p.pk]["total"] == Decimal("2.0")
    rate = attendance_rates(court=life.court, year=2016, person_ids=[p.pk])[p.pk]
    assert (rate["expected_n"], rate["attended"], rate["leave"]) == (2, 1, 1)
    assert rate["rate"] == 0.5
