"""Sign-in (password, lockout, TOTP), password change, account administration (系统管理员), the security
policy (安全管理员), the audit viewer (审计管理员) and the audited reveal of a full ID number."""

from __future__ import annotations

import base64
import io

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from tianping.accounts import services
from tianping.accounts.forms import (
    AccountForm,
    AccountSearchForm,
    AuditFilterForm,
    LoginForm,
    OTPTokenForm,
    PasswordChangeForm,
    RevealForm,
    SecurityPolicyForm,
)
from tianping.accounts.models import LoginLock
from tianping.accounts.security_policy import get_policy, mfa_required, password_expired
from tianping.core.audit import audit_record
from tianping.core.models import AuditEvent
from tianping.core.scope import can_reveal_personal, get_visible_or_404, has_role, user_roles
from tianping.org.models import Person, Role, User


def _require(user, *roles: str) -> None:
    """Administrator pages: only the holder of the role; everybody else gets 404 (no hint the page exists)."""
    if not has_role(user, *roles):
        audit_record(actor=user, event="access.denied", message=f"需要角色 {'/'.join(roles)}")
        from django.http import Http404

        raise Http404


def _safe_next(request, default: str) -> str:
    nxt = request.POST.get("next") or request.GET.get("next") or ""
    if nxt and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()},
                                               require_https=request.is_secure()):
        return nxt
    return default


# --- sign in ------------------------------------------------------------------------------------------

class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


def password_change(request):
    """Change one's own password; required at first login and after the password has expired."""
    user = request.user
    form = PasswordChangeForm(user, request.POST or None)
    for field in form.fields.values():
        field.widget.attrs.setdefault("class", "form-control")
    if request.method == "POST" and form.is_valid():
        form.save()
        services.password_changed(user=user)
        update_session_auth_hash(request, user)
        messages.success(request, _("密码已修改。"))
        return redirect("core:home")
    reason = ""
    if user.must_change_password:
        reason = _("这是您首次登录（或密码已被重置），请先设置新密码。")
    elif password_expired(user):
        reason = _("您的密码已超过 %(n)d 天未修改，请设置新密码。") % {"n": get_policy().password_max_age_days}
    return render(request, "core/password_change.html", {
        "form": form, "reason": reason, "page_title": _("修改密码"), "breadcrumbs": [(_("修改密码"), None)]})


def _qr_data_uri(text: str) -> str:
    import segno

    buf = io.BytesIO()
    segno.make(text, error="m").save(buf, kind="svg", scale=5, border=2, xmldecl=False)
    return "data:image/svg+xml;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def _secret_b32(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode("ascii").rstrip("=")


def mfa_setup(request):
    """Enrol a TOTP authenticator: scan the QR code (rendered here, nothing loaded from outside), then type
    the current code. An account that already has a confirmed device must verify with it instead, so a
    stolen password alone cannot enrol a new device."""
    user = request.user
    if user_has_device(user, confirmed=True):
        return redirect(f"{reverse('accounts:mfa_verify')}?next={_safe_next(request, '/')}")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=_("身份验证器"), confirmed=False)
    form = OTPTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, _data = device.verify_is_allowed()
        if not allowed:
            form.add_error("token", _("验证码错误次数过多，请稍候再试。"))
        elif device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            audit_record(actor=user, event="mfa.enrolled", target=user, court_id=user.court_id)
            messages.success(request, _("双因素认证已启用。以后每次登录需输入身份验证器上的验证码。"))
            return redirect(_safe_next(request, reverse("core:home")))
        else:
            audit_record(actor=user, event="mfa.failed", target=user, court_id=user.court_id, message="enrolment")
            form.add_error("token", _("验证码不正确：请确认手机时间准确，并输入身份验证器上当前显示的 6 位数字。"))
    return render(request, "accounts/mfa_setup.html", {
        "form": form, "qr": _qr_data_uri(device.config_url), "secret": _secret_b32(device),
        "required": mfa_required(user), "next": _safe_next(request, ""), "page_title": _("启用双因素认证")})


def mfa_verify(request):
    """The second step of sign-in: the code from the user's authenticator."""
    user = request.user
    if not user_has_device(user, confirmed=True):
        return redirect(f"{reverse('accounts:mfa_setup')}?next={_safe_next(request, '/')}")
    if user.is_verified():
        return redirect(_safe_next(request, reverse("core:home")))
    form = OTPTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        for device in TOTPDevice.objects.filter(user=user, confirmed=True):
            allowed, _data = device.verify_is_allowed()
            if not allowed:
                form.add_error("token", _("验证码错误次数过多，请稍候再试。"))
                break
            if device.verify_token(form.cleaned_data["token"]):
                otp_login(request, device)
                audit_record(actor=user, event="mfa.verified", target=user, court_id=user.court_id)
                return redirect(_safe_next(request, reverse("core:home")))
        else:
            audit_record(actor=user, event="mfa.failed", target=user, court_id=user.court_id)
            form.add_error("token", _("验证码不正确：请输入身份验证器上当前显示的 6 位数字。"))
    return render(request, "accounts/mfa_verify.html", {
        "form": form, "next": _safe_next(request, ""), "page_title": _("双因素认证")})


