"""The leadership part of the demo (五型五力 assessments, the education summary): seeded on the org demo only (no
cases), so it stays fast; deterministic, idempotent, in several states, with to-dos for the demo accounts."""

from __future__ import annotations

import io
import random
from collections import Counter
from datetime import date

import pytest
from django.db.models import Q
from django.utils import timezone
from faker import Faker

from tianping.annual import demo as annual_demo
from tianping.annual.choices import AssessmentStatus, LeadershipItem
from tianping.annual.models import LeaderAssessment, LeadershipStudy
from tianping.core.management.commands.seed_demo import DemoContext
from tianping.core.views import collect_todo
from tianping.org import demo as org_demo
from tianping.org.models import Person, User

pytestmark = pytest.mark.django_db


def _seed(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    faker = Faker("zh_CN")
    faker.seed_instance(2016)
    ctx = DemoContext(rng=random.Random(2016), faker=faker, stdout=None)
    org_demo.seed(ctx)
    annual_demo.seed(ctx)
    return ctx


def _in_post(court, year):
    return set(Person.objects.filter(court=court, is_leadership=True, hired_on__lte=date(year, 12, 31))
               .filter(Q(left_on__isnull=True) | Q(left_on__gt=date(year, 1, 1))).values_list("pk", flat=True))


def test_the_leadership_demo(tmp_path, settings):
    ctx = _seed(tmp_path, settings)
    court = ctx.data["court"]
    this_year = timezone.localdate().year
    of_2016 = LeaderAssessment.objects.filter(court=court, year=2016)
    # every leader in post in 2016 handed one in, complete (ten grades, texts, a summary)
    assert set(of_2016.values_list("person_id", flat=True)) == _in_post(court, 2016)
    for a in of_2016:
        assert a.status in (AssessmentStatus.SUBMITTED, AssessmentStatus.REVIEWED)
        assert all(a.items[k]["grade"] and a.items[k]["text"] for k in LeadershipItem.values) and a.summary
        assert bool(a.review_grade) == (a.status == AssessmentStatus.REVIEWED)
    states = Counter(LeaderAssessment.objects.filter(court=court).values_list("status", flat=True))
    assert set(states) == set(AssessmentStatus.values)   # every state somewhere
    assert not LeaderAssessment.objects.filter(court=court, year=this_year).exclude(status=AssessmentStatus.DRAFT).exists()

    study = LeadershipStudy.objects.get(court=court, year=2016)
    assert study.topic_list() and study.sessions > 0 and study.hours > 0
    from docx import Document

    att = study.attachments.get()
    with att.file.open("rb") as fh:
        text = "\n".join(p.text for p in Document(io.BytesIO(fh.read())).paragraphs)
    assert study.summary.split("\n\n")[0] in text

    president = User.objects.get(username="president")
    assert any("/leadership/" in i["url"] and "mine" in i["url"] for i in collect_todo(president))
    office = User.objects.get(username="party_office")
    assert any("group=awaiting_review" in i["url"] for i in collect_todo(office))

    before = LeaderAssessment.objects.count()
    annual_demo.seed(ctx)   # idempotent
    assert LeaderAssessment.objects.count() == before and LeadershipStudy.objects.count() == 1
