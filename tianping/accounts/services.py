"""Account administration (系统管理员), roles, second factor and the security policy (安全管理员). Every write
is audited; each service checks the administrator split itself (see policy.py) and refuses changes to the
actor's own account where that would let one person widen their own rights."""

from __future__ import annotations

import secrets
import string
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tianping.accounts.models import EnrolmentCode, LoginAttempt, LoginLock, SecurityPolicy, UserSession
from tianping.accounts.security_policy import get_policy, normalise_username
from tianping.core.audit import audit_record
from tianping.core.policy import allowed
from tianping.core.roles import ADMIN_ROLES, Role
from tianping.org.models import User
from tianping.org.services import user_set_roles

if TYPE_CHECKING:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tianping.org.models import Court, Person

POLICY_FIELDS = ["password_max_age_days", "lockout_threshold", "lockout_window_minutes", "lockout_minutes",
                 "idle_timeout_minutes", "session_max_hours", "require_mfa_all"]


def one_time_password(length: int = 14) -> str:
    """A random initial password that satisfies the password rules (all four character classes)."""
    alphabet = string.ascii_letters + string.digits + "@#%+=!?"
    while True:
        pw = "".join(secrets.choice(alphabet) for _ in range(length))
        if (any(c.isupper() for c in pw) and any(c.islower() for c in pw) and any(c.isdigit() for c in pw)
                and any(c in "@#%+=!?" for c in pw)):
            return pw


