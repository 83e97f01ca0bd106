"""The centre's documents, in Chinese, as PDF (WeasyPrint + Noto CJK) and .docx (python-docx).

Each document is first built as a list of blocks (title, case number, paragraphs, signatures); the PDF is
the blocks rendered through templates/mediation/document.html, the .docx the same blocks written with
python-docx, so both formats always say the same. The PDF's HTML loads nothing: no external resources,
and the URL fetcher refuses every request.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from tianping.core.documents import set_cjk_font
from tianping.core.validators import id_birth_date
from tianping.mediation.models import Dispute, DisputeParty, PartyKind, Room, Ruling, Source, Status

KINDS = {
    "agreement": "调解协议书",
    "application": "司法确认申请书",
    "ruling": "民事裁定书",
    "notice": "转立案通知书",
}


@dataclass
class Document:
    kind: str
    filename: str
    court: str
    title: str
    number: str = ""
    # (style, text): p, h (bold heading), indent (first-line indent), right, left, sign (signature, right half),
    # date (signing date, right), seal (where the seal goes: printed small and grey, stamped over by hand)
    blocks: list[tuple[str, str]] = field(default_factory=list)


def cn_date(d) -> str:
    return f"{d.year}年{d.month}月{d.day}日" if d else ""


_DIGITS = "〇一二三四五六七八九"


def _cn_number(n: int) -> str:
    """1..31 in Chinese numerals: 十, 十二, 二十, 三十一."""
    tens, ones = divmod(n, 10)
    return ("" if tens == 0 else ("" if tens == 1 else _DIGITS[tens]) + "十") + ("" if ones == 0 and tens else _DIGITS[ones])


def cn_date_upper(d) -> str:
    """A court's signing date in Chinese numerals (民事裁判文书制作规范): 二〇二四年四月三日."""
    if not d:
        return ""
    return "".join(_DIGITS[int(c)] for c in str(d.year)) + f"年{_cn_number(d.month)}月{_cn_number(d.day)}日"


def cause_text(cause: str) -> str:
    """A cause of action as it reads before 一案: 机动车交通事故责任纠纷 stays, 民间借贷 → 民间借贷纠纷
    (the cause list's names already end in 纠纷 or 争议; never 纠纷纠纷)."""
    cause = (cause or "").strip()
    return cause if cause.endswith(("纠纷", "争议")) else f"{cause}纠纷"


def money(v) -> str:
    return f"{v:,.2f}" if v is not None else ""


def party_line(p: DisputeParty) -> str:
    role = p.get_role_display()
    if p.kind == PartyKind.PERSON:
        born = id_birth_date(p.id_number)
        gender = ""
        if len(p.id_number) == 18 and p.id_number[16].isdigit():
            gender = "男" if int(p.id_number[16]) % 2 else "女"
        text = f"{role}：{p.name}，{gender}，{cn_date(born)}出生"
    else:
        text = f"{role}：{p.name}，统一社会信用代码 {p.credit_code}"
        if p.representative:
            text += f"，法定代表人 {p.representative}"
    if p.address:
        text += f"，住{p.address}" if p.kind == PartyKind.PERSON else f"，住所地{p.address}"
    text += "。"
    if p.agent_name:
        text += f"委托代理人：{p.agent_name}。"
    return text


def _handler(d: Dispute) -> str:
    """Who conducted the mediation, as the documents name it."""
    if d.room == Room.STUDIO and d.studio:
        return f"{d.court.formal_name}{d.studio.name}"
    if d.mediator:
        org = f"{d.mediator.organisation}" if d.mediator.organisation else ""
        return f"{org}{d.mediator.get_kind_display()}{d.mediator.name}"
    return f"{d.court.formal_name}诉调对接中心"


def _mediated(d: Dispute) -> str:
    """"经……主持调解" by the dispute's source: a court delegates (委派, before filing) or entrusts (委托, after
    filing) a mediator; a party's own application, an invited mediator or a referral has the mediator alone."""
    court, handler = d.court.formal_name, _handler(d)
    if d.source == Source.DELEGATED and not handler.startswith(court):
        return f"经{court}委派，由{handler}主持调解"
    if d.source == Source.ENTRUSTED and not handler.startswith(court):
        return f"经{court}委托{handler}主持调解"
    return f"经{handler}主持调解"


def _names(parties, role) -> str:
    return "、".join(p.name for p in parties if p.role == role)


def _terms(d: Dispute) -> list[tuple[str, str]]:
    return [("indent", line.strip()) for line in d.agreement_terms.splitlines() if line.strip()]


def _person_name(user) -> str:
    return user.person.name if user is not None and user.person_id else ""


