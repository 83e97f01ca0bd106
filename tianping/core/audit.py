"""The audit trail: `audit_record()` is the one way to write an entry.

Call it inside the same transaction as the change it records (services are @transaction.atomic), so
that if the entry cannot be written the change rolls back. Sensitive values are masked before storage.

Tamper evidence: each entry's `entry_hash` is an HMAC-SHA-256, under a key kept outside the database, over the
previous entry's hash and this entry's content; `key_version` names the key. Whoever can write the database
file but has not the key cannot re-hash the chain after editing an entry (a plain SHA-256 re-hash fails the
check). Keys: `settings.TIANPING_AUDIT_KEY` — env TIANPING_AUDIT_KEY or the file var/audit_key, lines
"VERSION:KEY" (one bare key = version 1); new entries use the highest version, old entries verify with the key
of their version (rotation: add a line, keep the old ones; docs/security.md). The chain head (AuditChainHead)
holds the last id/hash. `verify_chain()` (`manage.py audit_verify`)
recomputes everything and names the first broken entry. Immutability: a database trigger refuses UPDATE,
DELETE (and TRUNCATE on PostgreSQL) of core_auditevent unless the maintenance switch is on (see
`audit_maintenance()`), which only `audit_purge` and test-database flushes use. See docs/security.md.
"""

from __future__ import annotations

import contextlib
import contextvars
import hashlib
import hmac
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from datetime import timezone as dt_timezone
from typing import Any

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, models, transaction
from django.utils import timezone

from tianping.core.models import AuditChainHead, AuditEvent
from tianping.core.request_context import current_request_info
from tianping.core.validators import mask_id_number, mask_phone

# Field names whose values never reach the audit trail in clear.
SENSITIVE_FIELDS = {
    "id_number": mask_id_number,
    "phone": mask_phone,
    "password": lambda v: "******",
    "token": lambda v: "******",
    "key": lambda v: "******",
    "secret": lambda v: "******",
}

# Entries younger than this are never purged (等保 2.0: keep the trail at least 6 months).
RETENTION_DAYS = 183


_ID_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
_PHONE_IN_TEXT = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


def mask_text(text: str) -> str:
    """Mask ID numbers and mobile numbers inside free text (messages, object names, changed values)."""
    if not text:
        return text
    text = _ID_IN_TEXT.sub(lambda m: mask_id_number(m.group(0)), text)
    return _PHONE_IN_TEXT.sub(lambda m: mask_phone(m.group(0)), text)


