"""The vocabulary of the leadership's yearly assessment (五型五力)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class LeadershipItem(models.TextChoices):
    """The five types (五型) and five abilities (五力) of the leadership-building campaign the seed describes:
    建设"学习型、务实型、民主型、亲和型、廉洁型"，增强"战斗力、凝聚力、向心力、号召力、创新力"."""

    LEARNING = "learning", _("学习型")
    PRAGMATIC = "pragmatic", _("务实型")
    DEMOCRATIC = "democratic", _("民主型")
    APPROACHABLE = "approachable", _("亲和型")
    INCORRUPT = "incorrupt", _("廉洁型")
    COMBAT = "combat", _("战斗力")
    COHESION = "cohesion", _("凝聚力")
    CENTRIPETAL = "centripetal", _("向心力")
    APPEAL = "appeal", _("号召力")
    INNOVATION = "innovation", _("创新力")


FIVE_TYPES = (LeadershipItem.LEARNING, LeadershipItem.PRAGMATIC, LeadershipItem.DEMOCRATIC,
              LeadershipItem.APPROACHABLE, LeadershipItem.INCORRUPT)
FIVE_ABILITIES = (LeadershipItem.COMBAT, LeadershipItem.COHESION, LeadershipItem.CENTRIPETAL,
                  LeadershipItem.APPEAL, LeadershipItem.INNOVATION)


class ItemGrade(models.TextChoices):
    """A self-grade per item, the four grades of a democratic appraisal (民主测评: 好、较好、一般、差)."""

    GOOD = "good", _("好")
    FAIRLY_GOOD = "fairly_good", _("较好")
    FAIR = "fair", _("一般")
    POOR = "poor", _("差")


class ReviewGrade(models.TextChoices):
    """The party group's grade of a leader's year (the four grades of the yearly assessment of cadres)."""

    EXCELLENT = "excellent", _("优秀")
    COMPETENT = "competent", _("称职")
    BASICALLY_COMPETENT = "basically_competent", _("基本称职")
    INCOMPETENT = "incompetent", _("不称职")


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交，待评议")
    RETURNED = "returned", _("退回修改")
    REVIEWED = "reviewed", _("已评议")


EDITABLE = (AssessmentStatus.DRAFT, AssessmentStatus.RETURNED)
