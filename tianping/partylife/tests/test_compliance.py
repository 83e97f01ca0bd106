"""The compliance matrix around month and quarter ends (frozen time), the command, and the cell drill-down."""

import json
from datetime import date, datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from tianping.partylife import services
from tianping.partylife.compliance import (
    OrgInput,
    RuleInput,
    cell_status,
    court_matrix,
    evaluate,
    month_period,
    parse_period,
    quarter_period,
)

SH = ZoneInfo("Asia/Shanghai")


def _hold(make_meeting, life, code, day, organisation=None):
    m = make_meeting(code=code, day=day, organisation=organisation)
    services.attendance_record(actor=life.office, meeting=m, entries=[{"person": life.full[0], "status": "present"}])
    return m


def _cells(life, today, year=2016):
    return {(c.organisation, c.duty, c.period.key): c
            for c in court_matrix(court=life.court, year=year, today=today)}


# --- the engine on plain inputs -------------------------------------------------------------------------
def test_cell_status_rules():
    march = month_period(2016, 3)
    assert cell_status(period=march, required=1, held=1, today=date(2016, 3, 2), warn_days=10) == "ok"
    assert cell_status(period=march, required=1, held=0, today=date(2016, 3, 2), warn_days=10) == "upcoming"
    assert cell_status(period=march, required=1, held=0, today=date(2016, 3, 22), warn_days=10) == "due"
    assert cell_status(period=march, required=1, held=0, today=date(2016, 4, 1), warn_days=10) == "missed"
    assert cell_status(period=march, required=1, held=0, today=date(2016, 2, 29), warn_days=10) == "upcoming"
    assert cell_status(period=march, required=2, held=1, today=date(2016, 4, 1), warn_days=10) == "missed"


def test_periods_parse_and_keys():
    assert parse_period("2016-03") == month_period(2016, 3)
    assert parse_period("2016-Q2").end == date(2016, 6, 30)
    assert parse_period("2016").start == date(2016, 1, 1)
    with pytest.raises(ValueError, match="2016-Q2"):
        parse_period("2016-Q5")
    assert quarter_period(2016, 1).end == date(2016, 3, 31)  # leap-year February is inside


def test_engine_committee_and_founding():
    rules = [RuleInput("committee_meeting", "支委会", "month", 1, ("branch",), True, 10)]
    with_committee = OrgInput(1, "甲支部", "branch", has_committee=True)
    small = OrgInput(2, "乙支部", "branch", has_committee=False)
    new = OrgInput(3, "丙支部", "branch", exists_from=date(2016, 6, 15), has_committee=True)
    cells = evaluate(orgs=[with_committee, small, new], rules=rules, held=[(1, "committee_meeting",
                                                                            date(2016, 1, 5), 99)],
                     year=2016, today=date(2016, 12, 31))
    by_org = {}
    for c in cells:
        by_org.setdefault(c.organisation, []).append(c)
    assert "乙支部" not in by_org  # no committee, owes no 支委会
    assert len(by_org["甲支部"]) == 12 and by_org["甲支部"][0].meeting_ids == [99]
    assert [c.period.key for c in by_org["丙支部"]][0] == "2016-07"  # owes from its first full month


# --- the database matrix with frozen time ---------------------------------------------------------------
@pytest.mark.django_db
def test_month_end_turns_due_into_missed(life, make_meeting):
    _hold(make_meeting, life, "committee_meeting", date(2016, 2, 18))
    with time_machine.travel(datetime(2016, 3, 31, 20, 0, tzinfo=SH), tick=False):
        from django.utils import timezone

        cells = _cells(life, timezone.localdate())
        assert cells[("沙沟人民法庭党支部", "支委会", "2016-02")].status == "ok"
        assert cells[("沙沟人民法庭党支部", "支委会", "2016-03")].status == "due"
        assert cells[("沙沟人民法庭党支部", "支委会", "2016-04")].status == "upcoming"
    with time_machine.travel(datetime(2016, 4, 1, 8, 0, tzinfo=SH), tick=False):
        cells = _cells(life, timezone.localdate())
        assert cells[("沙沟人民法庭党支部", "支委会", "2016-03")].status == "missed"
        assert cells[("沙沟人民法庭党支部", "支委会", "2016-04")].status == "upcoming"
    # the other branch has only a secretary: no committee, no 支委会 rows at all
    assert not [k for k in cells if k[0] == "民一庭党支部" and k[1] == "支委会"]


