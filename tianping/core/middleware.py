"""Middleware: request ids for the audit trail, login required everywhere, security headers."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

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
        if not request.path.startswith("/static/"):
            response["Cache-Control"] = "no-store"
        return response
