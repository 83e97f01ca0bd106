"""The demo lives in the present (issue 12): its years run from 2014 to today (timezone.localdate() at seeding
time), every page's default period is the current year and has figures, the higher court sees its six basic
courts and drills into one court's figures without seeing cases or people, and the data are legally plausible."""

from __future__ import annotations

import random
import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

SIX_COURTS = {"市中区人民法院", "薛城区人民法院", "峄城区人民法院", "台儿庄区人民法院", "山亭区人民法院", "滕州市人民法院"}


def _client(username):
    from django.test import Client

    from tianping.org.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def test_demo_is_plausible_and_current(demo):
    from tianping.mediation.models import Dispute
    from tianping.party.models import DuesPayment
    from tianping.partylife.choices import MeetingStatus
    from tianping.partylife.models import Meeting
    from tianping.trials.demo import DEMO_NOTE
    from tianping.trials.models import Case

    today = timezone.localdate()
    cases = Case.objects.filter(court=demo)
    # 小额诉讼 is final at first instance, and divorce is never heard as small claims
    assert Case.objects.filter(procedure="small_claims").count() > 500
    assert not Case.objects.filter(procedure="small_claims", appealed=True).exists()
    assert not Case.objects.filter(procedure="small_claims", cause="离婚纠纷").exists()
    assert Case.objects.filter(procedure="summary", appealed=True).exists()  # appeals do exist elsewhere
    # nothing filed or closed after today; every year from 2014 to today has filings and closings
    assert not Case.objects.filter(filed_on__gt=today).exists()
    assert not Case.objects.filter(closed_on__gt=today).exists()
    years = set(cases.filter(closed_on__isnull=False).values_list("closed_on__year", flat=True).distinct())
    assert set(range(2014, today.year + 1)) <= years
    # case numbers of one year and type follow filing order, also those of disputes transferred to filing
    # (民初) or applying for judicial confirmation (民特)
    assert cases.filter(year=today.year - 1, type_code="民初", source_note=DEMO_NOTE).count() > 3000
    for year in range(2014, today.year + 1):
        for type_code in ("民初", "民特"):
            seqs = list(cases.filter(year=year, type_code=type_code).order_by("seq").values_list("filed_on", flat=True))
            assert seqs == sorted(seqs), f"{year} {type_code}: numbers out of filing order"
    # disputes from 2014 to today, each transfer linked to a 民初 case filed that day with its parties, each
    # confirmation under a 民特 case filed on the application day, each ruling signed by a clerk of the court
    for year in range(2014, today.year + 1):
        assert Dispute.objects.filter(court=demo, registered_on__year=year).count() > 100, year
        assert Dispute.objects.filter(court=demo, registered_on__year=year, status="filed").exists(), year
        assert Dispute.objects.filter(court=demo, registered_on__year=year, ruling="confirmed").exists(), year
    filed = list(Dispute.objects.filter(court=demo, status="filed").select_related("filed_case"))
    assert len(filed) > 500
    for d in filed:
        case = d.filed_case
        assert (case.type_code, case.filed_on, case.cause) == ("民初", d.filed_on, d.cause), d.number
        assert d.number in case.source_note and case.parties, d.number
    specials = {n: f for n, f in cases.filter(type_code="民特").values_list("number", "filed_on")}
    applied = Dispute.objects.filter(court=demo).exclude(confirmation_number="")
    assert applied.count() > 300
    assert all(specials[n] == a for n, a in applied.values_list("confirmation_number", "confirmation_applied_on"))
    from tianping.org.models import Post

    ruled = Dispute.objects.filter(court=demo).exclude(ruling="")
    assert ruled.count() > 300 and not ruled.filter(ruling_clerk__isnull=True).exists()
    assert set(ruled.values_list("ruling_clerk__post", "ruling_clerk__court")) == {(Post.CLERK, demo.pk)}
    # mediation file numbers follow registration order
    disputes = list(Dispute.objects.filter(court=demo).values_list("number", "registered_on"))
    by_year: dict[int, list[tuple[int, date]]] = {}
    for number, registered in disputes:
        year, seq = re.match(r"\((\d{4})\).*?(\d+)号$", number).groups()
        assert int(year) == registered.year, number
        by_year.setdefault(int(year), []).append((int(seq), registered))
    for year, rows in by_year.items():
        rows.sort()
        assert [s for s, _d in rows] == list(range(1, len(rows) + 1)), year
        assert [d for _s, d in rows] == sorted(d for _s, d in rows), f"{year}: numbers out of registration order"
    # data in the current year (or, in the first days of January, the last weeks) for every area
    since = min(date(today.year, 1, 1), today - timedelta(days=14))
    assert cases.filter(filed_on__gte=date(today.year, 1, 1)).exists()
    assert Meeting.objects.filter(court=demo, status=MeetingStatus.HELD, date__gte=since, date__lte=today).exists()
    assert DuesPayment.objects.filter(court=demo, month__gte=date(since.year, since.month, 1)).exists()
    assert not DuesPayment.objects.filter(paid_on__gt=today).exists()
    assert Dispute.objects.filter(court=demo, registered_on__year=today.year).exists()
    # the years in between are filled too (no jump from 2016 to today)
    for year in range(2014, today.year):
        assert Meeting.objects.filter(court=demo, date__year=year, meeting_type__code="themed_day").count() > 50
        assert DuesPayment.objects.filter(court=demo, month__year=year).count() > 500, year

    # service to the public: a year of revisits (about 350 cases and 740 people, satisfaction about 99 %, a
    # handful dissatisfied each with its follow-up), every sample reproducible from its seed, 120+ circuit
    # trials, 17 publicity events and 34 visits in the current year, complaints in every state
    from tianping.service.models import (
        CircuitTrial,
        Complaint,
        FollowUp,
        OutreachEvent,
        PartnerVisit,
        Revisit,
        RevisitSample,
    )
    from tianping.service.selectors import sample_redraw, satisfaction

    year_start = date(today.year, 1, 1) if today.month >= 7 else today - timedelta(days=364)
    s = satisfaction(Revisit.objects.filter(court=demo, revisited_on__gte=year_start), 3)
    assert 320 <= s["cases"] <= 360 and 700 <= s["people"] <= 790 and s["rate"] >= 0.98, s
    assert 3 <= s["dissatisfied"] <= 12
    assert FollowUp.objects.filter(court=demo, revisit__revisited_on__gte=year_start).count() == s["dissatisfied"]
    assert not Revisit.objects.filter(revisited_on__gt=today).exists()
    for sample in RevisitSample.objects.filter(court=demo):
        assert sample_redraw(sample) == list(sample.assignments.order_by("position").values_list("case_id", flat=True))
    assert CircuitTrial.objects.filter(court=demo, held_on__gte=year_start).count() >= 120
    assert OutreachEvent.objects.filter(court=demo, held_on__gte=year_start).count() == 17
    assert PartnerVisit.objects.filter(court=demo, visited_on__gte=year_start).count() == 34
    assert set(Complaint.objects.filter(court=demo).values_list("status", flat=True)) == {
        "received", "assigned", "answered", "closed"}

    # the seed's year: the annual report of 2016 gives the seed's figures (issue 16) from the demo's records
    from tianping.annual.selectors import report_json

    seed = report_json(demo, 2016)
    assert seed["judge_letters"] >= 6000 and seed["honours_person_times_3y"] >= 150, seed
    assert (seed["revisited_cases"], seed["revisited_people"]) == (350, 738), seed
    assert 0.985 <= seed["revisit_satisfaction_rate"] < 1, seed
    assert (seed["circuit_trials"], seed["outreach_events"], seed["partner_visits"]) == (126, 17, 34), seed
    assert 1300 <= seed["disputes_diverted"] < 1400, seed  # 分流案件1300余件 (issue 17)
    assert (seed["integrity_lectures_court"], seed["integrity_lectures_branch"]) == (12, 52), seed
    assert (seed["recruits_3y"], seed["recruits_to_tribunals_3y"]) == (14, 14), seed
    from tianping.honours.models import PioneerPost

    assert seed["able_handlers_party_share"] >= 0.9, seed
    assert seed["pioneer_posts"] == PioneerPost.objects.filter(court=demo).count() >= 4, seed

