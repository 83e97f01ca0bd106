"""The annual report: each key computed on hand-built records whose answers are worked out here, links that
list exactly the records counted, the documents, the text template and the command."""

from __future__ import annotations

import io
import json
import re
import subprocess
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from tianping.annual import selectors as sel

pytestmark = pytest.mark.django_db


def test_the_json_has_exactly_the_reports_keys(court):
    data = sel.report_json(court, 2016)
    assert list(data) == ["court", "year", *sel.KEYS]
    assert data["court"] == "鲁0403" and data["year"] == 2016
    assert len(sel.KEYS) == 20


def test_trial_figures_worked_out_by_hand(casebook):
    """2016 in the casebook (trials/tests/conftest.py): closed in 2016, not counting 民诉前调 (c10) — c1, c3, c4,
    c5, c6, c7 = 6. The judge a member on the closing day: c1 (J1), c4 (J2 joined 2016-07-01, closed 07-15),
    c6 (J1) = 3 of 6. First-instance closed: c1, c3, c4 (民初), c5 (刑初) = 4; appealed c3 and c5 → 1 − 2/4.
    A leader (J1) handled c1 and c6 and sat on c5 → 3."""
    data = sel.report_json(casebook["court"], 2016)
    assert data["cases_closed"] == 6
    assert data["party_member_closed_share"] == 0.5
    assert data["acceptance_rate"] == 0.5
    assert data["leadership_cases"] == 3


def _numbers_listed(client, url) -> set[str]:
    response = client.get(url)
    assert response.status_code == 200
    return set(re.findall(r'data-testid="case-link"[^>]*>([^<]+)<', response.content.decode())) or \
        set(re.findall(r">(\(\d{4}\)[^<]+号)<", response.content.decode()))


def test_a_figures_link_lists_exactly_the_records_it_counts(casebook, make_user, client_for):
    c = casebook["cases"]
    user = make_user(casebook["court"], "trial_office")
    figures = sel.compute(casebook["court"], 2016)
    listed = _numbers_listed(client_for(user), figures["leadership_cases"].url)
    assert listed == {c[1].number, c[5].number, c[6].number}
    listed = _numbers_listed(client_for(user), figures["cases_closed"].url)
    assert listed == {c[n].number for n in (1, 3, 4, 5, 6, 7)}


def test_staff_figures_worked_out_by_hand(court):
    """Recruits hired 2014–2016: A (first posted to a tribunal, later moved), B (trial division), C (tribunal);
    D hired 2013 does not count. Leaders in post on 2016-12-31: L1 (bachelor), L2 (master), L3 (college);
    L4 left in 2016 does not count → 2 of 3."""
    from tianping.org.models import DepartmentAssignment
    from tianping.org.tests.factories import DepartmentFactory, PersonFactory

    tribunal = DepartmentFactory(court=court, name="沙沟人民法庭", type="tribunal")
    division = DepartmentFactory(court=court, name="民一庭", type="trial")
    a = PersonFactory(court=court, hired_on=date(2014, 9, 1), department=division)
    DepartmentAssignment.objects.create(court=court, person=a, department=tribunal, start=date(2014, 9, 1),
                                        end=date(2015, 12, 31))
    DepartmentAssignment.objects.create(court=court, person=a, department=division, start=date(2016, 1, 1))
    b = PersonFactory(court=court, hired_on=date(2016, 3, 1), department=division)
    c = PersonFactory(court=court, hired_on=date(2015, 7, 1), department=tribunal)
    PersonFactory(court=court, hired_on=date(2013, 7, 1), department=tribunal)
    PersonFactory(court=court, is_leadership=True, education="bachelor", hired_on=date(2000, 1, 1))
    PersonFactory(court=court, is_leadership=True, education="master", hired_on=date(2001, 1, 1))
    PersonFactory(court=court, is_leadership=True, education="college", hired_on=date(2002, 1, 1))
    PersonFactory(court=court, is_leadership=True, education="college", hired_on=date(2002, 1, 1),
                  left_on=date(2016, 6, 30))
    figures = sel.compute(court, 2016)
    assert figures["recruits_3y"].value == 3
    assert figures["recruits_to_tribunals_3y"].value == 2
    ids = {int(v) for v in figures["recruits_to_tribunals_3y"].url.split("ids=")[1].split(",")}
    assert ids == {a.pk, c.pk}
    assert figures["recruits_year"].value == 1 and str(b.pk) in figures["recruits_year"].url
    assert figures["leaders_bachelor_or_above_share"].value == round(2 / 3, 4)


