"""Writes of the API: granting and revoking tokens (安全管理员), admitting a call under the token's rate limit,
recording each call in the audit trail, and the bulk push of cases (through the `cases` register, the same
parsers and services as the spreadsheet import)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from tianping.api.models import ApiCallWindow, ApiToken, Scope
from tianping.core.audit import audit_record
from tianping.core.policy import allowed
from tianping.core.roles import ADMIN_ROLES, user_roles

if TYPE_CHECKING:
    from tianping.core.importexport import ImportResult
    from tianping.org.models import User

TOKEN_PREFIX = "tp1_"  # noqa: S105 - the visible prefix of every token, not a secret
LAST_USED_EVERY = timedelta(minutes=1)  # last_used_at is rewritten at most once a minute per token


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


@transaction.atomic
def token_grant(*, actor: User, account: User, name: str, role: str, scopes: list[str], expires_at: datetime,
                rate_per_minute: int = 120) -> tuple[str, ApiToken]:
    """Grant a token to `account` (安全管理员 only, never to one's own account, never to an administrator's).
    Returns (the secret, shown once; the token row, which keeps only its hash)."""
    from tianping.api.scopes import scope_refusal

    if not allowed(actor, "api.manage_tokens"):
        raise PermissionDenied
    if account.pk == actor.pk:
        raise ValidationError(_("不能给自己的账号签发接口令牌，请由另一名安全管理员操作。"))
    if user_roles(account) & ADMIN_ROLES:
        raise ValidationError({"account": _("三员账号（系统、安全、审计管理员）不能持有接口令牌，请选择专用的接口账号。")})
    if not account.is_active:
        raise ValidationError({"account": _("该账号已停用，请先由系统管理员启用。")})
    if account.court_id is None:
        raise ValidationError({"account": _("该账号没有所属法院，请先由安全管理员为其指定法院。")})
    now = timezone.now()
    if expires_at <= now:
        raise ValidationError({"expires_at": _("有效期须晚于现在。")})
    if expires_at > now + timedelta(days=366):
        raise ValidationError({"expires_at": _("有效期最长一年，到期前请重新签发。")})
    problems = [p for p in (scope_refusal(role=role, court=account.court, scope=s) for s in scopes) if p]
    if problems:
        raise ValidationError({"scopes": problems})
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(name=name, account=account, court_id=account.court_id, role=role, scopes=sorted(set(scopes)),
                     prefix=raw[:10], key_hash=token_hash(raw), rate_per_minute=rate_per_minute, created_at=now,
                     created_by=actor, expires_at=expires_at)
    token.full_clean()
    token.save()
    audit_record(actor=actor, event="api.token_granted", target=token, court_id=token.court_id,
                 after={"account": account.username, "role": role, "scopes": token.scopes,
                        "expires_at": expires_at, "rate_per_minute": rate_per_minute})
    return raw, token


@transaction.atomic
def token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    """Revoke a token at once (its next call gets 401)."""
    if not allowed(actor, "api.manage_tokens"):
        raise PermissionDenied
    # lock: two administrators revoking at once must not both write (and audit) the revocation
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        raise ValidationError(_("该令牌已于 %(t)s 吊销。") % {"t": f"{timezone.localtime(token.revoked_at):%Y-%m-%d %H:%M}"})
    token.revoked_at, token.revoked_by = timezone.now(), actor
    token.save(update_fields=["revoked_at", "revoked_by"])
    audit_record(actor=actor, event="api.token_revoked", target=token, court_id=token.court_id)
    return token


def call_admit(*, token: ApiToken, now: datetime | None = None) -> int:
    """Count one call in the token's current minute and return the count (the caller refuses above the limit).

    The counter is a database row, so every server process sees the same count; the increment is one UPDATE
    (atomic in the database), and the row of a new minute is created once (a concurrent creator's
    IntegrityError falls back to the UPDATE)."""
    now = now or timezone.now()
    minute = now.replace(second=0, microsecond=0)
    windows = ApiCallWindow.objects.filter(token=token, minute=minute)
    if not windows.update(calls=F("calls") + 1):
        try:
            with transaction.atomic():
                ApiCallWindow.objects.create(token=token, minute=minute, calls=1)
            # a new minute: forget the windows older than an hour
            ApiCallWindow.objects.filter(token=token, minute__lt=minute - timedelta(hours=1)).delete()
            return 1
        except IntegrityError:
            windows.update(calls=F("calls") + 1)
    return int(windows.values_list("calls", flat=True).first() or 0)


@transaction.atomic
def call_record(*, principal: Any, token: ApiToken, method: str, endpoint: str, status: int,
                counts: dict[str, int] | None = None) -> None:
    """The audit entry of one call: which token, which endpoint, the answer and the counts (items received,
    created, updated, rows returned …) — never the payload (it may carry personal data)."""
    audit_record(actor=principal, event="api.called" if status < 400 else "api.refused", court_id=token.court_id,
                 message=f"{method} {endpoint} → {status}",
                 after={"token": f"{token.prefix}…", "token_id": token.pk, "endpoint": f"{method} {endpoint}",
                        "status": status, **(counts or {})})
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


def cases_push(*, principal: Any, token: ApiToken, items: list[dict[str, Any]]) -> ImportResult:
    """Create or update cases by 案号 through the `cases` register (tianping/trials/importers.py): the
    spreadsheet import's parsers, checks and services, all or nothing, one audit entry for the batch
    (`import.committed`, source: the token)."""
    from tianping.core.importexport import run_import_rows

    return run_import_rows("cases", items, court=principal.court, user=principal,
                           after={"source": "api", "token": f"{token.prefix}…"},
                           source=f"接口推送，令牌 {token.prefix}…")


def attendance_push(*, principal: Any, meeting: Any, entries: list[dict[str, Any]]) -> int:
    """Attendance from a sign-in kiosk (recorded as 扫码签到): partylife's own service, which locks the meeting,
    checks the statuses and audits."""
    from tianping.partylife.choices import AttendanceSource
    from tianping.partylife.services import attendance_record

    return attendance_record(actor=principal, meeting=meeting, entries=entries, source=AttendanceSource.QR)


__all__ = ["Scope", "attendance_push", "call_admit", "call_record", "cases_push", "token_grant", "token_hash",
           "token_revoke"]
