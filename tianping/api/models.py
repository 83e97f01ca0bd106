"""API tokens of the integration interface (/api/v1/) and their per-minute call counters.

A token is granted by the security administrator (安全管理员, the same 三员分立 rule as a business role) to an
account the system administrator created; it carries its own court (the account's), ONE role and a list of
scopes, and acts with exactly that role's scope (`visible_to`, the policy) — not with the account's own roles.
Only a SHA-256 of the secret is kept (the secret is 32 random bytes, so a fast hash is enough: it cannot be
guessed, only stolen, and the stored hash does not give it back); the secret is shown once when granted."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tianping.core.roles import ADMIN_ROLES, Role


class Scope(models.TextChoices):
    """What a token may do, on top of what its role may see."""

    READ_CASES = "cases:read", _("读取案件")
    PUSH_CASES = "cases:write", _("推送案件")
    READ_FIGURES = "figures:read", _("读取统计数字")
    READ_PEOPLE = "people:read", _("读取人员和党员")
    READ_MEETINGS = "meetings:read", _("读取会议")
    RECORD_ATTENDANCE = "attendance:write", _("登记出勤（签到机）")


# the roles a token may carry: the business roles and the higher court, never an administrator's (三员)
TOKEN_ROLES = [(value, label) for value, label in Role.choices if value not in ADMIN_ROLES]


class ApiToken(models.Model):
    """A credential an outside system (the trial system, the provincial party platform, a sign-in kiosk) uses
    to call the API on behalf of one court, with one role and some scopes."""

    name = models.CharField(_("用途"), max_length=60, help_text=_("如：审判流程管理系统推送案件"))
    account = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("接口账号"), on_delete=models.PROTECT,
                                related_name="api_tokens")
    court = models.ForeignKey("org.Court", verbose_name=_("法院"), on_delete=models.PROTECT, related_name="+")
    # no `choices=`: the Role enum grows with the apps, and a migration per new role would say nothing
    role = models.CharField(_("角色"), max_length=30)
    scopes = models.JSONField(_("权限范围"), default=list)
    prefix = models.CharField(_("令牌前缀"), max_length=12, db_index=True, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    rate_per_minute = models.PositiveIntegerField(_("每分钟调用上限"), default=120)
    created_at = models.DateTimeField(_("签发时间"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("签发人"), null=True,
                                   on_delete=models.SET_NULL, related_name="+", editable=False)
    expires_at = models.DateTimeField(_("有效期至"))
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("吊销人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+", editable=False)
    last_used_at = models.DateTimeField(_("最近调用"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name}（{self.prefix}…）"

    def clean(self) -> None:
        super().clean()
        if self.role not in dict(TOKEN_ROLES):
            raise ValidationError({"role": _("令牌只能带业务角色或上级法院角色，不能带三员角色。")})
        unknown = [s for s in (self.scopes or []) if s not in Scope.values]
        if not self.scopes or unknown:
            raise ValidationError({"scopes": _("请至少选择一项权限范围。")})
        if self.expires_at and self.created_at and self.expires_at <= self.created_at:
            raise ValidationError({"expires_at": _("有效期须晚于签发时间。")})

    @property
    def active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    def get_role_display(self) -> str:
        return str(dict(TOKEN_ROLES).get(self.role, self.role))

    def scope_labels(self) -> str:
        labels = dict(Scope.choices)
        return "、".join(str(labels.get(s, s)) for s in self.scopes)


class ApiCallWindow(models.Model):
    """How many calls a token made in one minute (the rate limit; shared by every server process)."""

    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="+")
    minute = models.DateTimeField()
    calls = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("接口调用计数")
        verbose_name_plural = _("接口调用计数")
        constraints = [models.UniqueConstraint(fields=["token", "minute"], name="api_call_window_unique")]

    def __str__(self) -> str:
        return f"{self.token_id} {self.minute:%H:%M} {self.calls}"