def _mask(changes: dict[str, Any] | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in (changes or {}).items():
        masker = SENSITIVE_FIELDS.get(key)
        if masker and value:
            out[key] = masker(str(value))
        elif isinstance(value, dict):
            out[key] = _mask(value)
        elif isinstance(value, models.Model):
            out[key] = mask_text(str(value))
        elif isinstance(value, (list, tuple)):
            out[key] = [_mask(v) if isinstance(v, dict) else mask_text(str(v)) if isinstance(v, (models.Model, str))
                        else v for v in value]
        elif isinstance(value, str):
            out[key] = mask_text(value)
        else:
            out[key] = value
    return json.loads(json.dumps(out, default=str, ensure_ascii=False))


def _iso(value: datetime) -> str:
    return value.astimezone(dt_timezone.utc).isoformat(timespec="microseconds")


# Used only where no key is configured and DEBUG or tests run (settings refuse production without one).
DEVELOPMENT_KEY = b"tianping-development-audit-key-not-for-production"


def parse_audit_keys(text: str) -> dict[int, bytes]:
    """"VERSION:KEY" entries, one a line (or separated by ";"); a bare KEY is version 1. Blank lines and
    lines starting with # are skipped."""
    keys: dict[int, bytes] = {}
    for raw in str(text or "").replace(";", "\n").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        version, sep, key = line.partition(":")
        if sep and version.strip().isdigit():
            number, key = int(version), key.strip()
        else:
            number, key = 1, line
        if number < 1 or not key:
            raise ImproperlyConfigured("TIANPING_AUDIT_KEY：每行应为“版本号:密钥”，版本号为正整数。")
        if number in keys:
            raise ImproperlyConfigured(f"TIANPING_AUDIT_KEY：版本 {number} 出现了两次。")
        keys[number] = key.encode("utf-8")
    return keys


def audit_keys() -> dict[int, bytes]:
    """{version: key}. Without a configured key (development, tests) version 0, a fixed development key."""
    text = getattr(settings, "TIANPING_AUDIT_KEY", "")
    cache = _KEY_CACHE.get(text)
    if cache is None:
        cache = parse_audit_keys(text) or {0: DEVELOPMENT_KEY}
        _KEY_CACHE.clear()
        _KEY_CACHE[text] = cache
    return cache


_KEY_CACHE: dict[str, dict[int, bytes]] = {}


@checks.register(checks.Tags.security, deploy=True)
def check_audit_key(app_configs: Any = None, **kwargs: Any) -> Any:
    """`manage.py check --deploy`: production needs its own audit key (the development key is public)."""
    if parse_audit_keys(getattr(settings, "TIANPING_AUDIT_KEY", "")):
        return []
    return [checks.Error("未配置审计日志密钥 TIANPING_AUDIT_KEY（或 var/audit_key）：审计链在用公开的开发密钥，"
                         "能改数据库的人可以改记录后重算哈希。", hint="make install 会生成 var/audit_key；见 docs/security.md。",
                         id="tianping.E_AUDIT_KEY")]


def current_key_version() -> int:
    return max(audit_keys())


def entry_payload(entry: AuditEvent) -> bytes:
    """What an entry's hash covers: the previous hash and every stored field of the entry (except its id)."""
    return json.dumps(
        {
            "prev": entry.prev_hash,
            "at": _iso(entry.occurred_at),
            "actor_id": str(entry.actor_id or ""),
            "actor_name": entry.actor_name,
            "actor_roles": entry.actor_roles,
            "ip": entry.ip or "",
            "request_id": entry.request_id,
            "event": entry.event,
            "court": str(entry.court_id_value if entry.court_id_value is not None else ""),
            "object_type": entry.object_type,
            "object_id": entry.object_id,
            "object_repr": entry.object_repr,
            "changes": entry.changes,
            "message": entry.message,
        },
        ensure_ascii=False,
        sort_keys=True,
        default=str,
    ).encode("utf-8")


def entry_digest(entry: AuditEvent, key: bytes | None = None) -> str:
    """The chained HMAC-SHA-256 of one entry under the key of its `key_version` (or `key`). KeyError when the
    version's key is not configured."""
    if key is None:
        key = audit_keys()[entry.key_version]
    return hmac.new(key, entry_payload(entry), hashlib.sha256).hexdigest()


def _chain_head_for_update() -> AuditChainHead:
    head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        AuditChainHead.objects.get_or_create(pk=1)
        head = AuditChainHead.objects.select_for_update().get(pk=1)
    return head


# --- batch mode: many writes, one entry --------------------------------------------------------------

_BATCH: contextvars.ContextVar[AuditBatch | None] = contextvars.ContextVar("tianping_audit_batch", default=None)
BATCH_IDS_PER_EVENT = 5000  # object ids kept per event in the batch's entry (the rest are counted)


@dataclass
class AuditBatch:
    """The audit facts of a batch (an import): what `audit_record` calls inside `audit_batch()` would have
    written, gathered into one entry. `after` and `message` may be filled in by the caller before the end."""

    actor: Any
    event: str
    court_id: int | None = None
    message: str = ""
    after: dict[str, Any] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)  # event -> number of facts
    objects: dict[str, list[str]] = field(default_factory=dict)  # event -> "type#id" (up to BATCH_IDS_PER_EVENT)
    updated: list[dict[str, Any]] = field(default_factory=list[Any])  # facts with previous values (masked)

    def add(self, *, event: str, target: models.Model | None, before: dict[str, Any] | None, after: dict[str,
            Any] | None,
            message: str) -> None:
        self.counts[event] = self.counts.get(event, 0) + 1
        ids = self.objects.setdefault(event, [])
        ref = ""
        if target is not None and target.pk is not None and (before or len(ids) < BATCH_IDS_PER_EVENT):
            ref = f"{target._meta.label_lower}#{target.pk}"
            if len(ids) < BATCH_IDS_PER_EVENT:
                ids.append(ref)
        if before:
            fact: dict[str, Any] = {"event": event, "before": _mask(before), "after": _mask(after)}
            if ref:
                fact["object"] = ref
            if message:
                fact["message"] = mask_text(message)[:200]
            self.updated.append(fact)


