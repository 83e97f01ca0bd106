"""Pioneer posts (党员先锋岗), honours (表彰奖励), selections by secret ballot (评选), and the showcase: the lobby
screen, venues with their bookings and the online party column (网上党建专栏 / 党廉信息港).

Why one app: the four are one chain in the seed's 不忘初心 — a post is held and evaluated (三比三创), the
evaluation feeds a yearly selection, the selection's result is an honour, and the posts, honours and brands are
what the lobby screen, the display boards and the column show. Venues live here too: they are the physical half
of the same showcase (党建文化长廊, 党廉信息港, activity rooms); a meeting books one through this app, so
partylife stays unchanged."""

from __future__ import annotations

import secrets
import uuid
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tianping.core.models import CourtScopedModel, CourtScopedQuerySet, TimeStampedModel
from tianping.core.policy import PolicyQuerySet


def _stored_name(instance: Any, filename: str, folder: str) -> str:
    ext = filename.rsplit(".", 1)[-1].lower()[:8] if "." in filename else "bin"
    court_id = getattr(instance, "court_id", None) or getattr(getattr(instance, "article", None), "court_id", 0)
    return f"honours/{folder}/{court_id or 0}/{secrets.token_hex(8)}.{ext}"


def certificate_path(instance: Any, filename: str) -> str:
    return _stored_name(instance, filename, "certificates")


def photo_path(instance: Any, filename: str) -> str:
    return _stored_name(instance, filename, "photos")


def attachment_path(instance: Any, filename: str) -> str:
    return _stored_name(instance, filename, "articles")


class ParentRowQuerySet(PolicyQuerySet):
    """Rows that belong to a court-scoped parent (`parent_field`): in scope when their parent's court is."""

    parent_field = ""

    def scoped_to(self, user: Any, action: str = "view") -> Any:
        from tianping.core.scope import readable_court_ids

        ids = readable_court_ids(user)
        if ids is None:
            return self.all()
        return self.filter(**{f"{self.parent_field}__court_id__in": ids})


class PostRowQuerySet(ParentRowQuerySet):
    parent_field = "post"


class SelectionRowQuerySet(ParentRowQuerySet):
    parent_field = "selection"


class VenueRowQuerySet(ParentRowQuerySet):
    parent_field = "venue"


class ArticleRowQuerySet(ParentRowQuerySet):
    parent_field = "article"


# --- honours ------------------------------------------------------------------------------------------------
class HonourLevel(models.TextChoices):
    NATIONAL = "national", _("国家级")
    PROVINCIAL = "provincial", _("省级")
    CITY = "city", _("市级")
    COUNTY = "county", _("区县级")
    COURT = "court", _("院级")


class HolderKind(models.TextChoices):
    PERSON = "person", _("个人")
    DEPARTMENT = "department", _("部门")
    BRANCH = "branch", _("党组织")
    COURT = "court", _("本院")


class HonourSource(models.TextChoices):
    MANUAL = "manual", _("登记")
    IMPORT = "import", _("导入")
    TRIAL_FIGURES = "trial_figures", _("三比候选")
    SELECTION = "selection", _("评选")


# the titles awarded from the trial page's candidate lists (trials.selectors.candidates)
EXPERT_TITLES = {"expert": "办案能手", "mediator": "调解能手"}


