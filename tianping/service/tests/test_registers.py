"""Complaints (who sees one when, the 30-day deadline on the to-do list), circuit trials and places, publicity
points, 双包双联 scope, the service page and the member timeline."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tianping.core.views import collect_timeline, collect_todo
from tianping.service import services
from tianping.service.models import Complaint, ComplaintStatus, PartnerVisit

pytestmark = pytest.mark.django_db


def _complaint(world, **kw):
    return services.complaint_register(actor=world["party_office"], court=world["court"],
                                       received_on=kw.pop("received_on", timezone.localdate() - timedelta(days=25)),
                                       channel="phone", category="delay", summary="案件久拖不决",
                                       subject=world["j2"], **kw)


def test_complaint_is_seen_by_the_party_office_the_handler_and_the_subject_only_once_closed(world, client_for):
    c = _complaint(world)
    assert c.due_on == c.received_on + timedelta(days=30)
    url = reverse("service:complaint_detail", args=[c.pk])
    po, handler, subject = client_for(world["party_office"]), client_for(world["trial_office"]), \
        client_for(world["judge2"])
    assert po.get(url).status_code == 200
    assert handler.get(url).status_code == 404 and subject.get(url).status_code == 404
    with pytest.raises(ValidationError, match="不能交由被投诉人本人办理"):
        services.complaint_assign(actor=world["party_office"], complaint=c, handler=world["j2"],
                                  assigned_on=c.received_on)
    with pytest.raises(ValidationError, match="不能答复"):
        services.complaint_answer(actor=world["party_office"], complaint=c, answered_on=c.received_on,
                                  answer_method="phone", answer="已核实", substantiated=False)
    c = services.complaint_assign(actor=world["party_office"], complaint=c, handler=world["zw1"],
                                  assigned_on=c.received_on + timedelta(days=1))
    assert handler.get(url).status_code == 200 and subject.get(url).status_code == 404
    # the handler's to-do list carries the answer deadline
    todo = collect_todo(world["trial_office"])
    mine = [i for i in todo if i["url"] == url]
    assert len(mine) == 1 and mine[0]["due"] == c.due_on and "还剩 5 天" in mine[0]["label"]
    # the handler answers through the page; the party office closes
    page = handler.post(reverse("service:complaint_action", args=[c.pk, "answer"]), {
        "answered_on": (c.received_on + timedelta(days=10)).isoformat(), "answer_method": "phone",
        "answer": "已向投诉人说明审理进度", "substantiated": "false"})
    assert page.status_code == 302
    assert handler.get(reverse("service:complaint_action", args=[c.pk, "close"])).status_code == 403
    services.complaint_close(actor=world["party_office"], complaint=Complaint.objects.get(pk=c.pk),
                             closed_on=c.received_on + timedelta(days=12))
    assert subject.get(url).status_code == 200
    assert Complaint.objects.get(pk=c.pk).status == ComplaintStatus.CLOSED
    assert client_for(world["secretary"]).get(url).status_code == 404


def test_party_office_is_told_of_complaints_to_assign(world):
    _complaint(world, received_on=timezone.localdate() - timedelta(days=33))
    labels = [i["label"] for i in collect_todo(world["party_office"])]
    assert any("已超期 3 天" in x for x in labels)
    assert any("1 件作风投诉待交办" in x for x in labels)


def test_circuit_trials_places_and_scope(world, client_for):
    court, actor = world["court"], world["trial_office"]
    place = services.place_save(actor=actor, court=court, township="沙沟镇", name="前良村", kind="village")
    other = services.place_save(actor=actor, court=court, township="陶庄镇", name="陶庄大集", kind="market")
    mine = services.circuit_trial_record(actor=actor, court=court, held_on=date(2026, 5, 1), form="hearing",
                                         place=place, department=world["b"], judge=world["j2"], audience=40)
    services.circuit_trial_record(actor=actor, court=court, held_on=date(2026, 5, 2), form="mediation",
                                  place=other, department=world["a"], judge=world["j1"], audience=10)
    j2 = client_for(world["judge2"])
    listing = j2.get(reverse("service:circuit_list")).content.decode()
    assert "前良村" in listing and "陶庄大集" not in listing
    for query in (f"?year=2026&person={world['j2'].pk}", "?year=2025", "?year=abc&form=hearing"):
        assert j2.get(reverse("service:circuit_list") + query).status_code == 200
    po = client_for(world["party_office"])
    for name in ("service:revisit_list", "service:follow_up_list", "service:outreach_list", "service:visit_list",
                 "service:complaint_list", "service:sample_list"):
        assert po.get(reverse(name) + f"?year=2026&person={world['j1'].pk}").status_code == 200
    table = client_for(world["trial_office"]).get(reverse("service:places") + "?year=2026").content.decode()
    assert "沙沟镇" in table and "陶庄镇" in table
    # the member timeline shows the trial they held
    entries = collect_timeline(world["j2"], world["party_office"])
    assert any(e["date"] == mine.held_on and "前良村" in e["label"] for e in entries)


def test_outreach_event_awards_points_once(world):
    from tianping.party.models import PointsEntry

    event = services.outreach_event_record(actor=world["party_office"], court=world["court"],
                                           held_on=date(2026, 6, 1), title="法官进学校", kind="schools",
                                           place="实验小学", participants=[world["j1"], world["j2"]],
                                           department=world["a"], audience=200)
    points = PointsEntry.objects.filter(rule__code="outreach_event", source_id=str(event.pk))
    assert sorted(points.values_list("person_id", flat=True)) == sorted([world["j1"].pk, world["j2"].pk])
    with pytest.raises(ValidationError):
        services.outreach_event_record(actor=world["party_office"], court=world["court"], held_on=date(2026, 6, 2),
                                       title="无人参加", kind="schools", place="x", participants=[],
                                       department=world["a"])


def test_partner_visits_scope_by_branch(world, client_for):
    actor = world["party_office"]
    pair_a = services.partnership_save(actor=actor, court=world["court"], partner="某企业", partner_kind="enterprise",
                                       start=date(2025, 1, 1), branch=world["branch_a"])
    pair_b = services.partnership_save(actor=actor, court=world["court"], partner="某村", partner_kind="village",
                                       start=date(2025, 1, 1), branch=world["branch_b"])
    va = services.partner_visit_record(actor=actor, partnership=pair_a, visited_on=date(2026, 3, 1),
                                       visitors=[world["zw2"]], matters="合同风险")
    vb = services.partner_visit_record(actor=actor, partnership=pair_b, visited_on=date(2026, 3, 2),
                                       visitors=[world["j2"]], matters="宅基地纠纷")
    seen = set(PartnerVisit.objects.visible_to(world["secretary"]).values_list("pk", flat=True))
    assert seen == {va.pk}  # the branch's pairing, though its visitor is not on the roster
    with pytest.raises(ValidationError, match="不在结对期间"):
        services.partner_visit_record(actor=actor, partnership=pair_a, visited_on=date(2024, 3, 1),
                                      visitors=[world["zw2"]], matters="早于结对")
    assert vb.pk not in seen
    page = client_for(world["secretary"]).get(reverse("service:visit_list")).content.decode()
    assert "合同风险" in page and "宅基地纠纷" not in page


def test_branch_page_shows_the_branchs_service_figures(world, record, client_for):
    from tianping.service.models import Rating

    today = timezone.localdate()
    record(world["cases_a"][0], Rating.SATISFIED, name="甲一", day=today)
    record(world["cases_a"][1], Rating.DISSATISFIED, name="甲二", day=today)
    record(world["cases_b"][0], Rating.SATISFIED, name="乙一", day=today)  # 乙 is not on 民一庭党支部's roster
    page = client_for(world["party_office"]).get(reverse("party:organisation_detail", args=[world["branch_a"].pk]))
    panel = page.context["panels"][0]
    values = {f["key"]: f["value"] for f in panel["figures"]}
    assert values["people"] == 2 and values["cases"] == 2 and values["rate"] == "50.00%"
    people_url = next(f["url"] for f in panel["figures"] if f["key"] == "people")
    listing = client_for(world["party_office"]).get(people_url).content.decode()
    assert "甲一" in listing and "甲二" in listing and "乙一" not in listing
