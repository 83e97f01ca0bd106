"""The party policy: every view declares its permission, the holes of issues 11 and 12 stay closed (the
higher court's figures-only rule, the rules page, uploads, bad query values, absurd amounts, double submits,
future dates, the arrears cut-off, the dues base on admission, a secretary's own branch preselected)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import URLPattern, get_resolver, reverse

from tianping.core.policy import DECLARED, allowed, can
from tianping.party.models import (
    BrandPicture,
    CommitteePost,
    CommitteeRole,
    DuesBase,
    DuesPayment,
    MemberStep,
    PartyMember,
    PartyOrganisation,
    PartyTransfer,
    PointsEntry,
    Stage,
)
from tianping.party.tests.factories import OrganisationFactory, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(court, make_user, settings, tmp_path):
    from tianping.org.tests.factories import CourtFactory

    settings.MEDIA_ROOT = tmp_path
    mid = CourtFactory(code="鲁04", name="枣庄市中级人民法院")
    court.parent = mid
    court.save(update_fields=["parent"])
    a = OrganisationFactory(court=court, name="沙沟法庭党支部")
    b = OrganisationFactory(court=court, name="临山法庭党支部")
    sec = make_member(branch=a)
    CommitteePost.objects.create(court=court, organisation=a, person=sec.person, role=CommitteeRole.SECRETARY,
                                 term_start=date.today() - timedelta(days=400),
                                 term_end=date.today() + timedelta(days=600))
    member = make_member(branch=a)
    b_member = make_member(branch=b)
    for m in (sec, member, b_member):
        DuesBase.objects.create(court=court, member=m, amount=Decimal("8700"), effective_from=date(2015, 1, 1))
    from django.core.files.uploadedfile import SimpleUploadedFile

    pic = BrandPicture.objects.create(organisation=a, caption="巡回审判",
                                      image=SimpleUploadedFile("p.png", b"\x89PNG\r\n\x1a\n" + b"0" * 50))
    return {
        "a": a, "b": b, "sec": sec, "member": member, "b_member": b_member, "pic": pic, "mid": mid,
        "office": make_user(court, "party_office", "member"),
        "secretary": make_user(court, "branch_secretary", "member", person=sec.person),
        "plain": make_user(court, "member", person=member.person),
        "leader": make_user(court, "leader"),
        "higher": make_user(mid, "higher_court"),
        "sysadmin": make_user(court, "sysadmin"),
        "secadmin": make_user(court, "secadmin"),
        "auditor": make_user(court, "auditor"),
    }


def test_every_party_view_declares_its_permission():
    """A party URL without `permission_required` / `object_permission` would be open to any signed-in account."""
    resolver = get_resolver()
    party = next(p for p in resolver.url_patterns if getattr(p, "namespace", None) == "party")
    undeclared = []
    for pattern in party.url_patterns:
        assert isinstance(pattern, URLPattern)
        view = pattern.callback
        perm = getattr(view, "tianping_perm", None)
        obj = getattr(view, "tianping_object", None)
        if perm is None and obj is None:
            undeclared.append(pattern.name)
        if perm is not None:
            assert perm in DECLARED, perm
        if obj is not None:
            model, action = obj[0], obj[1]
            assert f"{model._meta.app_label}.{action}_{model._meta.model_name}" in DECLARED
    assert not undeclared, f"party views without a declared permission: {undeclared}"


def test_every_party_model_with_a_scope_declares_view():
    for model in (PartyOrganisation, PartyMember, MemberStep, CommitteePost, BrandPicture, PartyTransfer,
                  DuesPayment, DuesBase, PointsEntry):
        assert f"party.view_{model._meta.model_name}" in DECLARED, model


def test_higher_court_gets_figures_only_never_an_organisation_a_roster_or_a_picture(world, client_for):
    """Issue 11: the higher court opened /party/organisations/<id>/ of the courts below with their rosters
    and pictures. Every object page is a 404 now (the denial audited), every list a 403."""
    from tianping.core.models import AuditEvent

    c = client_for(world["higher"])
    before = AuditEvent.objects.filter(event="access.denied").count()
    for url in [reverse("party:organisation_detail", args=[world["a"].pk]),
                reverse("party:picture_file", args=[world["pic"].pk]),
                reverse("party:member_detail", args=[world["member"].pk]),
                reverse("party:dues_member", args=[world["member"].pk])]:
        r = c.get(url)
        assert r.status_code == 404, url
        assert world["member"].person.name not in r.content.decode()
    assert AuditEvent.objects.filter(event="access.denied").count() == before + 4
    for name in ["organisation_list", "member_list", "transfer_list", "dues_sheet", "dues_arrears",
                 "dues_totals", "points_ledger", "points_ranking", "rules"]:
        assert c.get(reverse(f"party:{name}")).status_code == 403, name
    assert not PartyOrganisation.objects.visible_to(world["higher"]).exists()
    assert not PartyMember.objects.visible_to(world["higher"]).exists()
    assert not BrandPicture.objects.visible_to(world["higher"]).exists()
    # the leader of the court below still opens the page with its roster and picture
    leader = client_for(world["leader"]).get(reverse("party:organisation_detail", args=[world["a"].pk]))
    assert leader.status_code == 200 and world["member"].person.name in leader.content.decode()


@pytest.mark.parametrize("who", ["sysadmin", "secadmin", "auditor", "plain", "secretary", "higher"])
def test_rules_page_only_for_party_office_and_leaders(world, client_for, who):
    """Issue 11: 党务规则 opened for any signed-in account, the three administrators included."""
    assert client_for(world[who]).get(reverse("party:rules")).status_code == 403


@pytest.mark.parametrize("who", ["office", "leader"])
def test_rules_page_opens_for_party_office_and_leaders(world, client_for, who):
    r = client_for(world[who]).get(reverse("party:rules"))
    assert r.status_code == 200 and "每月党费交纳截止日" in r.content.decode()


def test_administrators_reach_nothing_in_party(world, client_for):
    for who in ("sysadmin", "secadmin", "auditor"):
        c = client_for(world[who])
        assert c.get(reverse("party:organisation_detail", args=[world["a"].pk])).status_code == 404
        assert c.get(reverse("party:member_list")).status_code == 403


def test_policy_answers_per_object(world):
    a, b = world["a"], world["b"]
    assert can(world["secretary"], "change", a) and not can(world["secretary"], "change", b)
    assert not can(world["secretary"], "restructure", a) and can(world["office"], "restructure", a)
    assert can(world["leader"], "view", a) and not can(world["leader"], "change", a)
    assert allowed(world["secretary"], "party.add_brandpicture", a)
    assert not allowed(world["secretary"], "party.add_brandpicture", b)
    assert not allowed(world["secretary"], "party.add_committeepost", a)
    assert can(world["plain"], "view", world["member"]) and not can(world["plain"], "view", world["b_member"])
    assert not can(world["office"], "delete", world["member"])  # records are closed, never deleted


@pytest.mark.parametrize("query", ["month=9999-12", "month=0-0", "month=abc", "month=2016-13", "month=99999-01",
                                   "month=", "month=-1-5"])
def test_bad_month_gives_the_current_month_with_a_message(world, client_for, query):
    r = client_for(world["office"]).get(reverse("party:dues_sheet") + "?" + query)
    assert r.status_code == 200
    assert r.context["month"] == date.today().replace(day=1)
    if query != "month=":
        assert "月份“" in r.content.decode() and "无效" in r.content.decode()


@pytest.mark.parametrize("name", ["dues_arrears", "dues_totals", "points_ranking", "points_ledger"])
@pytest.mark.parametrize("year", ["99999", "0", "-1", "abc", "1e5"])
def test_bad_year_never_gives_a_500(world, client_for, name, year):
    r = client_for(world["office"]).get(reverse(f"party:{name}") + f"?year={year}")
    assert r.status_code == 200


def test_year_out_of_range_says_so(world, client_for):
    r = client_for(world["office"]).get(reverse("party:dues_totals") + "?year=99999")
    assert r.context["year"] == date.today().year
    assert "年度“99999”无效" in r.content.decode()


def _pay(c, member, amount, month=None, htmx=True):
    month = month or f"{date.today():%Y-%m}"
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    return c.post(reverse("party:dues_pay"), {"member": member.pk, "month": month, "paid_amount": amount},
                  **headers)


@pytest.mark.parametrize("amount", ["NaN", "Infinity", "-Infinity", "abc", "-5", "1e400", "12.345"])
def test_bad_amounts_are_refused_beside_the_field(world, client_for, amount):
    """Issue 11/12: NaN gave a 500; -5 or "abc" were refused but the inline sheet showed nothing."""
    r = _pay(client_for(world["office"]), world["member"], amount)
    assert r.status_code == 200
    html = r.content.decode()
    assert f'data-testid="dues-error-{world["member"].pk}"' in html and "is-invalid" in html
    assert f'value="{amount}"' in html  # what was typed stays in the field
    assert not DuesPayment.objects.filter(member=world["member"]).exists()


def test_absurd_amount_is_refused_with_the_limit(world, client_for):
    """Issue 12: 99,999,999 against 87.00 due was accepted."""
    r = _pay(client_for(world["office"]), world["member"], "99999999")
    html = r.content.decode()
    assert "超过上限 1566.00 元" in html and "12 倍" in html  # 8700 × 1.5 % = 130.50 a month
    assert not DuesPayment.objects.filter(member=world["member"]).exists()
    ok = _pay(client_for(world["office"]), world["member"], "130.50")
    assert ok.status_code == 200 and "dues-error" not in ok.content.decode()
    assert DuesPayment.objects.get(member=world["member"]).paid_amount == Decimal("130.50")


def test_minus_zero_for_someone_who_owes_no_dues_stores_nothing(world, client_for, court):
    """Issue 11: paid_amount=-0 for an applicant stored a payment and then failed (500)."""
    applicant = make_member(branch=world["a"], stage=Stage.APPLICANT)
    c = client_for(world["office"])
    r = _pay(c, applicant, "-0")
    assert r.status_code == 200 and "不需交纳党费" in r.content.decode()
    r = _pay(c, applicant, "-0", htmx=False)
    assert r.status_code == 302
    assert not DuesPayment.objects.filter(member=applicant).exists()


def test_dues_pay_of_a_bad_month_is_a_clear_400(world, client_for):
    r = _pay(client_for(world["office"]), world["member"], "10", month="9999-99")
    assert r.status_code == 400 and "月份无效" in r.content.decode()


def test_double_submit_creates_one_record(world, client_for, court):
    from tianping.org.tests.factories import PersonFactory

    c = client_for(world["office"])
    url = reverse("party:member_create")
    token = c.get(url).context["form"]["once_token"].value()
    person = PersonFactory(court=court)
    data = {"person": person.pk, "branch": world["a"].pk, "stage": "applicant", "applied_on": "2020-03-01",
            "dues_category": "salaried", "once_token": token}
    first, second = c.post(url, data), c.post(url, data)
    assert first.status_code == second.status_code == 302
    assert first.url == second.url
    assert PartyMember.objects.filter(person=person).count() == 1
    # the same for an adjustment of points
    url = reverse("party:points_adjust")
    token = c.get(url).context["form"]["once_token"].value()
    data = {"person": person.pk, "points": "2", "occurred_on": "2020-03-01", "note": "表彰", "once_token": token}
    c.post(url, data)
    c.post(url, data)
    assert PointsEntry.objects.filter(person=person).count() == 1


def test_future_dates_of_events_are_refused(world, client_for, court):
    """Issue 12: a member's 申请入党日期 2027-05-01 was accepted."""
    from tianping.org.tests.factories import PersonFactory

    c = client_for(world["office"])
    person = PersonFactory(court=court)
    future = (date.today() + timedelta(days=150)).isoformat()
    r = c.post(reverse("party:member_create"), {"person": person.pk, "branch": world["a"].pk, "stage": "applicant",
                                               "applied_on": future, "dues_category": "salaried"})
    assert r.status_code == 200
    assert "晚于今天" in str(r.context["form"].errors["applied_on"])
    assert not PartyMember.objects.filter(person=person).exists()
    # and in the service, which imports use too
    from django.core.exceptions import ValidationError

    from tianping.party import services

    with pytest.raises(ValidationError, match="晚于今天"):
        services.member_create(actor=None, person=person, branch=world["a"], dates={"applied_on": date(2099, 5, 1)})


