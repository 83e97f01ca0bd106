"""Middleware: request ids for the audit trail, login required everywhere, session limits (idle and absolute
timeout), the second-factor and password-change gates, security headers."""

from __future__ import annotations

import time
import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from tianping.core.request_context import reset_request_info, set_request_info


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


class RequestIdMiddleware:
    """Gives each request an id (echoed in the X-Request-ID header) and exposes user/IP to audit_record()."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = uuid.uuid4().hex[:16]
        info = {"request_id": request.request_id, "ip": client_ip(request)}
        token = set_request_info(info)
        try:
            # the user is resolved lazily: AuthenticationMiddleware runs after this one
            info["request"] = request
            response = self.get_response(request)
        finally:
            reset_request_info(token)
        response["X-Request-ID"] = request.request_id
        return response


class LoginRequiredMiddleware:
    """Every page needs a signed-in user except the ones marked public (login, static, i18n, feeds)."""

    PUBLIC_PREFIXES = ("/static/", "/i18n/", "/accounts/login/", "/healthz", "/favicon.ico")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if getattr(view_func, "tianping_public", False):
            return None
        if request.path.startswith(self.PUBLIC_PREFIXES):
            return None
        if not request.user.is_authenticated:
            return redirect(f"{reverse(settings.LOGIN_URL)}?next={request.get_full_path()}")
        return None


def public(view_func):
    """Mark a view as reachable without login (e.g. the login page, a token-protected calendar feed)."""
    view_func.tianping_public = True
    return view_func


SESSION_LOGIN_AT = "_tp_login_at"
SESSION_LAST_SEEN = "_tp_last_seen"
LAST_SEEN_WRITE_EVERY = 30  # seconds: limits session writes to one per half minute of activity


def _redirect(request, url: str):
    """A redirect that also works for htmx requests (which would otherwise swap the target page in)."""
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


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

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or request.path.startswith(self.EXEMPT_PREFIXES):
            return self.get_response(request)
        from tianping.accounts.security_policy import get_policy, mfa_required, password_expired

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
                return _redirect(request, f"{reverse(name)}?next={request.get_full_path()}")
        if request.path not in self._paths(self.PASSWORD_EXEMPT_URL_NAMES):
            if user.must_change_password or password_expired(user, policy):
                return _redirect(request, reverse("core:password_change"))
        return self.get_response(request)

    _path_cache: dict[tuple, tuple[str, ...]] = {}

    def _paths(self, names: tuple[str, ...]) -> tuple[str, ...]:
        if names not in self._path_cache:
            self._path_cache[names] = tuple(reverse(name) for name in names)
        return self._path_cache[names]

    def _end(self, request, event: str, message: str):
        from tianping.core.audit import audit_record

        user = request.user
        audit_record(actor=user, event=event, message=message)
        request._tianping_logout_reason = event  # the logout signal records "logout" only for a user's own logout
        logout(request)
        messages.warning(request, message)
        return _redirect(request, f"{reverse(settings.LOGIN_URL)}?next={request.get_full_path()}")


class SecurityHeadersMiddleware:
    """CSP without inline scripts, and no caching of pages that may hold personal data."""

    CSP = (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
        "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; "
        "object-src 'none'"
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", self.CSP)
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
        response.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        if not request.path.startswith("/static/"):
            # pages may hold personal data: never keep them in a browser or proxy cache
            response["Cache-Control"] = "no-store"
            response["Pragma"] = "no-cache"
        return response
