"""Pages: the office records an honour with its certificate through the form; a refusal stays beside its field
with what was typed; a member cannot; a voter's ballot page; a venue's double booking is refused on the page."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tianping.honours import services
from tianping.honours.models import Honour, VenueKind

pytestmark = pytest.mark.django_db


def test_the_office_records_an_honour_with_its_certificate(setup, client_for):
    s = setup
    client = client_for(s["office"])
    form = client.get("/honours/new/")
    assert form.status_code == 200
    r = client.post("/honours/new/", {
        "name": "优秀共产党员", "level": "court", "issuer": "机关党委", "awarded_on": "2016-07-01",
        "holder_kind": "person", "person": s["zw1"].pk, "certificate_number": "XC-9",
        "certificate": SimpleUploadedFile("cert.png", b"\x89PNG\r\n\x1a\n0000", content_type="image/png"),
        "once_token": "t1"})
    honour = Honour.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/honours/{honour.pk}/"
    assert honour.certificate_type == "image/png"
    page = client.get(f"/honours/{honour.pk}/").content.decode()
    assert "受到表彰" in page  # the points line
    assert client.get(f"/honours/{honour.pk}/certificate/").status_code == 200


def test_a_missing_holder_is_refused_beside_its_field_and_keeps_the_input(setup, client_for):
    s = setup
    r = client_for(s["office"]).post("/honours/new/", {
        "name": "优秀党务工作者", "level": "court", "issuer": "机关党委", "awarded_on": "2016-07-01",
        "holder_kind": "department"})
    body = r.content.decode()
    assert r.status_code == 200 and 'data-testid="error-department"' in body
    assert 'value="优秀党务工作者"' in body and not Honour.objects.exists()


def test_a_member_reads_honours_but_cannot_record_one(setup, client_for):
    client = client_for(setup["member"])
    assert client.get("/honours/").status_code == 200
    assert client.get("/honours/new/").status_code == 403


def test_the_venue_page_refuses_a_double_booking_with_the_reason(setup, client_for):
    s = setup
    venue = services.venue_save(actor=s["office"], court=s["court"], data={"name": "党员活动室", "kind": VenueKind.ROOM})
    day = timezone.localdate() + timedelta(days=2)
    services.venue_book(actor=s["office"], venue=venue, day=day, start_time=time(9), end_time=time(10),
                        purpose="党课")
    r = client_for(s["office"]).post(f"/honours/venues/{venue.pk}/", {
        "day": day.isoformat(), "start_time": "09:30", "end_time": "11:00", "purpose": "主题党日"})
    body = r.content.decode()
    assert r.status_code == 200 and "已被预约" in body and 'value="主题党日"' in body
    assert venue.bookings.count() == 1


def test_a_file_gone_from_disk_answers_404_not_a_server_error(setup, client_for, settings):
    """A certificate, a post's photo and a column attachment whose file the disk no longer holds (a restore without
    media): 404 from each view, with or without nginx in front; while the file is there, it is served."""
    s = setup
    png = b"\x89PNG\r\n\x1a\n0000"
    honour = services.honour_record(actor=s["office"], court=s["court"], data={
        "name": "优秀共产党员", "level": "court", "issuer": "机关党委", "awarded_on": timezone.localdate(),
        "holder_kind": "person", "person": s["zw1"]}, certificate=SimpleUploadedFile("cert.png", png))
    post = services.post_save(actor=s["office"], court=s["court"], data={"name": "立案窗口党员先锋岗", "window": "filing", "department": s["dep"]},
                              photo=SimpleUploadedFile("post.png", png))
    article = services.article_save(actor=s["office"], court=s["court"], data={
        "title": "学习党章", "category": "study", "author": "李娜", "body": "正文"})
    att = services.article_attach(actor=s["office"], article=article, upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4 x"))
    served = {f"/honours/{honour.pk}/certificate/": honour.certificate,
              f"/honours/posts/{post.pk}/photo/": post.photo,
              f"/honours/column/{article.pk}/attachments/{att.pk}/": att.file}
    client = client_for(s["office"])
    for url, field in served.items():
        assert client.get(url).status_code == 200, url
        field.storage.delete(field.name)
        assert not field.storage.exists(field.name)
        assert client.get(url).status_code == 404, url
    settings.TIANPING_X_ACCEL_REDIRECT = "/_protected/media/"
    for url in served:
        r = client.get(url)
        assert r.status_code == 404 and "X-Accel-Redirect" not in r, url
