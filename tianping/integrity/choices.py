from django.db import models
from django.utils.translation import gettext_lazy as _


class Handover(models.TextChoices):
    IN_PERSON = "in_person", _("当面")
    MAIL = "mail", _("邮寄")
    ELECTRONIC = "electronic", _("电子送达")


class Mechanism(models.TextChoices):
    EDUCATION = "education", _("教育")
    PREVENTION = "prevention", _("防范")
    SUPPORT = "support", _("保障")
    FAMILY = "family", _("助廉")
    SUPERVISION = "supervision", _("监督")
    DISCIPLINE = "discipline", _("惩戒")


class MeasureCategory(models.TextChoices):
    """Finer kinds within a mechanism, where the court reports them separately."""

    GENERAL = "", _("一般")
    LECTURE = "lecture", _("廉政讲堂")
    WARNING = "warning", _("警示教育")
    HOLIDAY_REMINDER = "holiday_reminder", _("节前提醒")
    RISK_POSTS = "risk_posts", _("廉政风险岗位清单")
    INSPECTION = "inspection", _("督查巡查")
    COMPLAINT = "complaint", _("投诉举报")
    CASE = "case", _("执纪审查")
    SANCTION = "sanction", _("处分")


class Relation(models.TextChoices):
    SPOUSE = "spouse", _("配偶")
    PARENT = "parent", _("父母")
    CHILD = "child", _("子女")
    SIBLING = "sibling", _("兄弟姐妹")
    OTHER = "other", _("其他亲属")


class FamilyActivityKind(models.TextChoices):
    VISIT = "visit", _("家属走进法院")
    HEARING = "hearing", _("旁听庭审")
    MEETING = "meeting", _("家庭助廉座谈会")


class AwardKind(models.TextChoices):
    HELPER = "helper", _("廉内助")
    FAMILY = "family", _("廉洁家庭")


class InterferenceKind(models.TextChoices):
    """三个规定 (2015): the three kinds of record."""

    LEADER = "leader", _("领导干部干预")
    INSIDER = "insider", _("司法机关内部人员过问")
    CONTACT = "contact", _("不当接触交往")
