"""The centre's demo: roster, studios, the intake account and a year of disputes in every state."""

from __future__ import annotations

import io
import random

import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def _ctx():
    from faker import Faker

    from tianping.core.management.commands.seed_demo import DemoContext

    faker = Faker("zh_CN")
    faker.seed_instance(2016)
    return DemoContext(rng=random.Random(2016), faker=faker, stdout=io.StringIO())


def test_demo_has_every_state_and_is_idempotent(client):
    from tianping.mediation import demo as mediation_demo
    from tianping.mediation.models import CentreStaff, Dispute, Mediator, ProvinceStatistic, Status, Studio
    from tianping.mediation.todo import todo_items
    from tianping.org import demo as org_demo
    from tianping.org.models import User

    ctx = _ctx()
    org_demo.seed(ctx)
    mediation_demo.seed(ctx)
    states = set(Dispute.objects.values_list("status", flat=True))
    # 协议已回写案件 belongs to mediations entrusted during litigation, which the demo does not generate yet
    assert states == set(Status.values) - {Status.CASE_CLOSED}
    numbers = list(Dispute.objects.values_list("number", flat=True))
    assert len(numbers) == len(set(numbers)) > 150
    mediator_demo = User.objects.get(username="mediator_demo")
    entry = Mediator.objects.get(user=mediator_demo)
    assert entry.name == mediator_demo.person.name
    assert Dispute.objects.visible_to(mediator_demo).count() == Dispute.objects.filter(mediator=entry).count() > 0
    levels = {i["level"] for i in todo_items(mediator_demo)}
    assert {"warning", "danger"} <= levels
    traffic = Studio.objects.get(is_traffic=True)
    assert traffic.name == f"{traffic.judge.name}法官工作室"
    assert traffic.judge.user.username == "judge_demo"
    assert CentreStaff.objects.get(user__username="centre_demo").can_confirm
    # the centre's desk is the 诉调对接中心 role (issue 12: it appeared as 调解员), in the confirmation room too
    from tianping.core.policy import can
    from tianping.core.roles import Role, user_roles

    centre = User.objects.get(username="centre_demo")
    assert user_roles(centre) == {Role.CENTRE}
    assert Dispute.objects.visible_to(centre).count() == Dispute.objects.count()
    assert can(centre, "add", Dispute) and can(centre, "confirm", Dispute) and can(centre, "add", Mediator)
    assert ProvinceStatistic.objects.filter(province="山东", is_demo=True).count() >= 4
    # 沙沟人民法庭's service station desk (issue 17): its station's disputes, a 404 for the centre's and others'
    from django.urls import reverse

    station = User.objects.get(username="station_shagou")
    assert user_roles(station) == {Role.CENTRE}
    assert station.person.department.name == "沙沟人民法庭"
    shagou = CentreStaff.objects.get(user=station).site.department
    own = Dispute.objects.filter(intake_department=shagou)
    assert set(Dispute.objects.visible_to(station).values_list("pk", flat=True)) == set(own.values_list("pk", flat=True))
    assert own.count() > 0
    client.force_login(station)
    assert client.get(reverse("mediation:dispute_detail", args=[own.first().pk])).status_code == 200
    elsewhere = [Dispute.objects.filter(intake_department__isnull=True).first(),
                 Dispute.objects.exclude(intake_department=shagou).filter(intake_department__isnull=False).first()]
    for other in elsewhere:
        assert client.get(reverse("mediation:dispute_detail", args=[other.pk])).status_code == 404
    listed = client.get(reverse("mediation:dispute_list")).content.decode()
    assert own.order_by("-registered_on", "-id").first().number in listed
    count = Dispute.objects.count()
    again = _ctx()
    org_demo.seed(again)
    mediation_demo.seed(again)
    assert Dispute.objects.count() == count
