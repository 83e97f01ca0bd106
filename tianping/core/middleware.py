"""Middleware: request ids for the audit trail, login required everywhere, session limits (idle and absolute
timeout), the second-factor and password-change gates, security headers, and the error pages (403/404/500 in
Chinese with a way back, and 503 "系统繁忙" when SQLite's write lock could not be had)."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse

from tianping.core.request_context import reset_request_info, set_request_info

logger = logging.getLogger("tianping.errors")

GetResponse = Callable[[HttpRequest], HttpResponseBase]
_F = TypeVar("_F", bound=Callable[..., Any])


def client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


class RequestIdMiddleware:
    """Gives each request an id (echoed in the X-Request-ID header) and exposes user/IP to audit_record()."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> HttpResponseBase:
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

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> HttpResponseBase:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func: Callable[..., Any], view_args: Any,
                     view_kwargs: Any) -> HttpResponseBase | None:
        if getattr(view_func, "tianping_public", False):
            return None
        if getattr(view_func, "tianping_token_auth", False):
            return None  # an API endpoint: it checks its own bearer token (tianping.api.auth), never a session
        if request.path.startswith(self.PUBLIC_PREFIXES):
            return None
        if not request.user.is_authenticated:
            return redirect(f"{reverse(settings.LOGIN_URL)}?next={request.get_full_path()}")
        return None


def public(view_func: _F) -> _F:
    """Mark a view as reachable without login (e.g. the login page, a token-protected calendar feed)."""
    view_func.tianping_public = True  # type: ignore[attr-defined]
    return view_func


SESSION_LOGIN_AT = "_tp_login_at"
SESSION_LAST_SEEN = "_tp_last_seen"
LAST_SEEN_WRITE_EVERY = 30  # seconds: limits session writes to one per half minute of activity


def _redirect(request: HttpRequest, url: str) -> HttpResponseBase:
    """A redirect that also works for htmx requests (which would otherwise swap the target page in)."""
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


class SecurityHeadersMiddleware:
    """CSP without inline scripts, and no caching of pages that may hold personal data."""

    CSP = (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
        "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; "
        "object-src 'none'"
    )

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> HttpResponseBase:
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", self.CSP)
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
        response.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        if not request.path.startswith("/static/"):
            # pages may hold personal data: never keep them in a browser or proxy cache
            response["Cache-Control"] = "no-store"
            response["Pragma"] = "no-cache"
        return response


# --- error pages: Chinese, with a way back, also with DEBUG=1 -------------------------------------------

def database_busy(exc: BaseException | None) -> bool:
    """True for SQLite's "database is locked" / "database table is locked": another writer held the write lock
    for longer than the busy timeout (settings.SQLITE_BUSY_TIMEOUT_SECONDS)."""
    from django.db import OperationalError

    return isinstance(exc, OperationalError) and "is locked" in str(exc)


def render_error(request: HttpRequest, status: int, exception: BaseException | None = None) -> HttpResponse:
    """The error page for 403/404/500/503: in the menu shell when signed in (so the way back is the menu),
    a plain page with a link to the home page otherwise. Rendering never raises: if the page itself cannot be
    drawn (e.g. the database is gone), a minimal page says the same in plain HTML."""
    from django.template import loader

    template = {403: "403.html", 404: "404.html", 503: "503.html"}.get(status, "500.html")
    user = getattr(request, "user", None) if request is not None else None
    # the shell (menu) needs the database; a 500/503 may be the database failing, so those stay plain
    shell = status in (403, 404) and user is not None and getattr(user, "is_authenticated", False)
    content: str
    try:
        content = loader.render_to_string(template, {
            "error_layout": "base.html" if shell else "errors/bare.html",
            "status": status, "request_path": getattr(request, "path", ""),
            "request_id": getattr(request, "request_id", ""),
        }, request=request if shell else None)
    except Exception:  # noqa: BLE001 - the error page of an error must not fail
        logger.exception("error page %s could not be rendered", status)
        text = "系统繁忙，请稍后重试 / The system is busy, please try again shortly" if status == 503 \
            else "出错了 / Something went wrong"
        content = (f'<!doctype html><html lang="zh-hans"><meta charset="utf-8"><title>{status}</title>'
                   f'<p>{text}（{status}）。<a href="/">返回首页 / Home</a></p></html>')
    response = HttpResponse(content, status=status)
    response.tianping_friendly = True  # type: ignore[attr-defined]
    if status == 503:
        response["Retry-After"] = "5"
    return response


def handler403(request: HttpRequest, exception: BaseException | None = None) -> HttpResponse:
    """Every refusal is audited (as the scoped 404s are, in tianping.core.scope.get_visible_or_404)."""
    user = getattr(request, "user", None)
    if user is not None and getattr(user, "is_authenticated", False):
        from tianping.core.audit import audit_record

        audit_record(actor=user, event="access.denied", message=f"403 {request.method} {request.path}"[:500])
    return render_error(request, 403, exception)


def handler404(request: HttpRequest, exception: BaseException | None = None) -> HttpResponse:
    return render_error(request, 404, exception)


def handler500(request: HttpRequest) -> HttpResponse:
    import sys

    # an exception outside a view (e.g. saving the session) reaches here; a locked database is still "busy"
    return render_error(request, 503 if database_busy(sys.exc_info()[1]) else 500)


class FriendlyErrorsMiddleware:
    """Error pages a court's staff can read.

    - SQLite's "database is locked" (another writer held the lock past the busy timeout) → 503 "系统繁忙，请稍后
      重试", in every mode (it is not a bug, and the user should simply try again);
    - with DEBUG=1 and settings.TIANPING_FRIENDLY_ERRORS (default on): Http404 and unmatched addresses get the
      Chinese 404 page instead of Django's technical page (which lists every URL pattern), other exceptions the
      Chinese 500 page (the traceback goes to the console log). Without DEBUG the handlers in tianping/urls.py
      render the same pages. PermissionDenied is always rendered by handler403."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if (response.status_code == 404 and settings.DEBUG and settings.TIANPING_FRIENDLY_ERRORS
                and not getattr(response, "tianping_friendly", False)):
            from django.urls import Resolver404, resolve

            try:
                resolve(request.path_info)
            except Resolver404:  # Django's technical 404 (the list of every URL pattern)
                return render_error(request, 404)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        from django.http import Http404

        if database_busy(exception):
            logger.warning("database busy: %s %s: %s", request.method, request.path, exception)
            return render_error(request, 503, exception)
        if not (settings.DEBUG and settings.TIANPING_FRIENDLY_ERRORS):
            return None  # production: Django calls the handlers (and the test client re-raises)
        if isinstance(exception, Http404):
            return render_error(request, 404, exception)
        from django.core.exceptions import PermissionDenied

        if isinstance(exception, PermissionDenied):
            return None  # handler403, in every mode
        logger.error("unhandled exception: %s %s", request.method, request.path, exc_info=exception)
        return render_error(request, 500, exception)
