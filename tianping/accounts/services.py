"""Account administration (系统管理员) and the security policy (安全管理员). Every write is audited."""

from __future__ import annotations

import secrets
import string

from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tianping.accounts.models import SecurityPolicy, UserSession
from tianping.accounts.security_policy import get_policy, unlock
from tianping.core.audit import audit_record
from tianping.org.models import User
from tianping.org.services import user_set_roles

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


@transaction.atomic
def user_create(*, actor, username: str, court, person=None, roles: list[str]) -> tuple[User, str]:
    """Create an account with a one-time password that must be changed at first login."""
    password = one_time_password()
    user = User(username=username, court=court, person=person, must_change_password=True)
    user.set_password(password)
    user.full_clean()
    user.save()
    audit_record(actor=actor, event="user.created", target=user, court_id=court.pk if court else None,
                 after={"username": username, "court": court, "person": person})
    user_set_roles(actor=actor, user=user, roles=roles)
    return user, password


@transaction.atomic
def user_update(*, actor, user: User, court, person, roles: list[str]) -> User:
    locked = User.objects.select_for_update().get(pk=user.pk)
    if actor is not None and actor.pk == locked.pk and set(roles) != set(locked.role_grants.values_list("role", flat=True)):
        # an administrator must not widen (or drop) their own rights; another system administrator does that
        raise ValidationError(_("不能修改自己账号的角色，请由另一名系统管理员操作。"))
    before = {"court": locked.court, "person": locked.person}
    locked.court, locked.person = court, person
    locked.full_clean()
    changed = {k: v for k, v in before.items() if getattr(locked, k) != v}
    if changed:
        locked.save(update_fields=list(changed))
        audit_record(actor=actor, event="user.updated", target=locked, court_id=locked.court_id,
                     before=changed, after={k: getattr(locked, k) for k in changed})
    user_set_roles(actor=actor, user=locked, roles=roles)
    return locked


@transaction.atomic
def user_set_active(*, actor, user: User, active: bool) -> User:
    """Disable (ending every session at once) or re-enable an account. Nobody disables themselves."""
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
def user_reset_password(*, actor, user: User) -> str:
    """A new one-time password (to be changed at next login); ends the account's sessions and lifts a lock."""
    password = one_time_password()
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    sessions_end(user=user)
    unlock(user.username)
    audit_record(actor=actor, event="user.password_reset", target=user, court_id=user.court_id)
    return password


@transaction.atomic
def user_unlock(*, actor, user: User) -> None:
    unlock(user.username)
    audit_record(actor=actor, event="user.unlocked", target=user, court_id=user.court_id)


@transaction.atomic
def user_mfa_reset(*, actor, user: User) -> int:
    """Remove the account's TOTP devices (a lost phone); the account enrols again at its next login."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    count, _ = TOTPDevice.objects.filter(user=user).delete()
    sessions_end(user=user)
    audit_record(actor=actor, event="user.mfa_reset", target=user, court_id=user.court_id,
                 message=f"删除双因素设备 {count} 个")
    return count


@transaction.atomic
def password_changed(*, user: User) -> None:
    """Record a user's own password change (clears the first-login flag, restarts the expiry clock)."""
    user.must_change_password = False
    user.password_changed_at = timezone.now()
    user.save(update_fields=["must_change_password", "password_changed_at"])
    audit_record(actor=user, event="user.password_changed", target=user, court_id=user.court_id)


@transaction.atomic
def policy_update(*, actor, data: dict, expected_version: int | None = None) -> SecurityPolicy:
    """Change the security policy. The version check stops two security administrators from silently
    overwriting each other's change."""
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
