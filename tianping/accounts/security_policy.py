"""The effective security policy and the rules derived from it (lockout, expiry, MFA)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from tianping.accounts.models import LoginAttempt, LoginLock, SecurityPolicy
from tianping.core.scope import ADMIN_ROLES, user_roles


def get_policy() -> SecurityPolicy:
    """The policy row (created with the defaults from settings on first use)."""
    policy = SecurityPolicy.objects.filter(pk=1).first()
    if policy is None:
        policy, _ = SecurityPolicy.objects.get_or_create(pk=1, defaults=SecurityPolicy.defaults())
    return policy


def mfa_required(user, policy: SecurityPolicy | None = None) -> bool:
    """TOTP is always required of the three administrators; of everyone when the policy/environment says so.

    `settings.TIANPING_ADMIN_MFA` is off only inside the test suite, so that tests of other areas can
    `force_login` an administrator; the MFA tests switch it on."""
    if user_roles(user) & ADMIN_ROLES and settings.TIANPING_ADMIN_MFA:
        return True
    policy = policy or get_policy()
    return policy.mfa_for_everyone


def password_expired(user, policy: SecurityPolicy | None = None) -> bool:
    """True when the password is older than the policy allows (accounts without a change date are not
    judged here: new accounts carry must_change_password instead)."""
    policy = policy or get_policy()
    if not policy.password_max_age_days or user.password_changed_at is None:
        return False
    return timezone.now() - user.password_changed_at > timedelta(days=policy.password_max_age_days)


def normalise_username(username: str) -> str:
    return (username or "").strip().lower()[:150]


def locked_until(username: str):
    """The time the lock on this user name ends, or None if it is not locked now."""
    lock = LoginLock.objects.filter(username=normalise_username(username)).first()
    if lock and lock.locked_until > timezone.now():
        return lock.locked_until
    return None


@transaction.atomic
def record_attempt(*, username: str, success: bool, ip: str | None) -> bool:
    """Record one attempt; after the threshold of failures within the window, lock the name.

    Returns True when this failure locked the user name. Failures count only after the last success, so a
    correct password resets the counter. Unknown names are counted and locked exactly like real ones, so the
    answers do not reveal which names exist."""
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
    LoginLock.objects.filter(username=normalise_username(username)).delete()