def build(dispute: Dispute, kind: str) -> Document:
    d = dispute
    parties = list(d.parties.all())
    applicants, respondents = _names(parties, "applicant"), _names(parties, "respondent")
    court = d.court.formal_name
    cause = cause_text(d.cause)
    if kind not in KINDS:
        raise ValidationError(_("未知的文书类型。"))
    if kind in {"agreement", "application"} and not d.agreement_on:
        raise ValidationError(_("尚未达成调解协议，不能生成该文书。"))
    if kind == "ruling" and not d.ruling:
        raise ValidationError(_("尚未作出司法确认裁定，不能生成裁定书。"))
    if kind == "notice" and d.status != Status.FILED:
        raise ValidationError(_("该纠纷尚未转立案，不能生成转立案通知书。"))
    doc = Document(kind=kind, filename=f"{KINDS[kind]}-{d.number}", court=court, title=KINDS[kind])
    b = doc.blocks
    if kind == "agreement":
        # 人民调解法第二十九条: parties, facts and issues, terms, performance; signatures of the parties and the
        # mediator, the mediation organisation's seal; one copy each and one kept by the organisation
        doc.number = d.number
        b += [("p", party_line(p)) for p in parties]
        b.append(("indent", f"{applicants}与{respondents}{cause}一案，{_mediated(d)}，"
                            f"双方当事人在平等协商、自愿的基础上，于{cn_date(d.agreement_on)}达成如下协议："))
        b.append(("h", "一、纠纷的主要事实和争议事项"))
        b.append(("indent", d.summary))
        b.append(("h", "二、协议内容"))
        b += _terms(d)
        if d.agreement_amount is not None:
            b.append(("indent", f"协议金额：人民币 {money(d.agreement_amount)} 元。"))
        if d.performance_deadline:
            b.append(("indent", f"履行期限：{cn_date(d.performance_deadline)}前履行完毕。"))
        b.append(("h", "三、其他"))
        b.append(("indent", f"本协议自{cn_date(d.agreement_effective_on)}起生效。双方当事人可以自本协议生效之日起"
                            "三十日内共同向人民法院申请司法确认。本协议一式三份，双方当事人各执一份，调解组织留存一份。"))
        b += [("sign", f"{p.get_role_display()}（签名或盖章）：{p.name}") for p in parties]
        b.append(("sign", f"调解员（签名）：{d.handler_label}"))
        b.append(("right", cn_date(d.agreement_on)))
        b.append(("seal", "（调解组织印章）"))
    elif kind == "application":
        # 民事诉讼文书样式 申请书（申请司法确认调解协议用）: the parties' paper, addressed to the court
        doc.court = ""  # written by the parties: no court heading; the court is named after 此致
        doc.number = ""
        b += [("p", party_line(p).replace(p.get_role_display(), "申请人", 1)) for p in parties]
        b.append(("h", "请求事项："))
        b.append(("indent", f"确认申请人{applicants}与{respondents}于{cn_date(d.agreement_on)}{_mediated(d)}"
                            "达成的调解协议有效。"))
        b.append(("h", "事实和理由："))
        b.append(("indent", f"申请人因{cause}，于{cn_date(d.agreement_on)}{_mediated(d)}，达成了如下调解协议，"
                            f"协议于{cn_date(d.agreement_effective_on)}生效："))
        b += _terms(d)
        b.append(("indent", "申请人出于解决纠纷的目的自愿达成协议，没有恶意串通、规避法律的行为；如果因为该协议内容"
                            "而给他人造成损害的，愿意承担相应的民事责任和其他法律责任。"))
        b.append(("p", "此致"))
        b.append(("p", court))
        b.append(("p", "附：调解协议书"))
        b += [("sign", f"申请人（签名或者盖章）：{p.name}") for p in parties]
        b.append(("right", cn_date(d.confirmation_applied_on) if d.confirmation_applied_on else "　　年　　月　　日"))
    elif kind == "ruling":
        # 民事诉讼文书样式 民事裁定书（确认调解协议效力用 / 驳回司法确认申请用）
        doc.number = d.confirmation_number
        judge = _person_name(d.ruled_by)
        clerk = d.ruling_clerk.name if d.ruling_clerk else ""
        b += [("p", party_line(p).replace(p.get_role_display(), "申请人", 1)) for p in parties]
        b.append(("indent", f"{cn_date(d.agreement_on)}，申请人{applicants}与{respondents}{_mediated(d)}，"
                            "达成了如下调解协议："))
        b += _terms(d)
        b.append(("indent", f"{cn_date(d.confirmation_applied_on)}，申请人{applicants}、{respondents}向本院申请司法确认。"
                            f"本院受理后，依法指定审判员{judge or '　　　'}对本案进行了审查。"))
        if d.ruling == Ruling.CONFIRMED:
            b.append(("indent", f"本院经审查认为，申请人{applicants}与{respondents}达成的调解协议，"
                                "符合司法确认调解协议的法定条件。"))
            b.append(("indent", "依照《中华人民共和国民事诉讼法》第二百零五条、第二百零六条规定，裁定如下："))
            b.append(("indent", f"申请人{applicants}与{respondents}于{cn_date(d.agreement_on)}{_mediated(d)}"
                                "达成的调解协议有效。"))
            b.append(("indent", "当事人应当按照调解协议的约定自觉履行义务。一方当事人拒绝履行或者未全部履行的，"
                                "对方当事人可以向人民法院申请执行。"))
        else:
            reason = d.ruling_reason.strip().rstrip("。")
            b.append(("indent", f"本院经审查认为，{reason}。"))
            # 民事诉讼法 (2023) 第二百零六条 and 民诉法解释 (法释〔2022〕11号) 第三百五十八条, the grounds for 驳回申请
            # (第三百六十条 before the 2022 renumbering; 第三百五十五条 is 不予受理): as the SPC's model ruling cites them
            b.append(("indent", "依照《中华人民共和国民事诉讼法》第二百零六条，《最高人民法院关于适用〈中华人民共和国"
                                "民事诉讼法〉的解释》第三百五十八条规定，裁定如下："))
            b.append(("indent", f"驳回申请人{applicants}、{respondents}的司法确认申请。"))
            b.append(("indent", "申请人可以通过调解方式变更原调解协议或者达成新的调解协议，也可以向人民法院提起诉讼。"))
        b.append(("sign", f"审　判　员　{judge}"))
        b.append(("date", cn_date_upper(d.ruling_on)))
        b.append(("seal", "（院印）"))
        b.append(("left", "本件与原本核对无异"))
        b.append(("sign", f"书　记　员　{clerk}"))
    else:  # notice
        case = d.filed_case
        if case is None:
            raise ValidationError(_("该纠纷尚未转立案，不能生成转立案通知书。"))
        doc.number = case.number
        before = d.end_reason or ""
        for p in parties:
            b.append(("p", f"{p.name}："))
        if d.ruling == Ruling.REJECTED:
            why, before = "经调解达成的协议未获司法确认", d.ruling_reason
        elif d.end_kind == Status.WITHDRAWN:
            why = "当事人撤回诉前调解"
        elif d.end_kind == Status.FAILED:
            why = "经诉前调解未能达成协议"
        else:
            why = "经指导分流，适宜直接立案"
            before = d.triage_reason
        b.append(("indent", f"{applicants}与{respondents}{cause}一案（{d.number}），{why}"
                            f"{('（' + before.rstrip('。') + '）') if before else ''}。根据《中华人民共和国民事诉讼法》的规定，"
                            f"本院已于{cn_date(d.filed_on)}立案受理，案号为{case.number}。"))
        b.append(("indent", "诉前调解期间提交的当事人信息和材料已随案移送，无需重复提交。请当事人按照本院通知参加诉讼，"
                            "如需补充证据，请在举证期限内提交。"))
        b.append(("indent", "特此通知。"))
        b.append(("date", cn_date_upper(d.filed_on)))
        b.append(("seal", "（院印）"))
    return doc