@contextlib.contextmanager
def audit_batch(*, actor: Any, event: str, court_id: int | None = None, message: str = "") -> Iterator[None]:
    """Gather every `audit_record` made inside the block (by the services an import calls) into ONE entry,
    written when the block ends without an exception; nothing is written if it raises (the batch rolled back).

    Why: the chain head is locked for every entry until its transaction commits, so per-row entries in a long
    import would hold up every other user's audited write for the import's whole duration (on PostgreSQL) and
    cost a locked write per row. In a batch the head is locked only for the final entry, just before the commit.
    The entry's `after` holds the caller's summary plus `events` (event → count) and `objects` (event → ids);
    `before` holds `updated` (each update's previous and new values, masked). Nested batches join the outer one."""
    outer = _BATCH.get()
    if outer is not None:
        yield outer
        return
    batch = AuditBatch(actor=actor, event=event, court_id=court_id, message=message)
    token = _BATCH.set(batch)
    try:
        yield batch
    finally:
        _BATCH.reset(token)
    # reached only when the block did not raise
    after = {**batch.after, "events": dict(batch.counts), "objects": batch.objects}
    audit_record(actor=batch.actor, event=batch.event, court_id=batch.court_id, message=batch.message,
                 before={"updated": batch.updated} if batch.updated else None, after=after)


def audit_record(
    *,
    actor: Any = None,
    event: str,
    target: models.Model | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    message: str = "",
    court_id: int | None = None,
    actor_name: str = "",
) -> AuditEvent | None:
    """Append one entry. `before`/`after` are dicts of changed fields; sensitive fields are masked.

    `actor` defaults to the signed-in user of the current request; `actor_name` records the typed user name
    of an anonymous event (a failed login). Inside `audit_batch()` the fact joins the batch's one entry
    (returns None)."""
    batch = _BATCH.get()
    if batch is not None:
        batch.add(event=event, target=target, before=before, after=after, message=message)
        return None
    info = current_request_info()
    if actor is None:
        request = info.get("request")
        actor = getattr(request, "user", None) if request is not None else info.get("user")
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    changes: dict[str, Any] = {}
    if before is not None or after is not None:
        changes = {"before": _mask(before), "after": _mask(after)}
    if court_id is None and target is not None:
        court_id = getattr(target, "court_id", None)
    if court_id is None and actor is not None:
        court_id = getattr(actor, "court_id", None)
    roles = ""
    if actor is not None:
        from tianping.core.scope import user_roles

        roles = ",".join(sorted(user_roles(actor)))
    with transaction.atomic():
        # Lock the chain head: two concurrent writers must not both chain onto the same predecessor (on
        # PostgreSQL the second waits here and then reads the hash the first one wrote).
        head = _chain_head_for_update()
        entry = AuditEvent(
            occurred_at=timezone.now(),
            actor=actor,
            actor_name=(getattr(actor, "username", "") if actor else (actor_name or info.get("username", "")))[:150],
            actor_roles=roles,
            ip=info.get("ip"),
            request_id=info.get("request_id", ""),
            event=event,
            court_id_value=court_id,
            object_type=target._meta.label_lower if target is not None else "",
            object_id=str(target.pk) if target is not None and target.pk is not None else "",
            object_repr=mask_text(str(target))[:200] if target is not None else "",
            changes=changes,
            message=mask_text(message),
            prev_hash=head.last_hash,
            key_version=current_key_version(),
        )
        entry.entry_hash = entry_digest(entry)
        entry.save()
        head.last_id, head.last_hash = entry.pk, entry.entry_hash
        head.save(update_fields=["last_id", "last_hash"])
    if actor is not None and event != "access.denied":
        # what the account did may change its own home page (a to-do done, a figure moved): its kept copy goes
        # once the change is committed (a refused request changed nothing)
        actor_id = actor.pk

        def forget() -> None:
            from tianping.core.views import forget_home

            forget_home(actor_id)

        transaction.on_commit(forget)
    return entry


def model_changes(instance: models.Model, fields: list[str], old: dict[str, Any]) -> tuple[dict, dict[str, Any]]:
    """(before, after) restricted to the fields whose value changed."""
    before, after = {}, {}
    for f in fields:
        new = getattr(instance, f)
        if old.get(f) != new:
            before[f], after[f] = old.get(f), new
    return before, after


# --- verification ---------------------------------------------------------------------------------

@dataclass
class ChainReport:
    ok: bool
    checked: int
    first_broken_id: int | None = None
    reason: str = ""
    key_versions: dict[int, int] = field(default_factory=dict)  # version -> entries checked with its key


