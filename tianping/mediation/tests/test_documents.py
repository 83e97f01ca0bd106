"""Generated documents: the PDFs render (pdftoppm) and carry the parties' names (pdftotext); the .docx too."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import date

import pytest

from tianping.mediation import documents, services
from tianping.mediation.tests.conftest import org_party, person_party

pytestmark = pytest.mark.django_db

NAMES = ("欧阳明轩", "薛城顺达物流有限公司")


def _pdf_text(tmp_path, data: bytes, name: str) -> str:
    if not shutil.which("pdftotext") or not shutil.which("pdftoppm"):
        pytest.fail("poppler-utils is missing: `make test` installs it")
    pdf = tmp_path / f"{name}.pdf"
    pdf.write_bytes(data)
    subprocess.run(["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "1", str(pdf), str(tmp_path / name)], check=True)
    pngs = list(tmp_path.glob(f"{name}*.png"))
    assert pngs and pngs[0].stat().st_size > 1000  # a page was rasterised
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout


@pytest.fixture
def confirmed_and_filed(agreed, mediating, centre):
    parties = [person_party(40, "applicant", NAMES[0]), org_party("respondent", NAMES[1])]
    d = agreed(parties=parties)
    ids = list(d.parties.values_list("pk", flat=True))
    services.confirmation_apply(dispute=d, actor=centre, applied_on=date(2024, 4, 1), applicant_ids=ids)
    d = services.confirmation_rule(dispute=d, actor=centre, ruling="confirmed", ruled_on=date(2024, 4, 3))
    f = mediating(parties=[person_party(41, "applicant", NAMES[0]), org_party("respondent", NAMES[1])])
    f = services.mediation_fail(dispute=f, actor=centre, ended_on=date(2024, 3, 10), reason="分歧较大")
    f = services.filing_transfer(dispute=f, actor=centre, filed_on=date(2024, 3, 12))
    return d, f


@pytest.mark.parametrize("kind", ["agreement", "application", "ruling", "notice"])
def test_pdf_renders_with_party_names(confirmed_and_filed, tmp_path, kind):
    d, f = confirmed_and_filed
    target = f if kind == "notice" else d
    doc = documents.build(target, kind)
    text = "".join(_pdf_text(tmp_path, documents.render_pdf(doc), kind).split())  # lines may wrap anywhere
    for name in NAMES:
        assert name in text
    assert documents.KINDS[kind].replace(" ", "") in text
    if kind == "ruling":
        assert "(2024)鲁0403民特1号" in text and "调解协议有效" in text and "立案法官甲" in text
    if kind == "notice":
        assert "(2024)鲁0403民初1号" in text


def test_docx_has_the_same_content(confirmed_and_filed):
    from docx import Document

    d, _f = confirmed_and_filed
    data = documents.render_docx(documents.build(d, "agreement"))
    text = "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)
    assert NAMES[0] in text and NAMES[1] in text and "调解协议书" in text and "40,000.00" in text


def test_document_refused_before_its_step(mediating):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="尚未达成调解协议"):
        documents.build(mediating(), "agreement")


def test_pdf_html_loads_nothing_external(confirmed_and_filed):
    d, _f = confirmed_and_filed
    html = documents.render_html(documents.build(d, "ruling"))
    assert "http" not in html and "<link" not in html and "<img" not in html and "url(" not in html
    assert '"Noto Serif CJK SC"' in html


def test_document_view_downloads_and_audits(client_for, centre, confirmed_and_filed):
    from django.urls import reverse

    from tianping.core.models import AuditEvent

    d, _f = confirmed_and_filed
    r = client_for(centre).get(reverse("mediation:document", args=[d.pk, "ruling", "pdf"]))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf" and r.content.startswith(b"%PDF")
    r = client_for(centre).get(reverse("mediation:document", args=[d.pk, "agreement", "docx"]))
    assert r.status_code == 200 and r.content.startswith(b"PK")
    assert AuditEvent.objects.filter(event="dispute.document").count() == 2


# --- the texts, checked against the SPC's 民事诉讼文书样式 (2016) and 人民调解法第二十九条 -----------------------

@pytest.fixture
def full_court(court):
    """薛城区人民法院 under 枣庄市中级人民法院 under 山东省高级人民法院, as the demo has them."""
    from tianping.org.models import Court, CourtLevel

    high = Court.objects.create(code="鲁", name="山东省高级人民法院", level=CourtLevel.HIGH)
    mid = Court.objects.create(code="鲁04", name="枣庄市中级人民法院", level=CourtLevel.INTERMEDIATE, parent=high)
    court.parent = mid
    court.save(update_fields=["parent"])
    return court


@pytest.fixture
def traffic_ruling(full_court, agreed, centre):
    """A traffic dispute the court delegated to a people's mediator, confirmed, with a clerk."""
    from tianping.org.models import Post
    from tianping.org.tests.factories import PersonFactory

    parties = [person_party(40, "applicant", NAMES[0]), org_party("respondent", NAMES[1])]
    d = agreed(parties=parties, cause="机动车交通事故责任纠纷")
    type(d).objects.filter(pk=d.pk).update(source="delegated")  # the fixture registers 当事人申请
    d.refresh_from_db()
    ids = list(d.parties.values_list("pk", flat=True))
    services.confirmation_apply(dispute=d, actor=centre, applied_on=date(2024, 4, 1), applicant_ids=ids)
    clerk = PersonFactory(court=full_court, name="书记员丙", post=Post.CLERK)
    return services.confirmation_rule(dispute=d, actor=centre, ruling="confirmed", ruled_on=date(2024, 4, 3),
                                      clerk=clerk)


