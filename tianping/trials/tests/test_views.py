"""Pages and scopes: leaders/trial office read the court, a judge their own, party office figures only,
a higher court the by-court table; drill-down lists reproduce the figures."""

import re
from datetime import date
from html import unescape

import pytest
from django.urls import reverse

from tianping.trials.models import Case

pytestmark = pytest.mark.django_db


def test_trial_office_sees_court_and_drilldown_matches(casebook, make_user, client_for):
    user = make_user(casebook["court"], "trial_office")
    c = client_for(user)
    page = c.get(reverse("trials:overview"), {"year": 2016}).content.decode()
    links = re.findall(r'href="(/trials/cases/\?[^"]+)"[^>]*data-testid="figure-closed"', page)
    assert links, "the closed figure is a link"
    resp = c.get(unescape(links[0]))
    assert resp.status_code == 200
    assert 'data-testid="drilldown"' in resp.content.decode()
    assert resp.context["result_count"] == 6
    # every linked count on the page equals the length of the list behind it
    for href, text in re.findall(r'href="(/trials/cases/\?[^"]+)"[^>]*>(\d+)</a>', page):
        listed = c.get(unescape(href)).context["result_count"]
        assert listed == int(text), href


def test_judge_sees_only_own(casebook, make_user, client_for):
    j2 = casebook["j2"]
    user = make_user(casebook["court"], "member", person=j2)
    c = client_for(user)
    resp = c.get(reverse("trials:overview"), {"year": 2016})
    assert resp.status_code == 200
    closed = [h for h in resp.context["headline"] if h["key"] == "closed"][0]
    assert closed["text"] == "2"
    listed = {r.record.number for r in c.get(reverse("trials:case_list")).context["table"].rows}
    assert listed == {casebook["cases"][3].number, casebook["cases"][4].number, casebook["cases"][1].number}
    other = casebook["cases"][5]
    assert c.get(reverse("trials:case_detail", args=[other.pk])).status_code == 404
    assert "table-judge" not in resp.content.decode()


def test_party_office_reads_figures_without_case_links(casebook, make_user, client_for):
    user = make_user(casebook["court"], "party_office")
    page = client_for(user).get(reverse("trials:overview"), {"year": 2016}).content.decode()
    assert 'data-testid="table-party"' in page
    assert "/trials/cases/?" not in page


def test_higher_court_reads_by_court_figures_only(casebook, make_user, client_for):
    from tianping.org.tests.factories import CourtFactory

    court = casebook["court"]
    mid = CourtFactory(code="鲁04", name="枣庄市中级人民法院", level="intermediate")
    court.parent = mid
    court.save()
    user = make_user(mid, "higher_court")
    c = client_for(user)
    resp = c.get(reverse("trials:courts"), {"year": 2016})
    assert resp.status_code == 200
    (row,) = resp.context["rows"]
    assert row["code"] == "鲁0403" and row["cells"][1]["text"] == "6"
    assert "不作排名" in resp.content.decode()
    assert c.get(reverse("trials:case_detail", args=[casebook["cases"][1].pk])).status_code == 404
    assert c.get(reverse("trials:overview")).status_code == 302


def test_outsiders_and_admins(casebook, other_court, make_user, client_for):
    outsider = make_user(other_court, "trial_office")
    c = client_for(outsider)
    assert c.get(reverse("trials:case_detail", args=[casebook["cases"][1].pk])).status_code == 404
    assert c.get(reverse("trials:case_list")).context["result_count"] == 0
    admin = make_user(casebook["court"], "sysadmin")
    assert client_for(admin).get(reverse("trials:overview")).status_code == 403


def test_settings_thresholds_drive_candidates(casebook, make_user, client_for):
    user = make_user(casebook["court"], "party_office")
    c = client_for(user)
    resp = c.post(reverse("trials:settings"), {
        "expert_min_closed": 2, "expert_min_within_limit_rate": "0.9", "expert_max_reversal_rate": "0.1",
        "mediator_min_closed": 2, "mediator_min_mediation_withdrawal_rate": "1.5"})
    assert resp.status_code == 200 and "0 到 1 之间" in resp.content.decode()
    resp = c.post(reverse("trials:settings"), {
        "expert_min_closed": 2, "expert_min_within_limit_rate": "0.9", "expert_max_reversal_rate": "0.1",
        "mediator_min_closed": 2, "mediator_min_mediation_withdrawal_rate": "0.5"})
    assert resp.status_code == 302
    ctx = c.get(reverse("trials:overview"), {"year": 2016}).context
    expert = {r["scope"].split("(")[0] for r in ctx["candidates"][0]["rows"]}
    mediator = {r["scope"].split("(")[0] for r in ctx["candidates"][1]["rows"]}
    # 甲: 2 closed, both within limit, no reversal; 乙: c3 overran (50%); 丙: 2 within, none reversed
    assert expert == {"甲法官", "丙法官"}
    # 调撤率: 甲 1/2 (c1 mediated), 乙 1/2 (c4 withdrawn), 丙 0/2
    assert mediator == {"甲法官", "乙法官"}


