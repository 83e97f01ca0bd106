"""Sign-in (password, lockout, TOTP), password change, account administration (系统管理员), the security
policy (安全管理员), the audit viewer (审计管理员) and the audited reveal of a full ID number."""

from __future__ import annotations

import base64
import io

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
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
from tianping.accounts.audit_labels import describe_objects, event_label, field_label, object_type_label
from tianping.accounts.forms import (
    AccountCreateForm,
    AccountGrantForm,
    AccountSearchForm,
    AuditFilterForm,
    EnrolmentCodeForm,
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
from tianping.core.policy import allowed, permission_required
from tianping.core.roles import ADMIN_ROLES, Role, user_roles
from tianping.core.scope import get_visible_or_404
from tianping.org.models import Person, User


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


@permission_required("core.signed_in")
def password_change(request):
    """Change one's own password; required at first login and after the password has expired."""
    user = request.user
    form = PasswordChangeForm(user, request.POST or None)
    for field in form.fields.values():
        field.widget.attrs.setdefault("class", "form-control")
    if request.method == "POST" and form.is_valid():
        services.password_changed(user=user, new_password=form.cleaned_data["new_password1"])
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


SESSION_ENROL_CODE = "_tp_enrol_code"
SESSION_ENROL_DEVICE = "_tp_enrol_device"


@permission_required("core.signed_in")
def mfa_setup(request):
    """Enrol a TOTP authenticator, in two steps:

    1. the one-time enrolment code the security administrator issued (so a password alone — e.g. one the
       system administrator reset — cannot enrol a device: issue 11);
    2. scan the QR code of a fresh secret (rendered here, nothing loaded from outside), type the current code.

    An account that already has a confirmed device must verify with it instead."""
    user = request.user
    nxt = _safe_next(request, "")
    if user_has_device(user, confirmed=True):
        return redirect(f"{reverse('accounts:mfa_verify')}?next={_safe_next(request, '/')}")
    here = reverse("accounts:mfa_setup") + (f"?next={nxt}" if nxt else "")
    code_id = request.session.get(SESSION_ENROL_CODE)
    device = None
    if code_id:
        device = TOTPDevice.objects.filter(user=user, confirmed=False,
                                           pk=request.session.get(SESSION_ENROL_DEVICE)).first()
    if device is None:  # step 1: the enrolment code
        form = EnrolmentCodeForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                entry = services.enrolment_code_check(user=user, code=form.cleaned_data["code"])
            except ValidationError as exc:
                form.add_error("code", exc)
            else:
                request.session[SESSION_ENROL_CODE] = entry.pk
                request.session[SESSION_ENROL_DEVICE] = services.mfa_device_start(user=user).pk
                return redirect(here)
        return render(request, "accounts/mfa_code.html", {
            "form": form, "required": mfa_required(user), "next": nxt, "page_title": _("启用双因素认证")})

    form = OTPTokenForm(request.POST or None)  # step 2: the authenticator
    if request.method == "POST" and form.is_valid():
        allowed_now, _data = device.verify_is_allowed()
        if not allowed_now:
            form.add_error("token", _("验证码错误次数过多，请稍候再试。"))
        elif device.verify_token(form.cleaned_data["token"]):
            try:
                services.mfa_device_confirm(user=user, device=device, code_id=code_id)
            except ValidationError as exc:
                request.session.pop(SESSION_ENROL_CODE, None)
                messages.error(request, " ".join(exc.messages))
                return redirect(here)
            request.session.pop(SESSION_ENROL_CODE, None)
            request.session.pop(SESSION_ENROL_DEVICE, None)
            otp_login(request, device)
            messages.success(request, _("双因素认证已启用。以后每次登录需输入身份验证器上的验证码。"))
            return redirect(_safe_next(request, reverse("core:home")))
        else:
            audit_record(actor=user, event="mfa.failed", target=user, court_id=user.court_id, message="enrolment")
            form.add_error("token", _("验证码不正确：请确认手机时间准确，并输入身份验证器上当前显示的 6 位数字。"))
    return render(request, "accounts/mfa_setup.html", {
        "form": form, "qr": _qr_data_uri(device.config_url), "secret": _secret_b32(device),
        "required": mfa_required(user), "next": nxt, "page_title": _("启用双因素认证")})


@permission_required("core.signed_in")
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


# --- accounts: created and disabled by the 系统管理员, authorised by the 安全管理员 ------------------------------

@permission_required("accounts.view_accounts")
def account_list(request):
    form = AccountSearchForm(request.GET or None)
    users = User.objects.select_related("court", "person").prefetch_related("role_grants").order_by(
        "court__code", "username")
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
    rows = [{"user": u, "roles": "、".join(str(labels.get(g.role, g.role)) for g in u.role_grants.all()),
             "locked_until": locks.get(u.username.lower()), "mfa": u.pk in with_device,
             "staff_number": u.person.staff_number if u.person_id else ""}
            for u in users]
    user = request.user
    return render(request, "accounts/account_list.html", {
        "form": form, "rows": rows, "page_title": _("账号管理"), "breadcrumbs": [(_("账号管理"), None)],
        "may": {perm.split(".")[1]: allowed(user, perm) for perm in (
            "accounts.manage_accounts", "accounts.reset_password", "accounts.grant_roles", "accounts.clear_mfa",
            "accounts.issue_enrolment_code")}})


@permission_required("accounts.manage_accounts")
def account_create(request):
    """A new account: user name and court only; roles and the person come from the security administrator."""
    form = AccountCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user, password = services.user_create(actor=request.user, username=form.cleaned_data["username"],
                                                  court=form.cleaned_data["court"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return render(request, "accounts/one_time_password.html", {
                "account": user, "password": password, "page_title": _("初始密码")})
    title = _("新建账号")
    return render(request, "accounts/account_form.html", {
        "form": form, "account": None, "page_title": title,
        "breadcrumbs": [(_("账号管理"), reverse("accounts:account_list")), (title, None)]})


@permission_required("accounts.grant_roles")
def account_edit(request, pk: int):
    """Roles, court and person of an account (安全管理员)."""
    instance = get_object_or_404(User, pk=pk)
    initial = {"court": instance.court_id, "roles": sorted(user_roles(instance)),
               "person_staff_number": instance.person.staff_number if instance.person else ""}
    form = AccountGrantForm(request.POST or None, instance=instance, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.user_grant(actor=request.user, user=instance, court=data["court"], person=data["person"],
                                roles=data["roles"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("账号 %(u)s 的授权已保存。") % {"u": instance.username})
            return redirect("accounts:account_list")
    title = _("授权：%(u)s") % {"u": instance.username}
    return render(request, "accounts/account_form.html", {
        "form": form, "account": instance, "page_title": title,
        "breadcrumbs": [(_("账号管理"), reverse("accounts:account_list")), (title, None)]})


def _account_action(perm: str, run):
    """A POST-only action on one account, behind its own permission; refusals come back as a message."""

    @require_POST
    @permission_required(perm)
    def view(request, pk: int):
        account = get_object_or_404(User, pk=pk)
        try:
            response = run(request, account)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            response = None
        return response or redirect("accounts:account_list")

    return view


def _disable(request, account):
    services.user_set_active(actor=request.user, user=account, active=False)
    messages.success(request, _("账号 %(u)s 已停用，其所有会话已结束。") % {"u": account.username})


def _enable(request, account):
    services.user_set_active(actor=request.user, user=account, active=True)
    messages.success(request, _("账号 %(u)s 已启用。") % {"u": account.username})


def _reset_password(request, account):
    password = services.user_reset_password(actor=request.user, user=account)
    return render(request, "accounts/one_time_password.html", {
        "account": account, "password": password, "page_title": _("初始密码")})


def _unlock(request, account):
    services.user_unlock(actor=request.user, user=account)
    messages.success(request, _("账号 %(u)s 已解锁。") % {"u": account.username})


def _mfa_reset(request, account):
    services.user_mfa_reset(actor=request.user, user=account)
    messages.success(request, _("账号 %(u)s 的双因素设备已清除；请为其签发绑定码，本人凭绑定码重新绑定。")
                     % {"u": account.username})


def _enrolment_code(request, account):
    code, entry = services.enrolment_code_issue(actor=request.user, user=account)
    return render(request, "accounts/enrolment_code.html", {
        "account": account, "code": code, "expires_at": entry.expires_at, "page_title": _("双因素绑定码")})


account_disable = _account_action("accounts.manage_accounts", _disable)
account_enable = _account_action("accounts.manage_accounts", _enable)
account_unlock = _account_action("accounts.manage_accounts", _unlock)
account_reset_password = _account_action("accounts.reset_password", _reset_password)
account_mfa_reset = _account_action("accounts.clear_mfa", _mfa_reset)
account_enrolment_code = _account_action("accounts.issue_enrolment_code", _enrolment_code)


# --- security policy (安全管理员) -------------------------------------------------------------------------

@permission_required("accounts.manage_security")
def policy_edit(request):
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
        # the courts below, entries of no court, and every action of the three administrators, whichever court
        # the account they acted on belongs to
        qs = qs.filter(Q(court_id_value__in=user.court.descendant_ids()) | Q(court_id_value__isnull=True)
                       | Q(actor_roles__in=[str(r) for r in ADMIN_ROLES]))
    if form.is_valid():
        d = form.cleaned_data
        if d["actor"]:
            qs = qs.filter(actor_name__iexact=d["actor"].strip())
        if d["event"]:
            qs = qs.filter(event=d["event"])
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


AUDIT_HEADERS = ["编号", "时间", "操作人", "角色", "IP 地址", "请求编号", "事件", "事件代码", "法院", "对象类型",
                 "对象编号", "对象", "变更", "说明", "哈希"]


@permission_required("accounts.view_audit")
def audit_list(request):
    events = AuditEvent.objects.order_by().values_list("event", flat=True).distinct()
    form = AuditFilterForm(request.GET or None, event_codes=events)
    qs = _audit_queryset(request, form)
    if request.GET.get("export") == "xlsx":
        return _audit_export(request, qs)
    from django.core.paginator import Paginator

    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    described = describe_objects(page.object_list)
    for entry in page.object_list:
        entry.event_label = event_label(entry.event)
        entry.object_display = described.get(entry.pk, "")
    query = request.GET.copy()
    query.pop("page", None)
    export_query = query.copy()
    export_query["export"] = "xlsx"
    return render(request, "accounts/audit_list.html", {
        "form": form, "page": page, "count": page.paginator.count, "query": query.urlencode(),
        "export_query": export_query.urlencode(),
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
            e.request_id, event_label(e.event), e.event, e.court_id_value or "",
            object_type_label(e.object_type) if e.object_type else "", e.object_id, e.object_repr,
            json.dumps(e.changes, ensure_ascii=False) if e.changes else "", e.message, e.entry_hash]])
    buf = io.BytesIO()
    wb.save(buf)
    audit_record(actor=request.user, event="export", message=f"audit {count} 条 {request.GET.urlencode()}")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = HttpResponse(buf.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''audit-{stamp}.xlsx"
    return response


@permission_required("accounts.view_audit")
def audit_detail(request, pk: int):
    entry = _audit_queryset(request, AuditFilterForm()).filter(pk=pk).first()
    if entry is None:
        from django.http import Http404

        raise Http404
    changes = []
    if entry.changes:
        before = entry.changes.get("before") or {}
        for key, value in (entry.changes.get("after") or {}).items():
            changes.append((field_label(entry.object_type, key), before.get(key), value))
    return render(request, "accounts/audit_detail.html", {
        "entry": entry, "event_label": event_label(entry.event), "changes": changes,
        "object_display": describe_objects([entry]).get(entry.pk, ""),
        "page_title": _("审计记录 #%(n)d") % {"n": entry.pk},
        "breadcrumbs": [(_("审计日志"), reverse("accounts:audit_list")), (f"#{entry.pk}", None)]})


# --- full ID number, with a reason ----------------------------------------------------------------------

@permission_required("accounts.reveal_personal")
def person_reveal(request, pk: int):
    """Show one person's full ID number and phone once, after the user states why; audited.

    Needs accounts.reveal_personal (403) and the person within the user's scope (otherwise 404, logged)."""
    person = get_visible_or_404(Person.objects.all(), request.user, pk=pk)
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
