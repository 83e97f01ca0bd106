"""Login security records: failed/successful login attempts (for lockout), the security policy row,
and the sessions each account holds (so disabling an account ends them)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class LoginAttempt(models.Model):
    """One attempt to sign in, recorded by the user name typed (known or not), for the lockout rule."""

    username = models.CharField(_("用户名"), max_length=150, db_index=True)
    at = models.DateTimeField(_("时间"), db_index=True)
    success = models.BooleanField(_("成功"), default=False)
    ip = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)

    class Meta:
        verbose_name = _("登录尝试")
        verbose_name_plural = _("登录尝试")
        indexes = [models.Index(fields=["username", "at"])]

    def __str__(self) -> str:
        return f"{self.username} {self.at:%Y-%m-%d %H:%M:%S} {'ok' if self.success else 'fail'}"


class LoginLock(models.Model):
    """A user name locked until a time after too many failed attempts (the same for unknown names)."""

    username = models.CharField(_("用户名"), max_length=150, unique=True)
    locked_until = models.DateTimeField(_("锁定至"))

    class Meta:
        verbose_name = _("账号锁定")
        verbose_name_plural = _("账号锁定")

    def __str__(self) -> str:
        return f"{self.username} → {self.locked_until:%Y-%m-%d %H:%M}"


class SecurityPolicy(models.Model):
    """The security policy the 安全管理员 sets (one row). Defaults come from settings.py / the environment."""

    password_max_age_days = models.PositiveIntegerField(
        _("密码有效期（天）"), validators=[MaxValueValidator(3650)],
        help_text=_("到期后登录须修改密码；0 表示不过期。"))
    lockout_threshold = models.PositiveIntegerField(
        _("连续失败次数上限"), validators=[MinValueValidator(3), MaxValueValidator(20)])
    lockout_window_minutes = models.PositiveIntegerField(
        _("失败计数时间窗（分钟）"), validators=[MinValueValidator(1), MaxValueValidator(1440)])
    lockout_minutes = models.PositiveIntegerField(
        _("锁定时长（分钟）"), validators=[MinValueValidator(1), MaxValueValidator(1440)])
    idle_timeout_minutes = models.PositiveIntegerField(
        _("无操作自动退出（分钟）"), validators=[MinValueValidator(5), MaxValueValidator(240)])
    session_max_hours = models.PositiveIntegerField(
        _("会话最长时长（小时）"), validators=[MinValueValidator(1), MaxValueValidator(24)])
    require_mfa_all = models.BooleanField(
        _("所有用户须双因素认证"), default=False,
        help_text=_("三员（系统/安全/审计管理员）始终须双因素认证；环境变量 TIANPING_REQUIRE_MFA=1 时所有用户均须。"))
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("更新人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("安全策略")
        verbose_name_plural = _("安全策略")

    def __str__(self) -> str:
        return str(_("安全策略"))

    @classmethod
    def defaults(cls) -> dict:
        return {
            "password_max_age_days": settings.TIANPING_PASSWORD_MAX_AGE_DAYS,
            "lockout_threshold": settings.TIANPING_LOCKOUT_THRESHOLD,
            "lockout_window_minutes": settings.TIANPING_LOCKOUT_WINDOW_MINUTES,
            "lockout_minutes": settings.TIANPING_LOCKOUT_MINUTES,
            "idle_timeout_minutes": settings.TIANPING_IDLE_TIMEOUT_SECONDS // 60,
            "session_max_hours": settings.SESSION_COOKIE_AGE // 3600,
            "require_mfa_all": False,
        }

    @property
    def mfa_for_everyone(self) -> bool:
        return bool(settings.TIANPING_REQUIRE_MFA or self.require_mfa_all)


class UserSession(models.Model):
    """A session an account opened at login; disabling the account (or resetting its password) ends them."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    session_key = models.CharField(max_length=40, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        verbose_name = _("登录会话")
        verbose_name_plural = _("登录会话")

    def __str__(self) -> str:
        return f"{self.user_id} {self.session_key[:6]}…"


class EnrolmentCode(models.Model):
    """A one-time code the security administrator issues so that an account can enrol its second factor.

    Enrolment needs the password (from the system administrator, or the account's own) AND this code (from the
    security administrator): neither administrator alone can take an account over. Only a hash is stored; the
    code is shown once, expires, and dies after a few wrong tries."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("账号"), on_delete=models.CASCADE,
                             related_name="+")
    code_hash = models.CharField(max_length=200)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("签发人"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    issued_at = models.DateTimeField(_("签发时间"))
    expires_at = models.DateTimeField(_("有效期至"))
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)
    failures = models.PositiveSmallIntegerField(_("错误次数"), default=0)

    class Meta:
        verbose_name = _("双因素绑定码")
        verbose_name_plural = _("双因素绑定码")

    def __str__(self) -> str:
        return f"{self.user_id} {self.issued_at:%Y-%m-%d %H:%M}"
