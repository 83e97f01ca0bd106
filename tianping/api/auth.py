"""Token authentication of /api/v1/: `Authorization: Bearer tp1_…`, then the token's rate limit.

Order of refusals: no or unknown token 401; revoked, expired or its account disabled 401; over the per-minute
limit 429 (with Retry-After). The token found is kept on the request (`request.api_token`) so that the call —
refused or not — is audited under it (tianping.api.urls)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.security import HttpBearer

from tianping.api.errors import ApiError
from tianping.api.models import ApiToken
from tianping.api.scopes import principal_for, role_may, scope_label
from tianping.api.services import call_admit, token_hash


class TokenAuth(HttpBearer):
    openapi_description = "接口令牌（安全管理员在“接口令牌”页签发，只显示一次），写在请求头：Authorization: Bearer tp1_…"

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = (ApiToken.objects.select_related("account", "court").filter(key_hash=token_hash(token.strip()))
                 .first())
        if found is None:
            raise ApiError(401, _("令牌无效：请核对令牌是否完整（以 tp1_ 开头）。"),
                           headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})
        request.api_token = found  # type: ignore[attr-defined]
        if found.revoked_at is not None:
            raise ApiError(401, _("令牌已被吊销，请联系法院的安全管理员重新签发。"),
                           headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})
        if found.expires_at <= timezone.now():
            raise ApiError(401, _("令牌已过期，请联系法院的安全管理员重新签发。"),
                           headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})
        if not found.account.is_active:
            raise ApiError(401, _("令牌所属的接口账号已停用。"),
                           headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})
        principal = principal_for(found)
        request.api_principal = principal  # type: ignore[attr-defined]
        calls = call_admit(token=found)
        if calls > found.rate_per_minute:
            # only the first refusal of a minute is audited: a client in a loop must not flood the trail
            request.api_quiet = calls > found.rate_per_minute + 1  # type: ignore[attr-defined]
            wait = 60 - timezone.now().second
            raise ApiError(429, _("调用太频繁：本令牌每分钟最多 %(n)d 次，请 %(s)d 秒后重试。") % {
                "n": found.rate_per_minute, "s": wait}, headers={"Retry-After": str(wait)})
        return principal


def need(request: HttpRequest, scope: str) -> Any:
    """The principal of the call, if the token has `scope` and its role may do what the scope covers; else 403."""
    token: ApiToken = request.api_token  # type: ignore[attr-defined]
    principal = request.auth  # type: ignore[attr-defined]
    if scope not in token.scopes:
        raise ApiError(403, _("此令牌没有“%(scope)s”权限范围，请联系安全管理员。") % {"scope": scope_label(scope)})
    if not role_may(principal, scope):
        raise ApiError(403, _("令牌的角色不能%(scope)s。") % {"scope": scope_label(scope)})
    return principal


def count(request: HttpRequest, **counts: int) -> None:
    """Counts for the call's audit entry (items received, rows returned …)."""
    request.api_counts = {**getattr(request, "api_counts", {}), **counts}  # type: ignore[attr-defined]
