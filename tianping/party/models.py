"""Party organisations, members and their road to full membership, transfers, dues and points.

Rules that vary (minimum intervals between steps, probation length, dues bands, points per event) are data
rows (`PartySetting`, `DuesRule`, `PointsRule`) with effective dates where the rule can change, never constants.
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tianping.core.models import CourtScopedModel, CourtScopedQuerySet, TimeStampedModel
from tianping.core.policy import PolicyQuerySet


# --- organisations ------------------------------------------------------------------------------------
class OrgKind(models.TextChoices):
    PARTY_GROUP = "party_group", _("党组")
    ORGAN_COMMITTEE = "organ_committee", _("机关党委")
    GENERAL_BRANCH = "general_branch", _("党总支")
    BRANCH = "branch", _("党支部")
    GROUP = "group", _("党小组")


def _narrowed(qs, q: Q | None):
    return qs if q is None else qs.filter(q)


class PartyOrganisationQuerySet(CourtScopedQuerySet):
    def scoped_to(self, user, action: str = "view"):
        """The organisations the user's roles reach for `action` (tianping.party.policy.organisation_scope)."""
        from tianping.party.policy import organisation_scope

        return _narrowed(super().scoped_to(user, action), organisation_scope(user, action))


class OrganisationChildQuerySet(CourtScopedQuerySet):
    """Records of an organisation (committee posts): the organisation's reach."""

    def scoped_to(self, user, action: str = "view"):
        return self.filter(organisation__in=PartyOrganisation.objects.scoped_to(user, action))


class MemberChildQuerySet(CourtScopedQuerySet):
    """Records of one party member (steps, periods, transfers, dues): the member's reach."""

    def scoped_to(self, user, action: str = "view"):
        return self.filter(member__in=PartyMember.objects.scoped_to(user, action))