@pytest.mark.django_db
def test_quarter_end_and_recording_late_turns_green(life, make_meeting):
    with time_machine.travel(datetime(2016, 6, 30, 12, 0, tzinfo=SH), tick=False):
        from django.utils import timezone

        assert _cells(life, timezone.localdate())[("沙沟人民法庭党支部", "支部党员大会", "2016-Q2")].status == "due"
    with time_machine.travel(datetime(2016, 7, 1, 9, 0, tzinfo=SH), tick=False):
        cells = _cells(life, timezone.localdate())
        assert cells[("沙沟人民法庭党支部", "支部党员大会", "2016-Q2")].status == "missed"
        assert cells[("沙沟人民法庭党支部", "支部党员大会", "2016-Q3")].status == "upcoming"
        held = _hold(make_meeting, life, "general_meeting", date(2016, 6, 28))  # recorded after the fact
        cell = _cells(life, timezone.localdate())[("沙沟人民法庭党支部", "支部党员大会", "2016-Q2")]
        assert (cell.status, cell.held, cell.meeting_ids) == ("ok", 1, [held.pk])


@pytest.mark.django_db
def test_planned_or_cancelled_meetings_do_not_count(life, make_meeting):
    make_meeting(code="themed_day", day=date(2016, 5, 6))  # planned, never recorded
    cells = _cells(life, date(2016, 6, 2))
    assert cells[("沙沟人民法庭党支部", "主题党日", "2016-05")].status == "missed"


@pytest.mark.django_db
def test_command_json_and_table(life, make_meeting):
    _hold(make_meeting, life, "themed_day", date(2016, 1, 8))
    out = StringIO()
    call_command("partylife_compliance", "--court", life.court.code, "--year", "2016", "--format", "json",
                 "--today", "2016-02-01", stdout=out)
    rows = json.loads(out.getvalue())
    assert all(set(r) == {"organisation", "duty", "period", "required", "held", "status"} for r in rows)
    by_key = {(r["organisation"], r["duty"], r["period"]): r for r in rows}
    assert by_key[("沙沟人民法庭党支部", "主题党日", "2016-01")] == {
        "organisation": "沙沟人民法庭党支部", "duty": "主题党日", "period": "2016-01", "required": 1, "held": 1,
        "status": "ok"}
    assert by_key[("民一庭党支部", "主题党日", "2016-01")]["status"] == "missed"
    assert by_key[("民一庭党支部", "支部党员大会", "2016-Q1")]["status"] == "upcoming"
    assert by_key[("民一庭党支部", "组织生活会", "2016")]["required"] == 1
    # a party group owes 党小组会 monthly; the organ committee owes nothing itself
    assert not [r for r in rows if r["organisation"] == "机关党委"]
    table = StringIO()
    call_command("partylife_compliance", "--court", life.court.code, "--year", "2016", "--today", "2016-02-01",
                 stdout=table)
    assert table.getvalue().splitlines()[0].split() == ["organisation", "duty", "period", "required", "held",
                                                         "status"]
    with pytest.raises(Exception, match="找不到法院"):
        call_command("partylife_compliance", "--court", "鲁9999", "--year", "2016")


