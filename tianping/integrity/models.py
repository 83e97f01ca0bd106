"""The integrity desk (廉政, the seed's 秉持公心): the judge's letter (法官寄语) handed out with every filed case
and its versioned templates, the register of the six integrity mechanisms, family integrity work and the
三个规定 records with the judges' monthly reports.

Dependency direction: integrity → trials (a letter belongs to a case), party/partylife (a measure's branch and
education lecture) and org. Trials tells integrity about filed cases through `tianping.trials.hooks`.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tianping.core.models import CourtScopedModel, CourtScopedQuerySet, TimeStampedModel
from tianping.core.policy import PolicyQuerySet
from tianping.core.validators import validate_not_future, validate_phone
from tianping.integrity.choices import (
    AwardKind,
    FamilyActivityKind,
    Handover,
    InterferenceKind,
    MeasureCategory,
    Mechanism,
    Relation,
)

# placeholders a template body may use, and what fills them
PLACEHOLDERS = {
    "法院": _("法院名称"),
    "案号": _("案号"),
    "立案日期": _("立案日期"),
    "承办部门": _("承办部门"),
    "承办人": _("承办法官"),
    "投诉电话": _("投诉电话"),
}
_PLACEHOLDER_RE = re.compile(r"\{([^{}]*)\}")
# a complaint line may be a landline, a mobile or a short hotline such as 12368
_HOTLINE_RE = re.compile(r"^[0-9][0-9-]{3,18}[0-9]$")


def _roles(user: Any) -> set[str]:
    from tianping.core.roles import user_roles

    return user_roles(user)


class LetterTemplateQuerySet(CourtScopedQuerySet["LetterTemplate"]):
    def in_force(self, court_id: int, day: date) -> LetterTemplate | None:
        """The version in force on `day`: the latest whose effective date is on or before it."""
        return self.filter(court_id=court_id, effective_from__lte=day).order_by("-effective_from").first()


class LetterTemplate(CourtScopedModel):
    """One version of the court's 法官寄语 (the letter handed to the parties with every filed case). Data kept
    by the party office; a version is in force from its effective date until the next version's. A version
    that has issued letters is frozen: a changed text is a new version, so old letters keep theirs."""

    version = models.PositiveIntegerField(_("版本号"), editable=False)
    title = models.CharField(_("标题"), max_length=60, default="法官寄语")
    body = models.TextField(_("正文"), help_text=_("可用占位符：{法院} {案号} {立案日期} {承办部门} {承办人} {投诉电话}；"
                                                 "空行分段"))
    complaint_phone = models.CharField(_("投诉电话"), max_length=30)
    effective_from = models.DateField(_("启用日期"))
    note = models.CharField(_("修订说明"), max_length=200, blank=True)

    objects = LetterTemplateQuerySet.as_manager()

    class Meta:
        verbose_name = _("法官寄语模板")
        verbose_name_plural = _("法官寄语模板")
        ordering = ["-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["court", "effective_from"], name="lettertemplate_unique_day",
                                    violation_error_message=_("本院已有同一天启用的模板版本，请换一个启用日期。")),
            models.UniqueConstraint(fields=["court", "version"], name="lettertemplate_unique_version"),
        ]

    def __str__(self) -> str:
        return f"{self.title}（第 {self.version} 版，{self.effective_from:%Y-%m-%d} 起）"

    def clean(self) -> None:
        super().clean()
        unknown = sorted({p for p in _PLACEHOLDER_RE.findall(self.body or "") if p not in PLACEHOLDERS})
        if unknown:
            raise ValidationError({"body": _("正文中的占位符 %(p)s 无法识别；可用的有：%(k)s。") % {
                "p": "、".join("{" + p + "}" for p in unknown), "k": "、".join("{" + k + "}" for k in PLACEHOLDERS)}})
        if self.complaint_phone and not _HOTLINE_RE.match(self.complaint_phone):
            raise ValidationError({"complaint_phone": _("投诉电话只能由数字和“-”组成（5–20 位），如 0632-4412345 或 12368。")})

    def fill(self, values: dict[str, str]) -> str:
        return _PLACEHOLDER_RE.sub(lambda m: values.get(m.group(1), m.group(0)), self.body)


class JudgeLetterQuerySet(CourtScopedQuerySet["JudgeLetter"]):
    pass


class JudgeLetter(CourtScopedModel):
    """The 法官寄语 issued with one filed case: dated the filing date, from the template version in force that
    day, and how the filing desk handed it over. Exactly one per case (the unique case)."""

    case = models.OneToOneField("trials.Case", verbose_name=_("案件"), on_delete=models.PROTECT,
                                related_name="judge_letter")
    template = models.ForeignKey(LetterTemplate, verbose_name=_("模板版本"), on_delete=models.PROTECT,
                                 related_name="letters")
    issued_on = models.DateField(_("发放日期"))
    handover = models.CharField(_("发放方式"), max_length=20, choices=Handover.choices, blank=True)
    handed_over_on = models.DateField(_("交付日期"), null=True, blank=True, validators=[validate_not_future])
    print_count = models.PositiveIntegerField(_("打印次数"), default=0)
    last_printed_at = models.DateTimeField(_("最近打印时间"), null=True, blank=True)

    objects = JudgeLetterQuerySet.as_manager()

    class Meta:
        verbose_name = _("法官寄语")
        verbose_name_plural = _("法官寄语")
        ordering = ["-issued_on", "-id"]
        indexes = [models.Index(fields=["court", "issued_on"], name="judgeletter_court_issued")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.issued_on:%Y-%m-%d}"


# --- the six mechanisms ----------------------------------------------------------------------------------
class MeasureQuerySet(CourtScopedQuerySet["Measure"]):
    def scoped_to(self, user: Any, action: str = "view") -> MeasureQuerySet:
        """The court's measures; 惩戒 (discipline) entries only for the discipline role (纪检监察)."""
        from tianping.core.roles import Role

        base = super().scoped_to(user, action)
        if Role.DISCIPLINE not in _roles(user):
            base = base.exclude(mechanism=Mechanism.DISCIPLINE)
        return base