def _texts(d, kind, tmp_path) -> tuple[str, str]:
    """The document's text from the PDF (pdftotext, spaces removed) and from the .docx (python-docx)."""
    from docx import Document as Docx

    doc = documents.build(d, kind)
    lines = _pdf_text(tmp_path, documents.render_pdf(doc), kind).replace("\f", "\n").splitlines()
    pdf = "".join("".join(line.split()) for line in lines if not line.strip().isdigit())  # no page numbers
    docx = "".join("\n".join(p.text for p in Docx(io.BytesIO(documents.render_docx(doc))).paragraphs).split())
    return pdf, docx


@pytest.mark.parametrize("kind", ["agreement", "application", "ruling"])
def test_cause_never_doubles_and_source_is_named_right(traffic_ruling, tmp_path, kind):
    for text in _texts(traffic_ruling, kind, tmp_path):
        assert "纠纷纠纷" not in text
        assert "机动车交通事故责任纠纷" in text or kind == "ruling"  # the model ruling names no cause
        assert "委派（委托）" not in text
        assert "经山东省枣庄市薛城区人民法院委派，由薛城区人民调解委员会人民调解员调解员甲主持调解" in text


def test_a_partys_own_application_is_not_called_delegated(full_court, agreed, tmp_path):
    d = agreed()  # source: 当事人申请
    for kind in ("agreement", "application"):
        for text in _texts(d, kind, tmp_path):
            assert "委派" not in text and "委托调解" not in text
            assert "经薛城区人民调解委员会人民调解员调解员甲主持调解" in text
            assert "民间借贷纠纷" in text and "纠纷纠纷" not in text


def test_ruling_follows_the_spc_model(traffic_ruling, tmp_path):
    pdf, docx = _texts(traffic_ruling, "ruling", tmp_path)
    for text in (pdf, docx):
        assert text.startswith("山东省枣庄市薛城区人民法院民事裁定书(2024)鲁0403民特1号")
        assert f"申请人：{NAMES[0]}" in text and f"申请人：{NAMES[1]}" in text
        assert "2024年4月1日，申请人" in text and "向本院申请司法确认。本院受理后，依法指定审判员立案法官甲对本案进行了审查" in text
        assert "符合司法确认调解协议的法定条件" in text
        assert "依照《中华人民共和国民事诉讼法》第二百零五条、第二百零六条规定，裁定如下" in text
        assert "达成的调解协议有效。当事人应当按照调解协议的约定自觉履行义务" in text
        # the signing block, in the model's order: judge, date in Chinese numerals, seal, certified copy, clerk
        tail = text[text.rindex("审判员立案法官甲"):]
        assert tail == "审判员立案法官甲二〇二四年四月三日（院印）本件与原本核对无异书记员书记员丙"


