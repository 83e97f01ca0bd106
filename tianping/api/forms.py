from __future__ import annotations

from datetime import timedelta
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tianping.api.models import TOKEN_ROLES, Scope
from tianping.core.forms import style_form
from tianping.core.roles import ADMIN_ROLES


class TokenGrantForm(forms.Form):
    """What the security administrator fills in to grant a token."""

    name = forms.CharField(label=_("用途"), max_length=60, help_text=_("如：审判流程管理系统推送案件"))
    account: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("接口账号"), queryset=None,
                                     help_text=_("由系统管理员新建的专用账号；令牌属于该账号所在的法院。"))
    role = forms.ChoiceField(label=_("角色"), choices=TOKEN_ROLES,
                             help_text=_("令牌只以这个角色读写，不带账号自己的角色。"))
    scopes = forms.MultipleChoiceField(label=_("权限范围"), choices=Scope.choices, widget=forms.CheckboxSelectMultiple)
    expires_on = forms.DateField(label=_("有效期至"), help_text=_("最长一年。"))
    rate_per_minute = forms.IntegerField(label=_("每分钟调用上限"), min_value=1, max_value=6000, initial=120)

    def __init__(self, *args: Any, actor: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from tianping.org.models import User

        field = cast("forms.ModelChoiceField[Any]", self.fields["account"])
        field.queryset = (
            User.objects.filter(is_active=True, court__isnull=False).exclude(role_grants__role__in=ADMIN_ROLES)
            .exclude(pk=getattr(actor, "pk", 0) or 0).select_related("court").order_by("court__code", "username"))
        field.label_from_instance = lambda obj: f"{obj.username}（{obj.court}）"  # type: ignore[method-assign]
        self.fields["expires_on"].initial = timezone.localdate() + timedelta(days=365)
        style_form(self)
