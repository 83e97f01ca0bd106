"""JSON errors of the API: a Chinese message, the field path of each problem ("items[17].结案日期"), the request
id to quote to the court's IT staff — never a stack trace. One shape for every status (400 bad input, 401 no or
bad token, 403 scope or role, 404 not found or out of scope, 409 conflict with the record's state, 413 too large,
429 too many calls, 500/503)."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

logger = logging.getLogger("tianping.api")


class FieldError(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    """The body of every error answer."""

    status: int
    message: str
    errors: list[FieldError] = []
    request_id: str = ""


class ApiError(Exception):
    def __init__(self, status: int, message: str, errors: list[dict[str, str]] | None = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.errors, self.headers = status, message, errors or [], headers or {}


def error_response(request: HttpRequest, status: int, message: str, errors: list[dict[str, str]] | None = None,
                   headers: dict[str, str] | None = None) -> HttpResponse:
    body = {"status": status, "message": message, "errors": errors or [],
            "request_id": getattr(request, "request_id", "")}
    response = JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
    for key, value in (headers or {}).items():
        response[key] = value
    return response


def field_path(loc: tuple[Any, ...] | list[Any]) -> str:
    """("body", "payload", "items", 17, "结案日期") → "items[17].结案日期"."""
    parts = list(loc)
    if parts and parts[0] in ("body", "query", "path", "header", "cookie", "form"):
        parts = parts[1:]
        if parts and parts[0] in ("payload", "filters", "params", "data"):
            parts = parts[1:]
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def pydantic_message(error: dict[str, Any]) -> str:
    """A pydantic error in Chinese, saying what to send instead."""
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return _("必填，不能缺少。")
    if kind in ("string_type", "str_type"):
        return _("应为文本（字符串）。")
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return _("应为整数。")
    if kind in ("float_type", "float_parsing", "decimal_type", "decimal_parsing", "finite_number"):
        return _("应为数字。")
    if kind in ("bool_type", "bool_parsing"):
        return _("应为 true 或 false。")
    if kind.startswith("date"):
        return _("应为 YYYY-MM-DD 格式的日期，如 2016-03-02。")
    if kind.startswith("datetime"):
        return _("应为 ISO 8601 格式的时间，如 2016-03-02T08:00:00+08:00。")
    if kind == "string_too_long":
        return _("最多 %(n)s 个字。") % {"n": ctx.get("max_length", "")}
    if kind == "string_too_short":
        return _("不能为空。")
    if kind in ("too_long",):
        return _("最多 %(n)s 项。") % {"n": ctx.get("max_length", "")}
    if kind in ("too_short",):
        return _("至少 %(n)s 项。") % {"n": ctx.get("min_length", "")}
    if kind in ("greater_than_equal", "greater_than"):
        return _("不能小于 %(n)s。") % {"n": ctx.get("ge", ctx.get("gt", ""))}
    if kind in ("less_than_equal", "less_than"):
        return _("不能大于 %(n)s。") % {"n": ctx.get("le", ctx.get("lt", ""))}
    if kind in ("literal_error", "enum"):
        return _("只能是：%(v)s。") % {"v": ctx.get("expected", "")}
    if kind == "extra_forbidden":
        return _("接口不认识这个字段，请按接口文档填写。")
    if kind in ("list_type", "tuple_type", "set_type"):
        return _("应为数组。")
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return _("应为 JSON 对象。")
    if kind in ("json_invalid", "json_type"):
        return _("请求体不是合法的 JSON。")
    if kind == "string_pattern_mismatch":
        return _("格式不对。")
    return _("格式不对，请按接口文档填写。")


def install(api: Any) -> None:
    """Register the handlers on the NinjaAPI (they replace ninja's defaults: 422 → 400, English → Chinese)."""

    def on_api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        return error_response(request, exc.status, exc.message, exc.errors, exc.headers)

    def on_auth(request: HttpRequest, exc: Exception) -> HttpResponse:
        return error_response(request, 401, _("缺少接口令牌或令牌无效：请在请求头写 Authorization: Bearer <令牌>。"),
                              headers={"WWW-Authenticate": 'Bearer realm="tianping"'})

    def on_validation(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        errors = [{"field": field_path(e.get("loc", ())), "message": pydantic_message(e)} for e in exc.errors]
        first = errors[0] if errors else {"field": "", "message": ""}
        summary = f"{first['field']}：{first['message']}" if first["field"] else first["message"]
        return error_response(request, 400, _("请求的数据有 %(n)d 处问题，首个：%(first)s") % {
            "n": len(errors), "first": summary}, errors)

    def on_http(request: HttpRequest, exc: HttpError) -> HttpResponse:
        messages = {400: _("请求的格式不对。"), 401: _("缺少接口令牌或令牌无效。"), 403: _("无权进行此操作。"),
                    404: _("找不到该记录，或它不在本令牌的范围内。"), 405: _("不支持这个请求方法。"),
                    413: _("请求体太大。"), 429: _("调用太频繁，请稍后重试。")}
        return error_response(request, exc.status_code, str(messages.get(exc.status_code, _("请求未能完成。"))))

    def on_404(request: HttpRequest, exc: Exception) -> HttpResponse:
        return error_response(request, 404, _("找不到该记录，或它不在本令牌的范围内。"))

    def on_403(request: HttpRequest, exc: Exception) -> HttpResponse:
        return error_response(request, 403, _("令牌的角色无权进行此操作。"))

    def on_django_validation(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        status = 409 if getattr(exc, "code", "") == "conflict" else 400
        return error_response(request, status, "；".join(exc.messages))

    def on_too_big(request: HttpRequest, exc: Exception) -> HttpResponse:
        return error_response(request, 413, _("请求体太大：请分批发送。"))

    def on_exception(request: HttpRequest, exc: Exception) -> HttpResponse:
        from tianping.core.middleware import database_busy

        if database_busy(exc):
            return error_response(request, 503, _("系统繁忙，请稍后重试。"), headers={"Retry-After": "5"})
        logger.exception("API %s %s failed", request.method, request.path)
        return error_response(request, 500, _("服务器内部错误，请把请求编号告诉法院的系统管理员。"))

    api.add_exception_handler(Exception, on_exception)
    api.add_exception_handler(ApiError, on_api_error)
    api.add_exception_handler(AuthenticationError, on_auth)
    api.add_exception_handler(HttpError, on_http)
    api.add_exception_handler(NinjaValidationError, on_validation)
    api.add_exception_handler(Http404, on_404)
    api.add_exception_handler(PermissionDenied, on_403)
    api.add_exception_handler(DjangoValidationError, on_django_validation)
    api.add_exception_handler(RequestDataTooBig, on_too_big)


# every operation documents these answers besides its own (schemathesis checks each status is documented)
ERROR_STATUSES = (400, 401, 403, 404, 413, 429, 500, 503)


def with_errors(ok: dict[int, Any], *extra: int) -> dict[int, Any]:
    return {**ok, **{s: ErrorOut for s in (*ERROR_STATUSES, *extra)}}
