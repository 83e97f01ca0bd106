"""The 法官寄语 as a document: the template version the letter was issued from, filled with its case, built as
mediation's document blocks so the PDF (WeasyPrint + Noto CJK) and the .docx come from the same pipeline and
always say the same."""

from __future__ import annotations

from tianping.integrity.models import JudgeLetter
from tianping.mediation.documents import Document, cn_date, cn_date_upper, render_docx, render_pdf

__all__ = ["build", "render_docx", "render_pdf"]


def values_for(letter: JudgeLetter) -> dict[str, str]:
    case = letter.case
    return {
        "法院": case.court.formal_name,
        "案号": case.number,
        "立案日期": cn_date(case.filed_on),
        "承办部门": case.department.name if case.department is not None else "",
        "承办人": case.judge.name if case.judge is not None else "",
        "投诉电话": letter.template.complaint_phone,
    }


def build(letter: JudgeLetter) -> Document:
    template, case = letter.template, letter.case
    values = values_for(letter)
    doc = Document(kind="judge_letter", filename=f"法官寄语-{case.number}", court=case.court.formal_name,
                   title=template.title, number=case.number)
    paragraphs = [p.strip() for p in template.fill(values).replace("\r\n", "\n").split("\n\n") if p.strip()]
    doc.blocks += [("indent", " ".join(line.strip() for line in p.splitlines())) for p in paragraphs]
    judge = values["承办人"]
    if judge or values["承办部门"]:
        doc.blocks.append(("p", f"承办部门：{values['承办部门'] or '—'}　　承办法官：{judge or '—'}"))
    doc.blocks.append(("p", f"投诉电话：{values['投诉电话']}"))
    doc.blocks.append(("sign", values["法院"]))
    doc.blocks.append(("date", cn_date_upper(letter.issued_on)))
    doc.blocks.append(("seal", f"（模板第 {template.version} 版）"))
    return doc
