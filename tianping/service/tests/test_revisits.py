"""Case revisits: satisfaction figures worked out by hand, reproducible samples, one follow-up per dissatisfied
rating, scope, the 三比 column."""

from __future__ import annotations

import random
from datetime import date

import pytest
from django.urls import reverse

from tianping.service import selectors, services
from tianping.service.models import FollowUp, Rating, Revisit, RevisitAssignment, ServiceSettings

pytestmark = pytest.mark.django_db

R = Rating


def _hand_set(world, record):
    """甲's cases: ratings 5, 4, 3, 2, none (two people on the first case); 乙's: 5, 1, 3."""
    a, b = world["cases_a"], world["cases_b"]
    record(a[0], R.VERY_SATISFIED, name="原告一")
    record(a[0], R.SATISFIED, name="被告一", relation="defendant")
    record(a[1], R.BASIC, name="原告二")
    record(a[2], R.DISSATISFIED, name="原告三", comments="判后答疑不够耐心")
    record(a[3], None, name="原告四")
    record(b[0], R.VERY_SATISFIED, name="原告五")
    record(b[1], R.VERY_DISSATISFIED, name="原告六", day=date(2026, 5, 3))
    record(b[2], R.BASIC, name="原告七", day=date(2026, 5, 4))


def test_satisfaction_rate_and_counts(world, record):
    _hand_set(world, record)
    ratings = [5, 4, 3, 2, None, 5, 1, 3]
    rated = [r for r in ratings if r is not None]
    qs = Revisit.objects.filter(court=world["court"])
    s = selectors.satisfaction(qs, R.BASIC)
    assert s["people"] == len(ratings)
    assert s["cases"] == 7  # a[0] counted once
    assert s["rated"] == len(rated)
    assert s["satisfied"] == sum(1 for r in rated if r >= 3)
    assert s["rate"] == pytest.approx(sum(1 for r in rated if r >= 3) / len(rated))
    # the setting: only 满意 or better counts
    strict = selectors.satisfaction(qs, R.SATISFIED)
    assert strict["satisfied"] == sum(1 for r in rated if r >= 4)
    by_judge = selectors.satisfaction_by(qs, R.BASIC, "judge")
    assert by_judge[world["j1"].pk]["rate"] == pytest.approx(3 / 4)
    assert by_judge[world["j2"].pk]["rate"] == pytest.approx(2 / 3)
    by_party = selectors.satisfaction_by(qs, R.BASIC, "party")  # 甲 is a member, 乙 is not
    assert by_party[True]["people"] == 5 and by_party[False]["people"] == 3
    by_branch = selectors.satisfaction_by(qs, R.BASIC, "branch")
    assert by_branch[world["branch_a"].pk]["satisfied"] == 3
    assert by_branch[world["branch_b"].pk]["rated"] == 3
    by_month = selectors.satisfaction_by(qs, R.BASIC, "month")
    assert by_month[date(2026, 4, 1)]["people"] == 6 and by_month[date(2026, 5, 1)]["people"] == 2


def test_service_page_figures_follow_the_setting(world, record, client_for):
    _hand_set(world, record)
    c = client_for(world["party_office"])
    page = c.get(reverse("service:home") + "?year=2026").content.decode()
    assert "71.43%" in page  # 5 of 7 rated
    services.settings_save(actor=world["party_office"], court=world["court"], satisfied_from=R.SATISFIED,
                           follow_up_days=15, complaint_days=30)
    assert ServiceSettings.for_court(world["court"]).satisfied_from == R.SATISFIED
    page = c.get(reverse("service:home") + "?year=2026").content.decode()
    assert "42.86%" in page  # 3 of 7 rated are 满意 or better


def test_sample_is_reproducible_from_its_seed(world):
    court = world["court"]
    sample = services.sample_draw(actor=world["trial_office"], court=court, title="四月回访", method="random",
                                  closed_from=date(2026, 3, 1), closed_to=date(2026, 3, 31), size=5,
                                  callers=[world["zw1"], world["zw2"]])
    drawn = list(RevisitAssignment.objects.filter(sample=sample).order_by("position").values_list("case_id",
                                                                                                  flat=True))
    population = sorted(c.pk for c in world["cases_a"] + world["cases_b"])
    assert sample.population == len(population)
    assert drawn == random.Random(sample.seed).sample(population, 5)
    assert selectors.sample_redraw(sample) == drawn
    # the same seed drawn again gives the same cases; the callers take turns
    again = services.sample_draw(actor=world["trial_office"], court=court, title="重抽", method="random",
                                 closed_from=date(2026, 3, 1), closed_to=date(2026, 3, 31), size=5, seed=sample.seed)
    assert list(again.assignments.order_by("position").values_list("case_id", flat=True)) == drawn
    callers = list(sample.assignments.order_by("position").values_list("caller_id", flat=True))
    assert callers == [world["zw1"].pk, world["zw2"].pk, world["zw1"].pk, world["zw2"].pk, world["zw1"].pk]


def test_sample_by_judge_and_a_secretarys_reach(world):
    by_judge = services.sample_draw(actor=world["trial_office"], court=world["court"], title="按承办人",
                                    method="judge", judge=world["j2"], closed_from=date(2026, 1, 1),
                                    closed_to=date(2026, 12, 31), size=10)
    assert set(by_judge.assignments.values_list("case__judge_id", flat=True)) == {world["j2"].pk}
    assert by_judge.population == len(world["cases_b"])
    # a branch secretary draws from the cases of the people on the branch's roster only
    own = services.sample_draw(actor=world["secretary"], court=world["court"], title="本支部",
                               method="random", closed_from=date(2026, 1, 1), closed_to=date(2026, 12, 31), size=20)
    assert own.population == len(world["cases_a"])
    assert selectors.sample_redraw(own) == list(own.assignments.order_by("position").values_list("case_id",
                                                                                                  flat=True))