# --- account administration (系统管理员) -------------------------------------------------------------

def account_list(request):
    _require(request.user, "sysadmin")
    form = AccountSearchForm(request.GET or None)
    users = User.objects.select_related("court").prefetch_related("role_grants").order_by("court__code", "username")
    if form.is_valid():
        if form.cleaned_data["q"]:
            users = users.filter(username__icontains=form.cleaned_data["q"])
        if form.cleaned_data["role"]:
            users = users.filter(role_grants__role=form.cleaned_data["role"])
        if form.cleaned_data["active"]:
            users = users.filter(is_active=form.cleaned_data["active"] == "1")
    locks = {lk.username: lk.locked_until for lk in LoginLock.objects.filter(locked_until__gt=timezone.now())}
    with_device = set(TOTPDevice.objects.filter(confirmed=True).values_list("user_id", flat=True))
    labels = dict(Role.choices)
    rows = [{"user": u, "roles": "、".join(str(labels[g.role]) for g in u.role_grants.all()),
             "locked_until": locks.get(u.username.lower()), "mfa": u.pk in with_device,
             "staff_number": u.person.staff_number if u.person_id else ""}
            for u in users.select_related("person")]
    return render(request, "accounts/account_list.html", {
        "form": form, "rows": rows, "page_title": _("账号管理"), "breadcrumbs": [(_("账号管理"), None)]})


