"""The annual party-building report's text: a template the party office edits, with placeholders the records
fill ({cases_closed} …). The figures themselves are never stored: they are computed from the records."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tianping.annual.choices import FIVE_TYPES, AssessmentStatus, ItemGrade, LeadershipItem, ReviewGrade
from tianping.core.models import CourtScopedModel, CourtScopedQuerySet, TimeStampedModel
from tianping.core.policy import PolicyQuerySet


class ReportTemplate(CourtScopedModel):
    """One court's report text. `body`: paragraphs separated by blank lines; a paragraph that starts with "#"
    is a heading; `{key}` is replaced by the figure (linked to its records on the page)."""

    title = models.CharField(_("标题"), max_length=100)
    body = models.TextField(_("正文"))
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("修改人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("年度报告模板")
        verbose_name_plural = _("年度报告模板")
        constraints = [models.UniqueConstraint(fields=["court"], name="annual_one_template_per_court",
                                               violation_error_message=_("每个法院只有一份年度报告模板。"))]

    def __str__(self) -> str:
        return str(self.title)


# --- the leadership (五型五力) -------------------------------------------------------------------------------
class LeaderAssessmentQuerySet(CourtScopedQuerySet["LeaderAssessment"]):
    def scoped_to(self, user: Any, action: str = "view") -> LeaderAssessmentQuerySet:
        """A leader's own assessments (drafts included); the party office and the other leaders (the party
        group) read those handed in (submitted, returned, reviewed), never another leader's draft."""
        from tianping.core.roles import Role, user_roles

        base = super().scoped_to(user, action)
        own = Q(person_id=getattr(user, "person_id", None) or 0)
        if user_roles(user) & {Role.PARTY_OFFICE, Role.LEADER}:
            return base.filter(own | ~Q(status=AssessmentStatus.DRAFT))
        return base.filter(own)


class LeaderAssessment(CourtScopedModel):
    """A court leader's (院领导/党组成员) self-assessment of one year against the five types and five abilities
    (五型五力: a grade and a text per item, and an overall summary), and the party group's review of it (a
    grade and a comment, recorded by the party office)."""

    person = models.ForeignKey("org.Person", verbose_name=_("院领导"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    # {item key: {"grade": ItemGrade, "text": str}} for the ten LeadershipItem keys
    items = models.JSONField(_("五型五力自评"), default=dict, blank=True)
    summary = models.TextField(_("总体自评"), blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=AssessmentStatus.choices,
                              default=AssessmentStatus.DRAFT)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    review_grade = models.CharField(_("评议等次"), max_length=30, choices=ReviewGrade.choices, blank=True)
    review_comment = models.TextField(_("评议意见"), blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("评议登记人"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    reviewed_at = models.DateTimeField(_("评议时间"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = LeaderAssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("五型五力年度自评")
        verbose_name_plural = _("五型五力年度自评")
        ordering = ["-year", "person__name"]
        constraints = [models.UniqueConstraint(fields=["person", "year"], name="annual_one_assessment_per_leader_year",
                                               violation_error_message=_("该院领导本年度已有自评，请打开原记录修改。"))]

    def __str__(self) -> str:
        return f"{self.person} {self.year}"

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        unknown = set(self.items or {}) - set(LeadershipItem.values)
        if unknown:
            errors["items"] = _("未知的自评项目：%(k)s。") % {"k": "、".join(sorted(unknown))}
        grades = set(ItemGrade.values) | {""}
        for key, value in (self.items or {}).items():
            if not isinstance(value, dict) or value.get("grade", "") not in grades:
                errors["items"] = _("“%(i)s”的等次无效。") % {"i": key}
        if self.status == AssessmentStatus.REVIEWED and not self.review_grade:
            errors["review_grade"] = _("请选择评议等次。")
        if errors:
            raise ValidationError(errors)

    def item_rows(self) -> list[dict[str, Any]]:
        """The ten items in their order, each with its label, group, grade (and label) and text."""
        rows = []
        for item in LeadershipItem:
            value = (self.items or {}).get(item.value) or {}
            grade = value.get("grade", "")
            rows.append({"key": item.value, "label": item.label,
                         "group": _("五型") if item in FIVE_TYPES else _("五力"),
                         "grade": grade, "grade_label": ItemGrade(grade).label if grade in ItemGrade.values else "",
                         "text": value.get("text", "")})
        return rows


class LeadershipStudyQuerySet(CourtScopedQuerySet["LeadershipStudy"]):
    pass


class LeadershipStudy(CourtScopedModel):
    """The leadership team's (领导班子) education of one year: how many study sessions it held, on which topics,
    how many hours, and the summary the court files (附件 optional)."""

    year = models.PositiveSmallIntegerField(_("年度"))
    sessions = models.PositiveSmallIntegerField(_("集中学习次数"), validators=[MaxValueValidator(366)])
    topics = models.TextField(_("学习专题"), help_text=_("每行一个专题"))
    hours = models.DecimalField(_("学习学时"), max_digits=6, decimal_places=1,
                                validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("2000"))])
    summary = models.TextField(_("学习教育总结"))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("修改人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = LeadershipStudyQuerySet.as_manager()

    class Meta:
        verbose_name = _("领导班子学习教育总结")
        verbose_name_plural = _("领导班子学习教育总结")
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["court", "year"], name="annual_one_study_per_court_year",
                                               violation_error_message=_("本院该年度已有学习教育总结，请打开原记录修改。"))]

    def __str__(self) -> str:
        return f"{self.court} {self.year}"

    def topic_list(self) -> list[str]:
        return [t.strip() for t in (self.topics or "").splitlines() if t.strip()]


class LeadershipStudyAttachmentQuerySet(PolicyQuerySet["LeadershipStudyAttachment"]):
    def scoped_to(self, user: Any, action: str = "view") -> LeadershipStudyAttachmentQuerySet:
        return self.filter(study__in=LeadershipStudy.objects.visible_to(user, "view"))


def _study_upload(instance: LeadershipStudyAttachment, filename: str) -> str:
    import secrets

    from django.utils import timezone

    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"annual/study/{instance.study_id}/{timezone.localdate():%Y%m%d}-{secrets.token_hex(6)}.{ext}"


class LeadershipStudyAttachment(TimeStampedModel):
    """A file of the leadership's yearly education (a study plan, the signed summary, photos), checked by
    core.uploads on the way in."""

    study = models.ForeignKey(LeadershipStudy, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("文件"), upload_to=_study_upload)
    name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(max_length=80)
    size = models.PositiveIntegerField(default=0)

    objects = LeadershipStudyAttachmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("学习教育总结附件")
        verbose_name_plural = _("学习教育总结附件")

    def __str__(self) -> str:
        return self.name