@pytest.mark.django_db
def test_matrix_page_and_cell_drilldown(life, make_meeting, client_for):
    m = _hold(make_meeting, life, "themed_day", date(2016, 1, 8))
    with time_machine.travel(datetime(2016, 2, 1, 9, 0, tzinfo=SH), tick=False):
        page = client_for(life.office).get(reverse("partylife:compliance") + "?year=2016")
        html = page.content.decode()
        assert f'data-testid="cell-{life.branch.pk}-themed_day-2016-01" data-status="ok"' in html
        assert f'data-testid="cell-{life.other_branch.pk}-themed_day-2016-01" data-status="missed"' in html
        # quarter view rolls months up: required 3
        q = client_for(life.office).get(reverse("partylife:compliance") + "?year=2016&view=quarter").content.decode()
        assert f'data-testid="cell-{life.branch.pk}-themed_day-2016-Q1" data-status="upcoming"' in q
        assert f'data-testid="cell-{life.other_branch.pk}-themed_day-2016-Q1" data-status="missed"' in q
        assert ">1/3</a>" in q  # Jan held, Feb and Mar still to come
        cell = client_for(life.office).get(reverse("partylife:compliance_cell"),
                                           {"org": life.branch.pk, "duty": "themed_day", "period": "2016-01"})
        assert reverse("partylife:meeting_detail", args=[m.pk]) in cell.content.decode()
        # a secretary sees only their branch; another branch's cell is 404
        own = client_for(life.secretary).get(reverse("partylife:compliance") + "?year=2016").content.decode()
        assert "民一庭党支部" not in own
        assert client_for(life.secretary).get(reverse("partylife:compliance_cell"), {
            "org": life.other_branch.pk, "duty": "themed_day", "period": "2016-01"}).status_code == 404
        assert client_for(life.member_user).get(reverse("partylife:compliance")).status_code == 403


@pytest.mark.django_db
def test_matrix_queries_do_not_grow_with_organisations(life, make_meeting, django_assert_max_num_queries):
    from tianping.party.tests.factories import OrganisationFactory

    _hold(make_meeting, life, "committee_meeting", date(2016, 2, 18))
    with django_assert_max_num_queries(4):
        few = court_matrix(court=life.court, year=2016, today=date(2016, 12, 31))
    for i in range(5):
        OrganisationFactory(court=life.court, name=f"新支部{i}", parent=life.organ)
    with django_assert_max_num_queries(4):
        many = court_matrix(court=life.court, year=2016, today=date(2016, 12, 31))
    assert len(many) > len(few)


@pytest.mark.django_db
def test_meeting_list_queries_bounded(life, make_meeting, client_for, django_assert_max_num_queries):
    from django.urls import reverse

    for i in range(12):
        make_meeting(day=date(2016, 1, 1 + i), topic=f"会{i}")
    c = client_for(life.office)
    c.get(reverse("partylife:meeting_list"))
    with django_assert_max_num_queries(20):
        html = c.get(reverse("partylife:meeting_list")).content.decode()
    assert "会11" in html and ">7/7<" not in html  # nobody recorded yet: 0/7
    assert "0/7" in html


@given(month=st.integers(1, 12), required=st.integers(1, 3), held=st.integers(0, 4),
       today=st.dates(min_value=date(2015, 6, 1), max_value=date(2017, 6, 30)), warn=st.integers(0, 40))
def test_cell_status_invariants(month, required, held, today, warn):
    period = month_period(2016, month)
    status = cell_status(period=period, required=required, held=held, today=today, warn_days=warn)
    assert (status == "ok") == (held >= required)
    if status == "missed":
        assert period.end < today
    if status == "due":
        assert period.start <= today <= period.end and (period.end - today).days < warn
    if status == "upcoming":
        assert today <= period.end


@given(held_months=st.lists(st.integers(1, 12), max_size=30), today=st.dates(min_value=date(2016, 1, 1),
                                                                                 max_value=date(2016, 12, 31)))
def test_roll_up_keeps_totals(held_months, today):
    from tianping.partylife.compliance import roll_up

    rules = [RuleInput("themed_day", "主题党日", "month", 1, ("branch",), False, 10)]
    held = [(1, "themed_day", date(2016, m, 3), i) for i, m in enumerate(held_months)]
    cells = evaluate(orgs=[OrgInput(1, "甲", "branch")], rules=rules, held=held, year=2016, today=today)
    for view in ("quarter", "year"):
        merged = roll_up([*cells], view, today)
        assert sum(c.held for c in merged) == len(held_months)
        assert sum(c.required for c in merged) == 12
        assert sorted(i for c in merged for i in c.meeting_ids) == list(range(len(held_months)))
