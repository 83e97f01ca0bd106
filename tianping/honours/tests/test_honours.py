"""Honours: recording one awards the holder's points through party.services.points_award, deleting it reverses
them; a change of holder moves them; 办案能手 / 调解能手 only from the trial page's candidate lists; the figures."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from tianping.honours import selectors, services
from tianping.honours.models import HolderKind, Honour, HonourLevel

pytestmark = pytest.mark.django_db


def _points(person) -> Decimal:
    from django.db.models import Sum

    from tianping.party.models import PointsEntry

    return PointsEntry.objects.filter(person=person).aggregate(s=Sum("points"))["s"] or Decimal("0")


def _rule_points() -> Decimal:
    from tianping.party.models import PointsRule

    return PointsRule.objects.get(code="commendation").points


def _record(s, person, **extra):
    data = {"name": "优秀共产党员", "level": HonourLevel.COURT, "issuer": "机关党委", "awarded_on": date(2016, 7, 1),
            "holder_kind": HolderKind.PERSON, "person": person, **extra}
    return services.honour_record(actor=s["office"], court=s["court"], data=data)


def test_an_individual_honour_awards_points_and_deleting_it_reverses_them(setup):
    s = setup
    honour = _record(s, s["zw1"])
    assert _points(s["zw1"]) == _rule_points()
    services.honour_delete(actor=s["office"], honour=honour, reason="录入错误")
    assert not Honour.objects.filter(pk=honour.pk).exists()
    assert _points(s["zw1"]) == 0
    from tianping.party.models import PointsEntry

    assert PointsEntry.objects.filter(person=s["zw1"]).count() == 2  # the award and its reversal, both kept


def test_changing_the_holder_moves_the_points(setup):
    s = setup
    honour = _record(s, s["zw1"])
    services.honour_update(actor=s["office"], honour=honour, data={"person": s["li"]})
    assert _points(s["zw1"]) == 0
    assert _points(s["li"]) == _rule_points()


def test_a_non_member_and_a_collective_honour_earn_no_points(setup):
    s = setup
    _record(s, s["outsider"])
    services.honour_record(actor=s["office"], court=s["court"], data={
        "name": "先进集体", "level": HonourLevel.CITY, "issuer": "中院", "awarded_on": date(2016, 1, 5),
        "holder_kind": HolderKind.DEPARTMENT, "department": s["dep"]})
    from tianping.party.models import PointsEntry

    assert not PointsEntry.objects.exists()


def test_the_holder_must_match_the_kind_and_the_court(setup, other_court):
    s = setup
    with pytest.raises(ValidationError) as exc:
        services.honour_record(actor=s["office"], court=s["court"], data={
            "name": "x", "level": HonourLevel.COURT, "issuer": "y", "awarded_on": date(2016, 1, 1),
            "holder_kind": HolderKind.PERSON})
    assert "person" in exc.value.message_dict
    from tianping.org.tests.factories import PersonFactory

    stranger = PersonFactory(court=other_court)
    with pytest.raises(ValidationError):
        _record(s, stranger)


def test_a_certificate_must_be_a_pdf_or_photo(setup):
    s = setup
    bad = SimpleUploadedFile("cert.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError) as exc:
        services.honour_record(actor=s["office"], court=s["court"], certificate=bad, data={
            "name": "x", "level": HonourLevel.COURT, "issuer": "y", "awarded_on": date(2016, 1, 1),
            "holder_kind": HolderKind.COURT})
    assert "certificate" in exc.value.message_dict
    good = SimpleUploadedFile("cert.pdf", b"%PDF-1.4 demo", content_type="application/pdf")
    h = services.honour_record(actor=s["office"], court=s["court"], certificate=good, data={
        "name": "x", "level": HonourLevel.COURT, "issuer": "y", "awarded_on": date(2016, 1, 1),
        "holder_kind": HolderKind.COURT})
    assert h.certificate_type == "application/pdf"


def test_experts_are_awarded_only_from_the_candidate_list(setup, monkeypatch):
    s = setup
    import tianping.trials.selectors as trial_selectors

    listed = [{"key": {"judge": s["zw1"].pk}, "scope": "张伟", "closed": 200, "party_member": True}]
    monkeypatch.setattr(trial_selectors, "candidates", lambda court, period: {"expert": listed, "mediator": []})
    with pytest.raises(ValidationError):
        services.experts_award(actor=s["office"], court=s["court"], kind="expert", year=2016,
                               person_ids=[s["outsider"].pk], awarded_on=date(2017, 1, 10))
    made = services.experts_award(actor=s["office"], court=s["court"], kind="expert", year=2016,
                                  person_ids=[s["zw1"].pk], awarded_on=date(2017, 1, 10))
    assert [h.name for h in made] == ["2016年度办案能手"]
    again = services.experts_award(actor=s["office"], court=s["court"], kind="expert", year=2016,
                                   person_ids=[s["zw1"].pk], awarded_on=date(2017, 1, 10))
    assert again == []  # already holds the title for the year
    assert _points(s["zw1"]) == _rule_points()


def test_figures_count_person_times_by_level_and_the_members_among_experts(setup):
    s = setup
    rows = [(s["zw1"], HonourLevel.COURT, 2016), (s["zw1"], HonourLevel.CITY, 2016), (s["li"], HonourLevel.COURT, 2015),
            (s["zw2"], HonourLevel.PROVINCIAL, 2013)]
    for person, level, year in rows:
        _record(s, person, level=level, awarded_on=date(year, 5, 1))
    _record(s, s["outsider"], name="2016年度调解能手", awarded_on=date(2016, 12, 1))
    _record(s, s["zw2"], name="2016年度办案能手", awarded_on=date(2016, 12, 1))
    services.honour_record(actor=s["office"], court=s["court"], data={
        "name": "五好党支部", "level": HonourLevel.COUNTY, "issuer": "区委", "awarded_on": date(2016, 6, 1),
        "holder_kind": HolderKind.BRANCH, "organisation": s["branch"]})
    fig = selectors.honour_figures(s["court"], [2014, 2015, 2016])
    by_year = {y["year"]: y for y in fig["years"]}
    assert by_year[2016]["by_level"][HonourLevel.CITY] == 1
    assert by_year[2016]["person_times"] == 4  # two of zw1, two 能手
    assert by_year[2016]["collective"] == 1
    assert fig["three_years"]["person_times"] == 5 and fig["three_years"]["years"] == [2014, 2015, 2016]
    share = selectors.expert_member_share(s["court"])
    assert (share["total"], share["members"]) == (2, 1)  # the non-member 调解能手 is not counted as a member
    assert [u["year"] for u in selectors.unit_titles(s["court"])] == [2016]