def test_refused_step_keeps_what_was_typed_and_shows_only_fields_that_apply(world, client_for):
    """Issue 12: the step form lost 依据; 延长月数 showed for every step; a message read "满 0 个月后"."""
    candidate = make_member(branch=world["a"], stage=Stage.CANDIDATE)
    c = client_for(world["office"])
    page = c.get(reverse("party:member_detail", args=[candidate.pk]))
    assert "months" not in page.context["step_form"].fields
    r = c.post(reverse("party:member_step", args=[candidate.pk]),
               {"step": "admitted", "occurred_on": "2009-01-01", "evidence": "支部大会决议（应到 9 人实到 9 人）",
                "base_amount": "5000"})
    html = r.content.decode()
    assert r.status_code == 200
    assert "满 0 个月后" not in html and "不能早于确定发展对象日期（2009-09-01）" in html
    assert r.context["step_form"]["evidence"].value() == "支部大会决议（应到 9 人实到 9 人）"
    assert "支部大会决议（应到 9 人实到 9 人）" in html
    probationary = make_member(branch=world["a"], stage=Stage.PROBATIONARY, admitted_on=date(2025, 6, 1))
    form = c.get(reverse("party:member_detail", args=[probationary.pk])).context["step_form"]
    assert form.fields["months"].widget.attrs["data-show-when"] == "step"
    assert form.fields["months"].widget.attrs["data-show-value"] == "extended"


