"""The showcase: the lobby screen (no login, long random link, 404 once revoked, never personal data), the display
board PDF, venues refusing a double booking, and the online column (review, public page, read counts, study
hours of an assigned article)."""

from __future__ import annotations

import re
from datetime import date, time, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from tianping.honours import services
from tianping.honours.models import ArticleStatus, HolderKind, HonourLevel, PostWindow, VenueKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def showcase(setup):
    """A post held by 张伟 with a pledge, an honour of this year, and a dispute with a litigant and its outcome
    (which the lobby must never show)."""
    s = setup
    today = timezone.localdate()
    from tianping.party.models import PartyOrganisation

    PartyOrganisation.objects.filter(pk=s["branch"].pk).update(brand_name="立案为民", brand_description="一站式服务")
    post = services.post_save(actor=s["office"], court=s["court"], data={
        "name": "立案窗口党员先锋岗", "window": PostWindow.FILING, "department": s["dep"], "brand_text": "当场立案"})
    services.post_holder_add(actor=s["office"], post=post, person=s["zw1"], start=date(2016, 3, 1),
                             pledge="群众来访件件有回音")
    services.honour_record(actor=s["office"], court=s["court"], data={
        "name": "优秀共产党员", "level": HonourLevel.COURT, "issuer": "机关党委", "awarded_on": today,
        "holder_kind": HolderKind.PERSON, "person": s["li"]})
    screen = services.lobby_create(actor=s["office"], court=s["court"], name="大厅")
    return {**s, "post": post, "screen": screen}


def _crawl(client: Client, start: str) -> dict[str, str]:
    """Every same-site page and picture reachable from the lobby screen (no login)."""
    seen: dict[str, str] = {}
    todo = [start]
    while todo:
        url = todo.pop()
        if url in seen:
            continue
        r = client.get(url)
        assert r.status_code == 200, url
        body = r.content.decode("utf-8", "replace") if r["Content-Type"].startswith("text/") else ""
        seen[url] = body
        for link in re.findall(r'(?:href|src)="(/[^"]+)"', body):
            if not link.startswith("/static/"):
                todo.append(link)
    return seen


def test_the_lobby_screen_shows_posts_honours_and_no_personal_data(showcase):
    s = showcase
    from tianping.org.models import Person

    pages = _crawl(Client(), f"/honours/show/lobby/{s['screen'].token}/")
    text = " ".join(pages.values())
    assert "立案窗口党员先锋岗" in text and "群众来访件件有回音" in text and s["zw1"].name in text
    assert "优秀共产党员" in text and "立案为民" in text
    for p in Person.objects.all():
        assert p.id_number not in text and (not p.phone or p.phone not in text)
        assert p.id_number[-6:] not in text
    assert not re.search(r"\d{17}[\dXx]", text)          # no ID number of anybody
    assert not re.search(r"1[3-9]\d{9}", text)           # no mobile number
    for word in ("住址", "当事人", "调解协议", "调解成功", "原告", "被告"):
        assert word not in text


def test_a_revoked_link_answers_404_and_a_short_or_unknown_token_too(showcase):
    s = showcase
    url = f"/honours/show/lobby/{s['screen'].token}/"
    assert Client().get(url).status_code == 200
    assert len(s["screen"].token) >= 40
    services.lobby_revoke(actor=s["office"], screen=s["screen"])
    assert Client().get(url).status_code == 404
    assert Client().get("/honours/show/lobby/abc/").status_code == 404


def test_only_the_lobby_and_the_column_page_are_open_without_login(showcase):
    anonymous = Client()
    assert anonymous.get("/honours/lobby/").status_code == 302       # the screens' admin page needs a login
    assert anonymous.get("/honours/").status_code == 302
    assert anonymous.get(f"/honours/posts/{showcase['post'].pk}/").status_code == 302


def test_the_display_board_is_a_pdf(showcase, client_for):
    s = showcase
    r = client_for(s["office"]).get(f"/honours/boards/?branch={s['branch'].pk}")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf" and r.content.startswith(b"%PDF")


def test_a_venue_refuses_a_double_booking(setup):
    s = setup
    venue = services.venue_save(actor=s["office"], court=s["court"], data={
        "name": "党员活动室", "kind": VenueKind.ROOM, "capacity": 60})
    day = timezone.localdate() + timedelta(days=3)
    services.venue_book(actor=s["office"], venue=venue, day=day, start_time=time(15), end_time=time(16, 30),
                        purpose="支部党员大会")
    with pytest.raises(ValidationError) as exc:
        services.venue_book(actor=s["office"], venue=venue, day=day, start_time=time(16), end_time=time(17),
                            purpose="党课")
    assert "15:00–16:30" in str(exc.value) and "支部党员大会" in str(exc.value)
    services.venue_book(actor=s["office"], venue=venue, day=day, start_time=time(16, 30), end_time=time(17),
                        purpose="党课")  # touching, not overlapping
    assert venue.bookings.count() == 2


def test_a_meeting_books_a_venue_and_takes_it_as_its_place(setup):
    s = setup
    from tianping.partylife.models import Meeting, MeetingType
    from tianping.partylife.services import meeting_create

    venue = services.venue_save(actor=s["office"], court=s["court"], data={"name": "党员活动室", "kind": VenueKind.ROOM})
    mtype = MeetingType.objects.filter(active=True).first()
    day = timezone.localdate() + timedelta(days=5)
    meeting = meeting_create(actor=s["office"], court=s["court"], data={
        "meeting_type": mtype, "organisation": s["branch"], "date": day, "start_time": time(15),
        "end_time": time(16), "topic": "学习党章"})
    services.venue_book(actor=s["office"], venue=venue, meeting=meeting)
    assert Meeting.objects.get(pk=meeting.pk).place == "党员活动室"
    with pytest.raises(ValidationError):
        services.venue_book(actor=s["office"], venue=venue, day=day, start_time=time(15, 30), end_time=time(17),
                            purpose="另一个活动")


def test_the_column_reviews_publishes_counts_reads_and_study_hours(setup, client_for):
    s = setup
    from tianping.partylife.selectors import study_hours

    article = services.article_save(actor=s["member"], court=s["court"], data={
        "title": "学习党章第一讲", "category": "study", "author": "李娜", "body": "正文", "assigned": True,
        "study_hours": Decimal("1.5")})
    anonymous = Client()
    public = f"/honours/show/column/{s['court'].code}/"
    assert "学习党章第一讲" not in anonymous.get(public).content.decode()
    services.article_submit(actor=s["member"], article=article)
    with pytest.raises(ValidationError):
        services.article_review(actor=s["office"], article=article, publish=False, note="")
    services.article_review(actor=s["office"], article=article, publish=True)
    article.refresh_from_db()
    assert article.status == ArticleStatus.PUBLISHED
    assert "学习党章第一讲" in anonymous.get(public).content.decode()
    member = client_for(s["member"])
    member.get(f"/honours/column/{article.pk}/")
    member.get(f"/honours/column/{article.pk}/")
    article.refresh_from_db()
    assert article.read_count == 2
    year = timezone.localdate().year
    hours = study_hours(court=s["court"], year=year, person_ids=[s["li"].pk])
    assert hours[s["li"].pk]["total"] == Decimal("1.5")  # once, not twice
    assert hours[s["li"].pk]["by_campaign"]["网上党建专栏"] == Decimal("1.5")