class Measure(CourtScopedModel):
    """One measure under one of the six integrity mechanisms (教育、防范、保障、助廉、监督、惩戒): a lecture, a
    warning session, a holiday reminder, a risk-post list, an inspection, a disciplinary case …"""

    mechanism = models.CharField(_("机制"), max_length=20, choices=Mechanism.choices)
    category = models.CharField(_("类别"), max_length=20, choices=MeasureCategory.choices, blank=True)
    title = models.CharField(_("名称"), max_length=120)
    department = models.ForeignKey("org.Department", verbose_name=_("负责部门"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    branch = models.ForeignKey("party.PartyOrganisation", verbose_name=_("负责党组织"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    start_on = models.DateField(_("日期"), validators=[validate_not_future])
    end_on = models.DateField(_("截止日期"), null=True, blank=True, help_text=_("持续一段时间的措施填写"))
    participants = models.CharField(_("参加人员"), max_length=300, blank=True)
    participant_count = models.PositiveIntegerField(_("参加人数"), null=True, blank=True,
                                                    validators=[MaxValueValidator(10000)])
    outcome = models.TextField(_("效果与结果"), blank=True)
    lecture = models.ForeignKey("partylife.Meeting", verbose_name=_("廉政大讲堂"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+",
                                limit_choices_to={"meeting_type__is_lecture": True},
                                help_text=_("教育措施可关联组织生活中已登记的廉政大讲堂，不必重复登记"))
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = MeasureQuerySet.as_manager()

    class Meta:
        verbose_name = _("廉政机制措施")
        verbose_name_plural = _("廉政机制措施")
        ordering = ["-start_on", "-id"]
        indexes = [models.Index(fields=["court", "mechanism", "start_on"], name="measure_court_mech_day")]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        if self.end_on and self.start_on and self.end_on < self.start_on:
            errors["end_on"] = _("截止日期不能早于开始日期。")
        if self.lecture_id and self.mechanism != Mechanism.EDUCATION:
            errors["lecture"] = _("只有教育类措施可以关联廉政大讲堂。")
        if self.lecture is not None and self.court_id and self.lecture.court_id != self.court_id:
            errors["lecture"] = _("关联的讲堂必须是本院的。")
        if self.department is not None and self.court_id and self.department.court_id != self.court_id:
            errors["department"] = _("负责部门必须属于本院。")
        if self.branch is not None and self.court_id and self.branch.court_id != self.court_id:
            errors["branch"] = _("负责党组织必须属于本院。")
        if errors:
            raise ValidationError(errors)

    @property
    def is_discipline(self) -> bool:
        return self.mechanism == Mechanism.DISCIPLINE


class MeasureAttachmentQuerySet(PolicyQuerySet["MeasureAttachment"]):
    def scoped_to(self, user: Any, action: str = "view") -> MeasureAttachmentQuerySet:
        return self.filter(measure__in=Measure.objects.visible_to(user, "view"))


def _measure_upload(instance: MeasureAttachment, filename: str) -> str:
    import secrets

    from django.utils import timezone

    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"integrity/measures/{instance.measure_id}/{timezone.localdate():%Y%m%d}-{secrets.token_hex(6)}.{ext}"


class MeasureAttachment(TimeStampedModel):
    """Evidence of a measure (a notice, a photo, a signed list), checked by core.uploads on the way in."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("文件"), upload_to=_measure_upload)
    name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(max_length=80)
    size = models.PositiveIntegerField(default=0)

    objects = MeasureAttachmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("措施附件")
        verbose_name_plural = _("措施附件")

    def __str__(self) -> str:
        return self.name


# --- family integrity (家庭助廉) -----------------------------------------------------------------------------
class FamilyQuerySet(CourtScopedQuerySet[Any]):
    """The party office, discipline and leaders read the court's family records; a member of staff their own."""

    person_field = "person"

    def scoped_to(self, user: Any, action: str = "view") -> Any:
        from tianping.core.roles import Role

        base = super().scoped_to(user, action)
        if _roles(user) & {Role.PARTY_OFFICE, Role.DISCIPLINE, Role.LEADER}:
            return base
        person_id = getattr(user, "person_id", None)
        if person_id:
            return base.filter(**{f"{self.person_field}_id": person_id})
        return base.none()


class FamilyContact(CourtScopedModel):
    """A family member of a member of staff whom the court contacts for family integrity work."""

    person = models.ForeignKey("org.Person", verbose_name=_("干警"), on_delete=models.PROTECT,
                               related_name="family_contacts")
    name = models.CharField(_("家属姓名"), max_length=40)
    relation = models.CharField(_("关系"), max_length=20, choices=Relation.choices)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True, validators=[validate_phone])
    note = models.CharField(_("备注"), max_length=200, blank=True)

    objects = FamilyQuerySet.as_manager()

    class Meta:
        verbose_name = _("家属联系人")
        verbose_name_plural = _("家属联系人")
        ordering = ["person__name", "name"]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_relation_display()}）"


def _pledge_upload(instance: FamilyPledge, filename: str) -> str:
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"integrity/pledges/{instance.year}/{instance.person_id}.{ext}"


class FamilyPledge(CourtScopedModel):
    """The family integrity pledge (家庭助廉承诺书) a member of staff and a family member sign for a year."""

    person = models.ForeignKey("org.Person", verbose_name=_("干警"), on_delete=models.PROTECT,
                               related_name="family_pledges")
    year = models.PositiveIntegerField(_("签订年度"), validators=[MinValueValidator(2000), MaxValueValidator(2999)])
    signed_on = models.DateField(_("签订日期"), validators=[validate_not_future])
    family_name = models.CharField(_("家属姓名"), max_length=40)
    relation = models.CharField(_("关系"), max_length=20, choices=Relation.choices)
    scan = models.FileField(_("承诺书扫描件"), upload_to=_pledge_upload, blank=True)

    objects = FamilyQuerySet.as_manager()

    class Meta:
        verbose_name = _("家庭助廉承诺书")
        verbose_name_plural = _("家庭助廉承诺书")
        ordering = ["-year", "person__name"]
        constraints = [models.UniqueConstraint(fields=["person", "year"], name="familypledge_unique_year",
                                               violation_error_message=_("该干警本年度已签订承诺书。"))]

    def __str__(self) -> str:
        return f"{self.year} {self.family_name}"

    def clean(self) -> None:
        super().clean()
        if self.signed_on and self.year and abs(self.signed_on.year - self.year) > 1:
            raise ValidationError({"signed_on": _("签订日期 %(d)s 与签订年度 %(y)d 相差太远，请核对。") % {
                "d": self.signed_on.isoformat(), "y": self.year}})
        if self.person_id and self.court_id and self.person.court_id != self.court_id:
            raise ValidationError({"person": _("干警必须是本院人员。")})


class FamilyActivityQuerySet(CourtScopedQuerySet["FamilyActivity"]):
    def scoped_to(self, user: Any, action: str = "view") -> FamilyActivityQuerySet:
        from tianping.core.roles import Role

        base = super().scoped_to(user, action)
        if _roles(user) & {Role.PARTY_OFFICE, Role.DISCIPLINE, Role.LEADER}:
            return base
        return base.none()


class FamilyActivity(CourtScopedModel):
    """Families at the court: a visit, a hearing watched (with the case number) or a family meeting."""

    kind = models.CharField(_("类型"), max_length=20, choices=FamilyActivityKind.choices)
    held_on = models.DateField(_("日期"), validators=[validate_not_future])
    title = models.CharField(_("名称"), max_length=120)
    people = models.ManyToManyField("org.Person", verbose_name=_("参加家属所在干警"), blank=True, related_name="+")
    family_count = models.PositiveIntegerField(_("参加家属人数"), default=0, validators=[MaxValueValidator(1000)])
    case_number = models.CharField(_("旁听案件案号"), max_length=60, blank=True)
    note = models.TextField(_("情况"), blank=True)

    objects = FamilyActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("家庭助廉活动")
        verbose_name_plural = _("家庭助廉活动")
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        if self.kind == FamilyActivityKind.HEARING and not self.case_number:
            raise ValidationError({"case_number": _("旁听庭审须填写案号。")})


class FamilyAward(CourtScopedModel):
    """A year's 廉内助 or 廉洁家庭 selection result (the selection itself may come with the honours work)."""

    year = models.PositiveIntegerField(_("年度"), validators=[MinValueValidator(2000), MaxValueValidator(2999)])
    kind = models.CharField(_("称号"), max_length=20, choices=AwardKind.choices)
    person = models.ForeignKey("org.Person", verbose_name=_("干警"), on_delete=models.PROTECT, related_name="+")
    family_name = models.CharField(_("家属姓名"), max_length=40, blank=True)
    note = models.CharField(_("事迹摘要"), max_length=300, blank=True)

    objects = FamilyQuerySet.as_manager()

    class Meta:
        verbose_name = _("廉内助、廉洁家庭")
        verbose_name_plural = _("廉内助、廉洁家庭")
        ordering = ["-year", "kind"]
        constraints = [models.UniqueConstraint(fields=["year", "kind", "person"], name="familyaward_unique")]

    def __str__(self) -> str:
        return f"{self.year} {self.get_kind_display()}"


# --- 三个规定 --------------------------------------------------------------------------------------------------
class OwnOrDisciplineQuerySet(CourtScopedQuerySet[Any]):
    """The discipline role (纪检监察) reads the court's; everybody else only what they wrote or filed."""

    person_field = "person"

    def scoped_to(self, user: Any, action: str = "view") -> Any:
        from tianping.core.roles import Role

        base = super().scoped_to(user, action)
        if Role.DISCIPLINE in _roles(user):
            return base
        person_id = getattr(user, "person_id", None)
        if person_id:
            return base.filter(**{f"{self.person_field}_id": person_id})
        return base.none()


class InterferenceQuerySet(OwnOrDisciplineQuerySet):
    person_field = "recorder"


class InterferenceRecord(CourtScopedModel):
    """A record under the 三个规定: a leader's interference, an insider's inquiry into a case, or improper
    contact with a party or lawyer — who asked, their post, when, which case, what was asked, how answered."""

    recorder = models.ForeignKey("org.Person", verbose_name=_("记录人"), on_delete=models.PROTECT, related_name="+")
    recorded_on = models.DateField(_("记录日期"), validators=[validate_not_future])
    kind = models.CharField(_("类型"), max_length=20, choices=InterferenceKind.choices)
    asker = models.CharField(_("过问人"), max_length=40)
    asker_post = models.CharField(_("过问人职务"), max_length=60, blank=True)
    occurred_on = models.DateField(_("过问日期"), null=True, blank=True, validators=[validate_not_future])
    case_number = models.CharField(_("案号"), max_length=60, blank=True)
    content = models.TextField(_("过问内容"))
    handling = models.TextField(_("处理情况"))

    objects = InterferenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("三个规定记录")
        verbose_name_plural = _("三个规定记录")
        ordering = ["-recorded_on", "-id"]
        indexes = [models.Index(fields=["court", "recorded_on"], name="interference_court_day")]

    def __str__(self) -> str:
        return f"{self.recorded_on:%Y-%m-%d} {self.get_kind_display()}"

    def clean(self) -> None:
        super().clean()
        if self.occurred_on and self.recorded_on and self.occurred_on > self.recorded_on:
            raise ValidationError({"occurred_on": _("过问日期不能晚于记录日期。")})


class MonthlyReport(CourtScopedModel):
    """A judge's 三个规定 report for one month; a zero report (零报告) when nothing was recorded."""

    person = models.ForeignKey("org.Person", verbose_name=_("法官"), on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("月份"), help_text=_("该月 1 日"))
    filed_on = models.DateField(_("报告日期"), validators=[validate_not_future])
    zero = models.BooleanField(_("零报告"), default=True)
    record_count = models.PositiveIntegerField(_("记录件数"), default=0)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    objects = OwnOrDisciplineQuerySet.as_manager()

    class Meta:
        verbose_name = _("三个规定月报")
        verbose_name_plural = _("三个规定月报")
        ordering = ["-month", "person__name"]
        constraints = [
            models.UniqueConstraint(fields=["person", "month"], name="monthlyreport_unique",
                                    violation_error_message=_("该法官本月已报告。")),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {'零报告' if self.zero else self.record_count}"
