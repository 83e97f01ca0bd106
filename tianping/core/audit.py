"""The audit trail: `audit_record()` is the one way to write an entry.

Call it inside the same transaction as the change it records (services are @transaction.atomic), so
that if the entry cannot be written the change rolls back. Sensitive values are masked before storage.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from tianping.core.models import AuditEvent
from tianping.core.request_context import current_request_info
from tianping.core.validators import mask_id_number, mask_phone

# Field names whose values never reach the audit trail in clear.
SENSITIVE_FIELDS = {"id_number": mask_id_number, "phone": mask_phone, "password": lambda v: "******"}


def _mask(changes: dict[str, Any] | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in (changes or {}).items():
        masker = SENSITIVE_FIELDS.get(key)
        if masker and value:
            out[key] = masker(str(value))
        elif isinstance(value, models.Model):
            out[key] = str(value)
        elif isinstance(value, (list, tuple)):
            out[key] = [str(v) if isinstance(v, models.Model) else v for v in value]
        else:
            out[key] = value
    return json.loads(json.dumps(out, default=str, ensure_ascii=False))


def entry_digest(entry: AuditEvent) -> str:
    """The chained hash of one entry: previous hash + the entry's content."""
    payload = json.dumps(
        [
            entry.prev_hash,
            entry.occurred_at.isoformat(),
            entry.actor_id,
            entry.actor_name,
            entry.actor_roles,
            entry.ip,
            entry.request_id,
            entry.event,
            entry.court_id_value,
            entry.object_type,
            entry.object_id,
            entry.object_repr,
            entry.changes,
            entry.message,
        ],
        ensure_ascii=False,
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def audit_record(
    *,
    actor=None,
    event: str,
    target: models.Model | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    message: str = "",
    court_id: int | None = None,
) -> AuditEvent:
    """Append one entry. `before`/`after` are dicts of changed fields; sensitive fields are masked."""
    info = current_request_info()
    if actor is None:
        actor = info.get("user")
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    changes: dict[str, Any] = {}
    if before is not None or after is not None:
        changes = {"before": _mask(before), "after": _mask(after)}
    if court_id is None and target is not None:
        court_id = getattr(target, "court_id", None)
    roles = ""
    if actor is not None:
        from tianping.core.scope import user_roles

        roles = ",".join(sorted(user_roles(actor)))
    with transaction.atomic():
        # Serialise writers on the chain head so two concurrent entries never share a prev_hash.
        last = AuditEvent.objects.select_for_update().order_by("-id").only("entry_hash").first()
        entry = AuditEvent(
            occurred_at=timezone.now(),
            actor=actor,
            actor_name=getattr(actor, "username", "") if actor else info.get("username", ""),
            actor_roles=roles,
            ip=info.get("ip"),
            request_id=info.get("request_id", ""),
            event=event,
            court_id_value=court_id,
            object_type=target._meta.label_lower if target is not None else "",
            object_id=str(target.pk) if target is not None and target.pk is not None else "",
            object_repr=str(target)[:200] if target is not None else "",
            changes=changes,
            message=message,
            prev_hash=last.entry_hash if last else "",
        )
        entry.entry_hash = entry_digest(entry)
        entry.save()
    return entry


def model_changes(instance: models.Model, fields: list[str], old: dict[str, Any]) -> tuple[dict, dict]:
    """(before, after) restricted to the fields whose value changed."""
    before, after = {}, {}
    for f in fields:
        new = getattr(instance, f)
        if old.get(f) != new:
            before[f], after[f] = old.get(f), new
    return before, after