def test_refused_transfer_out_reopens_its_form_with_the_input(world, client_for):
    c = client_for(world["office"])
    r = c.post(reverse("party:member_transfer_out", args=[world["member"].pk]),
               {"out-to_organisation": "枣庄市中级人民法院机关党委", "out-letter_number": "",
                "out-transferred_on": date.today().isoformat()})
    assert r.status_code == 200 and r.context["open_form"] == "transfer_form"
    assert r.context["transfer_form"]["to_organisation"].value() == "枣庄市中级人民法院机关党委"
    assert 'data-testid="transfer_form"' in r.content.decode()


def test_admission_asks_for_the_dues_base(world, client_for):
    """Issue 12: admitting a member left the month's dues at 0.00."""
    candidate = make_member(branch=world["a"], stage=Stage.CANDIDATE)
    c = client_for(world["office"])
    day = date.today().isoformat()
    r = c.post(reverse("party:member_step", args=[candidate.pk]),
               {"step": "admitted", "occurred_on": day, "evidence": "支部大会决议"})
    assert "请填写月工资基数" in str(r.context["step_form"].errors["base_amount"])
    candidate.refresh_from_db()
    assert candidate.stage == Stage.CANDIDATE
    r = c.post(reverse("party:member_step", args=[candidate.pk]),
               {"step": "admitted", "occurred_on": day, "evidence": "支部大会决议", "base_amount": "6000"})
    assert r.status_code == 302
    from tianping.party.dues import dues_quote

    candidate.refresh_from_db()
    assert candidate.stage == Stage.PROBATIONARY
    assert dues_quote(candidate, date.today()).due == Decimal("90.00")  # 6000 × 1.5 %


