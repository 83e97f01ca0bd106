"""The effective security policy and the rules derived from it (lockout, expiry, MFA). Reads only: the writes
(the policy row's creation, login attempts, locks) are in `tianping.accounts.services`."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from tianping.accounts.models import LoginLock, SecurityPolicy
from tianping.core.scope import ADMIN_ROLES, user_roles


def get_policy() -> SecurityPolicy:
    """The policy row (created with the defaults from settings on first use)."""
    policy = SecurityPolicy.objects.filter(pk=1).first()
    if policy is None:
        from tianping.accounts.services import policy_row_create

        policy = policy_row_create()
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
