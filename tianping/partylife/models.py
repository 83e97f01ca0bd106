"""Organisational life: meeting types and duties (data), campaigns, meetings with attendance, speakers,
follow-up tasks and attachments, and calendar feed tokens."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tianping.core.models import CourtScopedModel, CourtScopedQuerySet, TimeStampedModel
from tianping.core.policy import PolicyQuerySet
from tianping.core.validators import validate_not_future
from tianping.partylife.choices import (
    ATTENDED,
    AttendanceSource,
    AttendanceStatus,
    Audience,
    Frequency,
    MeetingStatus,
    TypeLevel,
)


class DutyRule(TimeStampedModel):
    """A required duty of organisational life and its minimum frequency (a setting, e.g. 支委会 monthly).

    Rows are data: a province that asks for 党课 twice a quarter changes `min_count`, not the code."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=40)
    frequency = models.CharField(_("频次"), max_length=10, choices=Frequency.choices)
    min_count = models.PositiveSmallIntegerField(_("每期至少次数"), default=1)
    org_kinds = models.CharField(_("适用组织类型"), max_length=100,
                                 help_text=_("党组织类型代码，多个用英文逗号分隔"))
    requires_committee = models.BooleanField(_("仅限设支委会的支部"), default=False)
    warn_days = models.PositiveSmallIntegerField(_("提前提醒天数"), default=10,
                                                 help_text=_("本期截止前这么多天内仍未完成的显示为“即将到期”"))
    active = models.BooleanField(_("启用"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=100)

    class Meta:
        verbose_name = _("组织生活频次要求")
        verbose_name_plural = _("组织生活频次要求")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name

    def kinds(self) -> list[str]:
        return [k.strip() for k in self.org_kinds.split(",") if k.strip()]


class MeetingType(TimeStampedModel):
    """A kind of meeting or activity (支部党员大会, 党课, 周一例会点名 …), as data that can be extended."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=40, unique=True)
    level = models.CharField(_("组织层级"), max_length=10, choices=TypeLevel.choices, default=TypeLevel.BRANCH)
    audience = models.CharField(_("应到人员"), max_length=20, choices=Audience.choices, default=Audience.ROSTER)
    duty = models.ForeignKey(DutyRule, verbose_name=_("计入的组织生活要求"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="meeting_types")
    votes = models.BooleanField(_("表决事项（须核对法定人数）"), default=False)
    is_lecture = models.BooleanField(_("廉政大讲堂"), default=False)
    has_speaker = models.BooleanField(_("有主讲人"), default=False)
    study_hours = models.DecimalField(_("默认学时"), max_digits=4, decimal_places=1, default=Decimal("0"))
    awards_points = models.BooleanField(_("计入积分"), default=True)
    aliases = models.CharField(_("别名"), max_length=200, blank=True,
                               help_text=_("导入时也认这些名称，多个用顿号分隔"))
    active = models.BooleanField(_("启用"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=100)

    class Meta:
        verbose_name = _("会议类型")
        verbose_name_plural = _("会议类型")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class Campaign(CourtScopedModel):
    """A study or education campaign (两学一做, 三严三实 …) that meetings can belong to."""

    name = models.CharField(_("名称"), max_length=60)
    starts_on = models.DateField(_("开始日期"), null=True, blank=True)
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)
    description = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("学习教育活动")
        verbose_name_plural = _("学习教育活动")
        ordering = ["court", "-starts_on", "name"]
        constraints = [
            models.UniqueConstraint(fields=["court", "name"], name="campaign_unique_name_per_court",
                                    violation_error_message=_("本院已有同名活动。")),
        ]

    def __str__(self) -> str:
        return self.name


class MeetingQuerySet(CourtScopedQuerySet):
    def scoped_to(self, user, action: str = "view"):
        """The rows a user's scope reaches (whether the action is allowed at all is partylife/policy.py's):
        party office and leaders the whole court; branch secretaries their branches and the groups under
        them; everyone the meetings they were expected at, spoke at or hosted."""
        from tianping.partylife.scope import managed_org_ids, reads_whole_court

        qs = super().scoped_to(user, action)
        if user is None or not user.is_authenticated:
            return qs.none()
        if action == "view" and reads_whole_court(user):
            return qs
        cond = Q(pk__in=[])
        org_ids = managed_org_ids(user)
        if org_ids:
            cond |= Q(organisation_id__in=org_ids)
        if action == "view" and user.person_id:
            # one subquery per relation, not a join of every attendance and speaker row (PostgreSQL took 0.7 s
            # to count a branch secretary's meetings through the join of the demo's 132,000 attendances)
            cond |= (Q(pk__in=Attendance.objects.filter(person_id=user.person_id).values("meeting_id"))
                     | Q(pk__in=MeetingSpeaker.objects.filter(person_id=user.person_id).values("meeting_id"))
                     | Q(host_id=user.person_id))
        return qs.filter(cond)


class MeetingRowQuerySet(PolicyQuerySet):
    """Rows that belong to one meeting (attendance, speakers, tasks, attachments): in scope when their meeting
    is (for "view" the meetings the user reads, for other actions the meetings the user manages)."""

    def scoped_to(self, user, action: str = "view"):
        return self.filter(meeting__in=Meeting.objects.scoped_to(user, action).values("pk"))


class Meeting(CourtScopedModel):
    """One meeting or activity of a party organisation: when and where, who hosted and spoke, who was
    expected and who came, the minutes, resolutions and follow-up tasks."""

    meeting_type = models.ForeignKey(MeetingType, verbose_name=_("会议类型"), on_delete=models.PROTECT,
                                     related_name="meetings")
    organisation = models.ForeignKey("party.PartyOrganisation", verbose_name=_("组织"), on_delete=models.PROTECT,
                                     related_name="meetings")
    date = models.DateField(_("日期"), db_index=True)
    start_time = models.TimeField(_("开始时间"))
    end_time = models.TimeField(_("结束时间"))
    place = models.CharField(_("地点"), max_length=100, blank=True)
    host = models.ForeignKey("org.Person", verbose_name=_("主持人"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="hosted_meetings")
    topic = models.CharField(_("主题"), max_length=200)
    campaign = models.ForeignKey(Campaign, verbose_name=_("学习教育活动"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="meetings")
    status = models.CharField(_("状态"), max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED)
    study_hours = models.DecimalField(_("学时"), max_digits=4, decimal_places=1, default=Decimal("0"))
    minutes = models.TextField(_("会议记录"), blank=True)
    resolutions = models.TextField(_("决议事项"), blank=True)
    signin_nonce = models.CharField(max_length=16, default="", blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("会议活动")
        verbose_name_plural = _("会议活动")
        ordering = ["-date", "-start_time"]
        indexes = [models.Index(fields=["court", "date"]), models.Index(fields=["organisation", "date"])]
        constraints = [
            models.CheckConstraint(condition=Q(end_time__gt=models.F("start_time")), name="meeting_end_after_start",
                                   violation_error_message=_("结束时间必须晚于开始时间。")),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.meeting_type.name}"

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        if self.organisation_id and self.court_id and self.organisation.court_id != self.court_id:
            errors["organisation"] = _("组织必须属于本院。")
        if self.host and self.court_id and self.host.court_id != self.court_id:
            errors["host"] = _("主持人必须是本院人员。")
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            errors["end_time"] = _("结束时间必须晚于开始时间，请核对。")
        if self.status == MeetingStatus.HELD:
            try:
                validate_not_future(self.date)
            except ValidationError as exc:
                errors["status"] = [_("标为“已召开”的会议：%(m)s") % {"m": " ".join(exc.messages)}]
        if errors:
            raise ValidationError(errors)

    def starts_at(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.date, self.start_time))

    def ends_at(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.date, self.end_time))

    def signin_window(self) -> tuple[datetime, datetime]:
        before = timedelta(minutes=settings.TIANPING_SIGNIN_OPENS_MINUTES)
        return self.starts_at() - before, self.ends_at()

    def quorum(self) -> dict:
        """Quorum of a voting meeting: more than half of the members with a vote (full members) present."""
        rows = list(self.attendances.filter(expected=True, has_vote=True).values_list("status", flat=True))
        voters = len(rows)
        present = sum(1 for s in rows if s in ATTENDED)
        needed = voters // 2 + 1
        return {"voters": voters, "present": present, "needed": needed,
                "reached": voters > 0 and present >= needed}


class Attendance(TimeStampedModel):
    """One person's attendance at one meeting: expected (from the roster on the day) or a guest."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("会议"), on_delete=models.CASCADE,
                                related_name="attendances")
    person = models.ForeignKey("org.Person", verbose_name=_("人员"), on_delete=models.PROTECT,
                               related_name="meeting_attendances")
    expected = models.BooleanField(_("应到"), default=True)
    has_vote = models.BooleanField(_("有表决权"), default=False, help_text=_("会议当日为正式党员"))
    status = models.CharField(_("出勤"), max_length=10, choices=AttendanceStatus.choices,
                              default=AttendanceStatus.PENDING)
    reason = models.CharField(_("请假事由"), max_length=200, blank=True)
    signed_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    source = models.CharField(_("登记方式"), max_length=10, choices=AttendanceSource.choices,
                              default=AttendanceSource.MANUAL)

    objects = MeetingRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("出勤")
        verbose_name_plural = _("出勤")
        ordering = ["meeting", "person__name"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="attendance_unique_person",
                                    violation_error_message=_("此人已在本次会议的出勤名单中。")),
        ]
        indexes = [models.Index(fields=["person", "status"])]

    def __str__(self) -> str:
        return f"{self.person} {self.get_status_display()}"

    def clean(self) -> None:
        super().clean()
        if self.status == AttendanceStatus.LEAVE and not self.reason.strip():
            raise ValidationError({"reason": _("请假须填写事由。")})