def test_a_dissatisfied_rating_creates_exactly_one_follow_up(world, record):
    happy = record(world["cases_a"][0], R.SATISFIED)
    assert not FollowUp.objects.filter(revisit=happy).exists()
    unhappy = record(world["cases_a"][1], R.DISSATISFIED, comments="送达不及时")
    follow_ups = FollowUp.objects.filter(revisit=unhappy)
    assert follow_ups.count() == 1
    f = follow_ups.get()
    assert f.owner == world["j1"]  # the case's judge
    assert f.due_on == date(2026, 4, 16)  # 15 days (the setting's default)
    assert f.problem == "送达不及时"
    # re-importing the same row (an update of the same revisit) does not open a second one
    services.revisit_import_row(actor=world["trial_office"], court=world["court"], values={
        "case": unhappy.case, "contact_name": unhappy.contact_name, "revisited_on": unhappy.revisited_on,
        "method": "visit", "caller": world["zw1"], "relation": "plaintiff", "rating": R.VERY_DISSATISFIED,
        "comments": "送达不及时", "handling": ""})
    assert FollowUp.objects.filter(revisit__case=unhappy.case).count() == 1
    closed = services.follow_up_close(actor=world["trial_office"], follow_up=f, answer="已向当事人说明并致歉",
                                      closed_on=date(2026, 4, 10))
    assert closed.status == "closed"
    with pytest.raises(Exception, match="已办结"):
        services.follow_up_close(actor=world["trial_office"], follow_up=f, answer="再次", closed_on=date(2026, 4, 11))


def test_scope_secretary_cannot_see_another_branchs_revisits(world, record, client_for):
    own = record(world["cases_a"][0], R.SATISFIED)
    other = record(world["cases_b"][0], R.SATISFIED)
    sec = client_for(world["secretary"])
    assert sec.get(reverse("service:revisit_detail", args=[own.pk])).status_code == 200
    assert sec.get(reverse("service:revisit_detail", args=[other.pk])).status_code == 404
    listing = sec.get(reverse("service:revisit_list")).content.decode()
    assert own.case.number in listing and other.case.number not in listing
    # a judge sees the revisits of their own cases; the higher court figures only
    j2 = client_for(world["judge2"])
    assert j2.get(reverse("service:revisit_detail", args=[own.pk])).status_code == 404
    assert j2.get(reverse("service:revisit_detail", args=[other.pk])).status_code == 200
    higher = client_for(world["higher"])
    assert higher.get(reverse("service:revisit_detail", args=[own.pk])).status_code == 404
    assert higher.get(reverse("service:revisit_list")).status_code == 403
    page = higher.get(reverse("service:home") + "?year=2026")
    assert page.status_code == 200
    assert reverse("service:revisit_list") not in page.content.decode()
    assert "甲法官" not in page.content.decode() and [t[0] for t in page.context["tables"]] == ["party"]


def test_record_a_call_through_the_pages(world, client_for):
    sample = services.sample_draw(actor=world["trial_office"], court=world["court"], title="五月回访",
                                  method="random", closed_from=date(2026, 3, 1), closed_to=date(2026, 3, 31), size=2,
                                  callers=[world["zw1"]])
    a = sample.assignments.order_by("position").first()
    c = client_for(world["trial_office"])
    url = reverse("service:revisit_create", args=[a.pk])
    form = c.get(url)
    assert form.status_code == 200
    token = form.context["form"]["once_token"].value()
    data = {"revisited_on": "2026-04-02", "method": "phone", "caller": world["zw1"].pk, "contact_name": "王某",
            "relation": "plaintiff", "rating": str(R.DISSATISFIED), "comments": "执行太慢", "once_token": token}
    assert c.post(url, data).status_code == 302
    assert c.post(url, data).status_code == 302  # a double submit records one revisit
    assert Revisit.objects.filter(case=a.case).count() == 1
    assert FollowUp.objects.filter(revisit__case=a.case).count() == 1
    # a refused call keeps what was typed: a date before the case closed
    form = c.get(url)
    bad = {**data, "contact_name": "李某", "revisited_on": "2026-01-01",
           "once_token": form.context["form"]["once_token"].value()}
    page = c.post(url, bad)
    assert page.status_code == 200 and "早于结案日期" in page.content.decode() and "李某" in page.content.decode()
    # another court's trial office account is 404 on the assignment
    detail = c.get(reverse("service:sample_detail", args=[sample.pk])).content.decode()
    assert "按记录的种子重新抽取，结果一致" in detail


def test_the_trials_comparison_page_has_the_satisfaction_column(world, record, client_for):
    _hand_set(world, record)
    page = client_for(world["party_office"]).get(reverse("trials:overview") + "?year=2026").content.decode()
    assert "回访满意率" in page
    assert "71.43%" in page  # court headline: 5 of 7
    assert "75.00%" in page  # 甲: 3 of 4


def test_hand_a_call_to_another_caller(world, client_for):
    sample = services.sample_draw(actor=world["trial_office"], court=world["court"], title="换人",
                                  method="judge", judge=world["j1"], closed_from=date(2026, 3, 1), closed_to=date(2026, 3, 31), size=1,
                                  callers=[world["zw1"]])
    a = sample.assignments.get()
    url = reverse("service:assignment_assign", args=[a.pk])
    assert client_for(world["judge2"]).get(url).status_code == 404  # not their case nor their call
    assert client_for(world["trial_office"]).post(url, {"caller": world["zw2"].pk}).status_code == 302
    a.refresh_from_db()
    assert a.caller == world["zw2"]
