"""The judge's letter: exactly one per filed case, whatever the path (the desk's form, the import, mediation's
transfer to filing), from the template version in force on the filing date; PDF and .docx; handover, reprint,
the cases without a letter, the figures and the export."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from tianping.integrity import selectors, services
from tianping.integrity.models import JudgeLetter, LetterTemplate
from tianping.trials.models import Case

pytestmark = pytest.mark.django_db


def _version(case: Case) -> int:
    letters = list(JudgeLetter.objects.filter(case=case).select_related("template"))
    assert len(letters) == 1, f"{case.number}: {len(letters)} letters"
    assert letters[0].issued_on == case.filed_on
    return letters[0].template.version


def _expected_version(templates, day):
    return max((t for t in templates if t.effective_from <= day), key=lambda t: t.effective_from).version


def test_the_desk_form_files_a_case_with_number_deadline_and_one_letter(client_for, users, deps, judge, templates):
    from tianping.trials.models import statutory_deadline

    c = client_for(users["desk"])
    for day in (date(2016, 3, 2), date(2016, 7, 1)):
        form = c.get(reverse("trials:case_file"))
        token = form.context["form"]["once_token"].value()
        data = {"type_code": "民初", "cause": "民间借贷纠纷", "procedure": "summary", "filed_on": day.isoformat(),
                "plaintiffs": "原告甲、原告乙", "defendants": "被告丙", "department": deps["civil"].pk,
                "judge": judge.pk, "once_token": token}
        r = c.post(reverse("trials:case_file"), data)
        assert r.status_code == 302
        assert c.post(reverse("trials:case_file"), data).status_code == 302  # a double submit files nothing more
    cases = list(Case.objects.order_by("filed_on"))
    assert [x.number for x in cases] == ["(2016)鲁0403民初1号", "(2016)鲁0403民初2号"]
    for case in cases:
        assert case.deadline == statutory_deadline("民初", "summary", case.filed_on)
        assert [p["name"] for p in case.parties] == ["原告甲", "原告乙", "被告丙"]
        assert _version(case) == _expected_version(templates, case.filed_on)
    assert [_version(x) for x in cases] == [1, 2]


def test_the_form_refuses_a_future_date_and_keeps_the_input(client_for, users, deps, judge, templates):
    r = client_for(users["desk"]).post(reverse("trials:case_file"), {
        "type_code": "民初", "cause": "买卖合同纠纷", "filed_on": "2999-01-01", "plaintiffs": "原告甲",
        "department": deps["civil"].pk, "judge": judge.pk})
    assert r.status_code == 200 and "晚于今天" in r.content.decode() and "买卖合同纠纷" in r.content.decode()
    assert not Case.objects.exists()


@pytest.mark.parametrize("role", ["party_office", "member", "discipline", "higher"])
def test_only_the_filing_desk_files(client_for, users, role):
    assert client_for(users[role]).get(reverse("trials:case_file")).status_code == 403


def test_an_import_gives_each_new_case_one_letter_and_a_reimport_none_more(court, deps, judge, templates, tmp_path):
    from tianping.core.importexport import run_import
    from tianping.core.registers import get_register

    reg = get_register("cases")
    wb = Workbook()
    wb.active.append(reg.headers())
    days = [date(2016, 6, 30), date(2016, 7, 1), date(2016, 11, 5)]
    for i, day in enumerate(days, start=1):
        row = dict.fromkeys(reg.headers(), None)
        row.update({"案号": f"(2016)鲁0403民初{i}号", "案由": "民间借贷纠纷", "立案日期": day, "承办部门": "民事审判第一庭",
                    "承办人": judge.name})
        wb.active.append([row[h] for h in reg.headers()])
    path = tmp_path / "cases.xlsx"
    wb.save(path)
    assert run_import("cases", path, court=court).committed
    assert run_import("cases", path, court=court).committed  # the second run updates nothing, adds no letter
    cases = list(Case.objects.order_by("filed_on"))
    assert [_version(x) for x in cases] == [_expected_version(templates, d) for d in days] == [1, 2, 2]
    assert JudgeLetter.objects.count() == 3


def test_mediation_transfer_to_filing_gets_one_letter(court, users, templates):
    from decimal import Decimal

    from tianping.mediation import services as med
    from tianping.mediation.tests.conftest import person_party

    desk = users["desk"]
    d = med.dispute_register(court=court, actor=desk, registered_on=date(2016, 8, 1), cause="民间借贷纠纷",
                             summary="借款到期未还", source="application", amount=Decimal("50000"),
                             consent_to_mediation=True, parties=[person_party(2, "applicant", "申请人甲"),
                                                                 person_party(3, "respondent", "被申请人乙")])
    # triage to filing transfers the dispute at once (mediation.services._filing_transfer → case_register)
    d = med.dispute_triage(dispute=d, actor=desk, route="filing", reason="不宜调解", triaged_on=date(2016, 8, 1))
    case = Case.objects.get(pk=d.filed_case_id)
    assert _version(case) == 2
    with pytest.raises(ValidationError):
        med.filing_transfer(dispute=d, actor=desk, filed_on=date(2016, 8, 2))
    assert JudgeLetter.objects.count() == 1


def test_no_template_in_force_lists_the_case_and_a_later_template_issues_it(court, users, judge, templates):
    from tianping.trials.services import case_register

    early = LetterTemplate.objects.get(version=1)
    early.effective_from = date(2016, 2, 1)
    early.save()
    case = case_register(court=court, type_code="民初", filed_on=date(2016, 1, 20), cause="借款", actor=users["desk"])
    assert not JudgeLetter.objects.filter(case=case).exists()
    assert list(selectors.cases_without_letter(court.pk)) == []  # filed before the court issued letters
    early.effective_from = date(2016, 1, 1)
    early.save()
    assert list(selectors.cases_without_letter(court.pk)) == [case]
    from tianping.core.views import collect_todo

    assert any("未发法官寄语" in str(i["label"]) for i in collect_todo(users["desk"]))
    assert services.letters_issue_missing(court=court, actor=users["desk"]) == 1
    assert services.letters_issue_missing(court=court, actor=users["desk"]) == 0
    assert _version(case) == 1


def test_a_version_that_issued_letters_is_frozen_and_a_new_version_is_numbered_next(court, users, templates):
    from tianping.trials.services import case_register

    case_register(court=court, type_code="民初", filed_on=date(2016, 3, 1), cause="借款", actor=users["desk"])
    first = LetterTemplate.objects.get(version=1)
    first.body += "（修改）"
    with pytest.raises(ValidationError, match="新建一个版本"):
        services.letter_template_save(actor=users["party_office"], template=first)
    new = services.letter_template_save(actor=users["party_office"], template=LetterTemplate(
        court=court, body="{案号}", complaint_phone="0632-12368", effective_from=date(2017, 1, 1)))
    assert new.version == 3
    with pytest.raises(ValidationError, match="无法识别"):
        services.letter_template_save(actor=users["party_office"], template=LetterTemplate(
            court=court, body="{当事人}", complaint_phone="0632-12368", effective_from=date(2018, 1, 1)))


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils missing")
def test_the_letter_prints_as_pdf_and_docx_and_counts_reprints(client_for, court, users, deps, judge, templates,
                                                             tmp_path):
    from tianping.trials.services import case_register

    case = case_register(court=court, type_code="民初", filed_on=date(2016, 9, 1), cause="借款", actor=users["desk"],
                         department=deps["civil"], judge=judge)
    letter = JudgeLetter.objects.get(case=case)
    c = client_for(users["desk"])
    r = c.get(reverse("integrity:letter_print", args=[letter.pk, "pdf"]))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    pdf = tmp_path / "letter.pdf"
    pdf.write_bytes(r.content)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert case.number in text.replace(" ", "") and judge.name in text.replace(" ", "")
    assert "0632-12368" in text  # version 2's phone: the version in force on 2016-09-01
    subprocess.run(["pdftoppm", "-r", "40", "-png", "-singlefile", str(pdf), str(tmp_path / "page")], check=True)
    assert (tmp_path / "page.png").stat().st_size > 1000
    r = c.get(reverse("integrity:letter_print", args=[letter.pk, "docx"]))
    assert r.status_code == 200 and r.content[:2] == b"PK"
    letter.refresh_from_db()
    assert letter.print_count == 2
    from tianping.core.models import AuditEvent

    assert AuditEvent.objects.filter(event="judge_letter.reprinted", object_id=str(letter.pk)).count() == 1
    r = c.post(reverse("integrity:letter_detail", args=[letter.pk]), {"handover": "mail",
                                                                     "handed_over_on": "2016-08-30"})
    assert r.status_code == 200 and "不能早于立案日期" in r.content.decode()
    c.post(reverse("integrity:letter_detail", args=[letter.pk]), {"handover": "mail", "handed_over_on": "2016-09-02"})
    letter.refresh_from_db()
    assert (letter.handover, letter.handed_over_on) == ("mail", date(2016, 9, 2))
    # the party office reads the letter; printing is the desk's
    assert client_for(users["party_office"]).get(reverse("integrity:letter_print", args=[letter.pk, "pdf"])) \
        .status_code == 403
    assert client_for(users["member"]).get(reverse("integrity:letter_detail", args=[letter.pk])).status_code == 404


def test_figures_count_letters_by_month_and_department_and_the_share(court, users, deps, judge, templates):
    from tianping.trials.services import case_register

    plan = [(date(2016, 3, 1), deps["civil"]), (date(2016, 3, 9), deps["filing"]), (date(2016, 8, 1), deps["civil"])]
    for day, dep in plan:
        case_register(court=court, type_code="民初", filed_on=day, cause="借款", actor=users["desk"], department=dep)
    JudgeLetter.objects.filter(case__filed_on=date(2016, 3, 9)).delete()  # one case lost its letter
    fig = selectors.letter_figures(court.pk, 2016)
    assert (fig.filed, fig.with_letter) == (3, 2)
    assert fig.share == round(100 * 2 / 3, 1)
    assert {r["month"]: r["letters"] for r in fig.by_month if r["letters"]} == {3: 1, 8: 1}
    assert [(r["department"], r["letters"]) for r in fig.by_department] == [("民事审判第一庭", 2)]


def test_export_data_judge_letters_by_court_and_year(court, users, deps, templates, tmp_path):
    from django.core.management import call_command

    from tianping.trials.services import case_register

    for day in (date(2015, 12, 30), date(2016, 2, 1), date(2016, 7, 2)):
        case_register(court=court, type_code="民初", filed_on=day, cause="借款", actor=users["desk"],
                      department=deps["civil"])
    out = tmp_path / "letters.xlsx"
    call_command("export_data", "judge_letters", str(out), "--court", court.code, "--year", "2016")
    rows = list(load_workbook(out).active.iter_rows(values_only=True))
    assert list(rows[0]) == ["案号", "立案日期", "承办部门", "发放日期", "发放方式", "模板版本"]
    assert [(r[0], r[5]) for r in rows[1:]] == [("(2016)鲁0403民初1号", 1), ("(2016)鲁0403民初2号", 2)]
