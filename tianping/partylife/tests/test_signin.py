"""QR sign-in: only for that meeting, within its window, by an expected attendee; the code on the screen
rotates; opening the link (GET) writes nothing, the confirmation (POST, CSRF-protected) signs in."""

from datetime import date, datetime, time, timedelta
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
    token = services.signin_token(meeting, now=when)
    result = services.attendance_sign_in(token=token, user=life.member_user, now=when)
    assert result.ok is ok, result.message
    assert _status(meeting, life.member_user.person) == status


def test_only_expected_attendees(life, meeting, make_user):
    token = services.signin_token(meeting, now=at(15, 0))
    outsider = make_user(life.court, "member", person=life.other_members[1])
    result = services.attendance_sign_in(token=token, user=outsider, now=at(15, 0))
    assert not result.ok and "应到人员名单" in result.message
    assert not Attendance.objects.filter(meeting=meeting, person=life.other_members[1]).exists()
    no_person = make_user(life.court, "party_office")
    assert not services.attendance_sign_in(token=token, user=no_person, now=at(15, 0)).ok


def test_token_is_bound_to_its_meeting(life, meeting, make_meeting):
    other = make_meeting(organisation=life.other_branch, day=DAY)
    token = services.signin_token(other, now=at(15, 0))
    # the branch member scanning the other branch's code is refused and nothing is recorded here
    assert not services.attendance_sign_in(token=token, user=life.member_user, now=at(15, 0)).ok
    assert _status(meeting, life.member_user.person) == AttendanceStatus.PENDING
    # the other meeting's code put on this meeting's number does not verify
    swapped = f"{meeting.pk}-{token.split('-', 1)[1]}"
    assert not services.attendance_sign_in(token=swapped, user=life.member_user, now=at(15, 0)).ok
    good = services.signin_token(meeting, now=at(15, 0))
    tampered = good[:-1] + ("0" if good[-1] != "0" else "1")
    assert not services.attendance_sign_in(token=tampered, user=life.member_user, now=at(15, 0)).ok
    for junk in ("", "abc", f"{meeting.pk}-", "-abc", "99999999-" + good.split("-", 1)[1]):
        assert not services.attendance_sign_in(token=junk, user=life.member_user, now=at(15, 0)).ok
    assert _status(meeting, life.member_user.person) == AttendanceStatus.PENDING


def test_code_rotates_so_a_photo_sent_away_stops_working(life, meeting):
    """The screen's code is accepted during its 30-second step and the next; a minute later it is refused."""
    shown = at(14, 50)
    token = services.signin_token(meeting, now=shown)
    assert token != services.signin_token(meeting, now=shown + timedelta(seconds=30))
    late = services.attendance_sign_in(token=token, user=life.member_user, now=shown + timedelta(seconds=61))
    assert not late.ok and "已过期" in late.message
    assert _status(meeting, life.member_user.person) == AttendanceStatus.PENDING
    ok = services.attendance_sign_in(token=token, user=life.member_user, now=shown + timedelta(seconds=45))
    assert ok.ok, ok.message


def test_regenerated_code_invalidates_old(life, meeting):
    with time_machine.travel(at(15, 0), tick=False):
        old = services.signin_token(meeting)
        new = services.signin_code_regenerate(actor=life.secretary, meeting=meeting)
    assert old != new
    assert not services.attendance_sign_in(token=old, user=life.member_user, now=at(15, 0)).ok
    assert services.attendance_sign_in(token=new, user=life.member_user, now=at(15, 0)).ok


def test_signin_records_source_marks_held_and_is_idempotent(life, meeting):
    first = services.attendance_sign_in(token=services.signin_token(meeting, now=at(14, 50)), user=life.member_user,
                                        now=at(14, 50))
    again = services.attendance_sign_in(token=services.signin_token(meeting, now=at(15, 20)), user=life.member_user,
                                        now=at(15, 20))
    assert first.ok and again.ok and "无需重复签到" in again.message
    row = Attendance.objects.get(meeting=meeting, person=life.member_user.person)
    assert (row.status, row.source, row.signed_in_at) == (AttendanceStatus.PRESENT, AttendanceSource.QR, at(14, 50))
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD
    assert AuditEvent.objects.filter(event="meeting.signed_in").count() == 1


