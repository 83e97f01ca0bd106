"""The diversified dispute-resolution centre (诉调对接中心): its roster, studios, disputes and their path from
intake (登记) through triage (指导分流) and mediation to an agreement, a judicial confirmation or a filed case,
plus the traffic-accident studio's statistics, insurance limits and calculations.

The state machine of a dispute is written down in docs/mediation.md; every transition is a service in
tianping.mediation.services.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tianping.core.models import CourtScopedModel, CourtScopedQuerySet, TimeStampedModel
from tianping.core.validators import (
    mask_id_number,
    mask_phone,
    normalize_id_number,
    validate_credit_code,
    validate_id_number,
    validate_not_future,
    validate_phone,
)

MEDIATION_PERIOD_DAYS = 30  # 诉前调解期限：30 日，当事人均同意的可以延长
CONFIRMATION_WINDOW_DAYS = 30  # 调解协议生效之日起 30 日内共同申请司法确认
WARNING_DAYS_LEFT = 5


class MediatorKind(models.TextChoices):
    PEOPLES = "peoples", _("人民调解员")
    INVITED = "invited", _("特邀调解员")
    ORGANISATION = "organisation", _("调解组织")


class Mediator(CourtScopedModel):
    """One entry of the centre's mediator roster: a people's mediator, a specially invited mediator or a
    mediation organisation (e.g. a road-traffic-accident people's mediation committee)."""

    name = models.CharField(_("名称"), max_length=60)
    kind = models.CharField(_("类别"), max_length=20, choices=MediatorKind.choices)
    organisation = models.CharField(_("所属组织"), max_length=100, blank=True)
    speciality = models.CharField(_("擅长领域"), max_length=100, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True, validators=[validate_phone])
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登录账号"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="mediator_entries")
    active = models.BooleanField(_("在册"), default=True)
    site = models.ForeignKey("Site", verbose_name=_("所在地点"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="mediators", help_text=_("空白为诉讼服务中心"))
    committee = models.ForeignKey("Committee", verbose_name=_("人民调解委员会"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="mediators")

    class Meta:
        verbose_name = _("调解员")
        verbose_name_plural = _("调解员名册")
        ordering = ["court", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["court", "name"], name="mediator_unique_name_per_court",
                                    violation_error_message=_("名册中已有同名调解员或组织，请在名称后注明所属组织。")),
        ]

    def __str__(self) -> str:
        return self.name


class Studio(CourtScopedModel):
    """A judge's studio (法官工作室) of the centre, e.g. a studio for road-traffic-accident disputes."""

    name = models.CharField(_("名称"), max_length=60)
    judge = models.ForeignKey("org.Person", verbose_name=_("负责法官"), on_delete=models.PROTECT,
                              related_name="mediation_studios")
    speciality = models.CharField(_("专业领域"), max_length=100, blank=True)
    is_traffic = models.BooleanField(_("道路交通事故工作室"), default=False,
                                     help_text=_("可使用交通事故损害赔偿计算器"))
    active = models.BooleanField(_("启用"), default=True)
    site = models.ForeignKey("Site", verbose_name=_("所在地点"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="studios", help_text=_("空白为诉讼服务中心"))

    class Meta:
        verbose_name = _("法官工作室")
        verbose_name_plural = _("法官工作室")
        ordering = ["court", "name"]
        constraints = [
            models.UniqueConstraint(fields=["court", "name"], name="studio_unique_name_per_court",
                                    violation_error_message=_("本院已有同名法官工作室。")),
        ]

    def __str__(self) -> str:
        return self.name


class SiteKind(models.TextChoices):
    CENTRE = "centre", _("诉讼服务中心")
    STATION = "station", _("人民法庭服务站")


class Site(CourtScopedModel):
    """A place where disputes are registered and mediated: the court's litigation service centre (诉讼服务中心,
    no department) or the service station of one of its people's tribunals (人民法庭服务站, tied to the
    tribunal's department). A dispute's site is its 登记地点 (Dispute.intake_department: empty = the centre);
    intake staff (CentreStaff.site), mediators and studios belong to a site."""

    name = models.CharField(_("名称"), max_length=60)
    kind = models.CharField(_("类型"), max_length=20, choices=SiteKind.choices, default=SiteKind.STATION)
    department = models.OneToOneField("org.Department", verbose_name=_("所属人民法庭"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="mediation_site",
                                      help_text=_("服务站所在的人民法庭；诉讼服务中心留空"))
    rooms = models.CharField(_("调解室"), max_length=200, blank=True,
                             help_text=_("该地点的调解室、工作室名称，以顿号分隔"))
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("诉调对接地点")
        verbose_name_plural = _("诉调对接地点")
        ordering = ["court", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["court"], condition=Q(department__isnull=True),
                                    name="site_one_centre_per_court",
                                    violation_error_message=_("本院已有诉讼服务中心。")),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def room_list(self) -> list[str]:
        return [r.strip() for r in self.rooms.replace(",", "、").split("、") if r.strip()]

    def clean(self) -> None:
        super().clean()
        if self.department is not None and self.department.court_id != self.court_id:
            raise ValidationError({"department": _("服务站必须设在本院的人民法庭。")})
        if (self.kind == SiteKind.STATION) != bool(self.department_id):
            raise ValidationError({"department": _("人民法庭服务站须选择所在法庭；诉讼服务中心不选法庭。")})


class CommitteeKind(models.TextChoices):
    VILLAGE = "village", _("村（居）人民调解委员会")
    STREET = "street", _("镇（街道）人民调解委员会")
    INDUSTRY = "industry", _("行业性专业性人民调解委员会")


class Committee(CourtScopedModel):
    """A people's mediation committee (人民调解委员会) of the court's district — a village's or residents'
    committee, a township's or street's, or an industry's (traffic accidents, medical disputes …). The court
    guides it (指导人民调解: visits and trainings by its studios and stations) and confirms the agreements it
    reaches (司法确认). Its mediators are entries of the roster (Mediator.committee)."""

    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=20, choices=CommitteeKind.choices)
    area = models.CharField(_("所在镇街或行业"), max_length=60, blank=True)
    director = models.CharField(_("主任"), max_length=40, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True, validators=[validate_phone])
    site = models.ForeignKey("Site", verbose_name=_("指导地点"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="committees", help_text=_("负责指导的人民法庭服务站；空白为诉讼服务中心"))
    active = models.BooleanField(_("在册"), default=True)

    class Meta:
        verbose_name = _("人民调解委员会")
        verbose_name_plural = _("人民调解委员会")
        ordering = ["court", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["court", "name"], name="committee_unique_name_per_court",
                                    violation_error_message=_("本院已登记同名人民调解委员会。")),
        ]

    def __str__(self) -> str:
        return self.name


class GuidanceKind(models.TextChoices):
    VISIT = "visit", _("指导走访")
    TRAINING = "training", _("业务培训")


class GuidanceActivity(CourtScopedModel):
    """The court's guidance of people's mediation (指导人民调解): a studio judge's or station's visit to a
    committee (case consultation, reviewing its files) or a training of committees' mediators."""

    kind = models.CharField(_("类型"), max_length=20, choices=GuidanceKind.choices)
    held_on = models.DateField(_("日期"), validators=[validate_not_future])
    committees = models.ManyToManyField(Committee, verbose_name=_("人民调解委员会"), related_name="guidance")
    studio = models.ForeignKey(Studio, verbose_name=_("法官工作室"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="guidance")
    led_by = models.CharField(_("指导法官"), max_length=60)
    topic = models.CharField(_("主题"), max_length=200)
    participants = models.PositiveSmallIntegerField(_("参加人数"), default=0)
    notes = models.TextField(_("情况"), blank=True)

    class Meta:
        verbose_name = _("指导人民调解活动")
        verbose_name_plural = _("指导人民调解活动")
        ordering = ["court", "-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.held_on} {self.get_kind_display()} {self.topic}"


class CentreStaff(CourtScopedModel):
    """An account working at the centre's desks: intake and triage (登记、指导分流) and/or the judicial
    confirmation room (司法确认室). Holders of the `mediator` role with this entry see every dispute of the
    court; a mediator without it sees only the disputes assigned to them."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("账号"), on_delete=models.CASCADE,
                                related_name="centre_staff")
    can_intake = models.BooleanField(_("登记与分流"), default=True)
    can_confirm = models.BooleanField(_("司法确认"), default=False)
    site = models.ForeignKey(Site, verbose_name=_("工作地点"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="staff", help_text=_("人民法庭服务站的工作人员只处理本站登记的纠纷；空白为诉讼服务中心"))

    class Meta:
        verbose_name = _("诉调对接中心工作人员")
        verbose_name_plural = _("诉调对接中心工作人员")

    def __str__(self) -> str:
        return str(self.user)


class Source(models.TextChoices):
    APPLICATION = "application", _("当事人申请")
    DELEGATED = "delegated", _("委派调解")
    ENTRUSTED = "entrusted", _("委托调解")
    INVITED = "invited", _("特邀调解")
    REFERRED = "referred", _("相关部门移送")
    COMMITTEE = "committee", _("人民调解委员会调解")


class Kind(models.TextChoices):
    """Before a case is filed (诉前调解, a dispute registered at the centre) or during litigation (诉中委托调解:
    the judge of a filed case entrusts mediation to a mediator or studio)."""

    PRE_LITIGATION = "pre", _("诉前调解")
    ENTRUSTED = "entrusted", _("诉中委托调解")


class CaseOutcome(models.TextChoices):
    """How an agreement reached in an entrusted mediation closes the litigation case."""

    MEDIATION = "mediation", _("调解结案")
    WITHDRAWAL = "withdrawal", _("撤诉")


class Status(models.TextChoices):
    REGISTERED = "registered", _("已登记")
    ASSIGNED = "assigned", _("已分流待调解")
    MEDIATING = "mediating", _("调解中")
    AGREED = "agreed", _("达成协议")
    PERFORMED = "performed", _("自动履行")
    CONFIRMATION_APPLIED = "confirmation_applied", _("已申请司法确认")
    CONFIRMED = "confirmed", _("确认有效")
    REJECTED = "rejected", _("驳回申请")
    FAILED = "failed", _("调解不成")
    WITHDRAWN = "withdrawn", _("撤回")
    FILED = "filed", _("已转立案")
    CASE_CLOSED = "case_closed", _("协议已回写案件")


TERMINAL = {Status.PERFORMED, Status.CONFIRMED, Status.FILED, Status.CASE_CLOSED}
AGREEMENT_STATES = {Status.AGREED, Status.PERFORMED, Status.CONFIRMATION_APPLIED, Status.CONFIRMED,
                    Status.REJECTED, Status.CASE_CLOSED}


class Room(models.TextChoices):
    PEOPLES = "peoples", _("人民调解室")
    STUDIO = "studio", _("法官工作室")


class Route(models.TextChoices):
    MEDIATION = "mediation", _("诉前调解")
    FILING = "filing", _("直接立案")


class Ruling(models.TextChoices):
    CONFIRMED = "confirmed", _("确认有效")
    REJECTED = "rejected", _("驳回申请")


def station_of(user) -> int | None:
    """The department id of the tribunal service station the account's intake desk works at (CentreStaff.site),
    None for the centre's staff (and anyone else); cached on the user object."""
    cached = getattr(user, "_tianping_station", False)
    if cached is False:
        cached = (CentreStaff.objects.filter(user_id=user.pk, site__department__isnull=False)
                  .values_list("site__department_id", flat=True).first()) if user.pk else None
        user._tianping_station = cached
    return cached


class DisputeQuerySet(CourtScopedQuerySet):
    def scoped_to(self, user, action: str = "view"):
        """院领导, 审管办 and the centre's desk (Role.CENTRE) reach every dispute of the court; a mediator the
        disputes assigned to them (roster entry linked to the account); a studio's judge the studio's
        disputes; anyone else nothing. Whether the action is allowed at all is mediation/policy.py's; a
        higher court reads figures only (selectors.figures_scope), never the disputes themselves."""
        from tianping.core.roles import Role, has_role

        base = super().scoped_to(user, action)
        if has_role(user, Role.LEADER, Role.TRIAL_OFFICE):
            return base.filter(court_id=user.court_id)
        if has_role(user, Role.CENTRE):
            # a tribunal service station's staff: the disputes registered at their station only
            station = station_of(user)
            if station is not None:
                return base.filter(court_id=user.court_id, intake_department_id=station)
            return base.filter(court_id=user.court_id)
        # by the ids of the account's roster entries, studios and cases (subqueries, no joins: the OR of three
        # joined conditions made the database read every dispute of the court for a mediator's own list)
        cond = Q(mediator_id__in=Mediator.objects.filter(user_id=user.pk).values("pk"))
        if user.person_id:
            # a studio's judge: the studio's disputes; a case's judge: the mediations they entrusted
            from tianping.trials.models import Case

            cond |= Q(studio_id__in=Studio.objects.filter(judge_id=user.person_id).values("pk"))
            cond |= Q(litigation_case_id__in=Case.objects.filter(judge_id=user.person_id).values("pk"))
        return base.filter(cond)

    def overdue(self, today: date):
        """Disputes in mediation whose period has run out (deadline before today)."""
        return self.filter(status=Status.MEDIATING, deadline_on__lt=today)


class Dispute(CourtScopedModel):
    """A dispute registered at the centre (诉前调解案件), numbered (2017)鲁0403民诉前调12号."""

    number = models.CharField(_("编号"), max_length=40)
    kind = models.CharField(_("调解类型"), max_length=20, choices=Kind.choices, default=Kind.PRE_LITIGATION,
                            db_index=True)
    litigation_case = models.ForeignKey("trials.Case", verbose_name=_("委托调解的案件"), null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="entrusted_mediations",
                                        help_text=_("诉中委托调解：委托调解的已立案案件"))
    case_outcome = models.CharField(_("案件结案方式"), max_length=20, choices=CaseOutcome.choices, blank=True, default="",
                                    help_text=_("诉中委托调解达成协议后案件的结案方式"))
    status = models.CharField(_("状态"), max_length=30, choices=Status.choices, default=Status.REGISTERED,
                              db_index=True)
    source = models.CharField(_("来源"), max_length=20, choices=Source.choices, default=Source.APPLICATION)
    cause = models.CharField(_("案由"), max_length=60)
    amount = models.DecimalField(_("标的额（元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    summary = models.TextField(_("纠纷概要"))
    intake_department = models.ForeignKey("org.Department", verbose_name=_("登记地点"), null=True, blank=True,
                                          on_delete=models.PROTECT, related_name="+",
                                          help_text=_("空白表示诉讼服务中心；人民法庭服务站选所在法庭"))
    committee = models.ForeignKey(Committee, verbose_name=_("人民调解委员会"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="disputes",
                                  help_text=_("人民调解委员会调解达成协议、申请司法确认的纠纷"))
    consent_to_mediation = models.BooleanField(_("同意调解"), default=False)
    registered_on = models.DateField(_("登记日期"), db_index=True, validators=[validate_not_future])
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="+")
    # triage (指导分流)
    route = models.CharField(_("分流方式"), max_length=20, choices=Route.choices, blank=True)
    triage_reason = models.CharField(_("分流理由"), max_length=200, blank=True)
    triaged_on = models.DateField(_("分流日期"), null=True, blank=True, validators=[validate_not_future])
    room = models.CharField(_("调解室"), max_length=20, choices=Room.choices, blank=True)
    mediator = models.ForeignKey(Mediator, verbose_name=_("调解员"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="disputes")
    studio = models.ForeignKey(Studio, verbose_name=_("法官工作室"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="disputes")
    # mediation period
    accepted_on = models.DateField(_("受理调解日期"), null=True, blank=True, validators=[validate_not_future])
    deadline_on = models.DateField(_("调解期限届满日"), null=True, blank=True)
    # outcome
    agreement_on = models.DateField(_("协议达成日期"), null=True, blank=True, validators=[validate_not_future])
    agreement_effective_on = models.DateField(_("协议生效日期"), null=True, blank=True)
    agreement_terms = models.TextField(_("协议内容"), blank=True)
    agreement_amount = models.DecimalField(_("协议金额（元）"), max_digits=14, decimal_places=2, null=True,
                                           blank=True)
    performance_deadline = models.DateField(_("履行期限"), null=True, blank=True)
    performed_on = models.DateField(_("履行完毕日期"), null=True, blank=True, validators=[validate_not_future])
    confirmation_applied_on = models.DateField(_("申请司法确认日期"), null=True, blank=True,
                                               validators=[validate_not_future])
    confirmation_number = models.CharField(_("司法确认案号"), max_length=40, blank=True)
    confirmation_case = models.OneToOneField("trials.Case", verbose_name=_("司法确认案件"), null=True, blank=True,
                                             on_delete=models.PROTECT, related_name="confirmation_dispute",
                                             help_text=_("申请司法确认时在审判系统中立的民特案件"))
    ruling = models.CharField(_("确认裁定"), max_length=20, choices=Ruling.choices, blank=True)
    ruling_on = models.DateField(_("裁定日期"), null=True, blank=True, validators=[validate_not_future])
    ruling_reason = models.TextField(_("裁定理由"), blank=True)
    ruled_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审查法官"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    ruling_clerk = models.ForeignKey("org.Person", verbose_name=_("书记员"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+",
                                     help_text=_("裁定书上署名的书记员"))
    ended_on = models.DateField(_("调解终结日期"), null=True, blank=True, validators=[validate_not_future],
                                help_text=_("调解不成或撤回的日期"))
    end_kind = models.CharField(_("终结方式"), max_length=20, blank=True,
                                choices=[(Status.FAILED, _("调解不成")), (Status.WITHDRAWN, _("撤回"))])
    end_reason = models.TextField(_("终结原因"), blank=True)
    filed_on = models.DateField(_("转立案日期"), null=True, blank=True, validators=[validate_not_future])
    filed_case = models.ForeignKey("trials.Case", verbose_name=_("立案案件"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="mediation_disputes")
    closed_on = models.DateField(_("结果日期"), null=True, blank=True, db_index=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = DisputeQuerySet.as_manager()

    class Meta:
        verbose_name = _("诉前调解案件")
        verbose_name_plural = _("诉前调解案件")
        ordering = ["-registered_on", "-id"]
        indexes = [models.Index(fields=["court", "-registered_on", "-id"], name="dispute_court_registered")]
        constraints = [
            models.UniqueConstraint(fields=["court", "number"], name="dispute_unique_number_per_court",
                                    violation_error_message=_("编号重复：本院已有相同编号的纠纷。")),
            models.CheckConstraint(condition=Q(amount__isnull=True) | Q(amount__gte=0),
                                   name="dispute_amount_not_negative",
                                   violation_error_message=_("标的额不能为负数。")),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def site_label(self) -> str:
        """登记地点: the tribunal's station or the centre."""
        dept = self.intake_department if self.intake_department_id else None
        return dept.name if dept is not None else str(_("诉讼服务中心"))

    @property
    def handler_label(self) -> str:
        """调解员或工作室."""
        if self.studio_id:
            return str(self.studio)
        if self.mediator_id:
            return str(self.mediator)
        return ""

    def days_left(self, today: date) -> int | None:
        if self.status != Status.MEDIATING or not self.deadline_on:
            return None
        return (self.deadline_on - today).days

    @property
    def confirmation_deadline(self) -> date | None:
        if not self.agreement_effective_on:
            return None
        return self.agreement_effective_on + timedelta(days=CONFIRMATION_WINDOW_DAYS)

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        if self.mediator and self.mediator.court_id != self.court_id:
            errors["mediator"] = _("调解员必须属于本院名册。")
        if self.studio and self.studio.court_id != self.court_id:
            errors["studio"] = _("法官工作室必须属于本院。")
        committee = self.committee if self.committee_id else None
        if committee is not None and committee.court_id != self.court_id:
            errors["committee"] = _("人民调解委员会必须是本院登记的。")
        if self.source == Source.COMMITTEE and not self.committee_id:
            errors["committee"] = _("来源为人民调解委员会调解的纠纷须选择调解委员会。")
        if self.kind == Kind.ENTRUSTED and not self.litigation_case_id:
            errors["litigation_case"] = _("诉中委托调解须指明委托调解的案件。")
        if self.intake_department and self.intake_department.court_id != self.court_id:
            errors["intake_department"] = _("登记地点必须是本院的部门或人民法庭。")
        elif self.intake_department_id and not Site.objects.filter(department_id=self.intake_department_id).exists():
            # every dispute is registered at a site: the centre (empty) or a tribunal's service station
            errors["intake_department"] = _("该部门没有诉讼服务站，请选择设有服务站的人民法庭，或留空（诉讼服务中心）。")
        if errors:
            raise ValidationError(errors)


class PartyRole(models.TextChoices):
    APPLICANT = "applicant", _("申请人")
    RESPONDENT = "respondent", _("被申请人")
    THIRD = "third", _("第三人")


class PartyKind(models.TextChoices):
    PERSON = "person", _("自然人")
    ORGANISATION = "organisation", _("法人或其他组织")


class DisputeParty(TimeStampedModel):
    """A party to a dispute with contacts and agent. A natural person is identified by a GB 11643 ID
    number, an organisation by its unified social credit code."""

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="parties")
    role = models.CharField(_("地位"), max_length=20, choices=PartyRole.choices)
    kind = models.CharField(_("类型"), max_length=20, choices=PartyKind.choices, default=PartyKind.PERSON)
    name = models.CharField(_("姓名或名称"), max_length=100)
    id_number = models.CharField(_("身份证号"), max_length=18, blank=True)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    representative = models.CharField(_("法定代表人"), max_length=40, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True, validators=[validate_phone])
    address = models.CharField(_("住所地"), max_length=200, blank=True)
    agent_name = models.CharField(_("委托代理人"), max_length=60, blank=True)
    agent_phone = models.CharField(_("代理人电话"), max_length=20, blank=True, validators=[validate_phone])
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("当事人")
        verbose_name_plural = _("当事人")
        ordering = ["dispute_id", "sort_order", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def id_masked(self) -> str:
        return mask_id_number(self.id_number) if self.kind == PartyKind.PERSON else self.credit_code

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        if self.kind == PartyKind.PERSON:
            self.id_number = normalize_id_number(self.id_number)
            self.credit_code = ""
            if not self.id_number:
                errors["id_number"] = _("自然人当事人须填写身份证号。")
            else:
                try:
                    validate_id_number(self.id_number)
                except ValidationError as exc:
                    errors["id_number"] = exc.messages
        else:
            self.credit_code = (self.credit_code or "").strip().upper()
            self.id_number = ""
            if not self.credit_code:
                errors["credit_code"] = _("法人或其他组织须填写统一社会信用代码。")
            else:
                try:
                    validate_credit_code(self.credit_code)
                except ValidationError as exc:
                    errors["credit_code"] = exc.messages
        if errors:
            raise ValidationError(errors)


class MediationSession(TimeStampedModel):
    """One mediation session (调解记录): when, where or online, who attended, what happened."""

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField(_("调解日期"), validators=[validate_not_future])
    online = models.BooleanField(_("线上调解"), default=False)
    place = models.CharField(_("地点"), max_length=100, blank=True)
    attendees = models.CharField(_("参加人员"), max_length=300)
    notes = models.TextField(_("调解情况"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("记录人"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("调解记录")
        verbose_name_plural = _("调解记录")
        ordering = ["dispute_id", "held_on", "id"]

    def __str__(self) -> str:
        return f"{self.dispute} {self.held_on}"


class DeadlineExtension(TimeStampedModel):
    """An extension of the mediation period, granted only with every party's recorded consent."""

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="extensions")
    days = models.PositiveSmallIntegerField(_("延长天数"))
    old_deadline = models.DateField(_("原期限"))
    new_deadline = models.DateField(_("新期限"))
    reason = models.CharField(_("理由"), max_length=200)
    granted_on = models.DateField(_("延长日期"), validators=[validate_not_future])

    class Meta:
        verbose_name = _("调解期限延长")
        verbose_name_plural = _("调解期限延长")
        ordering = ["dispute_id", "granted_on", "id"]

    def __str__(self) -> str:
        return f"{self.dispute} +{self.days}"


class ExtensionConsent(models.Model):
    """One party's consent to an extension, with how it was given."""

    extension = models.ForeignKey(DeadlineExtension, on_delete=models.CASCADE, related_name="consents")
    party = models.ForeignKey(DisputeParty, on_delete=models.CASCADE, related_name="+")
    consented_on = models.DateField(_("同意日期"), validators=[validate_not_future])
    method = models.CharField(_("方式"), max_length=60, default="书面同意")

    class Meta:
        verbose_name = _("当事人同意延长")
        verbose_name_plural = _("当事人同意延长")
        constraints = [models.UniqueConstraint(fields=["extension", "party"], name="extension_consent_unique")]

    def __str__(self) -> str:
        return f"{self.party} {self.consented_on}"


def material_path(instance, filename: str) -> str:
    return f"mediation/{instance.dispute.court_id}/{instance.dispute_id}/{filename}"


class Material(TimeStampedModel):
    """A material submitted in the dispute (起诉状、证据…); carried over to the case on transfer to filing."""

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="materials")
    title = models.CharField(_("材料名称"), max_length=100)
    submitted_by = models.CharField(_("提交人"), max_length=100, blank=True)
    pages = models.PositiveSmallIntegerField(_("页数"), null=True, blank=True)
    file = models.FileField(_("文件"), upload_to=material_path, blank=True)

    class Meta:
        verbose_name = _("材料")
        verbose_name_plural = _("材料")
        ordering = ["dispute_id", "id"]

    def __str__(self) -> str:
        return self.title


# --- the traffic-accident studio's data --------------------------------------------------------------


class ProvinceStatistic(TimeStampedModel):
    """A province's statistics for one year, as published by the provincial statistics bureau and used
    for personal-injury compensation (the figures of the previous statistical year apply)."""

    province = models.CharField(_("省份"), max_length=20)
    year = models.PositiveSmallIntegerField(_("统计年度"))
    urban_disposable_income = models.DecimalField(_("城镇居民人均可支配收入"), max_digits=12, decimal_places=2)
    rural_disposable_income = models.DecimalField(_("农村居民人均可支配收入"), max_digits=12, decimal_places=2)
    urban_consumption = models.DecimalField(_("城镇居民人均消费支出"), max_digits=12, decimal_places=2)
    rural_consumption = models.DecimalField(_("农村居民人均消费支出"), max_digits=12, decimal_places=2)
    average_wage = models.DecimalField(_("职工年平均工资"), max_digits=12, decimal_places=2)
    hospital_food_daily = models.DecimalField(_("住院伙食补助标准（元/日）"), max_digits=8, decimal_places=2,
                                              default=100)
    is_demo = models.BooleanField(_("演示数据"), default=False,
                                  help_text=_("演示数值，并非统计部门公布的数据，正式使用前须替换"))
    note = models.CharField(_("来源说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("省份年度统计数据")
        verbose_name_plural = _("省份年度统计数据")
        ordering = ["province", "-year"]
        constraints = [models.UniqueConstraint(fields=["province", "year"], name="province_statistic_unique",
                                               violation_error_message=_("该省份该年度的统计数据已存在。"))]

    def __str__(self) -> str:
        return f"{self.province} {self.year}"


class InsuranceHead(models.TextChoices):
    DEATH_DISABILITY = "death_disability", _("死亡伤残赔偿限额")
    MEDICAL = "medical", _("医疗费用赔偿限额")
    PROPERTY = "property", _("财产损失赔偿限额")


class InsuranceLimit(TimeStampedModel):
    """A limit of compulsory motor-vehicle insurance (交强险) per head, with the date it took effect and
    whether it applies when the insured vehicle is at fault (有责) or not (无责)."""

    head = models.CharField(_("限额项目"), max_length=20, choices=InsuranceHead.choices)
    at_fault = models.BooleanField(_("被保险人有责"))
    amount = models.DecimalField(_("限额（元）"), max_digits=12, decimal_places=2)
    effective_from = models.DateField(_("施行日期"))

    class Meta:
        verbose_name = _("交强险责任限额")
        verbose_name_plural = _("交强险责任限额")
        ordering = ["-effective_from", "head", "-at_fault"]
        constraints = [models.UniqueConstraint(fields=["head", "at_fault", "effective_from"],
                                               name="insurance_limit_unique")]

    def __str__(self) -> str:
        return f"{self.get_head_display()} {self.amount} ({self.effective_from})"


class TrafficCalculation(TimeStampedModel):
    """A damages calculation of the traffic studio: the inputs, the line-by-line working and the split between
    compulsory insurance, commercial insurance and the parties. Made on a dispute's calculator page it belongs
    to the dispute; made on the standalone page (a lawyer or party asking "how much?" before any dispute is
    registered) it is saved for the account that made it (`dispute` empty) and attached to a dispute later."""

    dispute = models.ForeignKey(Dispute, verbose_name=_("诉前调解案件"), null=True, blank=True,
                                on_delete=models.CASCADE, related_name="calculations")
    title = models.CharField(_("备注"), max_length=60, blank=True,
                             help_text=_("如当事人姓名或事故简况，便于以后附入案件时辨认"))
    inputs = models.JSONField(_("输入"))
    result = models.JSONField(_("计算结果"))
    total = models.DecimalField(_("损失合计"), max_digits=14, decimal_places=2)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("计算人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("交通事故损害赔偿计算")
        verbose_name_plural = _("交通事故损害赔偿计算")
        ordering = ["dispute_id", "-id"]

    def __str__(self) -> str:
        label = self.dispute.number if self.dispute is not None else (self.title or _("未附入案件"))
        return f"{label} · {self.total}"
