"""Audit entries carry the version of the HMAC key that made their hash (issue 11).

Entries written before keys existed were chained with plain SHA-256. If that chain is intact, it is sealed:
every entry is re-hashed with the current key (its content and order unchanged), so from now on editing an old
entry is detected as well. If it is not intact the entries are left as they are (key_version NULL) and
`audit_verify` keeps reporting the break."""

import hashlib

from django.db import migrations, models


def seal(apps, schema_editor):
    from tianping.core.audit import audit_keys, audit_maintenance, current_key_version, entry_digest, entry_payload

    AuditEvent = apps.get_model("core", "AuditEvent")
    AuditChainHead = apps.get_model("core", "AuditChainHead")
    db = schema_editor.connection.alias
    entries = AuditEvent.objects.using(db).filter(key_version__isnull=True).order_by("id")
    if not entries.exists():
        return
    if AuditEvent.objects.using(db).filter(key_version__isnull=False).exists():
        return  # a mixed table is not ours to touch
    head = AuditChainHead.objects.using(db).filter(pk=1).first()
    prev = head.anchor_hash if head else ""
    for entry in entries.iterator(chunk_size=2000):
        if entry.prev_hash != prev or hashlib.sha256(entry_payload(entry)).hexdigest() != entry.entry_hash:
            return  # broken before keys: leave it for audit_verify to report
        prev = entry.entry_hash
    version = current_key_version()
    key = audit_keys()[version]
    prev = head.anchor_hash if head else ""
    with audit_maintenance(using=db):
        for entry in entries.iterator(chunk_size=2000):
            entry.prev_hash, entry.key_version = prev, version
            entry.entry_hash = entry_digest(entry, key)
            AuditEvent.objects.using(db).filter(pk=entry.pk).update(
                prev_hash=entry.prev_hash, key_version=version, entry_hash=entry.entry_hash)
            prev = entry.entry_hash
    if head is not None:
        AuditChainHead.objects.using(db).filter(pk=1).update(last_hash=prev)


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0004_idempotency_key'),
    ]

    operations = [
        migrations.AddField(
            model_name='auditevent',
            name='key_version',
            field=models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='密钥版本'),
        ),
        migrations.RunPython(seal, migrations.RunPython.noop),
    ]
