"""What a judge and a branch secretary meet on arriving (issue 12): the judge's home panels (open cases, 审限
warnings, own 三比 card) whose figures equal the lists behind them, and the secretary's 本支部 三比."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tianping.trials.models import Case

pytestmark = pytest.mark.django_db


def _limit_end(case):
    return case.deadline + timedelta(days=case.excluded_days) if case.deadline else None


def test_judge_home_panels_count_what_the_lists_show(casebook, make_user, client_for):
    from tianping.trials.home import judge_home_panels
    from tianping.trials.tests.factories import make_case

    court, j1 = casebook["court"], casebook["j1"]
    today = timezone.localdate()
    filed = today - timedelta(days=40)
    # due in 10 days (an externally given 审限 with 3 excluded days); one due in 20 days is not yet a warning
    soon = make_case(court, filed_on=filed, judge=j1, deadline_given=True, deadline=today + timedelta(days=7),
                     excluded_days=3)
    make_case(court, filed_on=filed, judge=j1, deadline_given=True, deadline=today + timedelta(days=20))
    # a case j1 only sat on is not theirs to finish
    make_case(court, filed_on=filed, judge=casebook["j3"], panel=[j1], deadline_given=True, deadline=today)
    user = make_user(court, "member", person=j1)
    panels = judge_home_panels(user)
    mine, card = panels
    figures = {f["label"]: f for f in mine["figures"]}
    # independently, from the records
    open_cases = [c for c in Case.objects.filter(judge=j1) if c.closed_on is None]
    expected = {
        "未结案件": len(open_cases),
        "审限将届满（15 日内）": sum(1 for c in open_cases if _limit_end(c) and today <= _limit_end(c)
                                  <= today + timedelta(days=15)),
        "已超审限": sum(1 for c in open_cases if _limit_end(c) and _limit_end(c) < today),
    }
    assert expected == {"未结案件": 4, "审限将届满（15 日内）": 1, "已超审限": 2}
    assert {k: f["value"] for k, f in figures.items()} == expected
    c = client_for(user)
    for f in mine["figures"]:
        resp = c.get(f["url"])
        assert resp.status_code == 200
        assert resp.context["result_count"] == f["value"], f["label"]
    soon_list = {r.record.pk for r in c.get(figures["审限将届满（15 日内）"]["url"]).context["table"].rows}
    assert soon_list == {soon.pk}
    # the 三比 card: the latest year j1 closed cases (2016), linked counts equal the lists
    assert "2016" in card["title"]
    for f in card["figures"]:
        if isinstance(f["value"], int):
            assert c.get(f["url"]).context["result_count"] == f["value"], f["label"]
    pending = next(f for f in card["figures"] if f["label"] == "未结")
    end = date(2016, 12, 31)
    assert pending["value"] == sum(1 for c in Case.objects.filter(judge=j1, filed_on__lte=end)
                                   if c.type_code != "民诉前调" and (c.closed_on is None or c.closed_on > end)) == 2
    # the home page shows them
    page = c.get("/").content.decode()
    assert "我的案件" in page and "审限将届满（15 日内）" in page


def test_no_judge_panels_for_accounts_without_own_cases(casebook, make_user):
    from tianping.trials.home import judge_home_panels

    assert judge_home_panels(make_user(casebook["court"], "leader")) == []
    assert judge_home_panels(make_user(casebook["court"], "member")) == []


@pytest.fixture
def branch(casebook):
    """A branch whose roster holds j1 (since 2012) and j2 (since joining, 2016-07-01), led by a secretary."""
    from tianping.org.tests.factories import PersonFactory
    from tianping.party.models import BranchMembership, CommitteePost, PartyMember
    from tianping.party.tests.factories import OrganisationFactory

    court = casebook["court"]
    org = OrganisationFactory(court=court, name="民一庭党支部")
    for person, since in ((casebook["j1"], date(2012, 1, 1)), (casebook["j2"], date(2016, 7, 1))):
        member = PartyMember.objects.get(person=person)
        BranchMembership.objects.create(court=court, member=member, organisation=org, start=since)
    chief = PersonFactory(court=court, name="书记甲")
    CommitteePost.objects.create(court=court, organisation=org, person=chief, role="secretary",
                                 term_start=date(2015, 1, 1), term_end=date(2099, 1, 1))
    return {"org": org, "chief": chief}


def test_branch_secretary_reads_the_branch_figures(casebook, branch, make_user, client_for):
    from tianping.party.models import PartyMember
    from tianping.trials.selectors import metric_types_excluded

    court = casebook["court"]
    user = make_user(court, "branch_secretary", "member", person=branch["chief"])
    resp = client_for(user).get(reverse("trials:overview"), {"year": 2016})
    assert resp.status_code == 200
    assert resp.context["mode"] == "branch"
    page = resp.content.decode()
    assert "民一庭党支部" in page and 'data-testid="branch-scope"' in page
    assert "/trials/cases/?" not in page, "figures only: the case lists are not the branch's"
    head = {h["key"]: h["text"] for h in resp.context["headline"]}
    # independently: the roster on 2016-12-31 is j1 and j2; count their cases closed in 2016
    roster = {casebook["j1"].pk, casebook["j2"].pk}
    excluded = set(metric_types_excluded())
    closed = [c for c in Case.objects.filter(judge_id__in=roster, closed_on__year=2016)
              if c.type_code not in excluded]
    admitted = {m.person_id: m.admitted_on for m in PartyMember.objects.filter(person_id__in=roster)}
    party = [c for c in closed if admitted[c.judge_id] <= c.closed_on]
    assert (len(closed), len(party)) == (4, 3)
    assert head["closed"] == str(len(closed))
    assert head["party_member_closed_share"] == f"{100 * len(party) / len(closed):.2f}%"
    rows = {r["scope"]: r for r in resp.context["tables"][1][2]}
    assert set(rows) == {casebook["j1"].label, casebook["j2"].label}


def test_branch_scope_needs_a_led_branch(casebook, branch, make_user, client_for):
    from tianping.core.policy import allowed

    court = casebook["court"]
    # the role without leading a branch today: no 三比 at all (no own cases either)
    nobody = make_user(court, "branch_secretary", "member")
    assert not allowed(nobody, "trials.view_branch_figures")
    assert client_for(nobody).get(reverse("trials:overview")).status_code == 403
    # a secretary who also judges chooses between 本支部 and 本人
    judge = make_user(court, "branch_secretary", "member", person=casebook["j3"])
    from tianping.party.models import CommitteePost

    CommitteePost.objects.create(court=court, organisation=branch["org"], person=casebook["j3"], role="deputy",
                                 term_start=date(2015, 1, 1), term_end=date(2099, 1, 1))
    c = client_for(judge)
    assert c.get(reverse("trials:overview"), {"year": 2016}).context["mode"] == "branch"
    own = c.get(reverse("trials:overview"), {"year": 2016, "scope": "own"})
    assert own.context["mode"] == "own"
    assert 'data-testid="scopes"' in own.content.decode()