def test_disputes_diverted_counts_the_years_diverted_registrations(court, make_dispute, centre, mediator):
    from tianping.mediation import services

    diverted = [make_dispute(registered_on=date(2016, m, 5)) for m in (1, 6)]
    filed = make_dispute(registered_on=date(2016, 3, 5))
    late = make_dispute(registered_on=date(2017, 1, 5))
    for d in diverted + [late]:
        services.dispute_triage(dispute=d, actor=centre, route="mediation", reason="适宜调解",
                                triaged_on=d.registered_on, room="peoples", mediator=mediator)
    services.dispute_triage(dispute=filed, actor=centre, route="filing", reason="不宜调解",
                            triaged_on=filed.registered_on)
    assert sel.report_json(court, 2016)["disputes_diverted"] == 2


def test_the_text_fills_its_placeholders_and_links_each_figure(casebook):
    data = sel.report(casebook["court"], 2016)
    text = "\n".join(p.text for p in data["paragraphs"])
    assert "全年审结案件6件" in text and "党员干警办结50.00%" in text
    html = "".join(p.html for p in data["paragraphs"])
    figures = sel.compute(casebook["court"], 2016)
    assert f'href="{figures["cases_closed"].url.replace("&", "&amp;")}"' in html
    assert data["title"] == f"{casebook['court'].full_name or casebook['court'].name}2016年度党建工作报告"


def test_a_template_with_an_unknown_placeholder_is_refused_and_nothing_saved(court, make_user):
    from tianping.annual.models import ReportTemplate
    from tianping.annual.services import report_template_save

    office = make_user(court, "party_office")
    with pytest.raises(ValidationError) as exc:
        report_template_save(actor=office, court=court, title="报告", body="审结{cases_closd}件")
    assert "{cases_closd}" in str(exc.value) and "{cases_closed}" in str(exc.value)
    assert not ReportTemplate.objects.exists()
    saved = report_template_save(actor=office, court=court, title="{year}年报告", body="# 一\n\n审结{cases_closed}件")
    with pytest.raises(ValidationError):  # someone else saved meanwhile
        report_template_save(actor=office, court=court, title="x", body="y", expected_version=saved.version - 1)
    assert sel.report(court, 2016)["title"] == "2016年报告"


def test_docx_and_pdf_carry_the_figures(casebook, tmp_path):
    from docx import Document

    from tianping.annual.documents import render_docx, render_pdf

    data = sel.report(casebook["court"], 2016)
    doc = Document(io.BytesIO(render_docx(data)))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "全年审结案件6件" in text
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(render_pdf(data))
    out = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "审结案件6件" in out.replace("\n", "").replace(" ", "")


def test_the_command_prints_the_json_and_names_a_bad_court(casebook, capsys):
    call_command("annual_report", "--court", "鲁0403", "--year", "2016", "--format", "json")
    data = json.loads(capsys.readouterr().out)
    assert data["cases_closed"] == 6 and list(data)[2:] == list(sel.KEYS)
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="鲁9999"):
        call_command("annual_report", "--court", "鲁9999", "--year", "2016")


def test_the_page_is_the_party_offices_and_leaders(casebook, make_user, client_for):
    court = casebook["court"]
    office = client_for(make_user(court, "party_office"))
    page = office.get("/annual/?year=2016")
    assert page.status_code == 200 and 'data-testid="figure-cases_closed"' in page.content.decode()
    assert client_for(make_user(court, "member")).get("/annual/").status_code == 403
    assert office.get("/annual/?year=abc").status_code == 200  # a bad year: the default and a message
    response = office.get("/annual/report.json?year=2016")
    assert json.loads(response.content)["leadership_cases"] == 3


def test_the_three_year_table_asks_only_the_providers_of_its_columns(court):
    """The table's earlier years run the providers of its columns (trials, staff, honours) and skip those that
    declare other keys only (lectures, letters, service, disputes): the report page no longer computes every
    figure three times."""
    from tianping.core.registry import report_figures

    declared = {p.__module__: p.report_keys for p in report_figures if getattr(p, "report_keys", None)}
    assert {"tianping.partylife.report", "tianping.service.report", "tianping.integrity.report",
            "tianping.mediation.report"} <= set(declared)
    assert not any(keys & sel.THREE_YEAR_KEYS for keys in declared.values())
    figures = sel.compute(court, 2015, sel.THREE_YEAR_KEYS)
    assert sel.THREE_YEAR_KEYS <= set(figures)
    assert "integrity_lectures_court" not in figures and "judge_letters" not in figures
    rows = sel.three_years(court, 2016, sel.compute(court, 2016))
    assert [r["year"] for r in rows] == [2014, 2015, 2016]
