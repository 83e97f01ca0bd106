"""A voter pressing twice in two tabs casts one ballot: two requests at once on PostgreSQL (real transactions,
one thread each). On SQLite the test database is one connection shared by threads, so it runs on PostgreSQL only
(`DATABASE_URL=postgres://… pytest tianping/honours`)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from tianping.honours.models import Ballot, Voter

pytestmark = [pytest.mark.django_db(transaction=True)]


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="parallel requests need PostgreSQL")
def test_two_tabs_pressing_at_once_cast_one_ballot(setup, make_user):
    from django.test import Client

    from tianping.honours import services
    from tianping.honours.models import HonourLevel

    s = setup
    voter = make_user(s["court"], "member", person=s["zw1"], username="zw1")
    sel = services.selection_create(actor=s["office"], court=s["court"], data={
        "title": "评选", "kind": "excellent_member", "year": 2016, "honour_name": "优秀共产党员",
        "honour_level": HonourLevel.COURT, "issuer": "机关党委", "seats": 1, "max_choices": 1})
    nom = services.nomination_add(actor=s["office"], selection=sel, person=s["li"], nominated_by="branch",
                                  reason="表现突出")
    services.shortlist_set(actor=s["office"], selection=sel, nomination_ids=[nom.pk])
    services.voting_open(actor=s["office"], selection=sel)
    url = f"/honours/selections/{sel.pk}/vote/"
    barrier = threading.Barrier(4)
    codes: list[int] = []

    def press() -> None:
        client = Client()
        client.force_login(voter)
        barrier.wait()
        try:
            codes.append(client.post(url, {"choices": [str(nom.pk)]}).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=press) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(codes) == 4 and all(c in (200, 302) for c in codes), codes
    assert Ballot.objects.filter(selection=sel).count() == 1
    assert Voter.objects.get(selection=sel, person=s["zw1"]).voted
    assert connection.vendor == "postgresql"
