"""Exports follow the rule of a person's page (issue 11): ID numbers and phones masked by default; in clear only
with the permission AND a written reason, and the audit entry names every row exported in clear."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from openpyxl import load_workbook

from tianping.core.models import AuditEvent
from tianping.core.roles import Role

URL = "/org/people/?export=xlsx"


@pytest.fixture
def people(court):
    from tianping.org.tests.factories import PersonFactory

    return [PersonFactory(court=court, name=f"敏感人{i}", phone=f"1381234567{i}") for i in range(3)]


def _cells(response) -> list[str]:
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
    ws = load_workbook(io.BytesIO(response.content)).active
    return [str(c) for row in ws.iter_rows(values_only=True) for c in row if c is not None]


def test_the_plain_export_is_masked_even_for_the_permission_holder(court, make_user, client_for, people):
    office = client_for(make_user(court, Role.PARTY_OFFICE))
    cells = _cells(office.get(URL))
    assert all(p.id_number not in cells and p.id_number_masked in cells for p in people)
    assert not any(p.phone in cells for p in people)
    entry = AuditEvent.objects.filter(event="export").latest("id")
    assert entry.changes["after"]["rows"] == 3 and "已遮蔽" in entry.message


def test_the_full_export_asks_for_a_reason_first(court, make_user, client_for, people):
    office = client_for(make_user(court, Role.PARTY_OFFICE))
    form = office.get(URL + "&full=1")
    html = form.content.decode()
    assert form.status_code == 200 and 'data-testid="export-reason"' in html and "导出理由" in html
    refused = office.post(URL + "&full=1", {"reason": "看"})
    assert refused.status_code == 200 and "至少 4 个字" in refused.content.decode()
    assert not AuditEvent.objects.filter(event="export.personal").exists()


def test_the_full_export_with_a_reason_is_in_clear_and_names_the_rows(court, make_user, client_for, people):
    user = make_user(court, Role.PARTY_OFFICE)
    office = client_for(user)
    cells = _cells(office.post(URL + f"&full=1&q={people[0].name}", {"reason": "报送上级党委核对身份信息"}))
    assert people[0].id_number in cells and people[0].phone in cells
    assert people[1].id_number not in cells  # only the filtered rows
    entry = AuditEvent.objects.get(event="export.personal")
    assert entry.actor_id == user.pk and "报送上级党委核对身份信息" in entry.message
    assert entry.changes["after"]["ids"] == [str(people[0].pk)]
    assert entry.changes["after"]["object_type"] == "org.person" and entry.changes["after"]["rows"] == 1


@pytest.mark.parametrize("role", [Role.LEADER, Role.TRIAL_OFFICE])
def test_without_the_permission_no_full_export_and_no_link(court, make_user, client_for, people, role):
    client = client_for(make_user(court, role))
    assert client.get(URL + "&full=1").status_code == 403
    assert client.post(URL + "&full=1", {"reason": "我就想看看全部"}).status_code == 403
    assert 'data-testid="export-full"' not in client.get("/org/people/").content.decode()
    assert not AuditEvent.objects.filter(event="export.personal").exists()


def test_the_list_offers_the_full_export_to_the_permission_holder(court, make_user, client_for, people):
    html = client_for(make_user(court, Role.PARTY_OFFICE)).get(reverse("org:person_list")).content.decode()
    assert 'data-testid="export-full"' in html and "full=1" in html


def test_a_post_to_a_list_is_not_a_way_around(court, make_user, client_for, people):
    assert client_for(make_user(court, Role.PARTY_OFFICE)).post("/org/people/", {}).status_code == 405


def test_export_data_command_masks_unless_full_with_a_reason(court, people, tmp_path):
    out = tmp_path / "people.xlsx"
    call_command("export_data", "people", str(out), "--court", court.code, stdout=io.StringIO())
    cells = [str(c) for row in load_workbook(out).active.iter_rows(values_only=True) for c in row if c]
    assert people[0].id_number not in cells and people[0].id_number_masked in cells
    with pytest.raises(CommandError, match="理由"):
        call_command("export_data", "people", str(out), "--court", court.code, "--full", stdout=io.StringIO())
    call_command("export_data", "people", str(out), "--court", court.code, "--full", "--reason", "迁移到新系统",
                 stdout=io.StringIO())
    cells = [str(c) for row in load_workbook(out).active.iter_rows(values_only=True) for c in row if c]
    assert people[0].id_number in cells
    entry = AuditEvent.objects.get(event="export.personal")
    assert sorted(entry.changes["after"]["ids"]) == sorted(str(p.pk) for p in people)


def test_a_lists_export_permission_holds_for_the_full_export_too(court, make_user, client_for, monkeypatch):
    """A list's own download permission (party's `export_perm`) guards the POST of the full export as well."""
    from tianping.core.views import FilteredListView
    from tianping.org.views import PersonListView

    assert issubclass(PersonListView, FilteredListView)
    monkeypatch.setattr(PersonListView, "export_perm", "party.view_rules", raising=False)  # office lacks nothing
    office = client_for(make_user(court, Role.PARTY_OFFICE))
    assert office.post(URL + "&full=1", {"reason": "核对党员身份信息"}).status_code == 200
    monkeypatch.setattr(PersonListView, "export_perm", "accounts.view_audit", raising=False)  # the auditor's
    assert office.post(URL + "&full=1", {"reason": "核对党员身份信息"}).status_code == 403
    assert office.get(URL).status_code == 403