class MeetingSpeaker(TimeStampedModel):
    """A speaker at a meeting: a member of staff, or an invited outside lecturer (name and unit)."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("会议"), on_delete=models.CASCADE, related_name="speakers")
    person = models.ForeignKey("org.Person", verbose_name=_("本院人员"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="meeting_talks")
    external_name = models.CharField(_("外请主讲人"), max_length=40, blank=True)
    external_unit = models.CharField(_("主讲人单位"), max_length=100, blank=True)
    title = models.CharField(_("讲题"), max_length=200, blank=True)

    objects = MeetingRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("主讲人")
        verbose_name_plural = _("主讲人")
        ordering = ["meeting", "id"]
        constraints = [
            models.CheckConstraint(
                condition=((Q(person__isnull=False) & Q(external_name=""))
                           | (Q(person__isnull=True) & ~Q(external_name=""))),
                name="speaker_person_or_external",
                violation_error_message=_("主讲人须为本院人员或外请人员（填写姓名和单位），二者选一。")),
        ]

    def __str__(self) -> str:
        if self.person_id:
            return str(self.person)
        return f"{self.external_name}（{self.external_unit}）" if self.external_unit else self.external_name


class FollowUpTask(TimeStampedModel):
    """A follow-up task decided at a meeting, with an owner and a due date."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("会议"), on_delete=models.CASCADE, related_name="tasks")
    description = models.CharField(_("任务"), max_length=300)
    owner = models.ForeignKey("org.Person", verbose_name=_("责任人"), on_delete=models.PROTECT,
                              related_name="meeting_tasks")
    due_on = models.DateField(_("完成期限"))
    done_on = models.DateField(_("完成日期"), null=True, blank=True)

    objects = MeetingRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("跟进任务")
        verbose_name_plural = _("跟进任务")
        ordering = ["done_on", "due_on"]

    def __str__(self) -> str:
        return self.description


def attachment_path(instance, filename: str) -> str:
    return f"partylife/{instance.meeting.court_id}/{instance.meeting_id}/{secrets.token_hex(8)}-{filename[-80:]}"


class Attachment(TimeStampedModel):
    """A photo or PDF attached to a meeting record (type checked by its first bytes, size limited)."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("会议"), on_delete=models.CASCADE,
                                related_name="attachments")
    file = models.FileField(_("文件"), upload_to=attachment_path, max_length=300)
    original_name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(_("类型"), max_length=60)
    size = models.PositiveIntegerField(_("大小（字节）"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("上传人"), null=True,
                                    on_delete=models.SET_NULL, related_name="+")

    objects = MeetingRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["meeting", "id"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class CalendarFeed(TimeStampedModel):
    """A user's secret calendar (.ics) address; regenerating the token revokes the old address."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="partylife_feed")
    token = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("日历订阅")
        verbose_name_plural = _("日历订阅")

    def __str__(self) -> str:
        return f"{self.user}"

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(32)