def test_case_types_are_data(make_user, client_for, court):
    user = make_user(court, "trial_office")
    c = client_for(user)
    assert c.post(reverse("trials:case_types"), {"code": "刑更x", "name": "x", "category": "criminal",
                                                 "sort_order": 1}).status_code == 200
    assert c.post(reverse("trials:case_types"), {"code": "刑更", "name": "减刑假释", "category": "criminal",
                                                 "instance": "other", "counts_in_metrics": "on", "active": "on",
                                                 "sort_order": 50}).status_code == 200  # the annex has 刑更 already
    assert c.post(reverse("trials:case_types"), {"code": "民保", "name": "诉讼保全（本院自定）", "category": "civil",
                                                 "instance": "other", "counts_in_metrics": "on", "active": "on",
                                                 "sort_order": 50}).status_code == 302
    from tianping.trials.services import case_number_allocate

    assert case_number_allocate(court=court, year=2016, type_code="民保") == "(2016)鲁0403民保1号"
    # 2018 revision 第十条: numbered per special-tribunal code and type code
    assert case_number_allocate(court=court, year=2019, type_code="民初", tribunal="知") == "(2019)鲁0403知民初1号"
    assert case_number_allocate(court=court, year=2019, type_code="民初") == "(2019)鲁0403民初1号"


def test_case_detail(casebook, make_user, client_for):
    user = make_user(casebook["court"], "leader")
    case = casebook["cases"][3]
    page = client_for(user).get(reverse("trials:case_detail", args=[case.pk])).content.decode()
    assert case.number in page and "2016-05-10" in page and date(2016, 4, 10).isoformat() in page
    assert Case.objects.visible_to(user).count() == Case.objects.filter(court=casebook["court"]).count()


def test_home_panel_links_to_cases(casebook, make_user, client_for):
    from tianping.trials.home import home_panels

    user = make_user(casebook["court"], "leader")
    (panel,) = home_panels(user)
    closed = panel["figures"][0]
    assert closed["value"] == 6
    assert client_for(user).get(closed["url"]).context["result_count"] == 6
    assert home_panels(make_user(casebook["court"], "member", person=casebook["j1"])) == []


def test_timeline_entries(casebook, make_user, client_for):
    from tianping.trials.timeline import timeline_entries

    j1 = casebook["j1"]
    leader = make_user(casebook["court"], "leader")
    entries = timeline_entries(j1, leader)
    # J1 closed c9 in 2015 and c1, c6 in 2016 (c10 is pre-litigation mediation, left out)
    assert [(e["date"].year, e["label"]) for e in entries] == [(2015, "2015 年承办结案 1 件"),
                                                               (2016, "2016 年承办结案 2 件")]
    assert client_for(leader).get(entries[1]["url"]).context["result_count"] == 2
    assert timeline_entries(j1, make_user(casebook["court"], "party_office"))[0]["url"] is None


@pytest.mark.parametrize("query", ["year=99999", "year=0", "year=abc", "start=99999-01-01&end=2016-12-31",
                                   "start=2016-12-31&end=2016-01-01", "start=0001-01-01&end=9999-12-31"])
def test_bad_period_values_fall_back_with_a_message(casebook, make_user, client_for, query):
    """Issue 11: /trials/?year=99999 gave a 500. Now the default period and a message saying what was wrong."""
    c = client_for(make_user(casebook["court"], "leader"))
    r = c.get(reverse("trials:overview") + "?" + query)
    assert r.status_code == 200
    assert r.context["period"].start.year == 2016  # the busiest year of the casebook, the default
    assert "已显示默认" in r.content.decode()