def test_get_shows_a_confirmation_and_writes_nothing_post_signs_in(life, meeting, client_for):
    """The hole: GET /life/signin/<token>/ recorded attendance and points (a cross-site link or an image
    tag signed a member in). Now GET shows the meeting, its time and the member's name with a button."""
    from tianping.party.models import PointsEntry

    with time_machine.travel(at(15, 1), tick=False):
        url = reverse("partylife:signin", args=[services.signin_token(meeting)])
        client = client_for(life.member_user)
        page = client.get(url)
        html = page.content.decode()
        assert page.status_code == 200 and "确认签到" in html and life.member_user.person.name in html
        assert meeting.topic in html and "15:00" in html
        assert _status(meeting, life.member_user.person) == AttendanceStatus.PENDING
        assert not PointsEntry.objects.filter(person=life.member_user.person).exists()
        assert not AuditEvent.objects.filter(event="meeting.signed_in").exists()
        ticket = page.context["result"].ticket
        done = client.post(url, {"ticket": ticket})
        assert done.status_code == 200 and "签到成功" in done.content.decode()
        refused = client_for(life.other_user).get(url)
        assert refused.status_code == 403 and "不在本次会议的应到人员名单中" in refused.content.decode()
    assert _status(meeting, life.member_user.person) == AttendanceStatus.PRESENT
    assert PointsEntry.objects.filter(person=life.member_user.person).exists()


def test_post_needs_the_csrf_token_and_the_members_own_ticket(life, meeting, client_for, make_user):
    from django.test import Client

    with time_machine.travel(at(15, 1), tick=False):
        url = reverse("partylife:signin", args=[services.signin_token(meeting)])
        ticket = client_for(life.member_user).get(url).context["result"].ticket
        # a cross-site form post carries no CSRF token
        strict = Client(enforce_csrf_checks=True)
        strict.force_login(life.member_user)
        assert strict.post(url, {"ticket": ticket}).status_code == 403
        # another expected member cannot use this member's ticket
        peer = make_user(life.court, "member", person=life.full[3])
        stolen = client_for(peer).post(url, {"ticket": ticket})
        assert stolen.status_code == 403
        # and a post without a ticket (the QR code alone) signs nobody in
        assert client_for(life.member_user).post(url, {}).status_code == 403
    assert _status(meeting, life.member_user.person) == AttendanceStatus.PENDING
    assert _status(meeting, life.full[3]) == AttendanceStatus.PENDING


def test_confirmation_opened_after_the_code_changed_still_works_within_its_ticket(life, meeting, client_for):
    """The member scans, is asked to confirm, and presses the button after the screen's code moved on."""
    with time_machine.travel(at(15, 1), tick=False):
        url = reverse("partylife:signin", args=[services.signin_token(meeting)])
        ticket = client_for(life.member_user).get(url).context["result"].ticket
    with time_machine.travel(at(15, 4), tick=False):
        assert client_for(life.member_user).get(url).status_code == 403  # the code itself has expired
        assert client_for(life.member_user).post(url, {"ticket": ticket}).status_code == 200
    assert _status(meeting, life.member_user.person) == AttendanceStatus.PRESENT


def test_qr_link_uses_the_public_address_and_the_screen_refreshes(life, meeting, client_for, settings):
    settings.TIANPING_PUBLIC_URL = "https://tianping.court.example"
    url = reverse("partylife:meeting_qr", args=[meeting.pk])
    html = client_for(life.secretary).get(url).content.decode()
    assert "https://tianping.court.example/life/signin/" in html and "127.0.0.1" not in html
    assert 'hx-trigger="every 15s"' in html and "<script>" not in html
    frame = client_for(life.secretary).get(url + "?frame=1")
    assert frame.status_code == 200 and 'id="qr-frame"' in frame.content.decode()
    assert "<html" not in frame.content.decode()
    settings.TIANPING_PUBLIC_URL = ""
    html = client_for(life.secretary).get(url).content.decode()
    assert "http://testserver/life/signin/" in html


def test_qr_page_renders_inline_svg_for_managers_only(life, meeting, client_for):
    url = reverse("partylife:meeting_qr", args=[meeting.pk])
    page = client_for(life.secretary).get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html and "http" not in html.split("<svg", 1)[1].split("</svg>")[0].replace(
        "http://www.w3.org/2000/svg", "")
    assert client_for(life.member_user).get(url).status_code == 403
