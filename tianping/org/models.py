"""Courts, departments, staff, login accounts and roles."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tianping.core.models import CourtScopedModel, CourtScopedQuerySet, TimeStampedModel
from tianping.core.policy import PolicyQuerySet
from tianping.core.roles import ADMIN_ROLES, Role  # noqa: F401  (re-exported: org.models.Role)
from tianping.core.validators import (
    id_birth_date,
    mask_id_number,
    mask_phone,
    normalize_id_number,
    validate_court_code,
    validate_id_number,
    validate_not_future,
    validate_phone,
)


class CourtLevel(models.TextChoices):
    BASIC = "basic", _("基层")
    INTERMEDIATE = "intermediate", _("中级")
    HIGH = "high", _("高级")


class CourtQuerySet(PolicyQuerySet):
    def scoped_to(self, user, action: str = "view"):
        """The courts whose data the user reads (own court; a higher court also the courts below). The system
        administrator reads no business data but sees the court names it assigns accounts to."""
        from tianping.core.roles import Role, has_role
        from tianping.core.scope import readable_court_ids

        ids = readable_court_ids(user)
        if ids is None:
            return self.all()
        if not ids and has_role(user, Role.SYSADMIN) and getattr(user, "court_id", None):
            ids = user.court.descendant_ids()
        return self.filter(id__in=ids)


class Court(TimeStampedModel):
    """A people's court (基层 / 中级 / 高级), identified by its 法院代字 such as 鲁0403."""

    name = models.CharField(_("法院名称"), max_length=100)
    full_name = models.CharField(_("法院全称"), max_length=100, blank=True,
                                 help_text=_("文书抬头用，如 山东省枣庄市薛城区人民法院；留空则由上级法院推出"))
    code = models.CharField(_("法院代字"), max_length=12, unique=True, validators=[validate_court_code])
    level = models.CharField(_("层级"), max_length=20, choices=CourtLevel.choices, default=CourtLevel.BASIC)
    parent = models.ForeignKey("self", verbose_name=_("上级法院"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="children")

    objects = CourtQuerySet.as_manager()

    class Meta:
        verbose_name = _("法院")
        verbose_name_plural = _("法院")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.parent_id and self.parent_id == self.pk:
            raise ValidationError({"parent": _("上级法院不能是本院。")})
        digits_by_level: dict[str, int] = {CourtLevel.HIGH: 0, CourtLevel.INTERMEDIATE: 2, CourtLevel.BASIC: 4}
        expected_digits = digits_by_level.get(self.level)
        if self.code and expected_digits is not None and len(self.code) - 1 != expected_digits:
            raise ValidationError({"code": _("%(level)s法院的代字应为省份简称加 %(n)d 位数字。")
                                   % {"level": self.get_level_display(), "n": expected_digits}})

    @property
    def formal_name(self) -> str:
        """The court's full name for a document's heading: 山东省枣庄市薛城区人民法院.

        The recorded 法院全称 if any; otherwise derived from the parents: a high court's name gives the
        province (山东省高级人民法院 → 山东省), an intermediate court's the city (枣庄市中级人民法院 → 枣庄市).
        A district or county court gets province + city (山东省枣庄市薛城区人民法院); a county-level city's
        court or a municipality's court only the province (山东省滕州市人民法院, 北京市朝阳区人民法院)."""
        if self.full_name:
            return self.full_name
        chain: list[Court] = []
        court = self.parent
        while court is not None and len(chain) < 3:
            chain.append(court)
            court = court.parent
        province = next((c.formal_name.removesuffix("高级人民法院") for c in chain if c.level == CourtLevel.HIGH), "")
        city = next((c.name.removeprefix(province).removesuffix("中级人民法院") for c in chain
                     if c.level == CourtLevel.INTERMEDIATE), "")
        name = self.name
        if not province or name.startswith(province):
            return name
        if self.level == CourtLevel.BASIC and city and not province.endswith("市") \
                and not name.removesuffix("人民法院").endswith("市") and not name.startswith(city):
            name = city + name
        return province + name

    def descendant_ids(self) -> list[int]:
        """This court and every court below it (a higher court sees the courts below)."""
        ids, frontier = [self.pk], [self.pk]
        while frontier:
            frontier = list(Court.objects.filter(parent_id__in=frontier).values_list("id", flat=True))
            ids.extend(frontier)
        return ids


class DepartmentType(models.TextChoices):
    TRIAL = "trial", _("审判业务庭")
    TRIBUNAL = "tribunal", _("人民法庭")
    ENFORCEMENT = "enforcement", _("执行局")
    ADMIN = "admin", _("综合部门")


class Department(CourtScopedModel):
    """A division, people's tribunal, enforcement bureau or administrative office of a court."""

    name = models.CharField(_("部门名称"), max_length=60)
    type = models.CharField(_("部门类型"), max_length=20, choices=DepartmentType.choices)
    active = models.BooleanField(_("启用"), default=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=100)

    class Meta:
        verbose_name = _("部门")
        verbose_name_plural = _("部门")
        ordering = ["court", "sort_order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["court", "name"], name="department_unique_name_per_court",
                                    violation_error_message=_("本院已有同名部门，请换一个名称。")),
        ]

    def __str__(self) -> str:
        return self.name