def test_default_periods_have_figures_and_higher_court_drills_into_one_court(demo):
    from tianping.org.models import Court, Person, User
    from tianping.trials.home import home_panels

    today = timezone.localdate()
    year = today.year
    # the court's 三比 page opens on the current year, with figures
    page = _client("trial_office").get(reverse("trials:overview"))
    assert page.status_code == 200
    assert page.context["period"].start == date(year, 1, 1)
    headline = {c["key"]: c["text"] for c in page.context["headline"]}
    assert headline["closed"] not in ("0", "—") and headline["closure_rate"] != "—", headline
    assert headline["party_member_closed_share"] != "—"
    # the judge's own 三比 too
    own = _client("judge_demo").get(reverse("trials:overview"))
    assert own.context["mode"] == "own" and own.context["period"].start == date(year, 1, 1)
    assert {c["key"]: c["text"] for c in own.context["headline"]}["closure_rate"] != "—"
    trend = own.context["charts"][0][1]["series"][0]["data"]
    assert sum(v or 0 for v in trend) > 0
    # the centre's figures open on the current year, with figures (and its home card says so)
    med = _client("centre_demo").get(reverse("mediation:figures"))
    assert (med.context["start"], med.context["end"]) == (date(year, 1, 1), today)
    assert med.context["total"]["received"] > 0 and med.context["total"]["success_rate"] is not None
    from tianping.mediation.home import home_panels as mediation_panels

    (centre_card,) = mediation_panels(User.objects.get(username="centre_demo"))
    assert str(year) in centre_card["title"] and int(centre_card["figures"][0]["value"]) > 0
    # the party's year selectors offer every year of the demo, 2014 to today
    office = _client("party_office")
    for name in ("party:dues_totals", "party:points_ranking"):
        years = list(office.get(reverse(name)).context["years"])
        assert years[0] == year and years[-1] == 2014, (name, years)
    # the home cards
    (panel,) = home_panels(User.objects.get(username="president"))
    assert str(year) in panel["title"] and int(panel["figures"][0]["value"]) > 0
    assert panel["figures"][1]["value"] != "—"
    # the higher court: six courts with figures, the current year by default, years back to 2014
    higher = _client("zaozhuang")
    table = higher.get(reverse("trials:courts"))
    assert table.context["period"].start == date(year, 1, 1)
    assert table.context["years"][0] == year and table.context["years"][-1] <= 2014
    rows = {r["scope"]: r for r in table.context["rows"]}
    assert set(rows) == SIX_COURTS
    assert all(r["cells"][0]["text"] not in ("0", "—") and r["cells"][1]["text"] not in ("0", "—")
               for r in rows.values()), rows
    # … and drills into one court's figures by department and month — no case, no person
    tengzhou = Court.objects.get(code="鲁0481")
    xuecheng = demo
    for court in (tengzhou, xuecheng):
        url = reverse("trials:court_figures", args=[court.pk])
        assert url in table.content.decode()
        page = higher.get(url + "?year=2016")
        assert page.status_code == 200
        html = page.content.decode()
        assert page.context["departments"] and all(m["closed"] for m in page.context["months"])
        assert "/trials/cases/" not in html and "/org/people" not in html
        names = set(Person.objects.filter(court=court).values_list("name", flat=True))
        body = html.split("<main", 1)[-1]
        assert not [n for n in names if n in body], "a person's name on the higher court's drill-down"
    assert len(page.context["months"]) == 12
    # only courts below the higher court, and never for the court's own staff
    high = Court.objects.get(code="鲁")
    assert higher.get(reverse("trials:court_figures", args=[high.pk])).status_code == 404
    assert _client("trial_office").get(reverse("trials:court_figures", args=[tengzhou.pk])).status_code == 403


def test_case_generator_ends_today_even_when_time_is_frozen(court):
    """The generator takes "today" from timezone.localdate(): with time frozen on 2027-03-15 nothing is filed
    or closed later, and what would close later is still pending."""
    import time_machine

    from tianping.org.tests.factories import DepartmentFactory
    from tianping.trials.demo import generate_cases
    from tianping.trials.models import Case

    dep = DepartmentFactory(court=court, name="民事审判第一庭")
    with time_machine.travel(datetime(2027, 3, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        generate_cases(court, {"民事审判第一庭": dep}, [2026, 2027], random.Random(3))
    last = date(2027, 3, 15)
    assert Case.objects.filter(filed_on__year=2027).count() > 150
    assert not Case.objects.filter(filed_on__gt=last).exists()
    assert not Case.objects.filter(closed_on__gt=last).exists()
    assert Case.objects.filter(closed_on__isnull=True, filed_on__lt=last - timedelta(days=20)).exists()
