"""The dashboards: the court dashboard's figures (this year against last, each worked out here from the records),
the monthly trends, the branch scorecards and their .xlsx, and no personal data on the dashboard or the big
screen."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.cache import cache

from tianping.annual import selectors as sel

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()  # the dashboards keep their figures a few minutes; each test starts from its own records
    yield
    cache.clear()


def _branches(casebook):
    """Branch A built on 民一庭 (roster: J1, J2), branch B on 刑庭 (roster: P, a member who is no judge);
    a 党小组 of A holds J2's record."""
    from tianping.org.tests.factories import PersonFactory
    from tianping.party.models import BranchMembership, PartyMember, PartyOrganisation

    court = casebook["court"]
    a = PartyOrganisation.objects.create(court=court, name="民一庭党支部", kind="branch", sort_order=1)
    a.departments.add(casebook["a"])
    group = PartyOrganisation.objects.create(court=court, name="民一庭党小组", kind="group", parent=a)
    b = PartyOrganisation.objects.create(court=court, name="刑庭党支部", kind="branch", sort_order=2)
    b.departments.add(casebook["b"])
    p = PersonFactory(court=court, name="丁书记", department=casebook["b"])
    PartyMember.objects.create(court=court, person=p, stage="full", admitted_on=date(2000, 7, 1),
                               converted_on=date(2001, 7, 1))
    for person, org in ((casebook["j1"], a), (casebook["j2"], group), (p, b)):
        m = PartyMember.objects.get(person=person)
        BranchMembership.objects.create(court=court, member=m, organisation=org, start=date(2010, 1, 1))
    return a, b, p


def _closed(casebook, year, **extra):
    from tianping.trials.models import Case

    return Case.objects.filter(court=casebook["court"], closed_on__year=year, **extra).exclude(type_code="民诉前调")


def test_this_year_against_last_worked_out_from_the_cases(casebook):
    """2016: c1, c3, c4, c5, c6, c7 closed (6), J1 or J2 a member on the closing day for c1, c4, c6 (3 → 50 %).
    2015: c9 alone (J1, a member) → 1 and 100 %."""
    assert _closed(casebook, 2016).count() == 6 and _closed(casebook, 2015).count() == 1
    rows = {r["key"]: r for r in sel.compare(casebook["court"], 2016)}
    assert (rows["cases_closed"]["value"], rows["cases_closed"]["last_value"]) == (6, 1)
    assert rows["cases_closed"]["change"] == {"text": "+5（+500.0%）", "direction": "up"}
    assert (rows["party_member_closed_share"]["value"], rows["party_member_closed_share"]["last_value"]) == (0.5, 1.0)
    assert rows["party_member_closed_share"]["change"]["text"] == "-50.00 个百分点"
    assert rows["cases_closed"]["url"] != rows["cases_closed"]["last_url"]
    assert list(rows) == list(sel.KEYS)


def test_the_dashboard_page_shows_each_figure_with_its_link(casebook, make_user, client_for):
    office = client_for(make_user(casebook["court"], "party_office"))
    html = office.get("/annual/dashboard/?year=2016").content.decode()
    figures = sel.compute(casebook["court"], 2016)
    url = figures["cases_closed"].url.replace("&", "&amp;")
    assert f'data-testid="this-cases_closed"><a href="{url}">6</a>' in html
    assert 'data-testid="last-cases_closed"><a href="' in html and ">1</a>" in html
    assert 'data-echarts="trend-cases_closed"' in html and 'data-testid="gathered"' in html
    assert 'data-testid="empty-period"' not in html
    assert 'data-testid="empty-period"' in office.get("/annual/dashboard/?year=2013").content.decode()
    assert client_for(make_user(casebook["court"], "member")).get("/annual/dashboard/").status_code == 403


def test_the_dashboard_defaults_to_the_current_year(casebook, make_user, client_for):
    from django.utils import timezone

    office = client_for(make_user(casebook["court"], "leader"))
    response = office.get("/annual/dashboard/")
    assert response.status_code == 200 and response.context["year"] == timezone.localdate().year


def test_monthly_trends_split_by_year_and_stop_at_today(casebook):
    court = casebook["court"]
    by_month = [_closed(casebook, 2016, closed_on__month=m).count() for m in range(1, 13)]
    assert by_month == [0, 1, 1, 1, 1, 0, 1, 0, 1, 0, 0, 0]
    assert sel.monthly(court, 2016, date(2017, 3, 1))["cases_closed"].values == by_month
    assert sel.monthly(court, 2015, date(2017, 3, 1))["cases_closed"].values == [0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0]
    cache.clear()
    midyear = sel.monthly(court, 2016, date(2016, 6, 15))["cases_closed"].values
    assert midyear == [0, 1, 1, 1, 1, 0, None, None, None, None, None, None]
    ((_id, options), *_rest) = [c for c in sel.trend_charts(court, 2016, date(2017, 3, 1)) if c[0] == "trend-cases_closed"]
    this_year = options["series"][1]["data"]
    assert [p["value"] for p in this_year] == by_month and this_year[1]["url"].startswith("/trials/")