class Honour(CourtScopedModel):
    """One honour (表彰奖励) the court, a department, a party organisation or a person received: its name,
    level, issuing body, date, the certificate number and a scan of the certificate."""

    name = models.CharField(_("荣誉名称"), max_length=100)
    level = models.CharField(_("级别"), max_length=12, choices=HonourLevel.choices)
    issuer = models.CharField(_("授予机关"), max_length=100)
    awarded_on = models.DateField(_("授予日期"), db_index=True)
    holder_kind = models.CharField(_("获得者类型"), max_length=12, choices=HolderKind.choices)
    person = models.ForeignKey("org.Person", verbose_name=_("获得者（个人）"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="honours")
    department = models.ForeignKey("org.Department", verbose_name=_("获得者（部门）"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="honours")
    organisation = models.ForeignKey("party.PartyOrganisation", verbose_name=_("获得者（党组织）"), null=True,
                                     blank=True, on_delete=models.PROTECT, related_name="honours")
    certificate_number = models.CharField(_("证书编号"), max_length=60, blank=True)
    certificate = models.FileField(_("证书扫描件"), upload_to=certificate_path, max_length=300, blank=True)
    certificate_type = models.CharField(max_length=60, blank=True, editable=False)
    source = models.CharField(_("来源"), max_length=16, choices=HonourSource.choices, default=HonourSource.MANUAL)
    selection = models.ForeignKey("Selection", verbose_name=_("评选"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="honours")
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("表彰奖励")
        verbose_name_plural = _("表彰奖励")
        ordering = ["-awarded_on", "name"]
        indexes = [models.Index(fields=["court", "awarded_on"])]

    def __str__(self) -> str:
        return f"{self.holder_name} · {self.name}"

    @property
    def is_collective(self) -> bool:
        return self.holder_kind != HolderKind.PERSON

    @property
    def holder_name(self) -> str:
        if self.holder_kind == HolderKind.PERSON and self.person is not None:
            return self.person.name
        if self.holder_kind == HolderKind.DEPARTMENT and self.department is not None:
            return self.department.name
        if self.holder_kind == HolderKind.BRANCH and self.organisation is not None:
            return self.organisation.name
        return str(_("本院")) if self.holder_kind == HolderKind.COURT else ""

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        wanted = {HolderKind.PERSON: "person", HolderKind.DEPARTMENT: "department",
                  HolderKind.BRANCH: "organisation"}.get(self.holder_kind)  # type: ignore[call-overload]
        for name in ("person", "department", "organisation"):
            filled = getattr(self, f"{name}_id") is not None
            if name == wanted and not filled:
                errors[name] = _("请选择获得表彰的%(k)s。") % {"k": self.get_holder_kind_display()}
            elif name != wanted and filled:
                setattr(self, name, None)
            elif filled and self.court_id and getattr(self, name).court_id != self.court_id:
                errors[name] = _("获得者必须属于本院。")
        if errors:
            raise ValidationError(errors)


# --- pioneer posts --------------------------------------------------------------------------------------------
class PostWindow(models.TextChoices):
    FILING = "filing", _("立案")
    PETITION = "petition", _("信访")
    TRIAL = "trial", _("审判")
    ENFORCEMENT = "enforcement", _("执行")
    OTHER = "other", _("其他")


class PioneerPost(CourtScopedModel):
    """A 党员先锋岗: a window or role of the court (立案 / 信访 / 审判 / 执行 …) held by named party members who
    show their identity, pledge and brand (亮身份 / 亮承诺 / 亮品牌)."""

    name = models.CharField(_("岗位名称"), max_length=60)
    window = models.CharField(_("岗位类型"), max_length=12, choices=PostWindow.choices)
    department = models.ForeignKey("org.Department", verbose_name=_("所在部门"), on_delete=models.PROTECT,
                                   related_name="pioneer_posts")
    identity_text = models.CharField(_("亮身份"), max_length=200, blank=True,
                                     help_text=_("如：共产党员 · 立案窗口 · 佩戴党徽上岗"))
    brand_text = models.CharField(_("亮品牌"), max_length=200, blank=True)
    photo = models.FileField(_("岗位照片"), upload_to=photo_path, max_length=300, blank=True)
    photo_type = models.CharField(max_length=60, blank=True, editable=False)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("党员先锋岗")
        verbose_name_plural = _("党员先锋岗")
        ordering = ["court", "window", "name"]
        constraints = [
            models.UniqueConstraint(fields=["court", "name"], name="pioneer_post_unique_name_per_court",
                                    violation_error_message=_("本院已有同名先锋岗，请换一个名称。")),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.department_id and self.court_id and self.department.court_id != self.court_id:
            raise ValidationError({"department": _("所在部门必须属于本院。")})


class PostHolder(TimeStampedModel):
    """A party member holding a pioneer post from a date (to a date), with the pledge shown at the post."""

    post = models.ForeignKey(PioneerPost, verbose_name=_("先锋岗"), on_delete=models.CASCADE, related_name="holders")
    person = models.ForeignKey("org.Person", verbose_name=_("党员"), on_delete=models.PROTECT,
                               related_name="pioneer_posts_held")
    pledge = models.CharField(_("承诺"), max_length=300, blank=True)
    start = models.DateField(_("开始日期"))
    end = models.DateField(_("结束日期"), null=True, blank=True)

    objects = PostRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("先锋岗党员")
        verbose_name_plural = _("先锋岗党员")
        ordering = ["post", "-start"]
        constraints = [
            models.CheckConstraint(condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                                   name="post_holder_end_after_start",
                                   violation_error_message=_("结束日期不能早于开始日期。")),
        ]

    def __str__(self) -> str:
        return f"{self.post} {self.person}"


class PostEvaluation(TimeStampedModel):
    """The yearly 三比三创 evaluation of a post by its branch: 比党性、比作风、比奉献 scored 0–100, a comment."""

    post = models.ForeignKey(PioneerPost, verbose_name=_("先锋岗"), on_delete=models.CASCADE,
                             related_name="evaluations")
    year = models.PositiveIntegerField(_("年度"))
    score_party = models.PositiveSmallIntegerField(_("比党性"), validators=[MaxValueValidator(100)])
    score_style = models.PositiveSmallIntegerField(_("比作风"), validators=[MaxValueValidator(100)])
    score_devotion = models.PositiveSmallIntegerField(_("比奉献"), validators=[MaxValueValidator(100)])
    comment = models.CharField(_("评语"), max_length=300, blank=True)
    evaluated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("评价人"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")

    objects = PostRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("三比三创评价")
        verbose_name_plural = _("三比三创评价")
        ordering = ["-year", "post"]
        constraints = [models.UniqueConstraint(fields=["post", "year"], name="post_evaluation_once_a_year",
                                               violation_error_message=_("该岗位本年度已有评价，请修改原评价。"))]

    def __str__(self) -> str:
        return f"{self.post} {self.year}"

    @property
    def total(self) -> int:
        return self.score_party + self.score_style + self.score_devotion


# --- selections ---------------------------------------------------------------------------------------------
class SelectionKind(models.TextChoices):
    POST_REPRESENTATIVE = "post_rep", _("优秀党员先锋岗代表")
    EXCELLENT_MEMBER = "excellent_member", _("优秀共产党员")
    CLEAN_SPOUSE = "clean_spouse", _("廉内助")
    CLEAN_FAMILY = "clean_family", _("廉洁家庭")
    OTHER = "other", _("其他")


class SelectionStatus(models.TextChoices):
    NOMINATING = "nominating", _("提名中")
    VOTING = "voting", _("投票中")
    COUNTED = "counted", _("已计票")
    PUBLICITY = "publicity", _("公示中")
    FINAL = "final", _("已确定")
    CANCELLED = "cancelled", _("已取消")


class Electorate(models.TextChoices):
    PARTY_MEMBERS = "party_members", _("全院党员")
    STAFF = "staff", _("全院干警")


class Selection(CourtScopedModel):
    """A selection (评选) by secret ballot: nominations, a shortlist published to the voters, one ballot per
    eligible voter, a count anyone entitled can re-run, 公示 with objections, then the honours."""

    title = models.CharField(_("评选名称"), max_length=100)
    kind = models.CharField(_("评选类别"), max_length=20, choices=SelectionKind.choices)
    year = models.PositiveIntegerField(_("年度"))
    honour_name = models.CharField(_("授予荣誉"), max_length=100)
    honour_level = models.CharField(_("荣誉级别"), max_length=12, choices=HonourLevel.choices,
                                    default=HonourLevel.COURT)
    issuer = models.CharField(_("授予机关"), max_length=100, default="机关党委")
    seats = models.PositiveSmallIntegerField(_("名额"), validators=[MinValueValidator(1)])
    max_choices = models.PositiveSmallIntegerField(_("每票最多可选"), validators=[MinValueValidator(1)],
                                                   help_text=_("一般等于名额"))
    electorate = models.CharField(_("投票人范围"), max_length=16, choices=Electorate.choices,
                                  default=Electorate.PARTY_MEMBERS)
    status = models.CharField(_("状态"), max_length=12, choices=SelectionStatus.choices,
                              default=SelectionStatus.NOMINATING)
    voting_opened_at = models.DateTimeField(_("投票开始"), null=True, blank=True)
    voting_closed_at = models.DateTimeField(_("投票结束"), null=True, blank=True)
    publicity_start = models.DateField(_("公示开始"), null=True, blank=True)
    publicity_end = models.DateField(_("公示截止"), null=True, blank=True)
    finalised_on = models.DateField(_("确定日期"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("评选")
        verbose_name_plural = _("评选")
        ordering = ["-year", "-id"]

    def __str__(self) -> str:
        return self.title


class NominatedBy(models.TextChoices):
    BRANCH = "branch", _("支部推荐")
    SELF = "self", _("个人自荐")


class Nomination(TimeStampedModel):
    """A nominee of a selection: who, nominated by a branch or by themselves, why; on the shortlist or not."""

    selection = models.ForeignKey(Selection, verbose_name=_("评选"), on_delete=models.CASCADE,
                                  related_name="nominations")
    person = models.ForeignKey("org.Person", verbose_name=_("被提名人"), on_delete=models.PROTECT,
                               related_name="nominations")
    nominated_by = models.CharField(_("提名方式"), max_length=10, choices=NominatedBy.choices)
    organisation = models.ForeignKey("party.PartyOrganisation", verbose_name=_("推荐支部"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("推荐理由"), max_length=1000)
    shortlisted = models.BooleanField(_("列入候选人名单"), default=False)

    objects = SelectionRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("提名")
        verbose_name_plural = _("提名")
        ordering = ["selection", "id"]
        constraints = [models.UniqueConstraint(fields=["selection", "person"], name="nomination_once_per_person",
                                               violation_error_message=_("此人已被提名，不能重复提名。"))]

    def __str__(self) -> str:
        return f"{self.selection} {self.person}"


class Voter(models.Model):
    """One eligible voter of a selection and whether they have voted — nothing else: no time, no ballot.
    (A time would let one match voters to ballots by order; the ballot carries no voter.)"""

    selection = models.ForeignKey(Selection, verbose_name=_("评选"), on_delete=models.CASCADE,
                                  related_name="voters")
    person = models.ForeignKey("org.Person", verbose_name=_("投票人"), on_delete=models.PROTECT, related_name="+")
    voted = models.BooleanField(_("已投票"), default=False)

    objects = SelectionRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("投票人")
        verbose_name_plural = _("投票人")
        constraints = [models.UniqueConstraint(fields=["selection", "person"], name="voter_once_per_selection")]

    def __str__(self) -> str:
        return f"{self.selection} {self.person}"


class Ballot(models.Model):
    """One cast ballot: the shortlisted nominations it marks, and nothing that names or orders its voter —
    a random id (not a sequence), no timestamp, no account."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    selection = models.ForeignKey(Selection, verbose_name=_("评选"), on_delete=models.CASCADE,
                                  related_name="ballots")
    choices = models.JSONField(_("所选候选人"), default=list, blank=True)

    objects = SelectionRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("选票")
        verbose_name_plural = _("选票")
        ordering = ["id"]

    def __str__(self) -> str:
        return str(self.id)


class CountRun(TimeStampedModel):
    """One count of a selection's stored ballots: who counted, the tallies and who was elected. A re-count is
    another row; each must agree with the first (a disagreement would mean the ballots changed)."""

    selection = models.ForeignKey(Selection, verbose_name=_("评选"), on_delete=models.CASCADE,
                                  related_name="counts")
    counted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("计票人"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    ballots = models.PositiveIntegerField(_("有效票数"))
    voters = models.PositiveIntegerField(_("应投票人数"))
    voted = models.PositiveIntegerField(_("已投票人数"))
    tallies = models.JSONField(_("得票"), default=dict, blank=True)     # {nomination id: votes}
    elected = models.JSONField(_("当选"), default=list, blank=True)     # [nomination id, …]
    digest = models.CharField(_("结果摘要"), max_length=64)

    objects = SelectionRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("计票")
        verbose_name_plural = _("计票")
        ordering = ["selection", "id"]

    def __str__(self) -> str:
        return f"{self.selection} #{self.pk}"


class Objection(TimeStampedModel):
    """An objection received during 公示, and how it was handled."""

    selection = models.ForeignKey(Selection, verbose_name=_("评选"), on_delete=models.CASCADE,
                                  related_name="objections")
    nomination = models.ForeignKey(Nomination, verbose_name=_("针对"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="objections")
    received_on = models.DateField(_("收到日期"))
    content = models.TextField(_("异议内容"), max_length=2000)
    handling = models.TextField(_("处理情况"), blank=True, max_length=2000)
    upheld = models.BooleanField(_("异议成立"), default=False)
    resolved = models.BooleanField(_("已处理"), default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True,
                                    on_delete=models.SET_NULL, related_name="+")

    objects = SelectionRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("公示异议")
        verbose_name_plural = _("公示异议")
        ordering = ["selection", "received_on", "id"]

    def __str__(self) -> str:
        return f"{self.selection} {self.received_on}"


# --- showcase ------------------------------------------------------------------------------------------------
def lobby_token() -> str:
    return secrets.token_urlsafe(32)


class LobbyScreen(CourtScopedModel):
    """A display in the court's lobby, opened by a long random link without login; revoking the link makes
    the address answer 404 at once."""

    name = models.CharField(_("名称"), max_length=60)
    token = models.CharField(max_length=64, unique=True, default=lobby_token, editable=False)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    seconds_per_slide = models.PositiveSmallIntegerField(_("每页停留秒数"), default=12,
                                                         validators=[MinValueValidator(5), MaxValueValidator(120)])
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("创建人"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("大厅展示屏")
        verbose_name_plural = _("大厅展示屏")
        ordering = ["court", "name"]

    def __str__(self) -> str:
        return self.name


class VenueKind(models.TextChoices):
    CORRIDOR = "corridor", _("党建文化长廊")
    INFO_PORT = "info_port", _("党廉信息港")
    ROOM = "room", _("党员活动室")
    CORNER = "corner", _("文化角")
    OTHER = "other", _("其他")


class Venue(CourtScopedModel):
    """A party-building venue of the court: a corridor, an activity room, a culture corner."""

    name = models.CharField(_("场所名称"), max_length=60)
    kind = models.CharField(_("类型"), max_length=12, choices=VenueKind.choices)
    location = models.CharField(_("位置"), max_length=100, blank=True)
    capacity = models.PositiveSmallIntegerField(_("容纳人数"), null=True, blank=True)
    description = models.TextField(_("简介"), blank=True, max_length=1000)
    bookable = models.BooleanField(_("可预约"), default=True)

    class Meta:
        verbose_name = _("党建阵地")
        verbose_name_plural = _("党建阵地")
        ordering = ["court", "kind", "name"]
        constraints = [models.UniqueConstraint(fields=["court", "name"], name="venue_unique_name_per_court",
                                               violation_error_message=_("本院已有同名场所。"))]

    def __str__(self) -> str:
        return self.name


class VenueBooking(TimeStampedModel):
    """A venue booked for a time (a meeting of partylife, an activity, a visit). Two bookings of one venue
    may not overlap (refused by `venue_book` under a lock on the venue)."""

    venue = models.ForeignKey(Venue, verbose_name=_("场所"), on_delete=models.CASCADE, related_name="bookings")
    date = models.DateField(_("日期"), db_index=True)
    start_time = models.TimeField(_("开始时间"))
    end_time = models.TimeField(_("结束时间"))
    purpose = models.CharField(_("用途"), max_length=100)
    meeting = models.ForeignKey("partylife.Meeting", verbose_name=_("会议活动"), null=True, blank=True,
                                on_delete=models.CASCADE, related_name="venue_bookings")
    booked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("预约人"), null=True,
                                  on_delete=models.SET_NULL, related_name="+")

    objects = VenueRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("场所预约")
        verbose_name_plural = _("场所预约")
        ordering = ["date", "start_time"]
        constraints = [
            models.CheckConstraint(condition=Q(end_time__gt=models.F("start_time")), name="booking_end_after_start",
                                   violation_error_message=_("结束时间必须晚于开始时间。")),
        ]

    def __str__(self) -> str:
        return f"{self.venue} {self.date:%Y-%m-%d} {self.start_time:%H:%M}"


class ArticleCategory(models.TextChoices):
    NEWS = "news", _("党建动态")
    STUDY = "study", _("学习园地")
    INTEGRITY = "integrity", _("廉政之窗")
    LEIFENG = "leifeng", _("学习雷锋")
    NOTICE = "notice", _("通知公告")


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待审核")
    PUBLISHED = "published", _("已发布")
    RETURNED = "returned", _("已退回")


class ArticleQuerySet(CourtScopedQuerySet):
    def scoped_to(self, user: Any, action: str = "view") -> Any:
        """Published articles of the user's court; drafts only to their writer and to the reviewers."""
        from tianping.core.policy import allowed

        qs = super().scoped_to(user, action)
        if allowed(user, "honours.review_articles"):
            return qs
        return qs.filter(Q(status=ArticleStatus.PUBLISHED) | Q(created_by_id=user.pk))


class Article(CourtScopedModel):
    """An article or notice of the online party column: category, author, editor, a review before it is
    published, read counts. An assigned article (必学) earns its study hours to each person who reads it."""

    title = models.CharField(_("标题"), max_length=120)
    category = models.CharField(_("栏目"), max_length=12, choices=ArticleCategory.choices)
    body = models.TextField(_("正文"), max_length=20000)
    author = models.CharField(_("作者"), max_length=60)
    status = models.CharField(_("状态"), max_length=12, choices=ArticleStatus.choices, default=ArticleStatus.DRAFT)
    assigned = models.BooleanField(_("必学文章"), default=False, help_text=_("阅读后计入学时"))
    study_hours = models.DecimalField(_("学时"), max_digits=3, decimal_places=1, default=Decimal("0"),
                                      validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("8"))])
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("编辑人"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审核人"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    review_note = models.CharField(_("审核意见"), max_length=200, blank=True)
    published_on = models.DateField(_("发布日期"), null=True, blank=True, db_index=True)
    read_count = models.PositiveIntegerField(_("阅读次数"), default=0)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("专栏文章")
        verbose_name_plural = _("专栏文章")
        ordering = ["-published_on", "-id"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        if self.assigned and not self.study_hours:
            raise ValidationError({"study_hours": _("必学文章请填写学时（如 0.5）。")})


class ArticleAttachment(TimeStampedModel):
    """A picture or document attached to an article."""

    article = models.ForeignKey(Article, verbose_name=_("文章"), on_delete=models.CASCADE,
                                related_name="attachments")
    file = models.FileField(_("文件"), upload_to=attachment_path, max_length=300)
    original_name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(_("类型"), max_length=60)

    objects = ArticleRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("文章附件")
        verbose_name_plural = _("文章附件")
        ordering = ["article", "id"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class ArticleStudy(models.Model):
    """A person read an assigned article: the study hours it earns them (once per article), on that day."""

    article = models.ForeignKey(Article, verbose_name=_("文章"), on_delete=models.CASCADE, related_name="studies")
    person = models.ForeignKey("org.Person", verbose_name=_("人员"), on_delete=models.CASCADE, related_name="+")
    studied_on = models.DateField(_("学习日期"))
    hours = models.DecimalField(_("学时"), max_digits=3, decimal_places=1)

    objects = ArticleRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("专栏学习记录")
        verbose_name_plural = _("专栏学习记录")
        constraints = [models.UniqueConstraint(fields=["article", "person"], name="article_study_once")]

    def __str__(self) -> str:
        return f"{self.article} {self.person}"
