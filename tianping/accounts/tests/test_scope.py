"""Role × page matrix for the staff roster: each role sees exactly its scope, through the page, the htmx
fragment, the export and a filter parameter; outside the scope → 404 and an access.denied audit entry."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from tianping.core.models import AuditEvent
from tianping.org.models import Person

PEOPLE = ["a", "b", "c", "secretary", "outsider"]
EXPECTED = {
    "leader": {"a", "b", "c", "secretary"},
    "party_office": {"a", "b", "c", "secretary"},
    "trial_office": {"a", "b", "c", "secretary"},
    "branch_secretary": {"a", "b", "secretary"},
    "member": {"a"},
    "mediator": set(),
    "sysadmin": set(),
    "secadmin": set(),
    "auditor": set(),
    "higher_court": set(),
}


def _names(branch_setup, keys):
    return {branch_setup[k].name for k in keys}


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_visible_to_matrix(branch_setup, role):
    user = branch_setup["users"][role]
    seen = set(Person.objects.visible_to(user).values_list("name", flat=True))
    assert seen == _names(branch_setup, EXPECTED[role])


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_detail_page_matrix(branch_setup, role, client_for):
    user = branch_setup["users"][role]
    client = client_for(user)
    for key in PEOPLE:
        person = branch_setup[key]
        before = AuditEvent.objects.filter(event="access.denied").count()
        response = client.get(f"/org/people/{person.pk}/")
        if key in EXPECTED[role]:
            assert response.status_code == 200, (role, key)
            assert person.name in response.content.decode()
        else:
            assert response.status_code == 404, (role, key)
            denied = AuditEvent.objects.filter(event="access.denied").order_by("-id")
            assert denied.count() == before + 1
            assert denied.first().actor_id == user.pk


@pytest.mark.parametrize("role", ["leader", "party_office", "branch_secretary", "member", "sysadmin", "higher_court"])
def test_list_fragment_and_export_show_only_scope(branch_setup, role, client_for):
    user = branch_setup["users"][role]
    client = client_for(user)
    visible = _names(branch_setup, EXPECTED[role])
    hidden = _names(branch_setup, PEOPLE) - visible
    if not visible:  # the administrators and the higher court read no person: the roster is refused (org/policy)
        for response in (client.get("/org/people/"), client.get("/org/people/", HTTP_HX_REQUEST="true"),
                         client.get("/org/people/?export=xlsx")):
            assert response.status_code == 403
            for name in hidden:
                assert name not in response.content.decode()
        return
    page = client.get("/org/people/").content.decode()
    fragment = client.get("/org/people/", HTTP_HX_REQUEST="true").content.decode()
    export = client.get("/org/people/?export=xlsx")
    assert export.status_code == 200
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(min_row=2, values_only=True))
    exported = {r[0] for r in rows}
    assert exported == visible
    for text in (page, fragment):
        for name in visible:
            assert name in text
        for name in hidden:
            assert name not in text


def test_branch_secretary_other_branch_is_404_everywhere(branch_setup, client_for):
    """The other branch's member (丙) through the page, the htmx fragment, the export and a filter parameter."""
    secretary = branch_setup["users"]["branch_secretary"]
    client = client_for(secretary)
    c = branch_setup["c"]
    assert client.get(f"/org/people/{c.pk}/").status_code == 404
    assert client.get(f"/org/people/{c.pk}/", HTTP_HX_REQUEST="true").status_code == 404
    filtered = client.get(f"/org/people/?department={branch_setup['dep2'].pk}")
    assert c.name not in filtered.content.decode()
    filtered = client.get(f"/org/people/?q={c.name}", HTTP_HX_REQUEST="true")
    assert c.name not in filtered.content.decode()
    export = client.get(f"/org/people/?export=xlsx&q={c.name}")
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(min_row=2, values_only=True))
    assert rows == []
    assert client.get(f"/security/reveal/person/{c.pk}/").status_code == 403  # no reveal for a secretary at all


def test_branch_secretary_scope_follows_the_branch_not_the_department(branch_setup):
    """王丙三 moves into branch 1: the secretary now sees them although their department is unchanged."""
    from datetime import date

    from tianping.party.models import BranchMembership, PartyMember

    member = PartyMember.objects.get(person=branch_setup["c"])
    BranchMembership.objects.filter(member=member).update(end=date(2020, 1, 1))
    BranchMembership.objects.create(court=member.court, member=member, organisation=branch_setup["br1"],
                                    start=date(2020, 1, 2))
    secretary = branch_setup["users"]["branch_secretary"]
    assert Person.objects.visible_to(secretary).filter(pk=branch_setup["c"].pk).exists()


def test_admin_pages_answer_403_to_other_roles(branch_setup, client_for):
    pages = {("sysadmin", "secadmin"): "/security/accounts/", ("sysadmin",): "/security/accounts/new/",
             ("secadmin",): "/security/policy/", ("auditor",): "/security/audit/"}
    for holders, url in pages.items():
        for role, user in branch_setup["users"].items():
            status = client_for(user).get(url).status_code
            assert status == (200 if role in holders else 403), (role, url, status)


def test_readable_court_ids_for_higher_court_lists_courts_below(branch_setup):
    from tianping.core.scope import readable_court_ids

    higher = branch_setup["users"]["higher_court"]
    assert set(readable_court_ids(higher)) == {higher.court_id, branch_setup["court"].pk}
    assert readable_court_ids(branch_setup["users"]["sysadmin"]) == []
