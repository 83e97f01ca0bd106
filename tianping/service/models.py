"""Service to the public (永葆丹心): case revisits with satisfaction ratings and their follow-ups, circuit trials
at places the court keeps, 法官六进 / legal-publicity events, 双包双联 partnerships and their visits, and
complaints about conduct.

Who sees which rows is each queryset's `scoped_to` (see service/policy.py for who may do what):
- 院领导, 政治部 and 审管办: the court's records (complaints: the political department and the handler only);
- a branch secretary: the records of the people on the rosters of the branches they lead;
- any other account linked to a person: their own records (the cases they handled, the trials they held, the
  events and visits they took part in);
- the higher court: figures only, never a record.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tianping.core.models import CourtScopedModel, CourtScopedQuerySet, TimeStampedModel
from tianping.core.validators import validate_not_future


# --- scope: who reaches which person's records ------------------------------------------------------------
def reach(user: Any) -> tuple[bool, set[int]]:
    """(whole court?, ids of the people whose records the user reaches besides the whole court)."""
    from tianping.core.roles import Role, has_role
    from tianping.core.scope import branch_person_ids

    if has_role(user, Role.LEADER, Role.PARTY_OFFICE, Role.TRIAL_OFFICE):
        return True, set()
    ids: set[int] = set()
    if has_role(user, Role.BRANCH_SECRETARY):
        ids |= branch_person_ids(user)
    person_id = getattr(user, "person_id", None)
    if person_id and has_role(user, Role.BRANCH_SECRETARY, Role.MEMBER, Role.MEDIATOR):
        ids.add(person_id)
    return False, ids


class PersonScopedQuerySet(CourtScopedQuerySet):
    """Rows of the user's court; narrowed to the people the user reaches through `person_fields` (any of
    them naming one of those people puts the row in scope)."""

    person_fields: tuple[str, ...] = ()

    def scoped_to(self, user: Any, action: str = "view") -> Any:
        base = super().scoped_to(user, action).filter(court_id=getattr(user, "court_id", None))
        whole, ids = reach(user)
        if whole:
            return base
        if not ids:
            return base.none()
        q = Q()
        for f in self.person_fields:
            q |= Q(**{f"{f}__in": ids})
        return base.filter(pk__in=base.filter(q).values("pk"))


# --- settings ----------------------------------------------------------------------------------------
class Rating(models.IntegerChoices):
    """The five satisfaction levels of a revisit (best first)."""

    VERY_SATISFIED = 5, _("非常满意")
    SATISFIED = 4, _("满意")
    BASIC = 3, _("基本满意")
    DISSATISFIED = 2, _("不满意")
    VERY_DISSATISFIED = 1, _("非常不满意")


DISSATISFIED_LEVELS = (Rating.DISSATISFIED, Rating.VERY_DISSATISFIED)


class ServiceSettings(TimeStampedModel):
    """A court's settings of its service work: which rating counts as satisfied (the common rule and the
    default: 基本满意 or better), how long a follow-up and a complaint may take."""

    court = models.OneToOneField("org.Court", on_delete=models.CASCADE, related_name="service_settings")
    satisfied_from = models.PositiveSmallIntegerField(
        _("计为满意的最低等级"), choices=Rating.choices, default=Rating.BASIC,
        help_text=_("满意率 = 评价为该等级及以上的人数 ÷ 作出评价的人数。通行做法为“基本满意”及以上。"))
    follow_up_days = models.PositiveIntegerField(_("回访问题处理期限（天）"), default=15,
                                                 validators=[MinValueValidator(1), MaxValueValidator(365)])
    complaint_days = models.PositiveIntegerField(_("投诉答复期限（天）"), default=30,
                                                 validators=[MinValueValidator(1), MaxValueValidator(365)])

    class Meta:
        verbose_name = _("司法为民设置")
        verbose_name_plural = _("司法为民设置")

    def __str__(self) -> str:
        return str(self.court)

    @classmethod
    def for_court(cls, court: Any) -> ServiceSettings:
        obj = cls.objects.filter(court=court).first()
        return obj if obj is not None else cls(court=court)


# --- case revisits ----------------------------------------------------------------------------------------
class SampleMethod(models.TextChoices):
    RANDOM = "random", _("随机抽取")
    JUDGE = "judge", _("按承办人")
    CASE_TYPE = "case_type", _("按案件类型")


class RevisitSampleQuerySet(PersonScopedQuerySet):
    person_fields = ("assignments__case__judge", "assignments__caller", "drawn_by__person")


class RevisitSample(CourtScopedModel):
    """One drawing of closed cases to revisit: the criteria, the population size and the random seed are
    recorded, so drawing again with the same seed from the same cases gives the same sample."""

    title = models.CharField(_("名称"), max_length=80)
    method = models.CharField(_("抽取方式"), max_length=20, choices=SampleMethod.choices, default=SampleMethod.RANDOM)
    closed_from = models.DateField(_("结案日期自"))
    closed_to = models.DateField(_("结案日期至"))
    judge = models.ForeignKey("org.Person", verbose_name=_("承办人"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    type_code = models.CharField(_("案件类型代字"), max_length=10, blank=True)
    department = models.ForeignKey("org.Department", verbose_name=_("承办部门"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    size = models.PositiveIntegerField(_("抽取件数"), validators=[MinValueValidator(1), MaxValueValidator(2000)])
    seed = models.BigIntegerField(_("随机种子"))
    population = models.PositiveIntegerField(_("符合条件的案件数"), default=0)
    drawn_on = models.DateField(_("抽取日期"))
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("抽取人"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")

    objects = RevisitSampleQuerySet.as_manager()

    class Meta:
        verbose_name = _("回访抽样")
        verbose_name_plural = _("回访抽样")
        ordering = ["-drawn_on", "-id"]

    def __str__(self) -> str:
        return self.title


class RevisitAssignmentQuerySet(PersonScopedQuerySet):
    person_fields = ("case__judge", "caller")


class RevisitAssignment(CourtScopedModel):
    """One case of a sample and who is to call its parties (回访任务)."""

    sample = models.ForeignKey(RevisitSample, verbose_name=_("抽样"), on_delete=models.CASCADE,
                               related_name="assignments")
    case = models.ForeignKey("trials.Case", verbose_name=_("案件"), on_delete=models.PROTECT, related_name="+")
    caller = models.ForeignKey("org.Person", verbose_name=_("回访人"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    position = models.PositiveIntegerField(_("抽取顺序"), default=0)

    objects = RevisitAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("回访任务")
        verbose_name_plural = _("回访任务")
        ordering = ["sample", "position"]
        constraints = [models.UniqueConstraint(fields=["sample", "case"], name="service_assignment_once",
                                               violation_error_message=_("该案件已在本次抽样中。"))]

    def __str__(self) -> str:
        return f"{self.sample} {self.case}"


class RevisitMethod(models.TextChoices):
    PHONE = "phone", _("电话")
    VISIT = "visit", _("上门")
    SMS = "sms", _("短信")
    AT_COURT = "court", _("来院")
    ONLINE = "online", _("网络")


class Relation(models.TextChoices):
    PLAINTIFF = "plaintiff", _("原告")
    DEFENDANT = "defendant", _("被告")
    APPELLANT = "appellant", _("上诉人")
    APPELLEE = "appellee", _("被上诉人")
    APPLICANT = "applicant", _("申请人")
    RESPONDENT = "respondent", _("被申请人")
    THIRD_PARTY = "third", _("第三人")
    OTHER = "other", _("其他")


class RevisitQuerySet(PersonScopedQuerySet):
    person_fields = ("case__judge", "caller")


class Revisit(CourtScopedModel):
    """One person contacted about a closed case (回访记录): when, how, by whom, who was reached, the rating."""

    case = models.ForeignKey("trials.Case", verbose_name=_("案件"), on_delete=models.PROTECT, related_name="+")
    assignment = models.ForeignKey(RevisitAssignment, verbose_name=_("回访任务"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="revisits")
    revisited_on = models.DateField(_("回访日期"), validators=[validate_not_future])
    method = models.CharField(_("回访方式"), max_length=10, choices=RevisitMethod.choices)
    caller = models.ForeignKey("org.Person", verbose_name=_("回访人"), on_delete=models.PROTECT, related_name="+")
    contact_name = models.CharField(_("被回访人"), max_length=40)
    relation = models.CharField(_("与案件关系"), max_length=12, choices=Relation.choices)
    rating = models.PositiveSmallIntegerField(_("满意度"), choices=Rating.choices, null=True, blank=True,
                                              help_text=_("被回访人未作评价时留空（不计入满意率）。"))
    comments = models.TextField(_("意见建议"), blank=True, max_length=1000)
    handling = models.TextField(_("处理情况"), blank=True, max_length=1000)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = RevisitQuerySet.as_manager()

    class Meta:
        verbose_name = _("回访记录")
        verbose_name_plural = _("回访记录")
        ordering = ["-revisited_on", "-id"]
        constraints = [models.UniqueConstraint(
            fields=["case", "contact_name", "revisited_on"], name="service_revisit_once",
            violation_error_message=_("同一案件、同一被回访人、同一日期的回访已登记。"))]
        indexes = [models.Index(fields=["court", "revisited_on"])]

    def __str__(self) -> str:
        return f"{self.case} {self.contact_name} {self.revisited_on}"

    @property
    def dissatisfied(self) -> bool:
        return self.rating in DISSATISFIED_LEVELS

    def clean(self) -> None:
        if self.case_id and self.revisited_on and self.case.closed_on and self.revisited_on < self.case.closed_on:
            raise ValidationError({"revisited_on": _("回访日期早于结案日期（%(d)s），请核对。")
                                   % {"d": self.case.closed_on.isoformat()}})


class FollowUpStatus(models.TextChoices):
    OPEN = "open", _("处理中")
    CLOSED = "closed", _("已办结")


class FollowUpQuerySet(PersonScopedQuerySet):
    person_fields = ("revisit__case__judge", "revisit__caller", "owner")


class FollowUp(CourtScopedModel):
    """A problem raised in a revisit (every 不满意 / 非常不满意 rating raises one): its owner, deadline and the
    answer given to the person when it is closed."""

    revisit = models.OneToOneField(Revisit, verbose_name=_("回访记录"), on_delete=models.PROTECT,
                                   related_name="follow_up")
    problem = models.TextField(_("反映的问题"), max_length=1000)
    owner = models.ForeignKey("org.Person", verbose_name=_("责任人"), on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField(_("办结期限"))
    status = models.CharField(_("状态"), max_length=10, choices=FollowUpStatus.choices, default=FollowUpStatus.OPEN)
    answer = models.TextField(_("答复情况"), blank=True, max_length=1000)
    closed_on = models.DateField(_("办结日期"), null=True, blank=True, validators=[validate_not_future])
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("办结登记人"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        verbose_name = _("回访问题整改")
        verbose_name_plural = _("回访问题整改")
        ordering = ["status", "due_on", "id"]

    def __str__(self) -> str:
        return f"{self.revisit} → {self.owner}"


# --- circuit trials -----------------------------------------------------------------------------------
class PlaceKind(models.TextChoices):
    VILLAGE = "village", _("村居")
    TRAFFIC = "traffic", _("交通巡回法庭")
    MARKET = "market", _("集市")
    COMMUNITY = "community", _("社区")
    ENTERPRISE = "enterprise", _("企业")
    OTHER = "other", _("其他")


class CircuitPlaceQuerySet(CourtScopedQuerySet):
    def scoped_to(self, user: Any, action: str = "view") -> Any:
        return super().scoped_to(user, action).filter(court_id=getattr(user, "court_id", None))


class CircuitPlace(CourtScopedModel):
    """A place where the court holds circuit trials (a village, the traffic circuit tribunal, a market),
    kept as a list by the court and shown by township."""

    township = models.CharField(_("乡镇街道"), max_length=40)
    name = models.CharField(_("地点"), max_length=80)
    kind = models.CharField(_("类型"), max_length=12, choices=PlaceKind.choices, default=PlaceKind.VILLAGE)
    active = models.BooleanField(_("启用"), default=True)

    objects = CircuitPlaceQuerySet.as_manager()

    class Meta:
        verbose_name = _("巡回审判地点")
        verbose_name_plural = _("巡回审判地点")
        ordering = ["township", "name"]
        constraints = [models.UniqueConstraint(fields=["court", "township", "name"], name="service_place_once",
                                               violation_error_message=_("该乡镇街道已有同名地点。"))]

    def __str__(self) -> str:
        return f"{self.township}·{self.name}"


class CircuitForm(models.TextChoices):
    HEARING = "hearing", _("巡回开庭")
    MEDIATION = "mediation", _("巡回调解")
    PRONOUNCEMENT = "pronouncement", _("就地宣判")


class CircuitTrialQuerySet(PersonScopedQuerySet):
    person_fields = ("judge",)


class CircuitTrial(CourtScopedModel):
    """A hearing, mediation or pronouncement held away from the court (巡回审判)."""

    held_on = models.DateField(_("日期"), validators=[validate_not_future])
    form = models.CharField(_("形式"), max_length=14, choices=CircuitForm.choices)
    case = models.ForeignKey("trials.Case", verbose_name=_("案件"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    place = models.ForeignKey(CircuitPlace, verbose_name=_("地点"), on_delete=models.PROTECT, related_name="trials")
    department = models.ForeignKey("org.Department", verbose_name=_("承办部门"), on_delete=models.PROTECT,
                                   related_name="+")
    judge = models.ForeignKey("org.Person", verbose_name=_("承办人"), on_delete=models.PROTECT, related_name="+")
    audience = models.PositiveIntegerField(_("旁听人数"), default=0, validators=[MaxValueValidator(100000)])
    note = models.CharField(_("备注"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")

    objects = CircuitTrialQuerySet.as_manager()

    class Meta:
        verbose_name = _("巡回审判")
        verbose_name_plural = _("巡回审判")
        ordering = ["-held_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["court", "held_on", "place", "judge", "form"],
                                               name="service_circuit_once",
                                               violation_error_message=_("同一日期、地点、承办人的同一形式巡回审判已登记。"))]

    def __str__(self) -> str:
        return f"{self.held_on} {self.place} {self.get_form_display()}"


# --- 法官六进 and legal publicity -----------------------------------------------------------------------
class OutreachKind(models.TextChoices):
    PUBLICITY = "publicity", _("法制宣传")
    MARKET = "market", _("赶大集")
    ORGANS = "organs", _("法官进机关")
    VILLAGES = "villages", _("法官进乡村")
    COMMUNITIES = "communities", _("法官进社区")
    SCHOOLS = "schools", _("法官进学校")
    ENTERPRISES = "enterprises", _("法官进企业")
    UNITS = "units", _("法官进单位")


class OutreachEventQuerySet(PersonScopedQuerySet):
    person_fields = ("participants",)


class OutreachEvent(CourtScopedModel):
    """A legal-publicity event or a 法官六进 visit; the staff taking part get points (rule `outreach_event`)."""

    held_on = models.DateField(_("日期"), validators=[validate_not_future])
    title = models.CharField(_("活动名称"), max_length=100)
    kind = models.CharField(_("活动类型"), max_length=12, choices=OutreachKind.choices)
    place = models.CharField(_("地点"), max_length=100)
    department = models.ForeignKey("org.Department", verbose_name=_("组织部门"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    branch = models.ForeignKey("party.PartyOrganisation", verbose_name=_("组织支部"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    participants = models.ManyToManyField("org.Person", verbose_name=_("参加人员"), related_name="+")
    audience = models.PositiveIntegerField(_("受众人数"), default=0, validators=[MaxValueValidator(1000000)])
    materials = models.PositiveIntegerField(_("发放材料份数"), default=0, validators=[MaxValueValidator(1000000)])
    note = models.CharField(_("备注"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")

    objects = OutreachEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("法官六进与法制宣传")
        verbose_name_plural = _("法官六进与法制宣传")
        ordering = ["-held_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["court", "held_on", "title"], name="service_outreach_once",
                                               violation_error_message=_("同一日期的同名活动已登记。"))]

    def __str__(self) -> str:
        return f"{self.held_on} {self.title}"

    @property
    def organiser_label(self) -> str:
        if self.branch is not None:
            return self.branch.name
        return self.department.name if self.department is not None else ""


# --- 双包双联 ---------------------------------------------------------------------------------------------
class PartnerKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("企业")
    VILLAGE = "village", _("村居")
    COMMUNITY = "community", _("社区")
    SCHOOL = "school", _("学校")
    OTHER = "other", _("其他")


class PartnershipQuerySet(PersonScopedQuerySet):
    person_fields = ("leader", "visits__visitors")

    def scoped_to(self, user: Any, action: str = "view") -> Any:
        from tianping.core.roles import Role, has_role

        qs = super().scoped_to(user, action)
        if has_role(user, Role.BRANCH_SECRETARY) and not reach(user)[0]:
            from tianping.party.selectors import branches_led_by

            base = CourtScopedQuerySet.scoped_to(self, user, action).filter(court_id=user.court_id)
            qs = base.filter(Q(pk__in=qs.values("pk")) | Q(branch__in=branches_led_by(user)))
        return qs


class Partnership(CourtScopedModel):
    """A pairing (双包双联) of a party branch or a leader with an enterprise, village or community."""

    partner = models.CharField(_("联系点"), max_length=80)
    partner_kind = models.CharField(_("联系点类型"), max_length=12, choices=PartnerKind.choices)
    branch = models.ForeignKey("party.PartyOrganisation", verbose_name=_("结对支部"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    leader = models.ForeignKey("org.Person", verbose_name=_("结对领导"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    start = models.DateField(_("结对起始日期"))
    end = models.DateField(_("结对结束日期"), null=True, blank=True)

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("双包双联结对")
        verbose_name_plural = _("双包双联结对")
        ordering = ["partner"]
        constraints = [
            models.CheckConstraint(condition=Q(branch__isnull=False) | Q(leader__isnull=False),
                                   name="service_partnership_pair",
                                   violation_error_message=_("请填写结对支部或结对领导。")),
            models.UniqueConstraint(fields=["court", "partner", "start"], name="service_partnership_once",
                                    violation_error_message=_("该联系点同一起始日期的结对已登记。")),
        ]

    def __str__(self) -> str:
        return f"{self.partner}（{self.paired_label}）"

    @property
    def paired_label(self) -> str:
        if self.branch is not None:
            return self.branch.name
        return self.leader.name if self.leader is not None else ""

    def active_on(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)

    def clean(self) -> None:
        if self.end and self.start and self.end < self.start:
            raise ValidationError({"end": _("结束日期早于起始日期。")})


class PartnerVisitQuerySet(PersonScopedQuerySet):
    person_fields = ("visitors", "partnership__leader")

    def scoped_to(self, user: Any, action: str = "view") -> Any:
        from tianping.core.roles import Role, has_role

        qs = super().scoped_to(user, action)
        if has_role(user, Role.BRANCH_SECRETARY) and not reach(user)[0]:
            from tianping.party.selectors import branches_led_by

            base = CourtScopedQuerySet.scoped_to(self, user, action).filter(court_id=user.court_id)
            qs = base.filter(Q(pk__in=qs.values("pk")) | Q(partnership__branch__in=branches_led_by(user)))
        return qs


class PartnerVisit(CourtScopedModel):
    """One visit to a paired enterprise or village: who went, what was asked, what was solved."""

    partnership = models.ForeignKey(Partnership, verbose_name=_("结对"), on_delete=models.PROTECT,
                                    related_name="visits")
    visited_on = models.DateField(_("日期"), validators=[validate_not_future])
    visitors = models.ManyToManyField("org.Person", verbose_name=_("走访人员"), related_name="+")
    matters = models.TextField(_("走访事项"), max_length=1000)
    solved = models.TextField(_("解决问题"), blank=True, max_length=1000)
    follow_up = models.CharField(_("后续跟进"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")

    objects = PartnerVisitQuerySet.as_manager()

    class Meta:
        verbose_name = _("双包双联走访")
        verbose_name_plural = _("双包双联走访")
        ordering = ["-visited_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["partnership", "visited_on"], name="service_visit_once",
                                               violation_error_message=_("该联系点当日的走访已登记。"))]

    def __str__(self) -> str:
        return f"{self.visited_on} {self.partnership.partner}"


# --- complaints about conduct -----------------------------------------------------------------------------
class ComplaintCategory(models.TextChoices):
    SIX_THREE = "six_three", _("六难三案")
    FOUR_WINDS = "four_winds", _("四风问题")
    RUDENESS = "rudeness", _("态度生硬")
    DELAY = "delay", _("拖延办案")
    OTHER = "other", _("其他")


class ComplaintChannel(models.TextChoices):
    LETTER = "letter", _("来信")
    VISIT = "visit", _("来访")
    PHONE = "phone", _("电话")
    HOTLINE = "hotline", _("12368 热线")
    ONLINE = "online", _("网络")
    BOX = "box", _("意见箱")


class ComplaintStatus(models.TextChoices):
    RECEIVED = "received", _("已登记")
    ASSIGNED = "assigned", _("办理中")
    ANSWERED = "answered", _("已答复")
    CLOSED = "closed", _("已办结")


class ComplaintQuerySet(CourtScopedQuerySet):
    def scoped_to(self, user: Any, action: str = "view") -> Any:
        """The political department: all of the court's; the handler: those assigned to them; the person
        complained about: only after closing."""
        from tianping.core.roles import Role, has_role

        base = super().scoped_to(user, action).filter(court_id=getattr(user, "court_id", None))
        if has_role(user, Role.PARTY_OFFICE):
            return base
        person_id = getattr(user, "person_id", None)
        if not person_id:
            return base.none()
        return base.filter(Q(handler_id=person_id) | Q(subject_id=person_id, status=ComplaintStatus.CLOSED))


class Complaint(CourtScopedModel):
    """A complaint about a staff member's conduct (六难三案, 四风, rudeness, delay): received, assigned,
    answered within the deadline, found substantiated or not."""

    received_on = models.DateField(_("收到日期"), validators=[validate_not_future])
    channel = models.CharField(_("来源渠道"), max_length=10, choices=ComplaintChannel.choices)
    category = models.CharField(_("投诉类别"), max_length=12, choices=ComplaintCategory.choices)
    complainant = models.CharField(_("投诉人"), max_length=40, blank=True, help_text=_("匿名投诉留空。"))
    subject = models.ForeignKey("org.Person", verbose_name=_("被投诉人"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+", help_text=_("不能确定时留空。"))
    case = models.ForeignKey("trials.Case", verbose_name=_("涉及案件"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    summary = models.TextField(_("投诉内容"), max_length=2000)
    status = models.CharField(_("状态"), max_length=10, choices=ComplaintStatus.choices,
                              default=ComplaintStatus.RECEIVED)
    due_on = models.DateField(_("答复期限"))
    handler = models.ForeignKey("org.Person", verbose_name=_("承办人"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    assigned_on = models.DateField(_("交办日期"), null=True, blank=True)
    answered_on = models.DateField(_("答复日期"), null=True, blank=True, validators=[validate_not_future])
    answer_method = models.CharField(_("答复方式"), max_length=10, choices=ComplaintChannel.choices, blank=True)
    answer = models.TextField(_("答复内容"), blank=True, max_length=2000)
    substantiated = models.BooleanField(_("是否属实"), null=True, blank=True)
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ComplaintQuerySet.as_manager()

    class Meta:
        verbose_name = _("作风投诉")
        verbose_name_plural = _("作风投诉")
        ordering = ["-received_on", "-id"]

    def __str__(self) -> str:
        return f"{self.received_on} {self.get_category_display()}"

    def days_left(self, today: date) -> int:
        return (self.due_on - today).days


def due_after(day: date, days: int) -> date:
    return day + timedelta(days=days)
