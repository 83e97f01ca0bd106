"""The audit trail: chained hashes, audit_verify, append-only trigger, purge retention, same-transaction
writes, masking, the auditor's viewer and export, and completeness of the recorded events."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import (
    IntegrityError,
    InternalError,
    OperationalError,
    ProgrammingError,
    connection,
    transaction,
)
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from conftest import TEST_PASSWORD
from tianping.core.audit import audit_maintenance, audit_record, entry_digest, purge_before, verify_chain
from tianping.core.models import AuditChainHead, AuditEvent
from tianping.org import services as org_services
from tianping.org.models import Person

DB_ERRORS = (IntegrityError, InternalError, OperationalError, ProgrammingError)


@pytest.fixture
def trail(court, make_user):
    actor = make_user(court, "party_office", username="po")
    for i in range(5):
        audit_record(actor=actor, event="test.event", message=f"第 {i} 条", court_id=court.pk)
    return actor


def _verify_output():
    out = io.StringIO()
    call_command("audit_verify", stdout=out)
    return out.getvalue()


def test_chain_links_each_entry_to_the_previous_one(trail):
    entries = list(AuditEvent.objects.order_by("id"))
    assert entries[0].prev_hash == ""
    for prev, entry in zip(entries, entries[1:], strict=False):
        assert entry.prev_hash == prev.entry_hash
        assert entry.entry_hash == entry_digest(entry)
    assert AuditChainHead.objects.get(pk=1).last_hash == entries[-1].entry_hash
    assert "完整" in _verify_output()


@pytest.mark.parametrize("field,value", [("message", "改过了"), ("actor_name", "someone"), ("event", "login"),
                                         ("changes", {"before": {}, "after": {"x": 1}})])
def test_a_hand_edited_entry_fails_audit_verify(trail, field, value):
    victim = AuditEvent.objects.order_by("id")[2]
    with audit_maintenance():  # an intruder who got past the trigger
        AuditEvent.objects.filter(pk=victim.pk).update(**{field: value})
    report = verify_chain()
    assert not report.ok and report.first_broken_id == victim.pk
    with pytest.raises(CommandError, match=f"#{victim.pk}"):
        call_command("audit_verify")


def test_a_deleted_entry_fails_audit_verify(trail):
    victim = AuditEvent.objects.order_by("id")[2]
    with audit_maintenance():
        AuditEvent.objects.filter(pk=victim.pk).delete()
    report = verify_chain()
    assert not report.ok and report.first_broken_id == victim.pk + 1


def test_entries_cut_off_the_end_fail_audit_verify(trail):
    last = AuditEvent.objects.order_by("-id").first()
    with audit_maintenance():
        AuditEvent.objects.filter(pk=last.pk).delete()
    report = verify_chain()
    assert not report.ok and "末尾" in report.reason


@pytest.mark.parametrize("sql", [
    "UPDATE core_auditevent SET message = 'x'",
    "DELETE FROM core_auditevent",
])
def test_update_and_delete_are_refused_by_the_database(trail, sql):
    """The application's own database connection (its role) cannot rewrite the trail."""
    with pytest.raises(DB_ERRORS, match="append-only"):
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute(sql)
    assert AuditEvent.objects.filter(message="x").count() == 0
    assert AuditEvent.objects.count() == 5


def test_orm_update_is_refused_too(trail):
    with pytest.raises(DB_ERRORS):
        with transaction.atomic():
            AuditEvent.objects.filter(event="test.event").update(message="x")


def test_truncate_is_refused_on_postgresql(trail):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no TRUNCATE statement (DELETE is refused, see the test above)")
    with pytest.raises(DB_ERRORS, match="append-only"):
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute("TRUNCATE core_auditevent")


def test_purge_keeps_183_days_and_the_chain_stays_valid(court, make_user):
    actor = make_user(court, "leader")
    import time_machine

    now = timezone.now()
    with time_machine.travel(now - timedelta(days=400), tick=False):
        old = [audit_record(actor=actor, event="old", court_id=court.pk) for _ in range(3)]
    with time_machine.travel(now - timedelta(days=100), tick=False):
        recent = audit_record(actor=actor, event="recent", court_id=court.pk)
    with pytest.raises(ValueError, match="183"):
        purge_before(now - timedelta(days=100))
    with pytest.raises(CommandError, match="183"):
        call_command("audit_purge", "--before", timezone.localdate().isoformat())
    out = io.StringIO()
    call_command("audit_purge", "--before", (timezone.localdate() - timedelta(days=300)).isoformat(), stdout=out)
    assert "3 条" in out.getvalue()
    assert not AuditEvent.objects.filter(pk__in=[e.pk for e in old]).exists()
    assert AuditEvent.objects.filter(pk=recent.pk).exists()
    assert AuditEvent.objects.filter(event="audit.purged").exists()
    assert verify_chain().ok
    with pytest.raises(DB_ERRORS):  # the switch was only on for the purge
        with transaction.atomic():
            AuditEvent.objects.filter(pk=recent.pk).delete()


def test_change_and_audit_entry_share_one_transaction(court, make_user, monkeypatch):
    """If the entry cannot be written, the change rolls back."""
    from tianping.org.tests.factories import PersonFactory

    person = PersonFactory(court=court, name="原名")
    actor = make_user(court, "party_office")

    def broken_save(self, *args, **kwargs):
        raise OperationalError("disk full")

    monkeypatch.setattr(AuditEvent, "save", broken_save)
    with pytest.raises(OperationalError):
        org_services.person_update(actor=actor, person=person, data={"name": "新名"})
    assert Person.objects.get(pk=person.pk).name == "原名"