class PartyOrganisation(CourtScopedModel):
    """A party organisation of a court: 党组, 机关党委, 党总支, 党支部 or 党小组 (a tree per court)."""

    name = models.CharField(_("组织名称"), max_length=80)
    kind = models.CharField(_("组织类型"), max_length=20, choices=OrgKind.choices, default=OrgKind.BRANCH)
    parent = models.ForeignKey("self", verbose_name=_("上级组织"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="children")
    departments = models.ManyToManyField("org.Department", verbose_name=_("组建部门"), blank=True,
                                         related_name="party_organisations",
                                         help_text=_("支部建在庭上：本组织依托的庭室/法庭"))
    founded_on = models.DateField(_("成立日期"), null=True, blank=True)
    active = models.BooleanField(_("存续"), default=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=100)
    brand_name = models.CharField(_("支部品牌"), max_length=80, blank=True,
                                  help_text=_("一支部一品牌，如“维护老年人合法权益”"))
    brand_description = models.TextField(_("品牌简介"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = PartyOrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("党组织")
        verbose_name_plural = _("党组织")
        ordering = ["court", "sort_order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["court", "name"], name="party_org_unique_name_per_court",
                                    violation_error_message=_("本院已有同名党组织，请换一个名称。")),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.parent_id:
            if self.parent_id == self.pk:
                raise ValidationError({"parent": _("上级组织不能是本组织。")})
            if self.court_id and self.parent and self.parent.court_id != self.court_id:
                raise ValidationError({"parent": _("上级组织必须属于本院。")})
            node, seen = self.parent, set()
            while node is not None and node.pk not in seen:
                if self.pk and node.pk == self.pk:
                    raise ValidationError({"parent": _("上级组织不能是本组织的下级，否则组织树会成环。")})
                seen.add(node.pk)
                node = node.parent

    @property
    def departments_label(self) -> str:
        return "、".join(d.name for d in self.departments.all())

    @property
    def is_branch(self) -> bool:
        return self.kind == OrgKind.BRANCH


class BrandPictureQuerySet(PolicyQuerySet):
    def scoped_to(self, user, action: str = "view"):
        return self.filter(organisation__in=PartyOrganisation.objects.scoped_to(user, action))


def brand_picture_path(instance, filename: str) -> str:
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "jpg"
    return f"party/brand/{instance.organisation_id}/{date.today():%Y%m}/{instance.uid}.{ext}"  # noqa: DTZ011


class BrandPicture(TimeStampedModel):
    """A picture of a branch's brand activity (一支部一品牌)."""

    organisation = models.ForeignKey(PartyOrganisation, verbose_name=_("党组织"), on_delete=models.CASCADE,
                                     related_name="pictures")
    uid = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    image = models.FileField(_("图片"), upload_to=brand_picture_path)
    caption = models.CharField(_("图片说明"), max_length=120, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("上传人"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")

    objects = BrandPictureQuerySet.as_manager()

    class Meta:
        verbose_name = _("品牌图片")
        verbose_name_plural = _("品牌图片")
        ordering = ["organisation", "-created_at"]

    def __str__(self) -> str:
        return self.caption or str(self.uid)


class CommitteeRole(models.TextChoices):
    SECRETARY = "secretary", _("书记")
    DEPUTY = "deputy", _("副书记")
    ORGANISATION = "organisation", _("组织委员")
    PUBLICITY = "publicity", _("宣传委员")
    DISCIPLINE = "discipline", _("纪检委员")


class CommitteePostQuerySet(OrganisationChildQuerySet):
    def current_on(self, day: date):
        return self.filter(term_start__lte=day).filter(Q(ended_on__isnull=True) | Q(ended_on__gt=day))


class CommitteePost(CourtScopedModel):
    """A committee post of a party organisation held by a person for a term (届)."""

    organisation = models.ForeignKey(PartyOrganisation, verbose_name=_("党组织"), on_delete=models.CASCADE,
                                     related_name="committee_posts")
    person = models.ForeignKey("org.Person", verbose_name=_("人员"), on_delete=models.PROTECT,
                               related_name="party_posts")
    role = models.CharField(_("职务"), max_length=20, choices=CommitteeRole.choices)
    term_start = models.DateField(_("任期开始"))
    term_end = models.DateField(_("任期届满"))
    ended_on = models.DateField(_("实际卸任日期"), null=True, blank=True)

    objects = CommitteePostQuerySet.as_manager()

    class Meta:
        verbose_name = _("支委职务")
        verbose_name_plural = _("支委职务")
        ordering = ["organisation", "role", "-term_start"]
        constraints = [
            models.CheckConstraint(condition=Q(term_end__gt=models.F("term_start")), name="committee_term_order",
                                   violation_error_message=_("任期届满日期必须晚于任期开始日期。")),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.get_role_display()} {self.person}"

    def clean(self) -> None:
        super().clean()
        if self.ended_on and self.term_start and self.ended_on < self.term_start:
            raise ValidationError({"ended_on": _("卸任日期不能早于任期开始日期。")})


# --- members ------------------------------------------------------------------------------------------
class Stage(models.TextChoices):
    APPLICANT = "applicant", _("入党申请人")
    ACTIVIST = "activist", _("入党积极分子")
    CANDIDATE = "candidate", _("发展对象")
    PROBATIONARY = "probationary", _("预备党员")
    FULL = "full", _("正式党员")


STAGE_ORDER = [Stage.APPLICANT, Stage.ACTIVIST, Stage.CANDIDATE, Stage.PROBATIONARY, Stage.FULL]


class MemberStatus(models.TextChoices):
    NORMAL = "normal", _("正常")
    STOPPED = "stopped", _("停止党籍")
    RETAINED = "retained", _("保留党籍")
    FLOATING = "floating", _("流动党员")
    TRANSFERRED_OUT = "transferred_out", _("转出")
    CANCELLED = "cancelled", _("取消预备党员资格")


class DuesCategory(models.TextChoices):
    SALARIED = "salaried", _("在职")
    RETIRED = "retired", _("离退休")
    STUDENT = "student", _("学生")
    UNEMPLOYED = "unemployed", _("无固定收入")


class PartyMemberQuerySet(CourtScopedQuerySet):
    def scoped_to(self, user, action: str = "view"):
        """The party records the user's roles reach for `action` (tianping.party.policy.member_scope)."""
        from tianping.party.policy import member_scope

        return _narrowed(super().scoped_to(user, action), member_scope(user, action))

    def on_roster(self):
        """Members still on a branch roster (not transferred out, not cancelled, not stopped)."""
        return self.exclude(status__in=[MemberStatus.TRANSFERRED_OUT, MemberStatus.CANCELLED,
                                        MemberStatus.STOPPED])


class PartyMember(CourtScopedModel):
    """A person's party record: stage on the road to membership, the date of each step, branch and state."""

    person = models.OneToOneField("org.Person", verbose_name=_("人员"), on_delete=models.PROTECT,
                                  related_name="party_member")
    branch = models.ForeignKey(PartyOrganisation, verbose_name=_("所在支部"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="members")
    stage = models.CharField(_("阶段"), max_length=20, choices=Stage.choices, default=Stage.APPLICANT)
    status = models.CharField(_("状态"), max_length=20, choices=MemberStatus.choices, default=MemberStatus.NORMAL)
    applied_on = models.DateField(_("申请入党日期"), null=True, blank=True)
    activist_on = models.DateField(_("确定积极分子日期"), null=True, blank=True)
    candidate_on = models.DateField(_("确定发展对象日期"), null=True, blank=True)
    admitted_on = models.DateField(_("入党日期"), null=True, blank=True,
                                   help_text=_("支部大会接收为预备党员之日，预备期自此起算"))
    converted_on = models.DateField(_("转正日期"), null=True, blank=True, help_text=_("党龄自转正之日起算"))
    probation_extension_months = models.PositiveSmallIntegerField(_("延长预备期（月）"), default=0)
    cancelled_on = models.DateField(_("取消预备党员资格日期"), null=True, blank=True)
    membership_ended_on = models.DateField(_("党籍终止日期"), null=True, blank=True,
                                           help_text=_("停止党籍等情形下党员身份终止之日"))
    status_since = models.DateField(_("状态起始日期"), null=True, blank=True)
    dues_category = models.CharField(_("党费类别"), max_length=20, choices=DuesCategory.choices,
                                     default=DuesCategory.SALARIED)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = PartyMemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("党员")
        verbose_name_plural = _("党员")
        ordering = ["court", "branch__sort_order", "person__name"]
        indexes = [models.Index(fields=["court", "stage", "status"])]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_stage_display()})"

    def clean(self) -> None:
        super().clean()
        if self.person_id and self.court_id and self.person.court_id != self.court_id:
            raise ValidationError({"person": _("党员必须是本院人员。")})
        if self.branch and self.court_id and self.branch.court_id != self.court_id:
            raise ValidationError({"branch": _("所在支部必须属于本院。")})
        order = [("applied_on", self.applied_on), ("activist_on", self.activist_on),
                 ("candidate_on", self.candidate_on), ("admitted_on", self.admitted_on),
                 ("converted_on", self.converted_on)]
        last_name, last = None, None
        for name, value in order:
            if value is None:
                continue
            if last is not None and value < last:
                raise ValidationError({name: _("%(this)s不能早于%(prev)s（%(d)s）。") % {
                    "this": getattr(self._meta.get_field(name), "verbose_name", name),
                    "prev": getattr(self._meta.get_field(str(last_name)), "verbose_name", last_name),
                    "d": last.isoformat()}})
            last_name, last = name, value

    @property
    def is_party_member(self) -> bool:
        return self.stage in (Stage.PROBATIONARY, Stage.FULL) and self.status not in (
            MemberStatus.CANCELLED, MemberStatus.STOPPED)

    @property
    def conversion_due_on(self) -> date | None:
        """The day the probation ends (1 year from acceptance, plus any extension); None unless probationary."""
        if self.stage != Stage.PROBATIONARY or not self.admitted_on or self.status == MemberStatus.CANCELLED:
            return None
        from tianping.party.rules import add_months, setting

        months = setting("probation_months", self.admitted_on) + self.probation_extension_months
        return add_months(self.admitted_on, months)

    @property
    def party_standing_years(self) -> int | None:
        """党龄: whole years since conversion."""
        if not self.converted_on:
            return None
        today = date.today()  # noqa: DTZ011
        years = today.year - self.converted_on.year
        if (today.month, today.day) < (self.converted_on.month, self.converted_on.day):
            years -= 1
        return max(years, 0)


class StepKind(models.TextChoices):
    APPLIED = "applied", _("递交入党申请书")
    ACTIVIST = "activist", _("确定为入党积极分子")
    CANDIDATE = "candidate", _("确定为发展对象")
    ADMITTED = "admitted", _("接收为预备党员")
    CONVERTED = "converted", _("预备党员转正")
    EXTENDED = "extended", _("延长预备期")
    CANCELLED = "cancelled", _("取消预备党员资格")
    IMPORTED = "imported", _("导入历史记录")


def evidence_path(instance, filename: str) -> str:
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"party/evidence/{instance.member_id}/{instance.step}-{instance.occurred_on:%Y%m%d}.{ext}"


class MemberStep(CourtScopedModel):
    """One recorded step on the road to membership, with its date and evidence (append-only)."""

    member = models.ForeignKey(PartyMember, verbose_name=_("党员"), on_delete=models.CASCADE, related_name="steps")
    step = models.CharField(_("步骤"), max_length=20, choices=StepKind.choices)
    occurred_on = models.DateField(_("日期"))
    evidence = models.TextField(_("依据"), blank=True, help_text=_("如支部党员大会决议、上级党组织审批意见"))
    evidence_file = models.FileField(_("依据附件"), upload_to=evidence_path, blank=True)
    months = models.PositiveSmallIntegerField(_("延长月数"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("记录人"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")

    objects = MemberChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("发展步骤")
        verbose_name_plural = _("发展步骤")
        ordering = ["member", "occurred_on", "id"]

    def __str__(self) -> str:
        return f"{self.member.person} {self.get_step_display()} {self.occurred_on}"


class BranchMembership(CourtScopedModel):
    """A stretch of time a person's party record sat in a branch (roster history; follows transfers)."""

    member = models.ForeignKey(PartyMember, verbose_name=_("党员"), on_delete=models.CASCADE,
                               related_name="branch_periods")
    organisation = models.ForeignKey(PartyOrganisation, verbose_name=_("党组织"), on_delete=models.PROTECT,
                                     related_name="membership_periods")
    start = models.DateField(_("起始日期"))
    end = models.DateField(_("结束日期"), null=True, blank=True, help_text=_("最后一天；空表示至今"))

    objects = MemberChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("支部隶属经历")
        verbose_name_plural = _("支部隶属经历")
        ordering = ["member", "start"]
        constraints = [
            models.CheckConstraint(condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                                   name="branch_membership_end_after_start",
                                   violation_error_message=_("结束日期不能早于起始日期。")),
        ]

    def __str__(self) -> str:
        return f"{self.member.person} {self.organisation} {self.start}–{self.end or ''}"


class TransferDirection(models.TextChoices):
    IN = "in", _("转入")
    OUT = "out", _("转出")


class PartyTransfer(CourtScopedModel):
    """组织关系转接: a transfer in or out with the other organisation, the letter number and the date."""

    member = models.ForeignKey(PartyMember, verbose_name=_("党员"), on_delete=models.PROTECT,
                               related_name="transfers")
    direction = models.CharField(_("方向"), max_length=4, choices=TransferDirection.choices)
    other_organisation = models.CharField(_("对方党组织"), max_length=120,
                                          help_text=_("转入时为原所在党组织，转出时为接收党组织"))
    branch = models.ForeignKey(PartyOrganisation, verbose_name=_("本院支部"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="transfers")
    letter_number = models.CharField(_("介绍信编号"), max_length=60)
    transferred_on = models.DateField(_("转接日期"))
    note = models.TextField(_("备注"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("记录人"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")

    objects = MemberChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("组织关系转接")
        verbose_name_plural = _("组织关系转接")
        ordering = ["-transferred_on", "-id"]

    def __str__(self) -> str:
        return f"{self.member.person} {self.get_direction_display()} {self.other_organisation}"


# --- settings as data ---------------------------------------------------------------------------------
class PartySetting(TimeStampedModel):
    """A numeric rule of party work with an effective date (e.g. probation_months = 12).

    The value in force on a day is the row with the latest `effective_from` not after that day."""

    code = models.CharField(_("代码"), max_length=60)
    value = models.IntegerField(_("取值"))
    unit = models.CharField(_("单位"), max_length=20, blank=True)
    description = models.CharField(_("说明"), max_length=200)
    effective_from = models.DateField(_("生效日期"), default=date(2000, 1, 1))

    class Meta:
        verbose_name = _("党务规则参数")
        verbose_name_plural = _("党务规则参数")
        ordering = ["code", "-effective_from"]
        constraints = [models.UniqueConstraint(fields=["code", "effective_from"], name="party_setting_unique")]

    def __str__(self) -> str:
        return f"{self.description}: {self.value}{self.unit}"


# --- dues ---------------------------------------------------------------------------------------------
class DuesRule(TimeStampedModel):
    """One band of the dues rules (2008): for a category, monthly base in (income_above, income_up_to] pays
    `rate` of the whole base, or a `fixed_amount`. Rows carry effective dates; court empty = all courts."""

    court = models.ForeignKey("org.Court", verbose_name=_("法院"), null=True, blank=True, on_delete=models.CASCADE,
                              related_name="+", help_text=_("空表示全部法院适用"))
    category = models.CharField(_("党费类别"), max_length=20, choices=DuesCategory.choices)
    income_above = models.DecimalField(_("基数高于（元）"), max_digits=12, decimal_places=2, default=Decimal("0"))
    income_up_to = models.DecimalField(_("基数不高于（元）"), max_digits=12, decimal_places=2, null=True, blank=True)
    rate = models.DecimalField(_("比例"), max_digits=6, decimal_places=5, null=True, blank=True,
                               help_text=_("小数，如 0.005 表示 0.5%"))
    fixed_amount = models.DecimalField(_("固定金额（元）"), max_digits=8, decimal_places=2, null=True, blank=True)
    effective_from = models.DateField(_("生效日期"))
    effective_to = models.DateField(_("失效日期"), null=True, blank=True)
    note = models.CharField(_("依据"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("党费标准")
        verbose_name_plural = _("党费标准")
        ordering = ["category", "effective_from", "income_above"]
        constraints = [
            models.CheckConstraint(condition=Q(rate__isnull=False) | Q(fixed_amount__isnull=False),
                                   name="dues_rule_rate_or_fixed",
                                   violation_error_message=_("请填写比例或固定金额。")),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} {self.income_above}–{self.income_up_to or '∞'}"

    @property
    def rate_percent(self) -> str:
        return f"{(self.rate * 100).normalize():f}%" if self.rate is not None else ""


class DuesBase(CourtScopedModel):
    """A member's monthly base salary (after tax, fixed part) from a date on."""

    member = models.ForeignKey(PartyMember, verbose_name=_("党员"), on_delete=models.CASCADE,
                               related_name="dues_bases")
    amount = models.DecimalField(_("月工资基数（元）"), max_digits=12, decimal_places=2)
    effective_from = models.DateField(_("生效日期"))
    note = models.CharField(_("说明"), max_length=200, blank=True)

    objects = MemberChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("党费基数")
        verbose_name_plural = _("党费基数")
        ordering = ["member", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["member", "effective_from"], name="dues_base_unique_per_day",
                                    violation_error_message=_("该党员在此生效日期已有工资基数。")),
            models.CheckConstraint(condition=Q(amount__gte=0), name="dues_base_nonnegative",
                                   violation_error_message=_("工资基数不能为负数。")),
        ]

    def __str__(self) -> str:
        return f"{self.member.person} {self.amount} ({self.effective_from})"


class DuesReduction(CourtScopedModel):
    """An approved reduction or waiver (branch decision): the monthly amount payable for a span of months."""

    member = models.ForeignKey(PartyMember, verbose_name=_("党员"), on_delete=models.CASCADE,
                               related_name="dues_reductions")
    monthly_amount = models.DecimalField(_("减免后每月应交（元）"), max_digits=8, decimal_places=2,
                                         help_text=_("0 表示免交"))
    start_month = models.DateField(_("起始月份"))
    end_month = models.DateField(_("截止月份"), null=True, blank=True)
    decision = models.CharField(_("支部决定"), max_length=200)

    objects = MemberChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("党费减免")
        verbose_name_plural = _("党费减免")
        ordering = ["member", "-start_month"]

    def __str__(self) -> str:
        return f"{self.member.person} {self.monthly_amount} {self.start_month:%Y-%m}"


class DuesPayment(CourtScopedModel):
    """A member's dues for one month: what was due (snapshot at recording) and what was paid."""

    member = models.ForeignKey(PartyMember, verbose_name=_("党员"), on_delete=models.PROTECT,
                               related_name="dues_payments")
    branch = models.ForeignKey(PartyOrganisation, verbose_name=_("所在支部"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="dues_payments")
    month = models.DateField(_("月份"), help_text=_("该月 1 日"))
    base_amount = models.DecimalField(_("工资基数"), max_digits=12, decimal_places=2, null=True, blank=True)
    rate = models.DecimalField(_("比例"), max_digits=6, decimal_places=5, null=True, blank=True)
    due_amount = models.DecimalField(_("应交金额"), max_digits=10, decimal_places=2)
    paid_amount = models.DecimalField(_("实交金额"), max_digits=10, decimal_places=2, default=Decimal("0"))
    paid_on = models.DateField(_("交纳日期"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("记录人"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = MemberChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("党费交纳")
        verbose_name_plural = _("党费交纳")
        ordering = ["-month", "member"]
        constraints = [
            models.UniqueConstraint(fields=["member", "month"], name="dues_payment_unique_month",
                                    violation_error_message=_("该党员本月党费已登记，请修改原记录。")),
            models.CheckConstraint(condition=Q(paid_amount__gte=0), name="dues_paid_nonnegative",
                                   violation_error_message=_("实交金额不能为负数。")),
        ]
        indexes = [models.Index(fields=["court", "month"])]

    def __str__(self) -> str:
        return f"{self.member.person} {self.month:%Y-%m} {self.paid_amount}"


# --- points -------------------------------------------------------------------------------------------
class PointsRule(TimeStampedModel):
    """Points for an event (attending a branch meeting, absence without leave, a commendation …)."""

    code = models.CharField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("事项"), max_length=80)
    points = models.DecimalField(_("分值"), max_digits=6, decimal_places=1)
    active = models.BooleanField(_("启用"), default=True)
    description = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("积分规则")
        verbose_name_plural = _("积分规则")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.points:+})"


class PointsEntryQuerySet(CourtScopedQuerySet):
    def scoped_to(self, user, action: str = "view"):
        """Entries of the people the user's roles reach for `action` (tianping.party.policy.person_scope)."""
        from tianping.org.models import Person
        from tianping.party.policy import person_scope

        q = person_scope(user, action)
        qs = super().scoped_to(user, action)
        return qs if q is None else qs.filter(person__in=Person.objects.filter(q))


class PointsEntry(CourtScopedModel):
    """One line of the append-only points ledger. Corrections are reversing entries, never edits."""

    person = models.ForeignKey("org.Person", verbose_name=_("人员"), on_delete=models.PROTECT,
                               related_name="points_entries")
    rule = models.ForeignKey(PointsRule, verbose_name=_("规则"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="entries", help_text=_("空表示手工调整"))
    points = models.DecimalField(_("分值"), max_digits=6, decimal_places=1)
    occurred_on = models.DateField(_("发生日期"), db_index=True)
    source_type = models.CharField(_("来源类型"), max_length=60, blank=True)
    source_id = models.CharField(_("来源编号"), max_length=64, blank=True)
    source_label = models.CharField(_("来源"), max_length=200, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    reverses = models.OneToOneField("self", verbose_name=_("冲销"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="reversal")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("记录人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    objects = PointsEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("积分记录")
        verbose_name_plural = _("积分记录")
        ordering = ["-occurred_on", "-id"]
        indexes = [models.Index(fields=["person", "rule", "source_type", "source_id"])]

    def __str__(self) -> str:
        return f"{self.person} {self.points:+} {self.occurred_on}"

    def save(self, *args, **kwargs):
        if self.pk and not kwargs.pop("_allow_update", False):
            raise ValidationError(_("积分记录只能追加，不能修改；请登记冲销记录。"))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("积分记录只能追加，不能删除；请登记冲销记录。"))
