"""Calendar pages and the token-protected .ics feed (parsed with icalendar)."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from tianping.partylife import services

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


def test_ics_feed_parses_with_the_users_events(life, make_meeting, client_for):
    own = make_meeting(day=date(2016, 3, 10), start=time(15, 0), end=time(16, 30), topic="党章学习")
    make_meeting(organisation=life.other_branch, day=date(2016, 3, 11), topic="别的支部")
    cancelled = make_meeting(day=date(2016, 3, 12), topic="取消的会")
    services.meeting_update(actor=life.office, meeting=cancelled, data={"status": "cancelled"})
    feed = services.calendar_feed_get(user=life.member_user)
    with time_machine.travel(datetime(2016, 3, 1, 9, 0, tzinfo=SH), tick=False):
        response = Client().get(reverse("partylife:ics_feed", args=[feed.token]))  # no login needed
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    cal = Calendar.from_ical(response.content)
    events = cal.walk("VEVENT")
    assert [str(e["summary"]) for e in events] == ["支部党员大会：党章学习"]
    ev = events[0]
    assert ev.decoded("dtstart") == datetime(2016, 3, 10, 15, 0, tzinfo=SH)
    assert ev.decoded("dtend") == datetime(2016, 3, 10, 16, 30, tzinfo=SH)
    assert str(ev["location"]) == "沙沟法庭会议室"
    assert str(ev["uid"]) == f"meeting-{own.pk}@tianping"


def test_feed_token_regenerates_and_old_one_fails(life, client_for):
    c = client_for(life.member_user)
    page = c.get(reverse("partylife:calendar_feed")).content.decode()
    old = services.calendar_feed_get(user=life.member_user).token
    assert old in page
    c.post(reverse("partylife:calendar_feed"))
    new = services.calendar_feed_get(user=life.member_user).token
    assert new != old
    assert Client().get(reverse("partylife:ics_feed", args=[old])).status_code == 404
    assert Client().get(reverse("partylife:ics_feed", args=[new])).status_code == 200
    assert Client().get(reverse("partylife:ics_feed", args=["guess"])).status_code == 404


def test_month_and_week_views(life, make_meeting, client_for):
    m = make_meeting(day=date(2016, 3, 10), topic="三月大会")
    url = reverse("partylife:meeting_detail", args=[m.pk])
    month = client_for(life.member_user).get(reverse("partylife:calendar") + "?month=2016-03").content.decode()
    assert url in month
    page = client_for(life.member_user).get(reverse("partylife:calendar") + "?month=2016-04")
    assert url not in page.content.decode()
    week = client_for(life.member_user).get(reverse("partylife:calendar_week") + "?day=2016-03-09").content.decode()
    assert url in week
    assert url not in client_for(life.other_user).get(reverse("partylife:calendar") + "?month=2016-03").content.decode()
    # garbage parameters fall back to the current month/week instead of failing
    assert client_for(life.member_user).get(reverse("partylife:calendar") + "?month=xx").status_code == 200