class Gender(models.TextChoices):
    MALE = "M", _("男")
    FEMALE = "F", _("女")


class Post(models.TextChoices):
    PRESIDENT = "president", _("院长")
    VICE_PRESIDENT = "vice_president", _("副院长")
    CHIEF_JUDGE = "chief_judge", _("庭长")
    DEPUTY_CHIEF_JUDGE = "deputy_chief_judge", _("副庭长")
    JUDGE = "judge", _("审判员")
    ASSISTANT = "assistant", _("法官助理")
    CLERK = "clerk", _("书记员")
    POLICE = "police", _("司法警察")
    ADMIN_STAFF = "admin_staff", _("综合行政人员")
    OTHER = "other", _("其他")


class Education(models.TextChoices):
    DOCTOR = "doctor", _("博士研究生")
    MASTER = "master", _("硕士研究生")
    BACHELOR = "bachelor", _("大学本科")
    COLLEGE = "college", _("大学专科")
    OTHER = "other", _("其他")


class PersonQuerySet(CourtScopedQuerySet):
    def scoped_to(self, user, action: str = "view"):
        """People whose personal data the user may read (rules in tianping.core.scope)."""
        from tianping.core.scope import person_scope_filter

        q = person_scope_filter(user)
        return self.all() if q is None else self.filter(q)

    def in_service(self):
        return self.filter(left_on__isnull=True)


