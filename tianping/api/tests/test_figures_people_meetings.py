"""Figures (the trial_metrics command's numbers and keys; a higher court: its courts only, no person), people and
members (masked, scoped), meetings and kiosk attendance (partylife's service)."""

from __future__ import annotations

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from tianping.api.models import Scope
from tianping.api.tests.rows import case_rows
from tianping.core.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def year_of_cases(court, grant, api_client):
    from tianping.org.tests.factories import DepartmentFactory, PersonFactory

    deps = [DepartmentFactory(court=court, name="民一庭", sort_order=1),
            DepartmentFactory(court=court, name="刑庭", sort_order=2)]
    judges = [PersonFactory(court=court, name=f"法官{i}", department=deps[i % 2]) for i in range(3)]
    secret, _t = grant(Role.TRIAL_OFFICE, Scope.PUSH_CASES)
    assert api_client(secret).post("/api/v1/cases/push", {"items": case_rows(court.code, judges, deps, n=60)}
                                   ).status_code == 200
    return judges


def test_trial_figures_are_the_trial_metrics_commands(court, year_of_cases, grant, api_client):
    secret, _t = grant(Role.LEADER, Scope.READ_FIGURES)
    for by in ("court", "department", "judge"):
        out = StringIO()
        call_command("trial_metrics", court=court.code, start="2016-01-01", end="2016-12-31", by=by, format="json",
                     stdout=out)
        expected = json.loads(out.getvalue())
        answer = api_client(secret).get("/api/v1/figures/trials", year=2016, by=by)
        assert answer.status_code == 200, answer.content
        rows = answer.json()["rows"]
        assert [{k: v for k, v in r.items() if k != "court_code"} for r in rows] == expected
        assert {r["court_code"] for r in rows} == {court.code}


def test_a_higher_courts_token_gets_its_courts_figures_and_no_person(court, year_of_cases, make_user, grant,
                                                                     api_client):
    from tianping.org.models import CourtLevel
    from tianping.org.tests.factories import CourtFactory

    higher = CourtFactory(code="鲁04", name="枣庄市中级人民法院", level=CourtLevel.INTERMEDIATE)
    court.parent = higher
    court.save(update_fields=["parent"])
    account = make_user(higher, username="province-figures")
    secret, _t = grant(Role.HIGHER_COURT, Scope.READ_FIGURES, account=account)
    client = api_client(secret)
    answer = client.get("/api/v1/figures/trials", year=2016)
    assert answer.status_code == 200, answer.content
    rows = answer.json()["rows"]
    assert [r["court_code"] for r in rows] == [court.code]
    out = StringIO()
    call_command("trial_metrics", court=court.code, start="2016-01-01", end="2016-12-31", format="json", stdout=out)
    (own,) = json.loads(out.getvalue())
    assert rows[0]["closed"] == own["closed"] and rows[0]["closure_rate"] == own["closure_rate"]
    body = answer.content.decode()
    assert not any(j.name in body for j in year_of_cases)
    assert client.get("/api/v1/figures/trials", year=2016, by="judge").status_code == 400
    assert client.get("/api/v1/figures/compliance", year=2016).status_code == 403


def test_people_and_members_are_scoped_and_masked(court, other_court, life, grant, api_client):
    from tianping.org.models import Person
    from tianping.org.tests.factories import PersonFactory

    stranger = PersonFactory(court=other_court, name="外院人")
    secret, _t = grant(Role.PARTY_OFFICE, Scope.READ_PEOPLE)
    client = api_client(secret)
    people = client.get("/api/v1/people", limit=1000).json()
    ids = {p["id"] for p in people["items"]}
    assert ids == set(Person.objects.filter(court=court).values_list("pk", flat=True))
    assert stranger.pk not in ids
    body = json.dumps(people, ensure_ascii=False)
    assert not any(p.id_number in body for p in Person.objects.all())
    members = client.get("/api/v1/members", year=2016).json()
    assert members["count"] == len(life.full) + len(life.probationary) + len(life.other_members)
    first = members["items"][0]
    assert {"身份证号", "姓名", "所在支部", "入党日期", "dues"} <= set(first)
    assert "*" in first["身份证号"]


def test_a_kiosk_records_attendance_through_the_partylife_service(court, life, make_meeting, grant, api_client):
    from tianping.core.models import AuditEvent
    from tianping.partylife.models import Attendance

    meeting = make_meeting(day=date(2016, 3, 10))
    secret, _t = grant(Role.PARTY_OFFICE, Scope.RECORD_ATTENDANCE, Scope.READ_MEETINGS)
    client = api_client(secret)
    present, leave = life.full[1], life.full[2]
    answer = client.post(f"/api/v1/meetings/{meeting.pk}/attendance", {"entries": [
        {"staff_number": present.staff_number, "status": "present"},
        {"staff_number": leave.staff_number, "status": "leave", "reason": "出差"}]})
    assert answer.status_code == 200 and answer.json() == {"changed": 2}, answer.content
    rows = {a.person_id: a for a in Attendance.objects.filter(meeting=meeting)}
    assert rows[present.pk].status == "present" and rows[present.pk].source == "qr"
    assert rows[leave.pk].reason == "出差"
    assert AuditEvent.objects.filter(event="meeting.attendance_recorded", object_id=str(meeting.pk)).exists()
    detail = client.get(f"/api/v1/meetings/{meeting.pk}").json()
    assert {a["person_id"]: a["status"] for a in detail["attendance"]}[present.pk] == "present"
    assert client.get("/api/v1/meetings/").json()["count"] == 1
    no_reason = client.post(f"/api/v1/meetings/{meeting.pk}/attendance", {"entries": [
        {"staff_number": life.full[3].staff_number, "status": "leave"}]})
    assert no_reason.status_code == 400 and "事由" in no_reason.json()["message"]
    unknown = client.post(f"/api/v1/meetings/{meeting.pk}/attendance", {"entries": [
        {"staff_number": "nobody", "status": "present"}]})
    assert unknown.status_code == 400 and unknown.json()["errors"][0]["field"] == "entries[0].staff_number"
