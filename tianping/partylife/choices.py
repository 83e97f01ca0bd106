"""Choices of the organisational-life app."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Audience(models.TextChoices):
    """Who is expected at a meeting of a given type."""

    ROSTER = "roster", _("本组织党员（按当日名册；院级组织为全院在职干警）")
    COMMITTEE = "committee", _("本组织委员（按当日任职）")
    PARTY_MEMBERS = "party_members", _("全院党员")
    ALL_STAFF = "all_staff", _("全院在职干警")
    LEADERSHIP = "leadership", _("党组成员（院领导）")


class TypeLevel(models.TextChoices):
    BRANCH = "branch", _("支部")
    COURT = "court", _("全院")
    ANY = "any", _("支部或全院")


class Frequency(models.TextChoices):
    MONTH = "month", _("每月")
    QUARTER = "quarter", _("每季度")
    YEAR = "year", _("每年")


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("已安排")
    HELD = "held", _("已召开")
    CANCELLED = "cancelled", _("已取消")


class AttendanceStatus(models.TextChoices):
    PENDING = "pending", _("未登记")
    PRESENT = "present", _("出席")
    LATE = "late", _("迟到")
    LEAVE = "leave", _("请假")
    ABSENT = "absent", _("缺席")


ATTENDED = (AttendanceStatus.PRESENT, AttendanceStatus.LATE)


class AttendanceSource(models.TextChoices):
    MANUAL = "manual", _("手工登记")
    QR = "qr", _("扫码签到")
    IMPORT = "import", _("导入")


class ComplianceStatus(models.TextChoices):
    OK = "ok", _("已完成")
    DUE = "due", _("即将到期")
    MISSED = "missed", _("未完成")
    UPCOMING = "upcoming", _("未到期")