@pytest.mark.parametrize("query", ["year=99999", "year=-1", "year=1"])
def test_bad_year_on_the_higher_courts_page(casebook, make_user, client_for, query):
    from tianping.org.tests.factories import CourtFactory

    court = casebook["court"]
    mid = CourtFactory(code="鲁04", name="枣庄市中级人民法院", level="intermediate")
    court.parent = mid
    court.save()
    r = client_for(make_user(mid, "higher_court")).get(reverse("trials:courts") + "?" + query)
    assert r.status_code == 200 and "年度" in r.content.decode() and "无效" in r.content.decode()


@pytest.mark.parametrize("query", ["start=99999-01-01", "start=0001-01-01&end=9999-12-31&set=closed",
                                   "start=2016-01-01&end=2016-12-31&set=nonsense", "judge=abc"])
def test_bad_case_list_values_are_no_500(casebook, make_user, client_for, query):
    r = client_for(make_user(casebook["court"], "trial_office")).get(reverse("trials:case_list") + "?" + query)
    assert r.status_code == 200


def test_menu_and_pages_follow_the_policy(casebook, make_user, client_for):
    from tianping.core.menu import menu_for

    def labels(user):
        return {str(i["label"]) for g in menu_for(user) for i in g["items"]}

    court = casebook["court"]
    office = make_user(court, "party_office")  # figures, no case list, no person of its own
    assert "三比" in labels(office) and "案件" not in labels(office)
    assert client_for(office).get(reverse("trials:case_list")).status_code == 403
    judge = make_user(court, "member", person=casebook["j1"])
    assert {"三比", "案件"} <= labels(judge) and "案件类型与审限" not in labels(judge)
    assert client_for(judge).get(reverse("trials:settings")).status_code == 403
    assert client_for(judge).post(reverse("trials:case_types"), {"code": "民特"}).status_code == 403
    keeper = make_user(court, "trial_office")
    assert "案件类型与审限" in labels(keeper)


def test_no_own_figures_or_cases_for_an_account_that_judges_nothing(casebook, make_user, client_for):
    """Issue 12: a clerk's or mediator's account saw 三比 on an empty year and an empty 案件 list."""
    from tianping.core.menu import menu_for
    from tianping.org.tests.factories import PersonFactory

    clerk = make_user(casebook["court"], "mediator", "member",
                      person=PersonFactory(court=casebook["court"], name="书记员", is_quota_judge=False))
    labels = {str(i["label"]) for g in menu_for(clerk) for i in g["items"]}
    assert not labels & {"三比", "案件"}
    c = client_for(clerk)
    assert c.get(reverse("trials:overview")).status_code == 403
    assert c.get(reverse("trials:case_list")).status_code == 403
    judge = make_user(casebook["court"], "member",
                      person=PersonFactory(court=casebook["court"], name="新任法官", is_quota_judge=True))
    assert client_for(judge).get(reverse("trials:overview")).status_code == 200


def test_the_court_figures_are_kept_a_minute_per_court_period_and_roles(casebook, make_user, client_for, settings):
    from django.core.cache import cache

    from tianping.trials.tests.factories import make_case

    court = casebook["court"]
    cache.clear()
    settings.TIANPING_FIGURES_CACHE_SECONDS = 60

    def closed(user, **extra):
        resp = client_for(user).get(reverse("trials:overview"), {"year": 2016, **extra})
        (cell,) = [h for h in resp.context["headline"] if h["key"] == "closed"]
        return cell["text"], resp.content.decode()

    first, page = closed(make_user(court, "trial_office"))
    assert 'data-testid="figures-at"' in page and "刷新" in page
    make_case(court, filed_on=date(2016, 3, 1), closed_on=date(2016, 3, 20), judge=casebook["j1"])
    # another account with the same roles is given the kept figures, links included
    kept, page = closed(make_user(court, "trial_office"))
    assert kept == first and "/trials/cases/?" in page
    # an account with other roles never sees a copy kept for these: its own, without case links
    _text, page = closed(make_user(court, "party_office"))
    assert "/trials/cases/?" not in page
    # 刷新 gathers anew, and the new copy is the one kept
    now, _page = closed(make_user(court, "trial_office"), refresh="1")
    assert int(now) == int(first) + 1
    assert closed(make_user(court, "trial_office"))[0] == now
    # the kept page is the page worked out afresh
    settings.TIANPING_FIGURES_CACHE_SECONDS = 0
    fresh, page = closed(make_user(court, "trial_office"))
    assert fresh == now and 'data-testid="figures-at"' not in page
    cache.clear()
