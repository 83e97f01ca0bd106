"""Pages and scopes: the party office manages the court, a branch secretary only their branch (404 outside,
also for htmx fragments, exports and filter parameters), a member only their own record."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from tianping.party.models import (
    CommitteePost,
    CommitteeRole,
    DuesBase,
    DuesPayment,
    PartyOrganisation,
    Stage,
)
from tianping.party.tests.factories import OrganisationFactory, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(court, other_court, make_user):
    a = OrganisationFactory(court=court, name="沙沟法庭党支部", brand_name="维护老年人合法权益")
    b = OrganisationFactory(court=court, name="临山法庭党支部")
    sec = make_member(branch=a)
    CommitteePost.objects.create(court=court, organisation=a, person=sec.person, role=CommitteeRole.SECRETARY,
                                 term_start=date.today() - timedelta(days=400),
                                 term_end=date.today() + timedelta(days=60))
    a_members = [make_member(branch=a) for _ in range(3)]
    prob = make_member(branch=a, stage=Stage.PROBATIONARY, admitted_on=date.today() - timedelta(days=360))
    b_member = make_member(branch=b)
    for m in [sec, *a_members, prob, b_member]:
        DuesBase.objects.create(court=court, member=m, amount=Decimal("4000"), effective_from=date(2015, 1, 1))
    far = OrganisationFactory(court=other_court)
    return {
        "a": a, "b": b, "sec": sec, "a_members": a_members, "prob": prob, "b_member": b_member,
        "far": far, "far_member": make_member(branch=far),
        "office": make_user(court, "party_office", "member"),
        "secretary": make_user(court, "branch_secretary", "member", person=sec.person),
        "member": make_user(court, "member", person=b_member.person),
        "leader": make_user(court, "leader"),
        "far_office": make_user(other_court, "party_office"),
    }


def test_branch_page_shows_departments_brand_committee_figures(world, client_for):
    c = client_for(world["office"])
    dep = world["sec"].person.department
    world["a"].departments.set([dep])
    r = c.get(reverse("party:organisation_detail", args=[world["a"].pk]))
    html = r.content.decode()
    assert r.status_code == 200
    assert f"本组织建在<strong>{dep.name}</strong>上" in html
    assert "维护老年人合法权益" in html and "任期将满" in html
    full = sum(1 for m in [world["sec"], *world["a_members"]] if m.stage == Stage.FULL)
    figures = {f["label"]: f for f in r.context["figures"]}
    assert figures["正式党员"]["value"] == full == 4
    assert figures["预备党员"]["value"] == 1
    # the figure's link lists exactly the records behind it
    listed = c.get(figures["正式党员"]["url"])
    assert listed.context["table"].paginator.count == full


def test_branch_warnings(court, client_for, make_user):
    small = OrganisationFactory(court=court)
    make_member(branch=small)
    big = OrganisationFactory(court=court)
    for _ in range(7):
        make_member(branch=big)
    c = client_for(make_user(court, "party_office"))
    assert "少于 3 人" in c.get(reverse("party:organisation_detail", args=[small.pk])).content.decode()
    assert "应设立支部委员会" in c.get(reverse("party:organisation_detail", args=[big.pk])).content.decode()


def test_secretary_sees_and_edits_only_own_branch(world, client_for):
    c = client_for(world["secretary"])
    a, b = world["a"], world["b"]
    assert c.get(reverse("party:organisation_detail", args=[a.pk])).status_code == 200
    assert c.get(reverse("party:organisation_detail", args=[b.pk])).status_code == 404
    assert c.get(reverse("party:organisation_detail", args=[world["far"].pk])).status_code == 404
    assert c.get(reverse("party:organisation_edit", args=[a.pk])).status_code == 200
    assert c.get(reverse("party:organisation_edit", args=[b.pk])).status_code == 404
    r = c.post(reverse("party:organisation_edit", args=[a.pk]),
               {"brand_name": "新品牌", "brand_description": "说明", "loaded_version": a.version})
    assert r.status_code == 302
    a.refresh_from_db()
    assert a.brand_name == "新品牌"
    r = c.post(reverse("party:organisation_edit", args=[b.pk]), {"brand_name": "x", "brand_description": ""})
    assert r.status_code == 404
    assert PartyOrganisation.objects.get(pk=b.pk).brand_name == ""
    # members of the other branch: profile, step, dues payment (htmx), all 404
    other = world["b_member"]
    assert c.get(reverse("party:member_detail", args=[other.pk])).status_code == 404
    assert c.post(reverse("party:member_step", args=[other.pk]), {"step": "x"}).status_code == 404
    r = c.post(reverse("party:dues_pay"), {"member": other.pk, "month": "2016-05", "paid_amount": "40"},
               HTTP_HX_REQUEST="true")
    assert r.status_code == 404
    assert not DuesPayment.objects.filter(member=other).exists()
    r = c.post(reverse("party:dues_pay"), {"member": world["a_members"][0].pk, "month": "2016-05",
                                           "paid_amount": "40"}, HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and "40.00" in r.content.decode()
    # filter parameters and sheets
    assert c.get(reverse("party:dues_sheet") + f"?branch={b.pk}").status_code == 404
    assert c.get(reverse("party:dues_sheet") + f"?branch={b.pk}&export=xlsx").status_code == 404
    assert c.get(reverse("party:dues_arrears") + f"?branch={b.pk}").status_code == 404
    assert c.get(reverse("party:points_ranking") + f"?branch={b.pk}").status_code == 404
    r = c.get(reverse("party:member_list") + f"?branch={b.pk}")
    assert other.person.name not in r.content.decode()
    r = c.get(reverse("party:member_list"))
    names = {row.record.person.name for row in r.context["table"].rows}
    assert names == {m.person.name for m in [world["sec"], *world["a_members"], world["prob"]]}
    sheet = c.get(reverse("party:dues_sheet") + "?month=2016-05")
    assert {row.member.pk for row in sheet.context["rows"]} == {m.pk for m in [world["sec"], *world["a_members"]]}
    export = c.get(reverse("party:member_list") + "?export=xlsx")
    assert export.status_code == 200
    import io

    from openpyxl import load_workbook

    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    ids = [r[0] for r in rows[1:]]
    assert len(ids) == 5 and all("*" in i for i in ids)  # own branch only, ID numbers masked
    assert other.person.name not in {r[1] for r in rows[1:]}


def test_member_sees_only_own_record(world, client_for):
    c = client_for(world["member"])
    assert c.get(reverse("party:my_record")).url == reverse("party:member_detail", args=[world["b_member"].pk])
    assert c.get(reverse("party:member_detail", args=[world["b_member"].pk])).status_code == 200
    assert c.get(reverse("party:member_detail", args=[world["sec"].pk])).status_code == 404
    assert c.get(reverse("party:dues_sheet")).status_code == 403  # the policy: branch sheets are for managers
    r = c.get(reverse("party:member_detail", args=[world["b_member"].pk]))
    assert "登记发展步骤" not in r.content.decode()


def test_other_court_sees_nothing(world, client_for):
    c = client_for(world["far_office"])
    assert c.get(reverse("party:organisation_detail", args=[world["a"].pk])).status_code == 404
    assert c.get(reverse("party:member_detail", args=[world["sec"].pk])).status_code == 404


def test_leader_reads_but_does_not_edit(world, client_for):
    c = client_for(world["leader"])
    assert c.get(reverse("party:member_detail", args=[world["b_member"].pk])).status_code == 200
    assert c.get(reverse("party:organisation_edit", args=[world["a"].pk])).status_code == 403


def test_office_converts_probationary_member_via_page(world, client_for):
    c = client_for(world["office"])
    prob = world["prob"]
    due = prob.conversion_due_on
    page = c.get(reverse("party:member_detail", args=[prob.pk])).content.decode()
    assert f"预备期至 {due:%Y-%m-%d} 届满" in page
    # too early: refused with the reason, nothing changes
    r = c.post(reverse("party:member_step", args=[prob.pk]),
               {"step": "converted", "occurred_on": (due - timedelta(days=1)).isoformat(), "evidence": "决议"},
               follow=True)
    assert "预备期未满" in r.content.decode()
    prob.refresh_from_db()
    assert prob.stage == Stage.PROBATIONARY


def test_todo_lists_due_conversions_and_terms(world):
    from tianping.party.todo import todo_items

    labels = " ".join(i["label"] for i in todo_items(world["office"]))
    assert world["prob"].person.name in labels
    assert "支委会任期将于" in labels
    assert todo_items(world["member"]) == []


def test_dues_sheet_totals_and_export(world, client_for):
    c = client_for(world["office"])
    r = c.get(reverse("party:dues_sheet") + f"?month=2016-05&branch={world['a'].pk}")
    rows = r.context["rows"]
    assert r.context["totals"]["due"] == sum(Decimal("40.00") for _ in rows) == Decimal("160.00")
    x = c.get(reverse("party:dues_sheet") + f"?month=2016-05&branch={world['a'].pk}&export=xlsx")
    assert x.status_code == 200 and x["Content-Type"].startswith("application/vnd.openxmlformats")
    c.post(reverse("party:dues_pay_all"), {"month": "2016-05", "branch": world["a"].pk})
    assert DuesPayment.objects.filter(month=date(2016, 5, 1)).count() == 4
    arrears = c.get(reverse("party:dues_arrears") + "?year=2016")
    assert arrears.status_code == 200
    totals = c.get(reverse("party:dues_totals") + "?year=2016")
    expect_paid = sum(p.paid_amount for p in DuesPayment.objects.filter(month__year=2016))
    assert totals.context["total"]["paid"] == expect_paid


def test_picture_upload_checks_type_and_content(world, client_for, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    c = client_for(world["secretary"])
    url = reverse("party:picture_add", args=[world["a"].pk])
    bad = SimpleUploadedFile("x.png", b"not a png at all", content_type="image/png")
    r = c.post(url, {"image": bad, "caption": "活动"}, follow=True)
    assert "文件“x.png”不是照片" in r.content.decode()  # the content is sniffed, not the name
    exe = SimpleUploadedFile("x.exe", b"MZ", content_type="application/octet-stream")
    assert "文件“x.exe”不是照片" in c.post(url, {"image": exe}, follow=True).content.decode()
    html = SimpleUploadedFile("x.jpg", b"<html><script>alert(1)</script></html>", content_type="image/jpeg")
    assert "文件“x.jpg”不是照片" in c.post(url, {"image": html}, follow=True).content.decode()
    assert not world["a"].pictures.exists()
    png = SimpleUploadedFile("y.png", b"\x89PNG\r\n\x1a\n" + b"0" * 100, content_type="image/png")
    c.post(url, {"image": png, "caption": "敬老院巡回审判"})
    pic = world["a"].pictures.get()
    assert c.get(reverse("party:picture_file", args=[pic.pk])).status_code == 200
    assert client_for(world["member"]).get(reverse("party:picture_file", args=[pic.pk])).status_code == 404
    assert c.post(reverse("party:picture_add", args=[world["b"].pk]), {"image": png}).status_code == 404


def test_points_ledger_and_ranking(world, client_for):
    from tianping.party import services

    for m in world["a_members"]:
        services.points_award(person=m.person, rule_code="commendation", occurred_on=date(2016, 5, 1), actor=None)
    services.points_adjust(actor=None, person=world["a_members"][0].person, points=Decimal("-2"),
                           occurred_on=date(2016, 6, 1), note="迟交材料")
    c = client_for(world["office"])
    r = c.get(reverse("party:points_ranking") + "?year=2016")
    top = r.context["ranking"]
    assert top[0]["total"] == Decimal("10.0") and top[-1]["total"] == Decimal("8.0")
    ledger = c.get(reverse("party:points_ledger") + f"?person={world['a_members'][0].person_id}")
    assert ledger.context["points_total"] == Decimal("8.0")
    assert c.post(reverse("party:points_adjust"), {}).status_code == 200
    sec = client_for(world["secretary"])
    assert sec.get(reverse("party:points_adjust")).status_code == 403


def test_step_with_evidence_file_is_served_only_within_scope(world, client_for, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tianping.party.models import MemberStep

    settings.MEDIA_ROOT = tmp_path
    applicant = make_member(branch=world["a"], stage=Stage.APPLICANT, applied_on=date(2015, 3, 1))
    c = client_for(world["secretary"])
    bad = SimpleUploadedFile("x.exe", b"MZ")
    r = c.post(reverse("party:member_step", args=[applicant.pk]),
               {"step": "activist", "occurred_on": "2015-09-01", "evidence_file": bad}, follow=True)
    assert "文件“x.exe”不是 PDF、图片或 Word/OFD 文档" in r.content.decode()
    # an HTML page named .pdf: the content decides (issue 11)
    fake = SimpleUploadedFile("决议.pdf", b"<!doctype html><html><script>alert(1)</script></html>")
    r = c.post(reverse("party:member_step", args=[applicant.pk]),
               {"step": "activist", "occurred_on": "2015-09-01", "evidence": "支委会研究确定", "evidence_file": fake})
    assert "不是 PDF、图片或 Word/OFD 文档" in r.content.decode()
    assert r.context["step_form"]["evidence"].value() == "支委会研究确定"  # what was typed is kept
    assert not MemberStep.objects.filter(member=applicant, step="activist").exists()
    pdf = SimpleUploadedFile("决议.pdf", b"%PDF-1.4 synthetic")
    c.post(reverse("party:member_step", args=[applicant.pk]),
           {"step": "activist", "occurred_on": "2015-09-01", "evidence": "支委会研究确定", "evidence_file": pdf})
    step = MemberStep.objects.get(member=applicant, step="activist")
    url = reverse("party:evidence_file", args=[step.pk])
    assert c.get(url).status_code == 200
    assert client_for(world["member"]).get(url).status_code == 404


def test_home_figures_match_their_lists(world, client_for):
    from tianping.party.home import home_panels

    panel = home_panels(world["office"])[0]
    figures = {f["label"]: f for f in panel["figures"]}
    c = client_for(world["office"])
    for label, expected in [("正式党员", 5), ("预备党员", 1)]:
        listed = c.get(figures[label]["url"])
        assert figures[label]["value"] == expected == listed.context["table"].paginator.count
    assert figures["党支部"]["value"] == 2
    assert home_panels(world["member"]) == []


def test_full_member_counts_worked_out_for_several_branches(court):
    """The to-do list's branch sizes (one query for all branches): a branch's own roster and its 党小组's, full
    members still on a roster on the day — worked out here member by member."""
    from tianping.party.models import BranchMembership, MemberStatus, OrgKind
    from tianping.party.selectors import full_member_count, full_member_counts

    a, b = OrganisationFactory(court=court), OrganisationFactory(court=court)
    group = OrganisationFactory(court=court, kind=OrgKind.GROUP, parent=a)
    for _ in range(3):
        make_member(branch=a)                                    # counted: 3
    make_member(branch=group)                                    # counted for a (its 党小组): 4
    make_member(branch=a, stage=Stage.PROBATIONARY)              # not full
    make_member(branch=a, status=MemberStatus.TRANSFERRED_OUT)   # not on a roster
    make_member(branch=a, since=date(2030, 1, 1))                # joins later
    left = make_member(branch=b)
    BranchMembership.objects.filter(member=left).update(end=date(2015, 12, 31))  # left before the day
    make_member(branch=b)                                        # b: 1
    day = date(2016, 6, 1)
    assert full_member_counts([a, b, group], day) == {a.pk: 4, b.pk: 1, group.pk: 1}
    assert full_member_count(a, day) == 4 and full_member_count(b.pk, day) == 1
