"""Forms of sign-in, second factor, account administration, security policy, reveal and audit search."""

from __future__ import annotations

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from tianping.accounts import security_policy as security
from tianping.accounts import services
from tianping.accounts.models import SecurityPolicy
from tianping.core.forms import style_form
from tianping.core.middleware import client_ip
from tianping.core.roles import Role
from tianping.org.models import Court, Person, User


class LoginForm(auth_forms.AuthenticationForm):
    """Password sign-in with lockout. Unknown and known user names get identical answers."""

    error_messages = {
        "invalid_login": _("用户名或密码错误。连续失败多次后账号将被暂时锁定。"),
        "inactive": _("用户名或密码错误。连续失败多次后账号将被暂时锁定。"),
        "locked": _("登录失败次数过多，账号已被锁定，请在 %(until)s 之后再试，或联系系统管理员解锁。"),
    }

    def _locked_error(self, until):
        from django.utils import timezone

        return ValidationError(self.error_messages["locked"],
                               params={"until": formats.time_format(timezone.localtime(until), "H:i")},
                               code="locked")

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        ip = client_ip(self.request) if self.request else None
        until = security.locked_until(username)
        if until:
            from tianping.core.audit import audit_record

            audit_record(event="login.failed", actor_name=username, message=f"登录失败：{username}（锁定期间）")
            raise self._locked_error(until)
        try:
            cleaned = super().clean()
        except ValidationError:
            if username and self.cleaned_data.get("password"):
                if services.login_attempt_record(username=username, success=False, ip=ip):
                    from tianping.core.audit import audit_record

                    audit_record(event="login.locked", actor_name=username,
                                 message=f"{username} 连续登录失败，锁定至 {security.locked_until(username)}")
                    raise self._locked_error(security.locked_until(username)) from None
            raise
        services.login_attempt_record(username=username, success=True, ip=ip)
        return cleaned


class OTPTokenForm(forms.Form):
    token = forms.CharField(label=_("动态验证码"), max_length=8, min_length=6,
                            widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                                          "autofocus": True}))

    def clean_token(self):
        token = self.cleaned_data["token"].strip().replace(" ", "")
        if not token.isdigit():
            raise ValidationError(_("验证码是 6 位数字，请查看身份验证器应用中的当前数字。"))
        return token


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    """Change one's own password: the new one must differ from the old one and follow the policy."""

    def clean_new_password1(self):
        new = self.cleaned_data.get("new_password1")
        if new and self.user.check_password(new):
            raise ValidationError(_("新密码不能与当前密码相同，请换一个。"))
        return new


class AccountCreateForm(forms.Form):
    """A new account (系统管理员): user name and court. Roles and the person are granted by the 安全管理员."""

    username = forms.RegexField(label=_("用户名"), max_length=150, regex=r"^[A-Za-z0-9_.@+-]+$",
                                error_messages={"invalid": _("用户名只能包含字母、数字和 _ . @ + -，请修改。")})
    court = forms.ModelChoiceField(label=_("法院"), queryset=Court.objects.order_by("code"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_form(self)

    def clean_username(self):
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError(_("用户名 %(u)s 已被使用，请换一个。") % {"u": username})
        return username


class AccountGrantForm(forms.Form):
    """Roles, court and person of an account (安全管理员). The rules are the service's (`check_roles`)."""

    court = forms.ModelChoiceField(label=_("法院"), queryset=Court.objects.order_by("code"))
    person_staff_number = forms.CharField(
        label=_("关联人员工号"), required=False, max_length=20,
        help_text=_("账号对应的干警的工号（按工号关联，不显示人员名册）；三员账号可不填。"))
    roles = forms.MultipleChoiceField(label=_("角色"), choices=Role.choices, widget=forms.CheckboxSelectMultiple,
                                      required=False)

    def __init__(self, *args, instance: User, **kwargs):
        self.instance = instance
        super().__init__(*args, **kwargs)
        style_form(self)

    def clean_roles(self):
        from tianping.accounts.services import check_roles

        roles = self.cleaned_data["roles"]
        check_roles(roles)
        return roles

    def clean(self):
        cleaned = super().clean()
        staff = (cleaned.get("person_staff_number") or "").strip()
        court = cleaned.get("court")
        cleaned["person"] = None
        if staff and court:
            person = Person.objects.filter(court=court, staff_number=staff).first()
            if person is None:
                self.add_error("person_staff_number", _("%(court)s 没有工号为 %(n)s 的人员，请核对工号。")
                               % {"court": court, "n": staff})
            else:
                taken = User.objects.filter(person=person).exclude(pk=self.instance.pk).first()
                if taken is not None:
                    self.add_error("person_staff_number", _("工号 %(n)s 的人员已有账号 %(u)s，一人只能有一个账号。")
                                   % {"n": staff, "u": taken.username})
                cleaned["person"] = person
        return cleaned


class EnrolmentCodeForm(forms.Form):
    code = forms.CharField(label=_("绑定码"), max_length=20,
                           help_text=_("安全管理员签发给您的 12 位绑定码，如 ABCD-EFGH-JKMN。"),
                           widget=forms.TextInput(attrs={"autocomplete": "off", "autofocus": True}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_form(self)


class AccountSearchForm(forms.Form):
    q = forms.CharField(label=_("用户名"), required=False)
    role = forms.ChoiceField(label=_("角色"), required=False, choices=[("", _("全部")), *Role.choices])
    active = forms.ChoiceField(label=_("状态"), required=False,
                               choices=[("", _("全部")), ("1", _("启用")), ("0", _("停用"))])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_form(self)


class SecurityPolicyForm(forms.ModelForm):
    loaded_version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = SecurityPolicy
        fields = ["password_max_age_days", "lockout_threshold", "lockout_window_minutes", "lockout_minutes",
                  "idle_timeout_minutes", "session_max_hours", "require_mfa_all"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound and self.instance.pk:
            self.initial["loaded_version"] = self.instance.version
        style_form(self)


class RevealForm(forms.Form):
    reason = forms.CharField(label=_("查看理由"), min_length=4, max_length=200,
                             widget=forms.TextInput(attrs={"placeholder": _("如：办理社保转移需核对身份证号")}),
                             error_messages={"min_length": _("请写明查看理由（至少 4 个字），将记入审计日志。"),
                                             "required": _("请写明查看理由（至少 4 个字），将记入审计日志。")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_form(self)


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=_("操作人账号"), required=False)
    event = forms.ChoiceField(label=_("事件"), required=False)
    object_type = forms.CharField(label=_("对象类型"), required=False)
    object_id = forms.CharField(label=_("对象编号"), required=False)
    q = forms.CharField(label=_("关键词"), required=False)
    start = forms.DateTimeField(label=_("起始时间"), required=False,
                                widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    end = forms.DateTimeField(label=_("截止时间"), required=False,
                              widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))

    def __init__(self, *args, event_codes=(), **kwargs):
        from tianping.accounts.audit_labels import event_choices

        super().__init__(*args, **kwargs)
        self.fields["event"].choices = [("", _("全部")), *event_choices(event_codes)]
        style_form(self)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("start") and cleaned.get("end") and cleaned["end"] < cleaned["start"]:
            raise ValidationError(_("截止时间早于起始时间，请调整时间范围。"))
        return cleaned


def validate_new_password(password: str, user) -> None:
    password_validation.validate_password(password, user)
