"""Cases by API: the same register and services as the spreadsheet import — a year pushed by API gives the same
cases and the same trial metrics as the same rows imported from a file; a push is all or nothing and names the
item at fault; reads are scoped to the token."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from tianping.api.models import Scope
from tianping.api.tests.rows import case_rows, write_xlsx
from tianping.core.importexport import run_import
from tianping.core.roles import Role
from tianping.trials.models import Case

pytestmark = pytest.mark.django_db
PUSH = "/api/v1/cases/push"


@pytest.fixture
def staff(court):
    from tianping.org.tests.factories import DepartmentFactory, PersonFactory
    from tianping.party.models import PartyMember

    deps = [DepartmentFactory(court=court, name="民一庭", sort_order=1),
            DepartmentFactory(court=court, name="刑庭", sort_order=2)]
    judges = [PersonFactory(court=court, name=f"法官{i}", department=deps[i % 2], is_quota_judge=True) for i in range(4)]
    judges.append(PersonFactory(court=court, name="法官0", department=deps[1], is_quota_judge=True))  # a namesake
    PartyMember.objects.create(court=court, person=judges[0], stage="full", admitted_on=timezone.localdate().replace(
        year=2005), converted_on=timezone.localdate().replace(year=2006))
    return {"departments": deps, "judges": judges}


@pytest.fixture
def pusher(grant, api_client):
    secret, token = grant(Role.TRIAL_OFFICE, Scope.PUSH_CASES, Scope.READ_CASES, rate=100000)
    return api_client(secret)


def _snapshot(court):
    return {c.number: (c.cause, c.procedure, c.filed_on, c.closed_on, c.department_id, c.judge_id, c.outcome,
                       c.deadline, c.deadline_given, c.excluded_days, c.appealed, c.appeal_result, c.retrial_petition,
                       c.enforcement_applied, c.enforcement_recovered, c.limit_end, c.days_taken,
                       c.judge_party_closed, c.first_instance, sorted(c.panel.values_list("pk", flat=True)))
            for c in Case.objects.filter(court=court).prefetch_related("panel")}


def _figures(court):
    from tianping.trials.selectors import metrics, metrics_json, year_period

    return {by: metrics_json(metrics(court, year_period(2016), by)) for by in ("court", "department", "judge", "party")}


def test_a_year_pushed_by_api_equals_the_same_rows_imported_from_a_spreadsheet(court, staff, pusher, tmp_path):
    rows = case_rows(court.code, staff["judges"], staff["departments"], n=150)
    with transaction.atomic():
        result = run_import("cases", write_xlsx(tmp_path / "cases.xlsx", rows), court=court)
        assert result.committed, [str(p) for p in result.problems][:5]
        by_sheet, figures_sheet = _snapshot(court), _figures(court)
        transaction.set_rollback(True)
    assert not Case.objects.exists()
    answer = pusher.post(PUSH, {"items": rows})
    assert answer.status_code == 200, answer.content.decode()[:500]
    assert answer.json() == {"total": 150, "created": 150, "updated": 0, "unchanged": 0}
    assert _snapshot(court) == by_sheet
    assert _figures(court) == figures_sheet
    assert figures_sheet["court"][0]["closed"] > 50  # the year has real figures
    again = pusher.post(PUSH, {"items": rows})
    assert again.json()["unchanged"] == 150


def test_a_push_updates_by_case_number_and_accepts_english_keys(court, staff, pusher):
    judge = staff["judges"][1]
    item = {"number": f"(2016){court.code}民初7号", "filed_on": "2016-03-02", "judge": judge.name,
            "department": staff["departments"][0].name}
    assert pusher.post(PUSH, {"items": [item]}).json()["created"] == 1
    item.update({"closed_on": "2016-04-01", "outcome": "调解", "appealed": False})
    assert pusher.post(PUSH, {"items": [item]}).json()["updated"] == 1
    case = Case.objects.get()
    assert case.outcome == "mediation" and str(case.closed_on) == "2016-04-01" and case.version == 2


def test_a_thousand_case_push_with_one_bad_item_writes_nothing_and_names_it(court, staff, pusher):
    from tianping.core.models import AuditEvent

    rows = case_rows(court.code, staff["judges"][:4], staff["departments"], n=1000, seed=7)
    rows[617]["结案日期"] = "2015-02-30"
    before = AuditEvent.objects.count()
    answer = pusher.post(PUSH, {"items": rows})
    assert answer.status_code == 400
    body = answer.json()
    assert [e["field"] for e in body["errors"]] == ["items[617].结案日期"]
    assert "日期" in body["errors"][0]["message"] and "items[617].结案日期" in body["message"]
    assert not Case.objects.exists()
    # the refused call is audited (token, endpoint, counts), nothing of the batch
    events = list(AuditEvent.objects.filter(pk__gt=0).order_by("pk").values_list("event", flat=True))[before:]
    assert events == ["api.refused"]


def test_item_problems_from_the_register_and_from_the_schema(court, staff, pusher):
    judge = staff["judges"][2]
    items = [{"案号": f"(2016){court.code}民初1号", "立案日期": "2016-03-02", "承办人": "无此人"},
             {"案号": "(2016)鲁9999民初2号", "立案日期": "2016-03-02", "承办人": judge.name},
             {"案号": f"(2016){court.code}民初3号", "立案日期": "2016-03-02", "承办人": "法官0"}]
    body = pusher.post(PUSH, {"items": items}).json()
    fields = {e["field"] for e in body["errors"]}
    assert {"items[0].承办人", "items[1].案号", "items[2].承办人"} <= fields, body
    namesake = next(e for e in body["errors"] if e["field"] == "items[2].承办人")["message"]
    assert "(" in namesake or "（" in namesake  # names the candidates with their staff numbers
    bad_type = pusher.post(PUSH, {"items": [{"案号": 12, "立案日期": "2016-03-02", "外星字段": 1}]})
    assert bad_type.status_code == 400
    assert {e["field"] for e in bad_type.json()["errors"]} == {"items[0].案号", "items[0].外星字段"}
    assert pusher.post(PUSH, {"items": []}).status_code == 400
    assert pusher.client.post(PUSH, "{not json", content_type="application/json",
                              headers=pusher.headers).status_code == 400
    assert not Case.objects.exists()


def test_more_than_a_thousand_items_is_413(court, staff, pusher):
    item = {"案号": f"(2016){court.code}民初1号", "立案日期": "2016-03-02"}
    answer = pusher.post(PUSH, {"items": [item] * 1001})
    assert answer.status_code == 413 and "1000" in answer.json()["message"]


def test_read_one_and_list_with_filters(court, other_court, staff, pusher, grant, api_client):
    rows = case_rows(court.code, staff["judges"][:4], staff["departments"], n=40)
    assert pusher.post(PUSH, {"items": rows}).status_code == 200
    number = rows[3]["案号"]
    one = pusher.get(f"/api/v1/cases/{number}")
    assert one.status_code == 200 and one.json()["案号"] == number and one.json()["立案日期"] == rows[3]["立案日期"]
    listed = pusher.get("/api/v1/cases/", limit=1000).json()
    assert listed["count"] == 40 and len(listed["items"]) == 40
    pending = pusher.get("/api/v1/cases/", state="pending").json()
    assert pending["count"] == sum(1 for r in rows if "结案日期" not in r)
    dep = staff["departments"][1].name
    assert pusher.get("/api/v1/cases/", department=dep).json()["count"] == sum(1 for r in rows if r["承办部门"] == dep)
    judge = staff["judges"][2]
    assert pusher.get("/api/v1/cases/", judge=judge.name).json()["count"] == sum(
        1 for r in rows if r["承办人"] == judge.label)
    assert pusher.get("/api/v1/cases/", year=2015).json()["count"] == 0
    later = (timezone.now() + timedelta(minutes=1)).isoformat()
    assert pusher.get("/api/v1/cases/", updated_since=later).json()["count"] == 0
    page = pusher.get("/api/v1/cases/", limit=10, offset=35).json()
    assert len(page["items"]) == 5
    # another court's token sees none of them: 404, not 403
    from tianping.org.tests.factories import UserFactory

    outsider_account = UserFactory(court=other_court, roles=[], username="other-system")
    secret, _t = grant(Role.TRIAL_OFFICE, Scope.READ_CASES, account=outsider_account)
    outsider = api_client(secret)
    assert outsider.get(f"/api/v1/cases/{number}").status_code == 404
    assert outsider.get("/api/v1/cases/").json()["count"] == 0


def test_a_figures_only_token_cannot_push_and_a_revoked_one_gets_401(court, staff, grant, api_client, secadmin):
    from tianping.api.services import token_revoke

    secret, token = grant(Role.LEADER, Scope.READ_FIGURES)
    client = api_client(secret)
    item = {"案号": f"(2016){court.code}民初1号", "立案日期": "2016-03-02"}
    answer = client.post(PUSH, {"items": [item]})
    assert answer.status_code == 403 and "推送案件" in answer.json()["message"]
    token_revoke(actor=secadmin, token=token)
    assert client.post(PUSH, {"items": [item]}).status_code == 401
    assert not Case.objects.exists()