class Person(CourtScopedModel):
    """A member of a court's staff (干警): judge, assistant, clerk, police officer or administrator."""

    name = models.CharField(_("姓名"), max_length=40, db_index=True)
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices)
    birth_date = models.DateField(_("出生日期"))
    id_number = models.CharField(_("身份证号"), max_length=18, validators=[validate_id_number])
    phone = models.CharField(_("手机号"), max_length=20, blank=True, validators=[validate_phone])
    staff_number = models.CharField(_("工号"), max_length=20, blank=True,
                                    help_text=_("文本，保留前导零，如 0312"))
    department = models.ForeignKey(Department, verbose_name=_("部门"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="people")
    post = models.CharField(_("职务"), max_length=30, choices=Post.choices, default=Post.OTHER)
    is_quota_judge = models.BooleanField(_("员额法官"), default=False)
    is_leadership = models.BooleanField(_("院领导/党组成员"), default=False)
    education = models.CharField(_("学历"), max_length=20, choices=Education.choices, blank=True)
    hired_on = models.DateField(_("入职日期"), null=True, blank=True, validators=[validate_not_future])
    left_on = models.DateField(_("离职日期"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        ordering = ["court", "department__sort_order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["court", "id_number"], name="person_unique_id_number_per_court",
                                    violation_error_message=_("本院已有身份证号相同的人员，请勿重复录入。")),
            models.UniqueConstraint(fields=["court", "staff_number"], condition=~Q(staff_number=""),
                                    name="person_unique_staff_number_per_court",
                                    violation_error_message=_("本院已有相同工号的人员，请核对工号。")),
        ]
        indexes = [models.Index(fields=["court", "name"])]

    def __str__(self) -> str:
        return self.name

    @property
    def in_service(self) -> bool:
        return self.left_on is None

    @property
    def id_number_masked(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)

    @property
    def label(self) -> str:
        """Name with staff number, the form used to disambiguate namesakes in imports: 张伟(0312)."""
        return f"{self.name}({self.staff_number})" if self.staff_number else self.name

    def choice_label(self) -> str:
        """How a dropdown tells namesakes apart: 李冬梅（0312 · 沙沟法庭）."""
        extra = [x for x in (self.staff_number, self.department.name if self.department else "") if x]
        return f"{self.name}（{' · '.join(extra)}）" if extra else self.name

    def clean(self) -> None:
        super().clean()
        self.id_number = normalize_id_number(self.id_number)
        errors: dict[str, Any] = {}
        born = id_birth_date(self.id_number) if len(self.id_number) == 18 else None
        if born and self.birth_date and born != self.birth_date:
            errors["birth_date"] = _("出生日期与身份证号中的 %(d)s 不一致，请核对。") % {"d": born.isoformat()}
        if self.id_number and len(self.id_number) == 18 and self.gender:
            expected = Gender.MALE if int(self.id_number[16]) % 2 == 1 else Gender.FEMALE
            if self.gender != expected:
                errors["gender"] = _("性别与身份证号第 17 位不一致（应为%(g)s），请核对。") % {
                    "g": expected.label}
        if self.left_on and self.hired_on and self.left_on < self.hired_on:
            errors["left_on"] = _("离职日期不能早于入职日期。")
        if self.department and self.court_id and self.department.court_id != self.court_id:
            errors["department"] = _("部门必须属于本院。")
        if errors:
            raise ValidationError(errors)

    def department_on(self, day: date):
        """The department this person was in on `day` (from the assignment history)."""
        a = (self.assignments.filter(start__lte=day).filter(Q(end__isnull=True) | Q(end__gte=day))
             .select_related("department").order_by("-start").first())
        return a.department if a else None


class DepartmentAssignment(CourtScopedModel):
    """A stretch of time a person spent in a department; figures by department use the one at the time."""

    person = models.ForeignKey(Person, verbose_name=_("人员"), on_delete=models.CASCADE,
                               related_name="assignments")
    department = models.ForeignKey(Department, verbose_name=_("部门"), on_delete=models.PROTECT,
                                   related_name="assignments")
    start = models.DateField(_("起始日期"))
    end = models.DateField(_("结束日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("部门任职经历")
        verbose_name_plural = _("部门任职经历")
        ordering = ["person", "start"]
        constraints = [
            models.CheckConstraint(condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                                   name="assignment_end_after_start",
                                   violation_error_message=_("结束日期不能早于起始日期。")),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.department} {self.start}–{self.end or ''}"


class User(AbstractUser):
    """A login account. It belongs to one court and links to at most one person of that court's staff."""

    court = models.ForeignKey(Court, verbose_name=_("法院"), null=True, blank=True, on_delete=models.PROTECT,
                              related_name="users")
    person = models.OneToOneField(Person, verbose_name=_("人员"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="user")
    must_change_password = models.BooleanField(_("首次登录须修改密码"), default=True)
    password_changed_at = models.DateTimeField(_("密码修改时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("账号")
        verbose_name_plural = _("账号")

    def clean(self) -> None:
        super().clean()
        if self.person and self.court_id and self.person.court_id != self.court_id:
            raise ValidationError({"person": _("账号关联的人员必须属于同一法院。")})


class UserRole(models.Model):
    """A role held by an account."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(_("角色"), max_length=30, choices=Role.choices)

    class Meta:
        verbose_name = _("角色授予")
        verbose_name_plural = _("角色授予")
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="userrole_unique")]

    def __str__(self) -> str:
        return f"{self.user} {self.get_role_display()}"
