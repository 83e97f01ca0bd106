"""Demo leadership records of 薛城区人民法院 (synthetic; Faker zh_CN text, no real people):

- the leaders' yearly self-assessments (五型五力) of 2016 (all handed in: most reviewed, one awaiting review), of
  last year (handed in: some reviewed, some awaiting review, some returned for changes — the president's among
  them) and of the present year (drafts of some leaders, the president's included, the others not begun) — so the
  president and the party office find to-dos on their home pages;
- the leadership team's education summary of 2016, with the summary itself attached as a .docx.

Grades, counts and hours come from a random generator of this module's own (seeded), never from the shared one,
so the other apps' records do not move when this module changes. Idempotent: nothing is added when the court
already has an assessment.
"""

from __future__ import annotations

import io
import random
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from tianping.annual.choices import AssessmentStatus, ItemGrade, LeadershipItem, ReviewGrade
from tianping.annual.leadership import leaders_during
from tianping.annual.models import LeaderAssessment, LeadershipStudy, LeadershipStudyAttachment

SEED = 20160516
TOPICS = ["“两学一做”学习教育", "学习贯彻党的十八届六中全会精神", "《关于新形势下党内政治生活的若干准则》",
          "《中国共产党党内监督条例》", "司法体制改革与员额制", "中央八项规定精神", "习近平总书记系列重要讲话",
          "以审判为中心的诉讼制度改革", "人民法庭工作与多元化纠纷解决"]


def _at(rng: random.Random, year: int, month: int) -> datetime:
    """A working-hours moment of the month, never later than now (the demo lives in the present)."""
    moment = timezone.make_aware(datetime.combine(date(year, month, rng.randint(2, 27)),
                                                  time(rng.randint(8, 17), rng.randint(0, 59))))
    return min(moment, timezone.now())


def _items(rng: random.Random, faker: Any, *, complete: bool) -> dict[str, dict[str, str]]:
    grades = [ItemGrade.GOOD] * 6 + [ItemGrade.FAIRLY_GOOD] * 3 + [ItemGrade.FAIR]
    items = {}
    for n, key in enumerate(LeadershipItem.values):
        if not complete and n >= rng.randint(3, 8):
            items[key] = {"grade": "", "text": ""}
            continue
        items[key] = {"grade": str(rng.choice(grades)), "text": faker.paragraph(nb_sentences=rng.randint(2, 4))}
    return items


def _assessment(court: Any, person: Any, year: int, state: str, rng: random.Random, faker: Any,
                reviewer: Any) -> LeaderAssessment:
    handed_in = state != AssessmentStatus.DRAFT
    a = LeaderAssessment(court=court, person=person, year=year, status=state,
                         items=_items(rng, faker, complete=handed_in),
                         summary=faker.paragraph(nb_sentences=rng.randint(4, 7)) if handed_in or rng.random() < .5
                         else "")
    if handed_in:
        a.submitted_at = _at(rng, year + 1 if year < timezone.localdate().year else year, 1)
        a.version = 2
    if state == AssessmentStatus.REVIEWED:
        a.review_grade = rng.choice([ReviewGrade.EXCELLENT, ReviewGrade.EXCELLENT, ReviewGrade.COMPETENT,
                                     ReviewGrade.COMPETENT, ReviewGrade.COMPETENT])
        a.review_comment = faker.paragraph(nb_sentences=2)
        a.reviewed_by, a.reviewed_at, a.version = reviewer, _at(rng, a.submitted_at.year, 2), 3
    elif state == AssessmentStatus.RETURNED:
        a.review_comment = faker.sentence()
        a.reviewed_by, a.reviewed_at, a.version = reviewer, _at(rng, a.submitted_at.year, 2), 3
    a.full_clean()
    return a


def _summary_docx(title: str, paragraphs: list[str]) -> bytes | None:
    try:
        from docx import Document
    except ImportError:
        return None
    doc = Document()
    doc.add_heading(title, level=1)
    for p in paragraphs:
        doc.add_paragraph(p)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def seed(ctx: Any) -> None:
    court = ctx.data.get("court")
    if court is None or LeaderAssessment.objects.filter(court=court).exists():
        return
    from faker import Faker

    rng = random.Random(SEED)
    faker = Faker("zh_CN")
    faker.seed_instance(SEED)
    office = ctx.data.get("users", {}).get("party_office")
    president = ctx.data.get("people", {}).get("president")
    this_year = timezone.localdate().year
    rows = []

    leaders = list(leaders_during(court, 2016))
    waiting = rng.choice(leaders) if leaders else None
    for p in leaders:
        state = AssessmentStatus.SUBMITTED if p == waiting else AssessmentStatus.REVIEWED
        rows.append(_assessment(court, p, 2016, state, rng, faker, office))

    last = this_year - 1
    if last > 2016:
        leaders = list(leaders_during(court, last))
        states = [AssessmentStatus.REVIEWED, AssessmentStatus.SUBMITTED, AssessmentStatus.RETURNED]
        for i, p in enumerate(leaders):
            if p == president:  # returned to the president for changes: the demo's leader has a to-do all year
                state = AssessmentStatus.RETURNED
            else:
                state = states[i % 3] if i < 4 else rng.choice(states[:2])
            rows.append(_assessment(court, p, last, state, rng, faker, office))

    if this_year > 2016:
        for p in leaders_during(court, this_year):
            if p == president or rng.random() < .4:
                rows.append(_assessment(court, p, this_year, AssessmentStatus.DRAFT, rng, faker, office))
    LeaderAssessment.objects.bulk_create(rows)

    topics = rng.sample(TOPICS, rng.randint(4, 6))
    paragraphs = [faker.paragraph(nb_sentences=rng.randint(4, 6)) for _ in range(3)]
    study = LeadershipStudy(court=court, year=2016, sessions=rng.randint(18, 26), topics="\n".join(topics),
                            hours=Decimal(rng.randint(80, 120)) / 2, summary="\n\n".join(paragraphs),
                            updated_by=office)
    study.full_clean()
    study.save()
    body = _summary_docx(f"{court.name}领导班子2016年度学习教育总结", paragraphs)
    if body is not None:
        att = LeadershipStudyAttachment(
            study=study, name="2016年度领导班子学习教育总结.docx", size=len(body),
            content_type="application/zip")
        att.file.save("summary.docx", ContentFile(body), save=False)
        att.save()