def test_arrears_of_the_current_month_start_after_its_due_day(world, client_for):
    """Issue 12: on the 1st everybody was "in arrears" for the month just begun."""
    import time_machine

    from tianping.party.models import PartySetting

    PartySetting.objects.filter(code="dues_due_day").update(value=25)
    c = client_for(world["office"])
    year = date.today().year
    with time_machine.travel(date(year, 3, 1), tick=False):
        r = c.get(reverse("party:dues_arrears") + f"?year={year}")
        months = {m for e in r.context["items"] for m in e["months"]}
        assert date(year, 3, 1) not in months and date(year, 2, 1) in months
    with time_machine.travel(date(year, 3, 26), tick=False):
        r = c.get(reverse("party:dues_arrears") + f"?year={year}")
        months = {m for e in r.context["items"] for m in e["months"]}
        assert date(year, 3, 1) in months


def test_secretary_gets_own_branch_preselected(world, client_for):
    c = client_for(world["secretary"])
    sheet = c.get(reverse("party:dues_sheet"))
    assert sheet.context["org"] == world["a"]
    assert c.get(reverse("party:points_ranking")).context["org"] == world["a"]
    assert c.get(reverse("party:member_create")).context["form"].initial["branch"] == world["a"].pk
    # "全部" chosen explicitly is respected
    assert c.get(reverse("party:dues_sheet") + "?branch=").context["org"] is None
    # the office reads the whole court by default
    assert client_for(world["office"]).get(reverse("party:dues_sheet")).context["org"] is None


def test_refused_posts_write_nothing(world, client_for):
    leader = client_for(world["leader"])
    assert _pay(leader, world["member"], "10").status_code == 403
    assert leader.post(reverse("party:picture_delete", args=[world["pic"].pk])).status_code == 403
    sec = client_for(world["secretary"])
    assert _pay(sec, world["b_member"], "10").status_code == 404
    assert sec.post(reverse("party:committee_create", args=[world["a"].pk]), {}).status_code == 403
    assert not DuesPayment.objects.exists()
    assert BrandPicture.objects.filter(pk=world["pic"].pk).exists()


