"""/api/: the token pages of the security administrator (session sign-in, like every page) and the integration
API under /api/v1/ (token sign-in).

Each API endpoint is wrapped once here: it is marked `tianping_token_auth` (the sign-in middleware lets it through
to the token check; the permission matrix leaves it to tianping/api/tests/test_token_matrix.py), bodies over the
limit are refused before they are read (413), and every call that named a known token is audited after the
answer (token, endpoint, status, counts). The OpenAPI document and the docs page are public: they describe the
interface and hold no data."""

from __future__ import annotations

from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, include, path, re_path
from django.utils.translation import gettext as _

from tianping.api import views
from tianping.api.api import api
from tianping.api.errors import error_response
from tianping.core.middleware import public

app_name = "api"

MAX_BODY_BYTES = 4 * 1024 * 1024  # a push of 1,000 cases is about 0.6 MB
PUBLIC_NAMES = {"openapi-json", "openapi-view"}


def token_endpoint(view: Any) -> Any:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > MAX_BODY_BYTES:
            return error_response(request, 413, _("请求体太大（%(n)d 字节，上限 %(max)d 字节）：请分批发送，每批最多 1000 件。")
                                  % {"n": length, "max": MAX_BODY_BYTES})
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and not response.get("Content-Type", "").startswith("application/json"):
            allow = response.get("Allow", "")
            response = error_response(request, 405, _("不支持这个请求方法，可用：%(allow)s。") % {"allow": allow},
                                      headers={"Allow": allow})
        token = getattr(request, "api_token", None)
        if token is not None and not getattr(request, "api_quiet", False):
            from tianping.api.scopes import principal_for
            from tianping.api.services import call_record

            principal = getattr(request, "api_principal", None) or principal_for(token)
            call_record(principal=principal, token=token, method=request.method or "", endpoint=request.path,
                        status=response.status_code, counts=getattr(request, "api_counts", None))
        return response

    wrapped.tianping_token_auth = True  # type: ignore[attr-defined]
    return wrapped


@token_endpoint
def not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    """Any other address under /api/v1/: a JSON 404, not the HTML page."""
    return error_response(request, 404, _("没有这个接口地址，请对照 /api/v1/docs 的接口文档。"))


def _wrap(patterns: list[URLPattern | URLResolver]) -> list[URLPattern | URLResolver]:
    out: list[URLPattern | URLResolver] = []
    for entry in patterns:
        if isinstance(entry, URLPattern):
            if entry.name == "api-root":  # ninja's root (an HTML 404): our JSON 404
                callback = not_found
            elif entry.name in PUBLIC_NAMES:
                callback = public(entry.callback)
            else:
                callback = token_endpoint(entry.callback)
            out.append(URLPattern(entry.pattern, callback, entry.default_args, entry.name))
        else:
            out.append(entry)
    return out


_api_patterns, _api_app, _api_namespace = api.urls  # namespace "api:v1": nested below as "v1"

urlpatterns = [
    path("tokens/", views.token_list, name="token_list"),
    path("tokens/new/", views.token_create, name="token_create"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("v1/", include((_wrap(list(_api_patterns)), "v1"), namespace="v1")),
    re_path(r"^v1/(?P<rest>.*)$", not_found, name="not_found"),
]
