"""The audit log in words (issue 12): every event code of the code base has a Chinese label, objects show as
the model's name and the object's current name, the event filter is a list, roles show as words."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.test import Client

from tianping.accounts.audit_labels import EVENT_LABELS, event_choices, event_label
from tianping.core.audit import audit_record
from tianping.core.models import AuditEvent

ROOT = Path(__file__).resolve().parents[2]


def _audit_calls():
    """(file, event code or f-string prefix, is_prefix) of every audit_record(event=...) outside tests."""
    for path in ROOT.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name != "audit_record":
                continue
            for kw in node.keywords:
                if kw.arg != "event":
                    continue
                if isinstance(kw.value, ast.Constant) and isinstance(kw.value.value, str):
                    yield path.relative_to(ROOT), kw.value.value, False
                elif isinstance(kw.value, ast.JoinedStr):
                    head = kw.value.values[0]
                    prefix = head.value if isinstance(head, ast.Constant) else ""
                    yield path.relative_to(ROOT), prefix, True


def test_every_event_code_in_the_code_base_has_a_label():
    calls = list(_audit_calls())
    assert len(calls) > 50  # the grep works
    missing = sorted({f"{path}: {code}" for path, code, is_prefix in calls
                      if not is_prefix and code not in EVENT_LABELS})
    assert missing == [], ("add a Chinese label to tianping/accounts/audit_labels.py EVENT_LABELS for: "
                           + ", ".join(missing))
    # codes built at run time: the prefixes the patterns cover
    prefixes = {code for _p, code, is_prefix in calls if is_prefix}
    assert prefixes <= {"party.member.", "partylife."}, prefixes


@pytest.mark.django_db
def test_codes_built_at_run_time_have_words():
    from tianping.party.models import StepKind

    for step in StepKind:
        assert event_label(f"party.member.{step}") == f"党员发展：{step.label}"
    assert event_label("partylife.meetingtype.created").startswith("新建")
    assert event_label("no.such.event") == "no.such.event"  # shown as it is, never an error


def test_labels_are_unique_enough_to_filter_by():
    labels = [str(v) for v in EVENT_LABELS.values()]
    assert len(labels) == len(set(labels))
    grouped = event_choices(["some.new_event"])
    assert any(code == "some.new_event" for _g, options in grouped for code, _l in options)


def test_the_audit_log_reads_in_words(court, make_user, client_for):
    auditor = make_user(court, "auditor")
    member = make_user(court, "member", username="zhangsan")
    centre = make_user(court, "centre", username="centre_demo")
    audit_record(actor=member, event="mfa.verified", target=member)
    audit_record(actor=centre, event="login", target=centre)
    audit_record(actor=member, event="user.password_changed", target=member)
    client = client_for(auditor)
    html = client.get("/security/audit/").content.decode()
    cells = set(re.findall(r'data-testid="event-label">([^<]+)<', html))
    assert {"双因素认证通过", "修改本人密码", "登录"} <= cells
    assert "mfa.verified</td>" not in html and "org.user#" not in html
    from tianping.org.models import User

    user_word = str(User._meta.verbose_name)
    assert f"{user_word} zhangsan" in html
    assert "诉调对接中心" in html  # the centre's role in words
    # the event filter is a list of those words
    assert '<select name="event"' in html and '<option value="mfa.verified">双因素认证通过</option>' in html
    filtered = client.get("/security/audit/?event=mfa.verified").content.decode()
    assert set(re.findall(r'data-testid="event-label">([^<]+)<', filtered)) == {"双因素认证通过"}
    # the detail page too; a deleted object keeps the name stored in the entry
    entry = AuditEvent.objects.filter(event="mfa.verified").latest("id")
    detail = client.get(f"/security/audit/{entry.pk}/").content.decode()
    assert "双因素认证通过" in detail and f"{user_word} zhangsan" in detail


def test_english_labels(court, make_user):
    from django.conf import settings

    auditor = make_user(court, "auditor")
    audit_record(actor=auditor, event="mfa.verified", target=auditor)
    client = Client()
    client.force_login(auditor)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get("/security/audit/").content.decode()
    assert "Second factor verified" in re.findall(r'data-testid="event-label">([^<]+)<', html)
