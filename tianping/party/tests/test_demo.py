"""The party part of the demo: organisations, ~110 members at realistic stages, the demo accounts' roles,
dues for 2015–2016; deterministic and idempotent (runs only the org and party seeds, so it stays fast)."""

import random
from collections import Counter
from datetime import date

import pytest
from faker import Faker

from tianping.core.management.commands.seed_demo import DemoContext
from tianping.org import demo as org_demo
from tianping.org.models import User
from tianping.party import demo as party_demo
from tianping.party.models import DuesPayment, PartyMember, PartyOrganisation, Stage
from tianping.party.selectors import branches_led_by, party_member_on

pytestmark = pytest.mark.django_db


def _seed(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    faker = Faker("zh_CN")
    faker.seed_instance(2016)
    ctx = DemoContext(rng=random.Random(2016), faker=faker, stdout=None)
    org_demo.seed(ctx)
    party_demo.seed(ctx)
    return ctx


def test_demo_party(tmp_path, settings):
    _seed(tmp_path, settings)
    court = User.objects.get(username="party_office").court
    names = set(PartyOrganisation.objects.filter(court=court).values_list("name", flat=True))
    assert {"机关党委", "综合党支部", "沙沟法庭党支部", "临山法庭党支部", "陶庄法庭党支部", "邹坞法庭党支部"} <= names
    brands = dict(PartyOrganisation.objects.filter(court=court).values_list("name", "brand_name"))
    assert brands["沙沟法庭党支部"] == "维护老年人合法权益" and brands["陶庄法庭党支部"] == "六六多元调解"
    assert brands["临山法庭党支部"] == "法制服务进村居" and brands["邹坞法庭党支部"] == "法制宣传赶大集"
    assert brands["综合党支部"] == "争创雷锋式党支部"
    members = PartyMember.objects.filter(court=court)
    assert 100 <= members.count() <= 120
    stages = Counter(members.values_list("stage", flat=True))
    assert all(stages[s] > 0 for s in Stage.values)
    secretary = User.objects.get(username="secretary_shagou")
    assert [b.name for b in branches_led_by(secretary)] == ["沙沟法庭党支部"]
    judge = User.objects.get(username="judge_demo")
    assert judge.person.party_member.stage == Stage.FULL
    assert party_member_on(judge.person, date.today())
    assert DuesPayment.objects.filter(court=court, month__year=2015).count() > 50
    assert DuesPayment.objects.filter(court=court, month__year=2016).count() > 50
    every = PartyOrganisation.objects.filter(court=court, kind="branch")
    assert all(b.departments.exists() for b in every)


def test_demo_party_is_idempotent(tmp_path, settings):
    _seed(tmp_path, settings)
    before = (PartyMember.objects.count(), DuesPayment.objects.count(), PartyOrganisation.objects.count())
    _seed(tmp_path, settings)
    assert (PartyMember.objects.count(), DuesPayment.objects.count(), PartyOrganisation.objects.count()) == before