def verify_chain(*, batch: int = 5000) -> ChainReport:
    """Recompute every hash in id order. The first entry must chain onto the purge anchor; each next one onto
    its predecessor; the last one must be the chain head (entries cut off the end are detected too)."""
    head = AuditChainHead.objects.filter(pk=1).first()
    expected_prev = head.anchor_hash if head else ""
    last_id = head.anchor_id if head else 0
    checked = 0
    previous_id = None
    keys = audit_keys()
    used: dict[int, int] = {}
    while True:
        rows = list(AuditEvent.objects.filter(id__gt=last_id).order_by("id")[:batch])
        if not rows:
            break
        for entry in rows:
            checked += 1
            if entry.prev_hash != expected_prev:
                where = f"#{previous_id}" if previous_id else "链首"
                return ChainReport(False, checked, entry.pk,
                                   f"第 {entry.pk} 条的前序哈希与 {where} 不符（其前的记录被删除或改动）", used)
            key = keys.get(entry.key_version) if entry.key_version is not None else None
            if key is None:
                why = ("没有密钥版本（未用密钥签名）" if entry.key_version is None
                       else f"的密钥版本 {entry.key_version} 未配置（TIANPING_AUDIT_KEY 中缺少该版本）")
                return ChainReport(False, checked, entry.pk, f"第 {entry.pk} 条{why}", used)
            used[entry.key_version] = used.get(entry.key_version, 0) + 1
            if not hmac.compare_digest(entry_digest(entry, key), entry.entry_hash):
                return ChainReport(False, checked, entry.pk, f"第 {entry.pk} 条的内容与其哈希不符（记录被改动）", used)
            expected_prev = entry.entry_hash
            previous_id = last_id = entry.pk
    if head is not None and head.last_hash and head.last_hash != expected_prev:
        return ChainReport(False, checked, head.last_id,
                           f"链头记录的最后一条为 #{head.last_id}，但表中最后一条为 #{previous_id or '无'}（末尾记录被删除）",
                           used)
    return ChainReport(True, checked, key_versions=used)


# --- maintenance (purge, test-database flush) -------------------------------------------------------

def _sqlite_flag(conn: Any) -> int:
    return 1 if getattr(conn, "_tianping_audit_maintenance", False) else 0


def register_sqlite_function(sender: Any, connection: Any, **kwargs: Any) -> None:
    """connection_created handler: SQLite triggers ask `tianping_audit_maintenance()` whether to allow."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("tianping_audit_maintenance", 0,
                                              lambda: _sqlite_flag(connection))


@contextlib.contextmanager
def audit_maintenance(using: Any = None) -> Iterator[None]:
    """Allow UPDATE/DELETE/TRUNCATE of the audit table on this connection for the duration of the block.

    PostgreSQL: the session setting `tianping.audit_maintenance = on`, which the trigger checks.
    SQLite: a per-connection flag read by the `tianping_audit_maintenance()` SQL function."""
    from django.db import connections

    conn = connections[using] if using else connection
    conn.ensure_connection()
    if conn.vendor == "postgresql":
        with conn.cursor() as cur:
            cur.execute("SELECT set_config('tianping.audit_maintenance', 'on', false)")
        try:
            yield
        finally:
            with conn.cursor() as cur:
                cur.execute("SELECT set_config('tianping.audit_maintenance', 'off', false)")
    else:
        conn._tianping_audit_maintenance = True
        try:
            yield
        finally:
            conn._tianping_audit_maintenance = False


def purge_before(cutoff: datetime, *, actor_name: str = "audit_purge") -> int:
    """Delete entries older than `cutoff`, never younger than RETENTION_DAYS; returns the count.

    The chain stays verifiable: the anchor moves to the last purged entry, and the purge itself is recorded."""
    from datetime import timedelta

    limit = timezone.now() - timedelta(days=RETENTION_DAYS)
    if cutoff > limit:
        raise ValueError(f"不能删除 {RETENTION_DAYS} 天内的审计记录：截止日期最晚为 {timezone.localtime(limit):%Y-%m-%d}。")
    with transaction.atomic():
        head = _chain_head_for_update()
        # Only a contiguous run from the start of the chain goes (everything before the first entry that is
        # to be kept), so the remaining chain stays verifiable from the new anchor.
        first_kept = AuditEvent.objects.filter(occurred_at__gte=cutoff).order_by("id").first()
        to_delete = AuditEvent.objects.all()
        if first_kept is not None:
            to_delete = to_delete.filter(id__lt=first_kept.pk)
        last = to_delete.order_by("-id").first()
        if last is None:
            return 0
        count = to_delete.count()
        with audit_maintenance():
            to_delete._raw_delete(to_delete.db)
        head.anchor_id, head.anchor_hash = last.pk, last.entry_hash
        head.save(update_fields=["anchor_id", "anchor_hash"])
        audit_record(event="audit.purged", actor_name=actor_name,
                     message=f"删除 {timezone.localtime(cutoff):%Y-%m-%d} 之前的审计记录 {count} 条（至 #{last.pk}）")
    return count
