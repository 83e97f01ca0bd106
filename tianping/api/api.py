"""The integration API (/api/v1/): django-ninja, typed schemas, OpenAPI 3.1 at /api/v1/openapi.json and an offline
docs page at /api/v1/docs (Swagger UI vendored under static/vendor/swagger-ui/). See docs/api.md."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja import NinjaAPI, Schema
from ninja.openapi.docs import DocsBase

from tianping.api import errors
from tianping.api.auth import TokenAuth, count
from tianping.api.errors import with_errors

DESCRIPTION = """天平（法院党建与审判工作平台）的数据接口：审判流程管理系统推送案件，上级法院读取统计数字，
省级党建平台交换党员名册，签到机登记出勤。

- 认证：每个请求带 `Authorization: Bearer <令牌>`；令牌由法院的安全管理员签发，绑定一个法院、一个角色和若干权限范围，
  只显示一次，到期或吊销后即失效（401）。
- 范围：接口只回答该角色在页面上能看到的数据；范围外的记录一律 404。
- 错误：JSON，`message` 为中文说明，`errors[].field` 指出字段（如 `items[17].结案日期`）。
- 限流：每个令牌每分钟的调用次数有上限，超过返回 429 和 `Retry-After`。

详见 docs/api.md。"""


class OfflineSwagger(DocsBase):
    """Swagger UI from static/vendor/ (court networks are offline; ninja's own page would load nothing from a CDN
    here, but its files are not versioned in our tree): no inline script, so the site's CSP holds."""

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        return render(request, "api/docs.html", {"openapi_url": self.get_openapi_url(api, kwargs), "api": api})


api = NinjaAPI(title="天平数据接口", version="1", description=DESCRIPTION, auth=TokenAuth(),
               urls_namespace="api:v1",  # mounted by tianping.api.urls (app "api") as "v1"
               docs=OfflineSwagger(), docs_url="/docs", openapi_url="/openapi.json")
errors.install(api)


class TokenOut(Schema):
    name: str
    court: str
    court_code: str
    role: str
    scopes: list[str]
    expires_at: datetime
    rate_per_minute: int


@api.get("/token", response=with_errors({200: TokenOut}), tags=["令牌"], summary="本令牌的信息",
         operation_id="token_info")
def token_info(request: HttpRequest) -> dict[str, Any]:
    """本令牌的用途、法院、角色、权限范围和有效期（用来检查令牌是否可用）。"""
    token = request.api_token  # type: ignore[attr-defined]
    count(request, returned=1)
    return {"name": token.name, "court": token.court.name, "court_code": token.court.code, "role": token.role,
            "scopes": token.scopes, "expires_at": token.expires_at, "rate_per_minute": token.rate_per_minute}


def _routers() -> None:
    from tianping.api import cases, figures, meetings, people

    api.add_router("/cases", cases.router)
    api.add_router("/figures", figures.router)
    api.add_router("", people.router)
    api.add_router("/meetings", meetings.router)


_routers()
