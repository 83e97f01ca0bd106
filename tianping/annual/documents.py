"""The annual report as .docx (python-docx) and PDF (WeasyPrint, Noto CJK), from the same paragraphs as the
page (figures as plain text)."""

from __future__ import annotations

import io
from typing import Any

from django.template.loader import render_to_string

from tianping.core.documents import set_cjk_font as _font


def _refuse_fetch(url: str, *args: Any, **kwargs: Any) -> Any:
    raise ValueError(f"external resources are not loaded in documents: {url}")


def render_pdf(data: dict[str, Any]) -> bytes:
    from weasyprint import HTML

    html = render_to_string("annual/report_print.html", data)
    return bytes(HTML(string=html, url_fetcher=_refuse_fetch).write_pdf())


def render_docx(data: dict[str, Any]) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    out = Document()
    para = out.add_paragraph()
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(para.add_run(data["title"]), size=20, bold=True, name="Noto Sans CJK SC")
    for p in data["paragraphs"]:
        para = out.add_paragraph()
        if p.heading:
            _font(para.add_run(p.text), size=14, bold=True, name="Noto Sans CJK SC")
        else:
            para.paragraph_format.first_line_indent = Pt(28)
            _font(para.add_run(p.text), size=12)
    out.add_paragraph()
    table = out.add_table(rows=1, cols=2)
    table.style = "Table Grid"
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "指标", "数值"
    for f in data["figures"]:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = str(f["label"]), f["text"]
    buf = io.BytesIO()
    out.save(buf)
    return buf.getvalue()
