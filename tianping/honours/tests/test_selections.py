"""Selections by secret ballot: nothing links a ballot to its voter (no column, no audit entry, no order), one
ballot per voter, a re-run count gives the same result, 公示 of 5 working days with objections, then honours."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import models

from tianping.core.models import AuditEvent
from tianping.honours import services
from tianping.honours.models import Ballot, HonourLevel, Nomination, Selection, SelectionStatus, Voter

pytestmark = pytest.mark.django_db


def _accounts(s, make_user):
    from tianping.core.roles import Role

    return {"zw1": make_user(s["court"], Role.MEMBER, person=s["zw1"], username="zw1"),
            "zw2": make_user(s["court"], Role.MEMBER, person=s["zw2"], username="zw2"), "li": s["member"]}


def _open(s, seats=1) -> tuple[Selection, list[Nomination]]:
    sel = services.selection_create(actor=s["office"], court=s["court"], data={
        "title": "2016年度优秀共产党员评选", "kind": "excellent_member", "year": 2016, "honour_name": "优秀共产党员",
        "honour_level": HonourLevel.COURT, "issuer": "机关党委", "seats": seats, "max_choices": seats})
    noms = [services.nomination_add(actor=s["office"], selection=sel, person=p, nominated_by="branch",
                                    organisation=s["branch"], reason="表现突出") for p in (s["zw1"], s["li"])]
    services.shortlist_set(actor=s["office"], selection=sel, nomination_ids=[n.pk for n in noms])
    services.voting_open(actor=s["office"], selection=sel)
    return sel, noms


def test_ballots_and_voter_rows_carry_nothing_that_links_them(setup):
    """By construction: a ballot has a random id, the selection and the choices; a voter row has the person and a
    flag. No foreign key, time or sequence is shared between them."""
    ballot_fields = {f.name for f in Ballot._meta.get_fields() if f.concrete}
    voter_fields = {f.name for f in Voter._meta.get_fields() if f.concrete}
    assert ballot_fields == {"id", "selection", "choices"}
    assert voter_fields == {"id", "selection", "person", "voted"}
    assert isinstance(Ballot._meta.pk, models.UUIDField)
    assert not any(isinstance(f, (models.DateField, models.DateTimeField)) for f in Ballot._meta.concrete_fields)


def test_voting_is_secret_single_and_the_count_reruns_the_same(setup, make_user):
    s = setup
    acc = _accounts(s, make_user)
    sel, (n_zw1, n_li) = _open(s)
    assert set(sel.voters.values_list("person_id", flat=True)) == {s["zw1"].pk, s["zw2"].pk, s["li"].pk}
    before = AuditEvent.objects.count()
    services.ballot_cast(actor=acc["zw1"], selection=sel, choices=[n_li.pk])
    services.ballot_cast(actor=acc["zw2"], selection=sel, choices=[n_li.pk])
    services.ballot_cast(actor=acc["li"], selection=sel, choices=[n_zw1.pk])
    with pytest.raises(ValidationError, match="已经投过票"):
        services.ballot_cast(actor=acc["li"], selection=sel, choices=[n_li.pk])
    assert Ballot.objects.filter(selection=sel).count() == 3
    # the audit trail says who voted, never the choice
    votes = AuditEvent.objects.filter(pk__gt=before, event="honours.selection.voted")
    assert votes.count() == 3
    for e in votes:
        text = f"{e.changes} {e.message} {e.object_repr}"
        assert e.changes["after"] == {"voted": True} and not e.changes["before"]
        assert str(n_li.pk) not in str(e.changes) and "李娜" not in text.replace(sel.title, "")
    run = services.voting_close(actor=s["office"], selection=sel)
    expected = {str(n_zw1.pk): 1, str(n_li.pk): 2}
    assert run.tallies == expected and run.elected == [n_li.pk] and run.ballots == 3 and run.voted == 3
    again = services.count_run(actor=s["member"], selection=sel)
    assert again.digest == run.digest and again.tallies == run.tallies


def test_a_ballot_only_marks_shortlisted_nominees_up_to_the_limit(setup, make_user):
    s = setup
    acc = _accounts(s, make_user)
    sel, (n_zw1, n_li) = _open(s)
    with pytest.raises(ValidationError):
        services.ballot_cast(actor=acc["zw1"], selection=sel, choices=[n_zw1.pk, n_li.pk])  # max 1
    with pytest.raises(ValidationError):
        services.ballot_cast(actor=acc["zw1"], selection=sel, choices=[999999])
    outsider = make_user(s["court"], "member", person=s["outsider"], username="wq")
    with pytest.raises(ValidationError, match="不在本次评选的投票人名单"):
        services.ballot_cast(actor=outsider, selection=sel, choices=[n_li.pk])
    assert not Ballot.objects.exists() and not Voter.objects.filter(voted=True).exists()


def test_publicity_objections_and_the_result_becomes_an_honour(setup, make_user):
    s = setup
    acc = _accounts(s, make_user)
    sel, (n_zw1, n_li) = _open(s)
    for who in ("zw1", "zw2"):
        services.ballot_cast(actor=acc[who], selection=sel, choices=[n_li.pk])
    services.voting_close(actor=s["office"], selection=sel)
    services.publicity_start(actor=s["office"], selection=sel, start=date(2016, 12, 1))  # a Thursday
    assert sel.status == SelectionStatus.PUBLICITY and sel.publicity_end == date(2016, 12, 7)  # 5 working days
    objection = services.objection_record(actor=s["office"], selection=sel, nomination=n_li, content="请核实",
                                          received_on=date(2016, 12, 2))
    with pytest.raises(ValidationError, match="公示期"):
        services.selection_finalise(actor=s["office"], selection=sel, today=date(2016, 12, 7))
    with pytest.raises(ValidationError, match="未处理的异议"):
        services.selection_finalise(actor=s["office"], selection=sel, today=date(2016, 12, 8))
    services.objection_resolve(actor=s["office"], objection=objection, handling="经核实不影响", upheld=False)
    honours = services.selection_finalise(actor=s["office"], selection=sel, today=date(2016, 12, 8))
    assert [(h.person, h.name, h.selection_id) for h in honours] == [(s["li"], "优秀共产党员", sel.pk)]
    assert sel.status == SelectionStatus.FINAL


def test_working_days_skip_weekends():
    assert services.add_working_days(date(2016, 12, 3), 5) == date(2016, 12, 9)   # Saturday → Mon..Fri
    assert services.add_working_days(date(2016, 12, 9), 1) == date(2016, 12, 9)
    assert services.add_working_days(date(2016, 12, 9), 2) == date(2016, 12, 12)


def test_a_tie_on_the_last_seat_elects_neither(setup, make_user):
    s = setup
    acc = _accounts(s, make_user)
    sel, (n_zw1, n_li) = _open(s)
    services.ballot_cast(actor=acc["zw1"], selection=sel, choices=[n_li.pk])
    services.ballot_cast(actor=acc["zw2"], selection=sel, choices=[n_zw1.pk])
    services.ballot_abstain(actor=acc["li"], selection=sel)
    run = services.voting_close(actor=s["office"], selection=sel)
    assert run.ballots == 3 and run.elected == []  # 1 vote each of 3 ballots: neither has more than half
