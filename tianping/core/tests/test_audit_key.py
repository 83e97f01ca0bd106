"""The audit chain is an HMAC under a key kept outside the database (issue 11)."""

from __future__ import annotations

import hashlib
import importlib
import io
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from tianping.core.audit import audit_maintenance, audit_record, entry_payload, verify_chain
from tianping.core.models import AuditChainHead, AuditEvent


@pytest.fixture
def keyed(settings):
    settings.TIANPING_AUDIT_KEY = "1:first-key-kept-outside-the-database"
    return settings


def _trail(n: int = 6, start: int = 0) -> list[AuditEvent]:
    for i in range(start, start + n):
        audit_record(event="test.event", message=f"第 {i} 条")
    return list(AuditEvent.objects.order_by("id"))


def _rehash_from(entries: list[AuditEvent], index: int, digest) -> None:
    """What an intruder who can write the database file does: edit one entry, re-chain every later one with
    `digest`, move the chain head — with the trigger out of the way."""
    prev = entries[index - 1].entry_hash if index else ""
    with audit_maintenance():
        for entry in entries[index:]:
            entry.prev_hash = prev
            entry.entry_hash = digest(entry)
            AuditEvent.objects.filter(pk=entry.pk).update(message=entry.message, prev_hash=prev,
                                                         entry_hash=entry.entry_hash)
            prev = entry.entry_hash
    AuditChainHead.objects.filter(pk=1).update(last_hash=prev)


def test_an_edited_entry_rehashed_with_plain_sha256_is_detected(db, keyed):
    entries = _trail()
    assert verify_chain().ok
    entries[2].message = "从未发生过"
    _rehash_from(entries, 2, lambda e: hashlib.sha256(entry_payload(e)).hexdigest())
    report = verify_chain()
    assert not report.ok and report.first_broken_id == entries[2].pk and "被改动" in report.reason
    with pytest.raises(CommandError, match=f"#{entries[2].pk}"):
        call_command("audit_verify")


def test_rehashing_with_a_guessed_key_is_detected_and_the_true_key_passes(db, keyed):
    import hmac

    entries = _trail()
    entries[3].message = "改过了"
    _rehash_from(entries, 3, lambda e: hmac.new(b"guess", entry_payload(e), hashlib.sha256).hexdigest())
    assert verify_chain().first_broken_id == entries[3].pk
    # the same edit re-hashed with the real key (someone who has it) passes: the key is what protects
    real = b"first-key-kept-outside-the-database"
    _rehash_from(entries, 3, lambda e: hmac.new(real, entry_payload(e), hashlib.sha256).hexdigest())
    assert verify_chain().ok


def test_rotation_new_entries_use_the_new_version_old_ones_verify_with_theirs(db, keyed):
    _trail(3)
    keyed.TIANPING_AUDIT_KEY = "1:first-key-kept-outside-the-database\n2:second-key-after-rotation"
    _trail(2, start=3)
    assert list(AuditEvent.objects.order_by("id").values_list("key_version", flat=True)) == [1, 1, 1, 2, 2]
    report = verify_chain()
    assert report.ok and report.key_versions == {1: 3, 2: 2}
    out = io.StringIO()
    call_command("audit_verify", stdout=out)
    assert "版本 1（3 条）" in out.getvalue() and "版本 2（2 条）" in out.getvalue()
    keyed.TIANPING_AUDIT_KEY = "2:second-key-after-rotation"  # the old key thrown away: old entries unverifiable
    report = verify_chain()
    assert not report.ok and "密钥版本 1 未配置" in report.reason


def test_without_a_configured_key_the_development_key_is_named(db, settings):
    settings.TIANPING_AUDIT_KEY = ""
    _trail(2)
    out = io.StringIO()
    call_command("audit_verify", stdout=out)
    assert "版本 0（2 条，开发用密钥" in out.getvalue()
    from tianping.core.audit import check_audit_key

    assert [e.id for e in check_audit_key()] == ["tianping.E_AUDIT_KEY"]
    settings.TIANPING_AUDIT_KEY = "1:x"
    assert check_audit_key() == []


def test_the_migration_seals_an_intact_unkeyed_chain(db, keyed):
    entries = _trail(4)
    prev = ""
    with audit_maintenance():  # turn the trail into what a database from before keys holds
        for e in entries:
            e.prev_hash, e.key_version = prev, None
            e.entry_hash = hashlib.sha256(entry_payload(e)).hexdigest()
            AuditEvent.objects.filter(pk=e.pk).update(prev_hash=prev, key_version=None, entry_hash=e.entry_hash)
            prev = e.entry_hash
    AuditChainHead.objects.filter(pk=1).update(last_hash=prev)
    assert "没有密钥版本" in verify_chain().reason
    from django.apps import apps

    migration = importlib.import_module("tianping.core.migrations.0005_audit_key_version")
    migration.seal(apps, SimpleNamespace(connection=connection))
    report = verify_chain()
    assert report.ok and report.key_versions == {1: 4}