def test_rejected_ruling_states_the_reason_and_the_way_on(full_court, agreed, centre, tmp_path):
    d = agreed()
    services.confirmation_apply(dispute=d, actor=centre, applied_on=date(2024, 4, 1),
                                applicant_ids=list(d.parties.values_list("pk", flat=True)))
    d = services.confirmation_rule(dispute=d, actor=centre, ruling="rejected", ruled_on=date(2024, 4, 13),
                                   reason="协议约定的利息超过法律规定的上限。")
    pdf, docx = _texts(d, "ruling", tmp_path)
    for text in (pdf, docx):
        assert "本院经审查认为，协议约定的利息超过法律规定的上限。依照" in text
        # the legal basis of a rejection: 民事诉讼法 (2023) 第二百零六条 (不符合法律规定的，裁定驳回申请) and the
        # SPC's 民诉法解释 (2022 revision) 第三百五十八条 (the grounds: 违反法律强制性规定 … 内容不明确; the 2015
        # text's 第三百六十条) — not 第三百五十五条 (不予受理) nor the confirmed ruling's 第二百零五条
        assert ("依照《中华人民共和国民事诉讼法》第二百零六条，《最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释》"
                "第三百五十八条规定，裁定如下：") in text
        assert "第二百零五条" not in text and "第三百六十条" not in text
        assert "驳回申请人申请人1号、被申请人1号的司法确认申请" in text
        assert "也可以向人民法院提起诉讼" in text
        assert "二〇二四年四月十三日（院印）" in text
        assert text.endswith("本件与原本核对无异书记员")  # no clerk recorded: the line is left to sign


def test_application_is_the_parties_paper_addressed_to_the_court(traffic_ruling, tmp_path):
    pdf, docx = _texts(traffic_ruling, "application", tmp_path)
    for text in (pdf, docx):
        assert text.startswith("司法确认申请书申请人：")  # the parties write it: no court heading, no case number
        assert "请求事项：确认申请人" in text and "事实和理由：" in text
        assert "此致山东省枣庄市薛城区人民法院附：调解协议书" in text
        assert "2024年4月1日" in text.split("附：调解协议书")[1]


def test_agreement_heading_and_seal(traffic_ruling, tmp_path):
    pdf, docx = _texts(traffic_ruling, "agreement", tmp_path)
    for text in (pdf, docx):
        assert text.startswith("山东省枣庄市薛城区人民法院调解协议书")
        assert "调解员（签名）：调解员甲" in text and text.endswith("2024年3月20日（调解组织印章）")


def test_notice_heading_and_date(full_court, confirmed_and_filed, tmp_path):
    _d, f = confirmed_and_filed
    pdf, docx = _texts(f, "notice", tmp_path)
    for text in (pdf, docx):
        assert text.startswith("山东省枣庄市薛城区人民法院转立案通知书(2024)鲁0403民初1号")
        assert "民间借贷纠纷一案" in text and "纠纷纠纷" not in text
        assert text.endswith("特此通知。二〇二四年三月十二日（院印）")


def test_chinese_numeral_dates():
    assert documents.cn_date_upper(date(2024, 4, 3)) == "二〇二四年四月三日"
    assert documents.cn_date_upper(date(2016, 10, 20)) == "二〇一六年十月二十日"
    assert documents.cn_date_upper(date(2020, 12, 31)) == "二〇二〇年十二月三十一日"
    assert documents.cn_date_upper(date(2019, 11, 11)) == "二〇一九年十一月十一日"


def test_cause_text():
    assert documents.cause_text("机动车交通事故责任纠纷") == "机动车交通事故责任纠纷"
    assert documents.cause_text("劳动争议") == "劳动争议"
    assert documents.cause_text("民间借贷") == "民间借贷纠纷"


def test_ruling_form_offers_the_courts_clerks(traffic_ruling, full_court):
    from tianping.mediation.forms import RulingForm

    labels = [label for value, label in RulingForm(dispute=traffic_ruling).fields["clerk"].choices if value]
    assert labels == ["书记员丙"]
