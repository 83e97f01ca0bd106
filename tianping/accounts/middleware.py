"""The session gate of the accounts app: idle and absolute session limits, then the second factor and the
password change before anything else (moved here from tianping.core.middleware: core names no domain app)."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponseBase
from django.urls import reverse
from django.utils.translation import gettext as _

from tianping.accounts.security_policy import get_policy, mfa_required, password_expired
from tianping.core.middleware import (
    LAST_SEEN_WRITE_EVERY,
    SESSION_LAST_SEEN,
    SESSION_LOGIN_AT,
    GetResponse,
)
from tianping.core.middleware import _redirect as htmx_aware_redirect


class SessionSecurityMiddleware:
    """For signed-in users: end idle sessions and sessions older than the maximum; then, until the user has
    passed the second factor (when required) and changed an initial or expired password, allow only the
    pages that do that (and logout).

    Times are kept in the session as epoch seconds; the limits come from the security policy row."""

    EXEMPT_PREFIXES = ("/static/", "/i18n/", "/healthz", "/favicon.ico")
    # While the second factor is missing only these pages open (not even the password change: a stolen
    # password alone must not be enough to take the account over); then, until an initial or expired password
    # is changed, the password page too.
    MFA_EXEMPT_URL_NAMES = ("core:logout", "accounts:mfa_verify", "accounts:mfa_setup")
    PASSWORD_EXEMPT_URL_NAMES = (*MFA_EXEMPT_URL_NAMES, "core:password_change")

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> HttpResponseBase:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or request.path.startswith(self.EXEMPT_PREFIXES):
            return self.get_response(request)
        policy = get_policy()
        now = time.time()
        session = request.session
        login_at = session.get(SESSION_LOGIN_AT)
        last_seen = session.get(SESSION_LAST_SEEN)
        if login_at is None:  # a session made without the login view (e.g. a test's force_login)
            session[SESSION_LOGIN_AT] = login_at = now
        if last_seen is not None and now - last_seen > policy.idle_timeout_minutes * 60:
            return self._end(request, "session.idle_timeout",
                             _("您已超过 %(n)d 分钟没有操作，已自动退出，请重新登录。")
                             % {"n": policy.idle_timeout_minutes})
        if now - login_at > policy.session_max_hours * 3600:
            return self._end(request, "session.expired",
                             _("登录已超过 %(n)d 小时，请重新登录。") % {"n": policy.session_max_hours})
        if last_seen is None or now - last_seen > LAST_SEEN_WRITE_EVERY:
            session[SESSION_LAST_SEEN] = now

        if request.path not in self._paths(self.MFA_EXEMPT_URL_NAMES):
            if mfa_required(user, policy) and not (hasattr(user, "is_verified") and user.is_verified()):
                from django_otp import user_has_device

                name = "accounts:mfa_verify" if user_has_device(user) else "accounts:mfa_setup"
                return htmx_aware_redirect(request, f"{reverse(name)}?next={request.get_full_path()}")
        if request.path not in self._paths(self.PASSWORD_EXEMPT_URL_NAMES):
            if user.must_change_password or password_expired(user, policy):
                return htmx_aware_redirect(request, reverse("core:password_change"))
        return self.get_response(request)

    _path_cache: dict[tuple[str, ...], tuple[str, ...]] = {}

    def _paths(self, names: tuple[str, ...]) -> tuple[str, ...]:
        if names not in self._path_cache:
            self._path_cache[names] = tuple(reverse(name) for name in names)
        return self._path_cache[names]

    def _end(self, request: Any, event: str, message: str) -> HttpResponseBase:
        from tianping.core.audit import audit_record

        user = request.user
        audit_record(actor=user, event=event, message=message)
        request._tianping_logout_reason = event  # the logout signal records "logout" only for a user's own logout
        logout(request)
        messages.warning(request, message)
        return htmx_aware_redirect(request, f"{reverse(settings.LOGIN_URL)}?next={request.get_full_path()}")