def sessions_end(*, user: User) -> int:
    """End every session of the account (the registry of sessions opened at login, plus any other session
    in the database that carries the account's id — e.g. one made before the registry existed)."""
    keys = set(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            keys.add(session.session_key)
    Session.objects.filter(session_key__in=keys).delete()
    UserSession.objects.filter(user=user).delete()
    return len(keys)


def _require_actor(actor: User, perm: str) -> None:
    """The administrator split is kept here too, not only in the views: `actor=None` is the command line
    (the installer's `create_admin`), every other actor needs the permission."""
    if actor is not None and not allowed(actor, perm):
        raise PermissionDenied


def _refuse_self(actor: User, user: User, message: str) -> None:
    if actor is not None and actor.pk == user.pk:
        raise ValidationError(message)


@transaction.atomic
def user_create(*, actor: User, username: str, court: Court | None) -> tuple[User, str]:
    """Create an account (系统管理员) with a one-time password that must be changed at first sign-in.

    The account holds no role and is bound to no person: the security administrator grants those
    (`user_grant`), so the system administrator never creates an account that reads business data."""
    _require_actor(actor, "accounts.manage_accounts")
    password = one_time_password()
    user = User(username=username, court=court, must_change_password=True)
    user.set_password(password)
    user.full_clean()
    user.save()
    audit_record(actor=actor, event="user.created", target=user, court_id=court.pk if court else None,
                 after={"username": username, "court": court})
    return user, password


def check_roles(roles: list[str] | set[str]) -> None:
    """三员分立: at most one of the three administrator roles, and never with a business role."""
    chosen = {str(r) for r in roles}
    admin = chosen & {str(r) for r in ADMIN_ROLES}
    if len(admin) > 1:
        raise ValidationError(_("三员分立：系统管理员、安全管理员、审计管理员不能由同一账号兼任。"), code="admin_roles")
    if admin and chosen - admin:
        raise ValidationError(_("三员账号不能同时持有业务角色，请为业务工作另建账号。"), code="admin_business")
    unknown = chosen - {str(r) for r in Role}
    if unknown:
        raise ValidationError(_("没有这个角色：%(r)s。") % {"r": "、".join(sorted(unknown))}, code="unknown_role")


@transaction.atomic
def user_grant(*, actor: User, user: User, court: Court | None, person: Person | None, roles: list[str]) -> User:
    """Grant an account its roles, its court and the person it belongs to (安全管理员). Nobody changes their
    own account's rights; the changes are audited (user.updated, user.roles_changed)."""
    _require_actor(actor, "accounts.grant_roles")
    # lock the account: two security administrators saving one account at once apply one after the other
    locked = User.objects.select_for_update().get(pk=user.pk)
    _refuse_self(actor, locked, _("不能修改自己账号的角色和授权，请由另一名安全管理员操作。"))
    check_roles(roles)
    if person is not None:
        if court is not None and person.court_id != court.pk:
            raise ValidationError(_("所选人员不属于 %(court)s，请核对法院和工号。") % {"court": court})
        other = User.objects.filter(person=person).exclude(pk=locked.pk).first()
        if other is not None:
            raise ValidationError(_("该人员已有账号 %(u)s，一人只能有一个账号。") % {"u": other.username})
    before = {"court": locked.court, "person": locked.person}
    locked.court, locked.person = court, person
    locked.full_clean()
    changed = {k: v for k, v in before.items() if getattr(locked, k) != v}
    if changed:
        locked.save(update_fields=list(changed))
        audit_record(actor=actor, event="user.updated", target=locked, court_id=locked.court_id,
                     before=changed, after={k: getattr(locked, k) for k in changed})
    user_set_roles(actor=actor, user=locked, roles=[str(r) for r in roles])
    return locked


@transaction.atomic
def user_set_active(*, actor: User, user: User, active: bool) -> User:
    """Disable (ending every session at once) or re-enable an account. Nobody disables themselves."""
    _require_actor(actor, "accounts.manage_accounts")
    if actor is not None and actor.pk == user.pk and not active:
        raise ValidationError(_("不能停用自己正在使用的账号。"))
    if user.is_active == active:
        return user
    user.is_active = active
    user.save(update_fields=["is_active"])
    ended = 0 if active else sessions_end(user=user)
    audit_record(actor=actor, event="user.enabled" if active else "user.disabled", target=user,
                 court_id=user.court_id, before={"is_active": not active}, after={"is_active": active},
                 message="" if active else f"结束会话 {ended} 个")
    return user


@transaction.atomic
def user_reset_password(*, actor: User, user: User) -> str:
    """A new one-time password (系统管理员), to be changed at the next sign-in; ends the account's sessions and
    lifts a lock. The password alone does not open the account where a second factor is required: the account's
    own authenticator, or — with none enrolled — an enrolment code from the security administrator is needed
    too, so the administrator who reset it cannot sign in with it."""
    _require_actor(actor, "accounts.reset_password")
    _refuse_self(actor, user, _("不能重置自己的密码，请在“修改密码”中修改。"))
    password = one_time_password()
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    sessions_end(user=user)
    unlock(user.username)
    audit_record(actor=actor, event="user.password_reset", target=user, court_id=user.court_id)
    return password


@transaction.atomic
def user_unlock(*, actor: User, user: User) -> None:
    _require_actor(actor, "accounts.manage_accounts")
    unlock(user.username)
    audit_record(actor=actor, event="user.unlocked", target=user, court_id=user.court_id)


@transaction.atomic
def user_mfa_reset(*, actor: User, user: User) -> int:
    """Remove the account's TOTP devices (a lost phone; 安全管理员); to enrol again the account needs a new
    enrolment code."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    _require_actor(actor, "accounts.clear_mfa")
    _refuse_self(actor, user, _("不能清除自己账号的双因素设备，请由另一名安全管理员操作。"))
    count, _deleted = TOTPDevice.objects.filter(user=user).delete()
    sessions_end(user=user)
    audit_record(actor=actor, event="user.mfa_reset", target=user, court_id=user.court_id,
                 message=f"删除双因素设备 {count} 个")
    return int(count)


ENROLMENT_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read aloud or copied by hand


def normalise_enrolment_code(code: str) -> str:
    return "".join(c for c in (code or "").upper() if c.isalnum())


@transaction.atomic
def enrolment_code_issue(*, actor: User, user: User) -> tuple[str, EnrolmentCode]:
    """A one-time code (安全管理员) with which the account enrols a second factor; shown once, stored hashed,
    expiring. Issuing a new code voids the earlier unused ones."""
    _require_actor(actor, "accounts.issue_enrolment_code")
    _refuse_self(actor, user, _("不能为自己的账号签发绑定码，请由另一名安全管理员操作。"))
    now = timezone.now()
    EnrolmentCode.objects.filter(user=user, used_at__isnull=True, expires_at__gt=now).update(expires_at=now)
    raw = "".join(secrets.choice(ENROLMENT_ALPHABET) for _i in range(12))
    entry = EnrolmentCode.objects.create(
        user=user, code_hash=make_password(raw), issued_by=actor, issued_at=now,
        expires_at=now + timedelta(hours=settings.TIANPING_ENROLMENT_CODE_HOURS))
    audit_record(actor=actor, event="mfa.code_issued", target=user, court_id=user.court_id,
                 message=f"有效期至 {timezone.localtime(entry.expires_at):%Y-%m-%d %H:%M}")
    return "-".join(raw[i:i + 4] for i in range(0, 12, 4)), entry


def enrolment_code_check(*, user: User, code: str) -> EnrolmentCode:
    """The account's valid enrolment code matching `code`, or ValidationError. Wrong tries are counted on the
    code (it dies after settings.TIANPING_ENROLMENT_CODE_MAX_FAILURES) and audited; the count is committed
    before the refusal is raised, so it cannot be rolled back with it."""
    with transaction.atomic():
        now = timezone.now()
        # lock the code: two tries at once must both be counted
        entry = (EnrolmentCode.objects.select_for_update()
                 .filter(user=user, used_at__isnull=True, expires_at__gt=now,
                         failures__lt=settings.TIANPING_ENROLMENT_CODE_MAX_FAILURES)
                 .order_by("-issued_at").first())
        matches = entry is not None and check_password(normalise_enrolment_code(code), entry.code_hash)
        if entry is not None and not matches:
            entry.failures += 1
            entry.save(update_fields=["failures"])
            audit_record(actor=user, event="mfa.code_failed", target=user, court_id=user.court_id,
                         message=f"第 {entry.failures} 次")
    if entry is None:
        raise ValidationError(_("您的账号没有有效的绑定码（未签发、已使用、已过期或输错次数过多）。"
                                "请联系安全管理员签发新的绑定码。"), code="no_code")
    if not matches:
        raise ValidationError(_("绑定码不正确，请核对安全管理员给您的 12 位绑定码（字母不区分大小写）。"),
                              code="wrong_code")
    return entry


@transaction.atomic
def mfa_device_start(*, user: User) -> TOTPDevice:
    """A fresh, unconfirmed TOTP device for enrolment (earlier unconfirmed ones are dropped, so a secret shown
    to somebody else before can never be the one confirmed)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    device = TOTPDevice.objects.create(user=user, name=_("身份验证器"), confirmed=False)
    audit_record(actor=user, event="mfa.code_accepted", target=user, court_id=user.court_id)
    return device


@transaction.atomic
def mfa_device_confirm(*, user: User, device: TOTPDevice, code_id: int) -> None:
    """Confirm the device and use up the enrolment code (both or neither)."""
    entry = (EnrolmentCode.objects.select_for_update()
             .filter(pk=code_id, user=user, used_at__isnull=True, expires_at__gt=timezone.now()).first())
    if entry is None:
        raise ValidationError(_("绑定码已失效，请联系安全管理员签发新的绑定码。"), code="no_code")
    entry.used_at = timezone.now()
    entry.save(update_fields=["used_at"])
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit_record(actor=user, event="mfa.enrolled", target=user, court_id=user.court_id)


@transaction.atomic
def password_changed(*, user: User, new_password: str | None = None) -> None:
    """A user's own password change (the form checked the old password and the rules): sets the new password,
    clears the first-login flag, restarts the expiry clock."""
    fields = ["must_change_password", "password_changed_at"]
    if new_password is not None:
        user.set_password(new_password)
        fields.append("password")
    user.must_change_password = False
    user.password_changed_at = timezone.now()
    user.save(update_fields=fields)
    audit_record(actor=user, event="user.password_changed", target=user, court_id=user.court_id)


@transaction.atomic
def policy_update(*, actor: User, data: dict[str, Any], expected_version: int | None = None) -> SecurityPolicy:
    """Change the security policy. The version check stops two security administrators from silently
    overwriting each other's change."""
    _require_actor(actor, "accounts.manage_security")
    get_policy()
    policy = SecurityPolicy.objects.select_for_update().get(pk=1)
    if expected_version is not None and policy.version != expected_version:
        raise ValidationError(_("安全策略已被他人修改，请刷新页面后重新编辑。"), code="stale")
    before = {f: getattr(policy, f) for f in POLICY_FIELDS}
    for key, value in data.items():
        if key in POLICY_FIELDS:
            setattr(policy, key, value)
    policy.full_clean()
    changed = [f for f in POLICY_FIELDS if before[f] != getattr(policy, f)]
    if not changed:
        return policy
    policy.version += 1
    policy.updated_by = actor
    policy.save()
    audit_record(actor=actor, event="security.policy_changed", target=policy,
                 before={f: before[f] for f in changed}, after={f: getattr(policy, f) for f in changed})
    return policy


# --- sign-in bookkeeping ----------------------------------------------------------------------------------
# These write the lockout tables, not the trail: the sign-in events themselves are audited by their callers
# (login.failed / login.locked in forms.LoginForm, login / logout in signals.py).

def policy_row_create() -> SecurityPolicy:
    """The policy row with the defaults from settings (first use); concurrent first uses make one row."""
    policy, _created = SecurityPolicy.objects.get_or_create(pk=1, defaults=SecurityPolicy.defaults())
    return policy


def login_attempt_record(*, username: str, success: bool, ip: str | None) -> bool:
    """Record one attempt; after the threshold of failures within the window, lock the name.

    Returns True when this failure locked the user name. Failures count only after the last success, so a
    correct password resets the counter. Unknown names are counted and locked exactly like real ones, so the
    answers do not reveal which names exist."""
    with transaction.atomic():
        name = normalise_username(username)
        now = timezone.now()
        LoginAttempt.objects.create(username=name, at=now, success=success, ip=ip)
        # the lockout only looks back one window; older attempts stay in the audit trail, not here
        LoginAttempt.objects.filter(username=name, at__lt=now - timedelta(days=30)).delete()
        if success:
            LoginLock.objects.filter(username=name).delete()
            return False
        policy = get_policy()
        since = now - timedelta(minutes=policy.lockout_window_minutes)
        last_ok = (LoginAttempt.objects.filter(username=name, success=True).order_by("-at")
                   .values_list("at", flat=True).first())
        if last_ok and last_ok > since:
            since = last_ok
        failures = LoginAttempt.objects.filter(username=name, success=False, at__gt=since).count()
        if failures >= policy.lockout_threshold:
            # concurrent failures for the same name: update_or_create on the unique name keeps one lock row
            LoginLock.objects.update_or_create(
                username=name, defaults={"locked_until": now + timedelta(minutes=policy.lockout_minutes)})
            return True
        return False


def unlock(username: str) -> None:
    """Lift the lock on a user name (the audited action is `user_unlock`; a password reset lifts it too)."""
    LoginLock.objects.filter(username=normalise_username(username)).delete()


def session_register(*, user: User, session_key: str, ip: str | None) -> None:
    """Remember a session opened at sign-in, so that disabling the account can end it."""
    UserSession.objects.create(user=user, session_key=session_key, ip=ip)


def session_forget(*, user: User, session_key: str) -> None:
    UserSession.objects.filter(user=user, session_key=session_key).delete()
