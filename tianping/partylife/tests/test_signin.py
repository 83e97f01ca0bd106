"""QR sign-in: only for that meeting, within its window, by an expected attendee."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from tianping.core.models import AuditEvent
from tianping.partylife import services
from tianping.partylife.choices import AttendanceSource, AttendanceStatus, MeetingStatus
from tianping.partylife.models import Attendance

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
DAY = date(2016, 3, 10)


def at(h, m):
    return datetime(2016, 3, 10, h, m, tzinfo=SH)


@pytest.fixture
def meeting(make_meeting):
    return make_meeting(day=DAY, start=time(15, 0), end=time(16, 30))


def _status(meeting, person):
    return Attendance.objects.get(meeting=meeting, person=person).status


@pytest.mark.parametrize(("when", "ok", "status"), [
    (at(14, 29), False, AttendanceStatus.PENDING),   # before the window (opens 30 min early)
    (at(14, 30), True, AttendanceStatus.PRESENT),    # window opens
    (at(15, 5), True, AttendanceStatus.PRESENT),     # within grace
    (at(15, 6), True, AttendanceStatus.LATE),        # after start + 5 min grace
    (at(16, 30), True, AttendanceStatus.LATE),       # last moment
    (at(16, 31), False, AttendanceStatus.PENDING),   # after the end
])
def test_window_and_lateness(life, meeting, when, ok, status):
    result = services.attendance_sign_in(token=services.signin_token(meeting), user=life.member_user, now=when)
    assert result.ok is ok, result.message
    assert _status(meeting, life.member_user.person) == status


def test_only_expected_attendees(life, meeting, make_user):
    token = services.signin_token(meeting)
    outsider = make_user(life.court, "member", person=life.other_members[1])
    result = services.attendance_sign_in(token=token, user=outsider, now=at(15, 0))
    assert not result.ok and "应到人员名单" in result.message
    assert not Attendance.objects.filter(meeting=meeting, person=life.other_members[1]).exists()
    no_person = make_user(life.court, "party_office")
    assert not services.attendance_sign_in(token=token, user=no_person, now=at(15, 0)).ok


def test_token_is_bound_to_its_meeting(life, meeting, make_meeting):
    other = make_meeting(organisation=life.other_branch, day=DAY)
    token = services.signin_token(other)
    # the branch member scanning the other branch's code is refused and nothing is recorded here
    assert not services.attendance_sign_in(token=token, user=life.member_user, now=at(15, 0)).ok
    assert _status(meeting, life.member_user.person) == AttendanceStatus.PENDING
    tampered = services.signin_token(meeting).replace(":", ";", 1)
    assert not services.attendance_sign_in(token=tampered, user=life.member_user, now=at(15, 0)).ok
    forged = services.signing.dumps({"m": meeting.pk, "n": meeting.signin_nonce}, salt="other")
    assert not services.attendance_sign_in(token=forged, user=life.member_user, now=at(15, 0)).ok


def test_regenerated_code_invalidates_old(life, meeting):
    old = services.signin_token(meeting)
    new = services.signin_code_regenerate(actor=life.secretary, meeting=meeting)
    assert old != new
    assert not services.attendance_sign_in(token=old, user=life.member_user, now=at(15, 0)).ok
    assert services.attendance_sign_in(token=new, user=life.member_user, now=at(15, 0)).ok


def test_signin_records_source_marks_held_and_is_idempotent(life, meeting):
    token = services.signin_token(meeting)
    first = services.attendance_sign_in(token=token, user=life.member_user, now=at(14, 50))
    again = services.attendance_sign_in(token=token, user=life.member_user, now=at(15, 20))
    assert first.ok and again.ok and "无需重复签到" in again.message
    row = Attendance.objects.get(meeting=meeting, person=life.member_user.person)
    assert (row.status, row.source, row.signed_in_at) == (AttendanceStatus.PRESENT, AttendanceSource.QR, at(14, 50))
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD
    assert AuditEvent.objects.filter(event="meeting.signed_in").count() == 1


def test_signin_view(life, meeting, client_for):
    url = reverse("partylife:signin", args=[services.signin_token(meeting)])
    with time_machine.travel(at(15, 1), tick=False):
        response = client_for(life.member_user).get(url)
        assert response.status_code == 200 and "签到成功" in response.content.decode()
        refused = client_for(life.other_user).get(url)
        assert refused.status_code == 403 and "不在本次会议的应到人员名单中" in refused.content.decode()
    assert _status(meeting, life.member_user.person) == AttendanceStatus.PRESENT


def test_qr_page_renders_inline_svg_for_managers_only(life, meeting, client_for):
    url = reverse("partylife:meeting_qr", args=[meeting.pk])
    page = client_for(life.secretary).get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html and "http" not in html.split("<svg", 1)[1].split("</svg>")[0].replace(
        "http://www.w3.org/2000/svg", "")
    assert client_for(life.member_user).get(url).status_code == 403