def test_scorecard_rows_per_branch(casebook):
    from tianping.honours.models import Honour
    from tianping.party.models import PointsEntry

    a, b, p = _branches(casebook)
    court, j1, j2 = casebook["court"], casebook["j1"], casebook["j2"]
    PointsEntry.objects.create(court=court, person=j1, points=Decimal("10"), occurred_on=date(2016, 3, 1))
    PointsEntry.objects.create(court=court, person=j2, points=Decimal("5"), occurred_on=date(2016, 4, 1))
    PointsEntry.objects.create(court=court, person=p, points=Decimal("7"), occurred_on=date(2015, 4, 1))
    Honour.objects.create(court=court, name="办案能手", level="city", issuer="枣庄市中级人民法院",
                          awarded_on=date(2016, 5, 1), holder_kind="person", person=j1)
    Honour.objects.create(court=court, name="先进基层党组织", level="city", issuer="中共枣庄市委",
                          awarded_on=date(2016, 7, 1), holder_kind="branch", organisation=b)
    card = sel.scorecards(court, 2016, date(2017, 3, 1))
    rows = {r["name"]: {"members": r["members"], **{c["key"]: c["value"] for c in r["cells"]}} for r in card["rows"]}
    assert list(rows) == ["民一庭党支部", "刑庭党支部"]
    # cases closed in 2016 in the departments each branch is built on, and the share a member closed
    a_cases = _closed(casebook, 2016, department=casebook["a"])
    b_cases = _closed(casebook, 2016, department=casebook["b"])
    assert rows["民一庭党支部"]["cases_closed"] == a_cases.count()
    assert rows["刑庭党支部"]["cases_closed"] == b_cases.count()
    members_closed = a_cases.filter(judge_party_closed=True).count()
    assert rows["民一庭党支部"]["party_member_closed_share"] == round(members_closed / a_cases.count(), 4)
    assert rows["民一庭党支部"]["members"] == 2 and rows["刑庭党支部"]["members"] == 1
    assert rows["民一庭党支部"]["points_avg"] == 7.5  # (10 + 5) / 2; P's points were in 2015
    assert rows["刑庭党支部"]["points_avg"] == 0.0
    assert rows["民一庭党支部"]["honours"] == 1 and rows["刑庭党支部"]["honours"] == 1
    ordered = sel.sort_rows(card["rows"], "points_avg", descending=False)
    assert [r["name"] for r in ordered] == ["刑庭党支部", "民一庭党支部"]


def test_the_scorecards_export_their_rows(casebook, make_user, client_for):
    from openpyxl import load_workbook

    _branches(casebook)
    office = client_for(make_user(casebook["court"], "party_office"))
    page = office.get("/annual/scorecards/?year=2016&sort=cases_closed&dir=asc")
    assert page.status_code == 200 and 'data-testid="cell-' in page.content.decode()
    response = office.get("/annual/scorecards/?year=2016&export=xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("党支部", "党员人数") and "审结案件" in rows[0]
    card = sel.scorecards(casebook["court"], 2016, date(2017, 3, 1))
    col = rows[0].index("审结案件")
    assert {r[0]: r[col] for r in rows[1:]} == {
        r["name"]: next(c["value"] for c in r["cells"] if c["key"] == "cases_closed") for r in card["rows"]}
    from tianping.core.models import AuditEvent

    assert AuditEvent.objects.filter(event="export", message__contains="branch_scorecards 2016").exists()


def test_no_personal_data_on_the_dashboard_or_the_big_screen(casebook, make_user, client_for):
    """People with known names, ID numbers and phones, one of them a probationary member whose conversion is due
    (a to-do that names him): the dashboard and the big screen show figures and posts, never a person."""
    from django.utils import timezone

    from tianping.org.tests.factories import PersonFactory
    from tianping.party.models import BranchMembership, PartyMember

    a, b, p = _branches(casebook)
    court = casebook["court"]
    today = timezone.localdate()
    newcomer = PersonFactory(court=court, name="欧阳晓明", phone="13912345678", department=casebook["a"])
    member = PartyMember.objects.create(court=court, person=newcomer, stage="probationary", branch=a,
                                        admitted_on=date(today.year - 1, today.month, 1))
    BranchMembership.objects.create(court=court, member=member, organisation=a, start=member.admitted_on)
    people = [casebook["j1"], casebook["j2"], casebook["j3"], p, newcomer]
    office_user = make_user(court, "party_office")
    owners = sel.todo_owners(court)
    assert any("欧阳晓明" in str(i["label"]) for o in owners for i in o["items"])  # the to-do names him …
    office = client_for(office_user)
    for url in ("/annual/dashboard/", "/annual/dashboard/?year=2016", "/annual/dashboard/todos/", "/annual/screen/",
                "/annual/screen/?year=2016"):
        html = office.get(url).content.decode()
        assert "支部" in html or "审结案件" in html
        for person in people:
            for secret in (person.name, person.id_number, person.phone):
                assert not secret or secret not in html, (url, secret)
    cache.clear()
    html = office.get("/annual/dashboard/todos/").content.decode()
    assert 'data-testid="todo-' in html  # … the dashboard counts it under the post that owns it
    assert "/annual/dashboard/todos/" in office.get("/annual/dashboard/").content.decode()
    key = next(o["key"] for o in sel.todo_owners(court) if any("欧阳晓明" in str(i["label"]) for i in o["items"]))
    assert "欧阳晓明" in office.get(f"/annual/dashboard/todo/?owner={key}").content.decode()
    assert office.get("/annual/dashboard/todo/?owner=0")["Location"] == "/annual/dashboard/"


def test_the_big_screen_polls_for_fresh_content(casebook, make_user, client_for):
    office = client_for(make_user(casebook["court"], "leader"))
    html = office.get("/annual/screen/?year=2016").content.decode()
    assert 'hx-trigger="every 300s"' in html and "https://" not in html.split("<body")[0] + html
    assert 'data-echarts-theme="dark"' in html
    fragment = office.get("/annual/screen/?year=2016", HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment and 'data-testid="bs-cases_closed"' in fragment
