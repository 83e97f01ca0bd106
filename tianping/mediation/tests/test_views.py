"""Pages: scopes (a mediator sees only their disputes), the intake form, actions, figures traced to lists,
and the export (list page and `manage.py export_data disputes`)."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from tianping.mediation import services
from tianping.mediation.models import Dispute, Status
from tianping.mediation.tests.conftest import person_party
from tianping.org.tests.factories import make_id_number

pytestmark = pytest.mark.django_db


@pytest.fixture
def spread(make_dispute, mediating, agreed, centre, mediator, other_mediator, studio):
    """Disputes in several states and handlers; returns a dict of them."""
    out = {}
    out["registered"] = make_dispute(registered_on=date(2024, 2, 10))
    out["mine_mediating"] = mediating()
    d = make_dispute()
    services.dispute_triage(dispute=d, actor=centre, route="mediation", reason="x", triaged_on=date(2024, 3, 1),
                            room="peoples", mediator=other_mediator)
    services.mediation_accept(dispute=d, actor=centre, accepted_on=date(2024, 3, 3))
    out["other_failed"] = services.mediation_fail(dispute=d, actor=centre, ended_on=date(2024, 3, 13), reason="x")
    d = make_dispute()
    services.dispute_triage(dispute=d, actor=centre, route="mediation", reason="x", triaged_on=date(2024, 3, 1),
                            room="studio", studio=studio)
    services.mediation_accept(dispute=d, actor=centre, accepted_on=date(2024, 3, 1))
    out["studio_agreed"] = services.agreement_record(dispute=d, actor=centre, agreed_on=date(2024, 3, 11), terms="x")
    a = agreed()  # mediator's, accepted 03-02, agreed 03-20 → 18 days
    ids = list(a.parties.values_list("pk", flat=True))
    services.confirmation_apply(dispute=a, actor=centre, applied_on=date(2024, 3, 25), applicant_ids=ids)
    out["mine_confirmed"] = services.confirmation_rule(dispute=a, actor=centre, ruling="confirmed",
                                                       ruled_on=date(2024, 3, 28))
    out["direct_filed"] = services.dispute_triage(dispute=make_dispute(consent=False), actor=centre, route="filing",
                                                  reason="不同意调解", triaged_on=date(2024, 3, 2))
    return out


def test_mediator_sees_only_assigned(client_for, mediator_user, spread):
    c = client_for(mediator_user)
    r = c.get(reverse("mediation:dispute_list"))
    shown = {row.record.pk for row in r.context["table"].rows}
    assert shown == {spread["mine_mediating"].pk, spread["mine_confirmed"].pk}
    assert c.get(reverse("mediation:dispute_detail", args=[spread["mine_mediating"].pk])).status_code == 200
    for key in ("other_failed", "studio_agreed", "registered"):
        assert c.get(reverse("mediation:dispute_detail", args=[spread[key].pk])).status_code == 404
        assert c.get(reverse("mediation:document", args=[spread[key].pk, "agreement", "pdf"])).status_code == 404
    # a mediator cannot register or triage
    assert c.get(reverse("mediation:dispute_create")).status_code == 403
    assert c.get(reverse("mediation:dispute_action", args=[spread["mine_mediating"].pk, "transfer"])).status_code == 403


def test_studio_judge_sees_studio_disputes(client_for, studio_judge_user, spread):
    r = client_for(studio_judge_user).get(reverse("mediation:dispute_list"))
    assert {row.record.pk for row in r.context["table"].rows} == {spread["studio_agreed"].pk}


def test_leader_reads_all_outsider_nothing(client_for, make_user, court, other_court, spread):
    leader = make_user(court, "leader", "member")
    r = client_for(leader).get(reverse("mediation:dispute_list"))
    assert r.context["table"].paginator.count == len(spread)
    assert r.context["create_url_name"] is None  # reads, does not register
    outsider = make_user(other_court, "leader")
    c = client_for(outsider)
    assert c.get(reverse("mediation:dispute_list")).context["table"].paginator.count == 0
    assert c.get(reverse("mediation:dispute_detail", args=[spread["registered"].pk])).status_code == 404


def test_higher_court_gets_figures_without_links(client_for, make_user, court, spread):
    from tianping.org.tests.factories import CourtFactory

    mid = CourtFactory(code="鲁04", name="枣庄市中级人民法院", level="intermediate")
    court.parent = mid
    court.save()
    user = make_user(mid, "higher_court")
    c = client_for(user)
    r = c.get(reverse("mediation:figures") + "?from=2024-01-01&to=2024-12-31")
    assert r.context["total"]["received"] == len(spread) and r.context["linked"] is False
    assert "/mediation/?" not in r.content.decode()
    assert c.get(reverse("mediation:dispute_detail", args=[spread["registered"].pk])).status_code == 404


def _list_count(client, url):
    return client.get(url).context["table"].paginator.count


def test_figures_match_independent_count_and_links_reproduce_sets(client_for, centre, spread, mediator):
    c = client_for(centre)
    r = c.get(reverse("mediation:figures") + "?from=2024-01-01&to=2024-12-31")
    total = r.context["total"]
    all_d = list(Dispute.objects.all())
    diverted = [d for d in all_d if d.route == "mediation"]
    concluded = [d for d in diverted if d.agreement_on or d.ended_on]
    succeeded = [d for d in diverted if d.agreement_on]
    expected = {"received": len(all_d), "diverted": len(diverted), "concluded": len(concluded),
                "succeeded": len(succeeded), "confirmed": sum(d.ruling == "confirmed" for d in all_d),
                "filed": sum(d.status == Status.FILED for d in all_d)}
    assert {k: total[k] for k in expected} == expected == {
        "received": 6, "diverted": 4, "concluded": 3, "succeeded": 2, "confirmed": 1, "filed": 1}
    # success 2 of 3; days: failed 03-03→03-13 = 10, studio 03-01→03-11 = 10, confirmed 03-02→03-20 = 18
    assert str(total["success_rate"]) == "66.7" and str(total["average_days"]) == "12.7"
    for stage, url in r.context["total_links"].items():
        assert _list_count(c, url) == total[stage], stage
    for key, _label, rows in r.context["tables"]:
        for row in rows:
            for stage, url in row["links"].items():
                assert _list_count(c, url) == row["figures"][stage], (key, row["label"], stage)
    by_mediator = {row["label"]: row["figures"] for row in dict((k, rows) for k, _l, rows in r.context["tables"])
                   ["mediator"]}
    assert by_mediator[mediator.name]["received"] == 2 and by_mediator[mediator.name]["succeeded"] == 1


def test_register_form_keeps_input_and_reports_bad_id(client_for, centre):
    c = client_for(centre)
    good = make_id_number(7, date(1986, 4, 5))
    bad = make_id_number(8, date(1987, 6, 7))[:17] + "0"
    if bad == make_id_number(8, date(1987, 6, 7)):
        bad = bad[:17] + "1"
    data = {"registered_on": "2024-05-06", "intake_department": "", "source": "application", "cause": "民间借贷纠纷",
            "amount": "30000", "summary": "借款未还", "consent_to_mediation": "on", "materials_text": "借条/张三/1",
            "party-TOTAL_FORMS": "3", "party-INITIAL_FORMS": "0", "party-MIN_NUM_FORMS": "2",
            "party-MAX_NUM_FORMS": "20",
            "party-0-role": "applicant", "party-0-kind": "person", "party-0-name": "张三", "party-0-id_number": good,
            "party-1-role": "respondent", "party-1-kind": "person", "party-1-name": "李四", "party-1-id_number": bad,
            "party-2-role": "respondent", "party-2-kind": "organisation"}
    r = c.post(reverse("mediation:dispute_create"), data)
    assert r.status_code == 200 and not Dispute.objects.exists()
    html = r.content.decode()
    assert "校验位错误" in html and "借款未还" in html and good in html
    data["party-1-id_number"] = make_id_number(8, date(1987, 6, 7))
    r = c.post(reverse("mediation:dispute_create"), data)
    d = Dispute.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("mediation:dispute_detail", args=[d.pk])
    assert d.number == "(2024)鲁0403民诉前调1号" and d.parties.count() == 2 and d.materials.get().pages == 1


def test_action_pages_run_services_and_show_refusals(client_for, centre, mediator_user, mediator, agreed):
    d = agreed()
    c = client_for(mediator_user)
    r = c.post(reverse("mediation:dispute_action", args=[d.pk, "confirm_apply"]),
               {"applied_on": "2024-05-01", "applicants": list(d.parties.values_list("pk", flat=True))})
    assert r.status_code == 200 and "已超过期限" in r.content.decode()
    r = c.post(reverse("mediation:dispute_action", args=[d.pk, "confirm_apply"]),
               {"applied_on": "2024-04-02", "applicants": list(d.parties.values_list("pk", flat=True))})
    assert r.status_code == 302
    d.refresh_from_db()
    assert d.status == Status.CONFIRMATION_APPLIED
    # the mediator cannot rule; the confirmation desk can
    assert c.get(reverse("mediation:dispute_action", args=[d.pk, "rule"])).status_code == 403
    r = client_for(centre).post(reverse("mediation:dispute_action", args=[d.pk, "rule"]),
                                {"ruling": "confirmed", "ruled_on": "2024-04-05", "reason": ""})
    assert r.status_code == 302
    d.refresh_from_db()
    assert d.status == Status.CONFIRMED
    detail = client_for(centre).get(reverse("mediation:dispute_detail", args=[d.pk])).content.decode()
    assert "doc-ruling-pdf" in detail


def test_detail_page_offers_only_allowed_actions(client_for, centre, mediator_user, mediating):
    d = mediating()
    html = client_for(mediator_user).get(reverse("mediation:dispute_detail", args=[d.pk])).content.decode()
    for action in ("session", "extend", "agreement", "fail", "withdraw"):
        assert f"action-{action}" in html
    for action in ("transfer", "rule", "triage", "confirm_apply"):
        assert f"action-{action}" not in html


def test_list_export_and_command(client_for, centre, court, spread, tmp_path):
    c = client_for(centre)
    r = c.get(reverse("mediation:dispute_list") + "?status=filed&export=xlsx")
    ws = load_workbook(io.BytesIO(r.content)).active
    rows = list(ws.values)
    header = rows[0]
    for col in ("编号", "状态", "案由", "来源", "调解员或工作室", "登记日期", "结果日期"):
        assert col in header
    assert len(rows) == 2 and rows[1][header.index("状态")] == "已转立案"
    assert rows[1][header.index("立案案号")] == spread["direct_filed"].filed_case.number
    out = tmp_path / "disputes.xlsx"
    call_command("export_data", "disputes", str(out), "--court", court.code, stdout=io.StringIO())
    rows = list(load_workbook(out).active.values)
    assert len(rows) == 1 + len(spread)
    numbers = {r[0] for r in rows[1:]}
    assert numbers == set(Dispute.objects.values_list("number", flat=True))
    handler = {r[0]: r[rows[0].index("调解员或工作室")] for r in rows[1:]}
    assert handler[spread["studio_agreed"].number] == "演示法官工作室"
    call_command("export_data", "disputes", str(out), "--court", court.code, "--stage", "succeeded",
                 stdout=io.StringIO())
    assert len(list(load_workbook(out).active.values)) == 1 + 2


def test_list_has_no_n_plus_one(client_for, centre, make_dispute, django_assert_max_num_queries):
    for i in range(12):
        make_dispute(parties=[person_party(100 + i * 2, "applicant"), person_party(101 + i * 2, "respondent")])
    c = client_for(centre)
    with django_assert_max_num_queries(25):
        r = c.get(reverse("mediation:dispute_list"))
    assert r.status_code == 200 and r.context["table"].paginator.count == 12


def test_todo_warns_at_five_days_and_overdue(mediator_user, mediating, time_machine):
    from tianping.mediation.todo import todo_items

    d = mediating()  # deadline 2024-04-01
    time_machine.move_to("2024-03-26 10:00 +08:00")
    assert todo_items(mediator_user) == []
    time_machine.move_to("2024-03-27 10:00 +08:00")
    [item] = todo_items(mediator_user)
    assert item["level"] == "warning" and "还剩 5 天" in item["label"] and d.number in item["label"]
    time_machine.move_to("2024-04-03 10:00 +08:00")
    [item] = todo_items(mediator_user)
    assert item["level"] == "danger" and "超期 2 天" in item["label"]


def test_calculator_page_attaches_result(client_for, studio_judge_user, studio, make_dispute, centre):
    from tianping.mediation.models import ProvinceStatistic

    ProvinceStatistic.objects.create(province="山东", year=2022, urban_disposable_income=50000,
                                     rural_disposable_income=20000, urban_consumption=30000, rural_consumption=15000,
                                     average_wage=100000, is_demo=True)
    d = make_dispute(cause="机动车交通事故责任纠纷")
    services.dispute_triage(dispute=d, actor=centre, route="mediation", reason="交通", triaged_on=date(2024, 3, 1),
                            room="studio", studio=studio)
    c = client_for(studio_judge_user)
    data = {"province": "山东", "year": "2022", "accident_on": "2023-06-01", "victim_age": "30", "medical": "3000",
            "lost_days": "10", "daily_income": "200", "nursing_days": "0", "nurses": "1", "transport": "300",
            "hospital_days": "5", "nutrition_days": "0", "nutrition_daily": "0", "disability_coefficient": "0",
            "mental_solace": "0", "property_loss": "800", "liability_share": "0", "commercial_limit": "0"}
    r = c.post(reverse("mediation:calculator", args=[d.pk]), data)
    assert r.status_code == 302
    calc = d.calculations.get()
    assert calc.result["victim"] == "2400.00"  # the no-fault worked example of test_calculator
    page = c.get(reverse("mediation:calculation_detail", args=[d.pk, calc.pk])).content.decode()
    assert "200.00 元/日 × 10 日 = 2,000.00 元" in page and "演示数值" in page


def test_roster_pages(client_for, centre, mediator, studio, mediator_user, court, make_user):
    c = client_for(centre)
    r = c.get(reverse("mediation:mediator_list"))
    assert r.status_code == 200 and mediator.name in r.content.decode() and studio.name in r.content.decode()
    r = c.post(reverse("mediation:mediator_create"), {"name": "薛城区物业纠纷调解委员会", "kind": "organisation",
                                                       "active": "on"})
    assert r.status_code == 302
    r = c.post(reverse("mediation:mediator_create"), {"name": mediator.name, "kind": "peoples", "active": "on"})
    assert "名册中已有同名调解员" in r.content.decode()
    # a mediator reads the roster but cannot edit it
    assert client_for(mediator_user).get(reverse("mediation:mediator_create")).status_code == 403
    assert client_for(make_user(court, "member")).get(reverse("mediation:mediator_list")).status_code == 403


def test_figures_page_query_count_is_flat(client_for, centre, spread, make_dispute, django_assert_max_num_queries):
    c = client_for(centre)
    url = reverse("mediation:figures") + "?from=2024-01-01&to=2024-12-31"
    # the same bound before and after ten more disputes (the figures are grouped in one query, the names of
    # their sites, mediators and studios read in one more)
    with django_assert_max_num_queries(16):
        r = c.get(url)
    before = r.context["total"]["received"]
    for i in range(10):
        make_dispute(parties=[person_party(300 + i * 2, "applicant"), person_party(301 + i * 2, "respondent")])
    with django_assert_max_num_queries(16):
        r = c.get(url)
    assert r.context["total"]["received"] == before + 10


def test_pages_in_english(client_for, centre, spread):
    c = client_for(centre)
    c.cookies["django_language"] = "en"
    html = c.get(reverse("mediation:figures"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Dispute resolution figures" in html and "Mediated successfully" in html
    html = c.get(reverse("mediation:dispute_detail", args=[spread["mine_confirmed"].pk]),
                 HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Confirmed valid" in html and "Documents" in html


def test_timeline_lists_agreements_of_studio_judge(studio_judge_user, spread, make_user, court):
    from tianping.mediation.timeline import timeline_entries

    leader = make_user(court, "leader")
    entries = timeline_entries(studio_judge_user.person, leader)
    assert [e["label"].split("：")[1].split(" ")[0] for e in entries] == [spread["studio_agreed"].number]
    outsider = make_user(court, "member")
    assert timeline_entries(studio_judge_user.person, outsider) == []


def test_material_download_in_scope_only(client_for, centre, mediator_user, other_mediator, make_dispute):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tianping.core.models import AuditEvent

    d = make_dispute()
    services.dispute_triage(dispute=d, actor=centre, route="mediation", reason="x", triaged_on=date(2024, 3, 1),
                            room="peoples", mediator=other_mediator)
    r = client_for(centre).post(reverse("mediation:material_add", args=[d.pk]),
                                {"title": "借条", "submitted_by": "甲",
                                 "file": SimpleUploadedFile("jietiao.pdf", b"%PDF-1.4 IOU")})
    assert r.status_code == 302
    m = d.materials.get()
    url = reverse("mediation:material_download", args=[d.pk, m.pk])
    r = client_for(centre).get(url)
    assert r.status_code == 200 and b"".join(r.streaming_content) == b"%PDF-1.4 IOU"
    assert AuditEvent.objects.filter(event="dispute.material_downloaded").exists()
    assert client_for(mediator_user).get(url).status_code == 404


def test_statistics_import_round_trip(client_for, centre, tmp_path):
    from tianping.core.importexport import run_import
    from tianping.mediation.models import ProvinceStatistic

    ProvinceStatistic.objects.create(province="山东", year=2023, urban_disposable_income=51571,
                                     rural_disposable_income=23776, urban_consumption=31727, rural_consumption=17076,
                                     average_wage=108125, is_demo=True)
    r = client_for(centre).get(reverse("mediation:statistics") + "?export=xlsx")
    path = tmp_path / "stats.xlsx"
    path.write_bytes(r.content)
    wb = load_workbook(path)
    assert [c.value for c in wb.active[1]][:2] == ["省份", "统计年度"]
    wb.active.cell(row=2, column=2).value = 2024  # the same row as next year's: imported as a new row
    wb.save(path)
    result = run_import("traffic_statistics", path, user=centre)
    assert result.ok, result.as_dict()
    assert set(ProvinceStatistic.objects.values_list("year", flat=True)) == {2023, 2024}


def test_home_panel_links_reproduce_figures(client_for, centre, make_dispute, mediating, time_machine):
    from tianping.mediation.home import home_panels

    time_machine.move_to("2024-06-01 10:00 +08:00")
    make_dispute(registered_on=date(2024, 3, 1))
    d = mediating()
    services.mediation_fail(dispute=d, actor=centre, ended_on=date(2024, 3, 10), reason="x")
    [panel] = home_panels(centre)
    c = client_for(centre)
    for f in panel["figures"]:
        if f["url"] and str(f["value"]).isdigit():
            assert _list_count(c, f["url"]) == f["value"], f["label"]
    values = {f["label"]: f["value"] for f in panel["figures"]}
    assert values["收案"] == 2 and values["调解成功率"] == "0.0%"


def test_a_bad_filter_says_what_to_correct(client_for, centre, spread):
    """A date that is not one (typed into the address) names the field instead of an unexplained empty list; the
    htmx fragment (the table alone) says it too."""
    c = client_for(centre)
    url = reverse("mediation:dispute_list") + "?registered_from=2026-13-45"
    for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
        html = c.get(url, **headers).content.decode()
        assert 'data-testid="filter-errors"' in html and "登记日期自" in html and "输入一个有效的日期" in html
    assert 'data-testid="filter-errors"' not in c.get(reverse("mediation:dispute_list") + "?status=filed").content.decode()
