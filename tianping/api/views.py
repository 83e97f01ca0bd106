"""The security administrator's token pages: the list (with revocation) and the grant form (the secret is shown
once on the page that follows)."""

from __future__ import annotations

from datetime import datetime, time
from typing import TYPE_CHECKING, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tianping.api import services
from tianping.api.forms import TokenGrantForm
from tianping.api.models import ApiToken
from tianping.core.policy import permission_required

if TYPE_CHECKING:
    from tianping.org.models import User


def _actor(request: HttpRequest) -> User:
    return cast("User", request.user)


@permission_required("api.manage_tokens")
def token_list(request: HttpRequest) -> HttpResponse:
    tokens = ApiToken.objects.select_related("account", "court", "created_by", "revoked_by")
    return render(request, "api/token_list.html", {
        "tokens": tokens, "now": timezone.now(), "page_title": _("接口令牌"), "breadcrumbs": [(_("接口令牌"), None)]})


@permission_required("api.manage_tokens")
def token_create(request: HttpRequest) -> HttpResponse:
    form = TokenGrantForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        expires_at = timezone.make_aware(datetime.combine(data["expires_on"], time(23, 59, 59)))
        try:
            raw, token = services.token_grant(actor=_actor(request), account=data["account"], name=data["name"],
                                              role=data["role"], scopes=list(data["scopes"]), expires_at=expires_at,
                                              rate_per_minute=data["rate_per_minute"])
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errs in exc.error_dict.items():
                    form.add_error(field if field in form.fields else None, errs)
            else:
                form.add_error(None, exc)
        else:
            return render(request, "api/token_shown.html", {"token": token, "secret": raw,
                                                            "page_title": _("接口令牌已签发")})
    title = _("签发接口令牌")
    return render(request, "api/token_form.html", {
        "form": form, "page_title": title,
        "breadcrumbs": [(_("接口令牌"), reverse("api:token_list")), (title, None)]})


@require_POST
@permission_required("api.manage_tokens")
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk)
    try:
        services.token_revoke(actor=_actor(request), token=token)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("令牌 %(t)s 已吊销，之后的调用一律拒绝（401）。") % {"t": str(token)})
    return redirect("api:token_list")