def render_html(doc: Document) -> str:
    return render_to_string("mediation/document.html", {"doc": doc})


def _refuse_fetch(url, *args, **kwargs):
    raise ValueError(f"external resources are not loaded in documents: {url}")


def render_pdf(doc: Document) -> bytes:
    from weasyprint import HTML

    return HTML(string=render_html(doc), url_fetcher=_refuse_fetch).write_pdf()


_font = set_cjk_font  # the .docx runs' CJK font (tianping/core/documents.py)


def render_docx(doc: Document) -> bytes:
    from docx import Document as Docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt, RGBColor

    out = Docx()
    for text, size in ((doc.court, 18), (doc.title, 22)):
        if not text:
            continue
        para = out.add_paragraph()
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _font(para.add_run(text), size=size, bold=True, name="Noto Sans CJK SC")
    if doc.number:
        para = out.add_paragraph()
        para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _font(para.add_run(doc.number), size=12)
    for style, text in doc.blocks:
        para = out.add_paragraph()
        if style == "indent":
            para.paragraph_format.first_line_indent = Pt(24)
        elif style in ("right", "date", "seal"):
            para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        elif style == "sign":
            para.paragraph_format.left_indent = Pt(200)
        run = para.add_run(text)
        _font(run, size=9 if style == "seal" else 12, bold=(style == "h"))
        if style == "seal":
            run.font.color.rgb = RGBColor(0x99, 0x99, 0x99)
    buf = io.BytesIO()
    out.save(buf)
    return buf.getvalue()