def test_sensitive_values_are_masked_in_the_trail(court, make_user):
    from tianping.org.tests.factories import PersonFactory

    actor = make_user(court, "party_office")
    person = PersonFactory(court=court, phone="13812345678")
    old_id = person.id_number
    org_services.person_update(actor=actor, person=person, data={"phone": "13987654321"})
    entry = AuditEvent.objects.filter(event="person.updated").latest("id")
    assert entry.changes == {"before": {"phone": "138****5678"}, "after": {"phone": "139****4321"}}
    audit_record(actor=actor, event="x", message=f"身份证 {old_id}")
    assert old_id not in AuditEvent.objects.latest("id").message


def test_entry_records_time_actor_roles_ip_request_and_object(court, make_user, client_for):
    from tianping.org.tests.factories import PersonFactory

    person = PersonFactory(court=court)
    user = make_user(court, "member", person=person)
    other = PersonFactory(court=court)
    client_for(user).get(f"/org/people/{other.pk}/", REMOTE_ADDR="10.1.2.3")
    entry = AuditEvent.objects.filter(event="access.denied").latest("id")
    assert entry.actor_id == user.pk and entry.actor_roles == "member" and entry.ip == "10.1.2.3"
    assert len(entry.request_id) == 16 and entry.occurred_at.tzinfo is not None
    assert "org.person" in entry.message and entry.court_id_value == court.pk


def test_events_are_recorded(court, make_user, client_for):
    """Login, failed login, lockout, logout, export, reveal, role change, denied access, create/update."""
    from tianping.org.tests.factories import PersonFactory

    office = make_user(court, "party_office", "member", username="office1")
    person = PersonFactory(court=court)
    client = Client()
    client.post("/accounts/login/", {"username": "office1", "password": "wrong"})
    client.post("/accounts/login/", {"username": "office1", "password": TEST_PASSWORD})
    client.post("/org/people/?export=xlsx&full=1", {"reason": "核对党员身份信息"})
    client.post(f"/security/reveal/person/{person.pk}/", {"reason": "核对社保信息"})
    client.post("/accounts/logout/")
    for _i in range(5):
        Client().post("/accounts/login/", {"username": "ghost", "password": "wrong"})
    org_services.user_set_roles(actor=office, user=make_user(court, "member"), roles=["member", "leader"])
    org_services.person_update(actor=office, person=person, data={"name": "改名人"})
    events = set(AuditEvent.objects.values_list("event", flat=True))
    for expected in ["login.failed", "login", "export.personal", "personal.revealed", "logout", "login.locked",
                     "user.roles_changed", "person.updated"]:
        assert expected in events, expected


def test_auditor_viewer_filters_and_exports(court, make_user, client_for):
    auditor = make_user(court, "auditor")
    alice = make_user(court, "leader", username="alice")
    bob = make_user(court, "leader", username="bob")
    audit_record(actor=alice, event="person.updated", message="甲的第一条", court_id=court.pk)
    audit_record(actor=bob, event="person.created", message="乙的第一条", court_id=court.pk)
    audit_record(actor=alice, event="login", message="甲的第二条", court_id=court.pk)
    client = client_for(auditor)
    page = client.get("/security/audit/?actor=alice&event=person.updated").content.decode()
    assert "甲的第一条" in page and "乙的第一条" not in page and "甲的第二条" not in page
    response = client.get("/security/audit/?actor=alice&export=xlsx")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(min_row=2, values_only=True))
    assert sorted(r[13] for r in rows) == ["甲的第一条", "甲的第二条"]
    assert {r[6] for r in rows} == {"修改人员信息", "登录"}  # the event in words, its code beside it
    assert AuditEvent.objects.filter(event="export", actor_id=auditor.pk).exists()
    entry = AuditEvent.objects.get(message="甲的第一条")
    detail = client.get(f"/security/audit/{entry.pk}/").content.decode()
    assert entry.entry_hash in detail
    bad = client.get("/security/audit/?start=2026-03-02T10:00&end=2026-03-01T10:00").content.decode()
    assert "截止时间早于起始时间" in bad


def test_transactional_tests_can_still_flush_the_database(transactional_db, court, make_user):
    """pytest-django empties the database after this test with `flush`, which the trigger would refuse;
    tianping's flush switches maintenance on in tests/development only."""
    audit_record(actor=make_user(court, "leader"), event="test.flush")
    assert AuditEvent.objects.filter(event="test.flush").count() == 1


def test_flush_is_refused_in_production(court, make_user, settings):
    settings.DEBUG = False
    settings.TESTING = False
    audit_record(actor=make_user(court, "leader"), event="test.keep")
    with pytest.raises(CommandError, match="flush"):  # Django's flush reports the trigger's refusal
        with transaction.atomic():
            call_command("flush", interactive=False, verbosity=0)
    assert AuditEvent.objects.filter(event="test.keep").exists()


def test_nested_changes_are_masked(court, make_user):
    """Imports record per-row changes as a list of dicts; numbers inside are masked too."""
    entry = audit_record(actor=make_user(court, "party_office"), event="import.committed",
                         after={"rows": [{"natural_key": "370403198503070016", "phone": "13812345678"}]})
    assert entry.changes["after"]["rows"] == [{"natural_key": "3704**********0016", "phone": "138****5678"}]