def _account_form_page(request, instance: User | None):
    initial = {}
    if instance is not None:
        initial = {"username": instance.username, "court": instance.court_id, "roles": sorted(user_roles(instance)),
                   "person_staff_number": instance.person.staff_number if instance.person_id else ""}
    form = AccountForm(request.POST or None, instance=instance, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if instance is None:
                user, password = services.user_create(actor=request.user, username=data["username"],
                                                      court=data["court"], person=data["person"], roles=data["roles"])
                return render(request, "accounts/one_time_password.html", {
                    "account": user, "password": password, "page_title": _("初始密码")})
            services.user_update(actor=request.user, user=instance, court=data["court"], person=data["person"],
                                 roles=data["roles"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("账号已保存。"))
            return redirect("accounts:account_list")
    title = _("编辑账号") if instance else _("新建账号")
    return render(request, "accounts/account_form.html", {
        "form": form, "account": instance, "page_title": title,
        "breadcrumbs": [(_("账号管理"), reverse("accounts:account_list")), (title, None)]})


def account_create(request):
    _require(request.user, "sysadmin")
    return _account_form_page(request, None)


def account_edit(request, pk: int):
    _require(request.user, "sysadmin")
    return _account_form_page(request, get_object_or_404(User, pk=pk))


@require_POST
def account_action(request, pk: int, action: str):
    """Disable / enable / reset password / unlock / reset the second factor of one account."""
    _require(request.user, "sysadmin")
    account = get_object_or_404(User, pk=pk)
    try:
        if action == "disable":
            services.user_set_active(actor=request.user, user=account, active=False)
            messages.success(request, _("账号 %(u)s 已停用，其所有会话已结束。") % {"u": account.username})
        elif action == "enable":
            services.user_set_active(actor=request.user, user=account, active=True)
            messages.success(request, _("账号 %(u)s 已启用。") % {"u": account.username})
        elif action == "reset_password":
            password = services.user_reset_password(actor=request.user, user=account)
            return render(request, "accounts/one_time_password.html", {
                "account": account, "password": password, "page_title": _("初始密码")})
        elif action == "unlock":
            services.user_unlock(actor=request.user, user=account)
            messages.success(request, _("账号 %(u)s 已解锁。") % {"u": account.username})
        elif action == "mfa_reset":
            services.user_mfa_reset(actor=request.user, user=account)
            messages.success(request, _("账号 %(u)s 的双因素设备已清除，下次登录时重新绑定。") % {"u": account.username})
        else:
            raise PermissionDenied
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("accounts:account_list")


# --- security policy (安全管理员) -------------------------------------------------------------------------

def policy_edit(request):
    _require(request.user, "secadmin")
    policy = get_policy()
    form = SecurityPolicyForm(request.POST or None, instance=policy)
    if request.method == "POST" and form.is_valid():
        try:
            services.policy_update(actor=request.user, data=form.cleaned_data,
                                   expected_version=form.cleaned_data["loaded_version"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("安全策略已保存。"))
            return redirect("accounts:policy")
    from django.conf import settings

    return render(request, "accounts/policy_form.html", {
        "form": form, "policy": policy, "env_mfa": settings.TIANPING_REQUIRE_MFA,
        "page_title": _("安全策略"), "breadcrumbs": [(_("安全策略"), None)]})


# --- audit trail (审计管理员) --------------------------------------------------------------------------

def _audit_queryset(request, form: AuditFilterForm):
    user = request.user
    qs = AuditEvent.objects.all()
    if user.court_id:
        qs = qs.filter(Q(court_id_value__in=user.court.descendant_ids()) | Q(court_id_value__isnull=True))
    if form.is_valid():
        d = form.cleaned_data
        if d["actor"]:
            qs = qs.filter(actor_name__iexact=d["actor"].strip())
        if d["event"]:
            qs = qs.filter(event__startswith=d["event"].strip())
        if d["object_type"]:
            qs = qs.filter(object_type__startswith=d["object_type"].strip().lower())
        if d["object_id"]:
            qs = qs.filter(object_id=d["object_id"].strip())
        if d["q"]:
            qs = qs.filter(Q(message__contains=d["q"]) | Q(object_repr__contains=d["q"]))
        if d["start"]:
            qs = qs.filter(occurred_at__gte=d["start"])
        if d["end"]:
            qs = qs.filter(occurred_at__lte=d["end"])
    return qs.order_by("-id")


AUDIT_HEADERS = ["编号", "时间", "操作人", "角色", "IP 地址", "请求编号", "事件", "法院", "对象类型", "对象编号",
                 "对象", "变更", "说明", "哈希"]


def audit_list(request):
    _require(request.user, "auditor")
    form = AuditFilterForm(request.GET or None)
    qs = _audit_queryset(request, form)
    if request.GET.get("export") == "xlsx":
        return _audit_export(request, qs)
    from django.core.paginator import Paginator

    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    export_query = query.copy()
    export_query["export"] = "xlsx"
    events = AuditEvent.objects.order_by().values_list("event", flat=True).distinct()
    return render(request, "accounts/audit_list.html", {
        "form": form, "page": page, "count": page.paginator.count, "query": query.urlencode(),
        "export_query": export_query.urlencode(), "events": sorted(set(events)),
        "page_title": _("审计日志"), "breadcrumbs": [(_("审计日志"), None)]})


def _audit_export(request, qs):
    import json

    from openpyxl import Workbook

    from tianping.core.registers import escape_cell

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title="审计日志")
    ws.append(AUDIT_HEADERS)
    count = 0
    for e in qs.iterator(chunk_size=2000):
        count += 1
        ws.append([escape_cell(v) for v in [
            e.pk, timezone.localtime(e.occurred_at).replace(tzinfo=None), e.actor_name, e.actor_roles, e.ip or "",
            e.request_id, e.event, e.court_id_value or "", e.object_type, e.object_id, e.object_repr,
            json.dumps(e.changes, ensure_ascii=False) if e.changes else "", e.message, e.entry_hash]])
    buf = io.BytesIO()
    wb.save(buf)
    audit_record(actor=request.user, event="export", message=f"audit {count} 条 {request.GET.urlencode()}")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = HttpResponse(buf.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''audit-{stamp}.xlsx"
    return response


def audit_detail(request, pk: int):
    _require(request.user, "auditor")
    entry = _audit_queryset(request, AuditFilterForm()).filter(pk=pk).first()
    if entry is None:
        from django.http import Http404

        raise Http404
    return render(request, "accounts/audit_detail.html", {
        "entry": entry, "page_title": _("审计记录 #%(n)d") % {"n": entry.pk},
        "breadcrumbs": [(_("审计日志"), reverse("accounts:audit_list")), (f"#{entry.pk}", None)]})


# --- full ID number, with a reason ----------------------------------------------------------------------

def person_reveal(request, pk: int):
    """Show one person's full ID number and phone once, after the user states why; audited.

    Needs `can_reveal_personal` and the person within the user's scope (otherwise 404, logged)."""
    person = get_visible_or_404(Person.objects.all(), request.user, pk=pk)
    if not can_reveal_personal(request.user):
        audit_record(actor=request.user, event="access.denied", target=person, message="查看完整身份证号：无权限")
        from django.http import Http404

        raise Http404
    form = RevealForm(request.POST or None)
    revealed = None
    if request.method == "POST" and form.is_valid():
        audit_record(actor=request.user, event="personal.revealed", target=person,
                     message=f"查看完整身份证号和手机号，理由：{form.cleaned_data['reason']}")
        revealed = {"id_number": person.id_number, "phone": person.phone}
    return render(request, "accounts/reveal.html", {
        "person": person, "form": form, "revealed": revealed, "page_title": _("查看完整身份信息"),
        "breadcrumbs": [(_("人员名册"), reverse("org:person_list")),
                        (person.name, reverse("org:person_detail", args=[person.pk])), (_("查看完整身份信息"), None)]})
