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