def test_member_form_shows_only_the_dates_of_the_chosen_stage(world, client_for, court):
    from tianping.org.tests.factories import PersonFactory

    c = client_for(world["office"])
    form = c.get(reverse("party:member_create")).context["form"]
    assert form.fields["converted_on"].widget.attrs["data-show-value"] == "full"
    assert form.fields["base_amount"].widget.attrs["data-show-value"] == "probationary,full"
    assert "data-show-when" not in form.fields["applied_on"].widget.attrs
    # a date typed and then hidden by choosing an earlier stage is ignored, not refused
    person = PersonFactory(court=court)
    r = c.post(reverse("party:member_create"), {"person": person.pk, "branch": world["a"].pk, "stage": "applicant",
                                               "applied_on": "2024-03-01", "admitted_on": "not a date",
                                               "converted_on": "2025-01-01", "dues_category": "salaried"})
    assert r.status_code == 302
    member = PartyMember.objects.get(person=person)
    assert member.stage == Stage.APPLICANT and member.admitted_on is None and member.converted_on is None
    # a full member needs the base (a salaried member owes dues from acceptance)
    other = PersonFactory(court=court)
    r = c.post(reverse("party:member_create"), {"person": other.pk, "branch": world["a"].pk, "stage": "full",
                                               "applied_on": "2010-03-01", "activist_on": "2010-09-01",
                                               "candidate_on": "2011-09-01", "admitted_on": "2012-01-01",
                                               "converted_on": "2013-01-01", "dues_category": "salaried"})
    assert r.status_code == 200 and "请填写月工资基数" in str(r.context["form"].errors["base_amount"])


def test_register_export_needs_the_export_permission(world, client_for):
    plain = client_for(world["plain"])
    r = plain.get(reverse("party:member_list"))
    assert r.status_code == 200 and not r.context["can_export"]  # a member reads their own record only
    assert plain.get(reverse("party:member_list") + "?export=xlsx").status_code == 403
    assert plain.get(reverse("party:organisation_list") + "?export=xlsx").status_code == 403
    sec = client_for(world["secretary"])
    assert sec.get(reverse("party:member_list")).context["can_export"]
    assert sec.get(reverse("party:member_list") + "?export=xlsx").status_code == 200


def test_a_members_branch_page_links_only_where_they_may_go(world, client_for):
    """No dead ends: every link on the page a member opens leads somewhere they may go (issue 12)."""
    import re

    c = client_for(world["plain"])
    r = c.get(reverse("party:organisation_detail", args=[world["a"].pk]))
    html = r.content.decode()
    assert world["sec"].person.name in html  # the roster of their own branch is shown …
    assert reverse("party:member_detail", args=[world["sec"].pk]) not in html  # … without links to others' records
    assert reverse("party:member_detail", args=[world["member"].pk]) in html
    for href in set(re.findall(r'href="(/party/[^"]*)"', html)):
        assert c.get(href.replace("&amp;", "&")).status_code in (200, 302), href


@pytest.mark.parametrize("who,page", [("plain", "member"), ("secretary", "dues"), ("secretary", "branch"),
                                      ("leader", "branch")])
def test_party_pages_have_no_dead_links(world, client_for, who, page):
    import re

    c = client_for(world[who])
    url = {"member": reverse("party:member_detail", args=[world["member"].pk]),
           "dues": reverse("party:dues_sheet") + "?month=2016-05",
           "branch": reverse("party:organisation_detail", args=[world["a"].pk])}[page]
    html = c.get(url).content.decode()
    for href in set(re.findall(r'href="(/party/[^"]*)"', html)):
        assert c.get(href.replace("&amp;", "&")).status_code in (200, 302), href


def test_party_timeline_shows_only_what_the_user_may_read(world, make_user, court):
    from tianping.party import services
    from tianping.party.timeline import timeline_entries

    person = world["member"].person
    services.points_award(person=person, rule_code="commendation", occurred_on=date(2016, 5, 1), actor=None)
    services.dues_payment_record(actor=None, member=world["member"], month=date(2016, 5, 1),
                                 paid_amount=Decimal("130.50"))
    kinds = {e["kind"] for e in timeline_entries(person, world["office"])}
    assert kinds == {"积分", "党费"}
    assert {e["kind"] for e in timeline_entries(person, world["plain"])} == {"积分", "党费"}  # their own
    assert timeline_entries(person, make_user(court, "trial_office")) == []  # reads the roster, not party records
    assert timeline_entries(person, world["higher"]) == []
    assert timeline_entries(world["b_member"].person, world["secretary"]) == []  # another branch
