"""Spreadsheet layouts of the party registers (see tianping.core.importexport for the machinery).

KIND names:
- branches: 组织名称, 组织类型, 上级组织, 组建部门 (department names joined by 、); key court + 组织名称.
- members: 身份证号, 政治面貌, 所在支部, the step dates, 月工资基数; key court + 身份证号 (the person must
  already be on the staff roster, KIND people).
- dues: a month's dues sheet (姓名, 所在支部, 月份, 工资基数, 比例, 应交金额, 实交金额, 交纳日期).
  `manage.py export_data dues FILE --court CODE --month YYYY-MM [--branch 名称]`; importing the same file
  back records 实交金额 for each row (key court + person + 月份).
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy

from tianping.core.importexport import (
    RowError,
    parse_date,
    parse_decimal,
    parse_id_number,
    parse_text,
    resolve_by_name,
    split_names,
)
from tianping.core.registers import Column, ExportOption, Register, register
from tianping.org.importers import resolve_person
from tianping.party.models import (
    OrgKind,
    PartyMember,
    PartyOrganisation,
    Stage,
)

KIND_BY_LABEL = {str(label): value for value, label in OrgKind.choices}
STANDING = {"中共党员": Stage.FULL, "中共预备党员": Stage.PROBATIONARY, "发展对象": Stage.CANDIDATE,
            "入党积极分子": Stage.ACTIVIST, "入党申请人": Stage.APPLICANT}
STANDING_LABEL = {v: k for k, v in STANDING.items()}


def _parse_kind(value):
    text = parse_text(value)
    if not text:
        return None
    if text not in KIND_BY_LABEL:
        raise ValueError(f"组织类型应为 {'、'.join(KIND_BY_LABEL)} 之一。")
    return KIND_BY_LABEL[text]


def _resolve_org(ctx, value):
    return resolve_by_name(ctx, PartyOrganisation.objects.all(), value, label="党组织")


def save_branch(ctx, values: dict) -> str:
    from tianping.party.services import branch_import_row

    return branch_import_row(actor=ctx.user, court=ctx.court, values=values)


register(Register(
    kind="branches", title=gettext_lazy("党组织"), model=PartyOrganisation, natural_key=("name",),
    save_row=save_branch, bulk=False, extra={"list_url_name": "party:organisation_list"},
    description=gettext_lazy("党组织：按组织名称识别；上级组织须已存在或位于本文件前面的行；组建部门为本院部门名称，多个用、分隔。"),
    columns=[
        Column("组织名称", "name", required=True, parse=parse_text, example="沙沟法庭党支部", width=22),
        Column("组织类型", "kind", required=True, parse=_parse_kind, choices=list(KIND_BY_LABEL),
               export=lambda o: o.get_kind_display(), example="党支部"),
        Column("上级组织", "parent", parse=parse_text, export=lambda o: o.parent.name if o.parent_id else "",
               example="机关党委", width=18),
        Column("组建部门", "departments", parse=split_names,
               export=lambda o: "、".join(d.name for d in o.departments.all()), example="沙沟人民法庭", width=30,
               help="支部建在庭上：本组织依托的部门，多个用、分隔。"),
    ],
    export_queryset=lambda user, court: (PartyOrganisation.objects.visible_to(user) if user else
                                         PartyOrganisation.objects.all()).filter(
        **({"court": court} if court else {})).select_related("parent").prefetch_related("departments"),
))


def _parse_standing(value):
    text = parse_text(value)
    if text not in STANDING:
        raise ValueError(f"政治面貌应为 {'、'.join(STANDING)} 之一。")
    return STANDING[text]


def save_member(ctx, values: dict) -> str:
    from tianping.party.services import member_import_row

    return member_import_row(actor=ctx.user, court=ctx.court, values=values)


def _current_base(m):
    b = max(m.dues_bases.all(), key=lambda x: x.effective_from, default=None)
    return b.amount if b else ""


register(Register(
    kind="members", title=gettext_lazy("党员"), model=PartyMember, natural_key=("id_number",),
    save_row=save_member, extra={"list_url_name": "party:member_list"},
    description=gettext_lazy("党员名册：按身份证号识别（须已在人员名册中）；日期须与政治面貌相符、先后有序。"),
    columns=[
        Column("身份证号", "id_number", required=True, text=True, parse=parse_id_number, width=22,
               export=lambda m: m.person.id_number, example="370403198503070016"),
        Column("姓名", "name", parse=parse_text, export=lambda m: m.person.name, example="张伟",
               help="仅供核对，按身份证号识别。"),
        Column("政治面貌", "stage", required=True, parse=_parse_standing, choices=list(STANDING),
               export=lambda m: STANDING_LABEL.get(m.stage, ""), example="中共党员"),
        Column("所在支部", "branch", required=True, resolve=_resolve_org,
               export=lambda m: m.branch.name if m.branch_id else "", example="沙沟法庭党支部", width=18),
        Column("申请入党日期", "applied_on", parse=parse_date, example="2005-03-01"),
        Column("确定积极分子日期", "activist_on", parse=parse_date, example="2005-09-01"),
        Column("确定发展对象日期", "candidate_on", parse=parse_date, example="2006-10-01"),
        Column("入党日期", "admitted_on", parse=parse_date, example="2007-06-28"),
        Column("转正日期", "converted_on", parse=parse_date, example="2008-06-28"),
        Column("月工资基数", "base", parse=parse_decimal, export=_current_base, example="4500.00",
               help="税后固定月工资（元），用于计算党费。"),
    ],
    export_queryset=lambda user, court: (PartyMember.objects.visible_to(user) if user else
                                         PartyMember.objects.all()).filter(
        **({"court": court} if court else {})).select_related("person", "branch").prefetch_related("dues_bases"),
))


# --- dues --------------------------------------------------------------------------------------------
class DuesRows:
    """The rows of a monthly dues sheet, built lazily once the export options are known; quacks like the
    queryset export_data and the export views expect (iterator(), count())."""

    def __init__(self, user, court):
        self.user, self.court = user, court
        self.month: date = timezone.localdate().replace(day=1)
        self.branch_name = ""
        self._rows = None

    def with_month(self, raw: str) -> DuesRows:
        try:
            y, m = raw.strip().split("-")[:2]
            self.month = date(int(y), int(m), 1)
        except (ValueError, TypeError):
            raise ValueError(f"月份“{raw}”格式不对，请写成 YYYY-MM，如 2016-05。") from None
        self._rows = None
        return self

    def with_branch(self, raw: str) -> DuesRows:
        self.branch_name = raw.strip()
        self._rows = None
        return self

    def rows(self):
        if self._rows is None:
            from tianping.party.dues import dues_sheet

            if self.court is None and self.user is not None:
                self.court = self.user.court
            if self.court is None:
                raise ValueError("请用 --court 指定法院。")
            visible = PartyOrganisation.objects.filter(court=self.court)
            if self.user is not None:
                visible = visible.visible_to(self.user)
            ids = set(visible.values_list("pk", flat=True))
            if self.branch_name:
                org = visible.filter(name=self.branch_name).first()
                if org is None:
                    raise ValueError(f"没有可导出的党组织“{self.branch_name}”。")
                ids = {org.pk, *PartyOrganisation.objects.filter(parent=org).values_list("pk", flat=True)}
            self._rows = dues_sheet(self.court.pk, self.month, ids)
        return self._rows

    def iterator(self, chunk_size: int = 2000):
        return iter(self.rows())

    def __iter__(self):
        return iter(self.rows())

    def count(self) -> int:
        return len(self.rows())


def _parse_month(value):
    if isinstance(value, date):
        return value.replace(day=1)
    text = parse_text(value)
    try:
        y, m = text.replace("/", "-").replace("年", "-").rstrip("月").split("-")[:2]
        return date(int(y), int(m), 1)
    except (ValueError, TypeError):
        raise ValueError("月份请写成 YYYY-MM，如 2016-05。") from None


def save_dues_row(ctx, values: dict) -> str:
    from tianping.party.models import DuesPayment
    from tianping.party.services import dues_payment_record

    person = values["person"]
    member = PartyMember.objects.filter(person=person).first()
    if member is None:
        raise RowError("姓名", f"{person.name} 没有党员档案。")
    month = values["month"]
    paid = values.get("paid")
    if paid is None:
        return "unchanged"
    existing = DuesPayment.objects.filter(member=member, month=month).first()
    if existing is not None and existing.paid_amount == paid:
        return "unchanged"
    try:
        dues_payment_record(actor=ctx.user, member=member, month=month, paid_amount=paid,
                            paid_on=values.get("paid_on"))
    except ValidationError as exc:
        raise RowError("实交金额", " ".join(exc.messages)) from None
    return "updated" if existing else "created"


register(Register(
    kind="dues", title=gettext_lazy("党费收缴表"), model=PartyMember, natural_key=("person", "month"),
    import_perm="party.import_duespayment",
    save_row=save_dues_row, extra={"list_url_name": "party:dues_sheet"},
    description=gettext_lazy("某月党费收缴表：导出后填写实交金额再导入，即登记交纳。工资基数、比例、应交金额仅供核对。"),
    columns=[
        Column("姓名", "person", required=True, resolve=resolve_person, parse=parse_text,
               export=lambda r: r.member.person.label, example="张伟(0312)", help="重名时写 姓名(工号)。"),
        Column("所在支部", "branch_name", parse=parse_text, export=lambda r: r.branch.name, example="沙沟法庭党支部",
               width=18),
        Column("月份", "month", required=True, text=True, parse=_parse_month, export=lambda r: f"{r.month:%Y-%m}",
               example="2016-05"),
        Column("工资基数", "base", parse=parse_decimal, export=lambda r: r.base if r.base is not None else "",
               example="4500.00"),
        Column("比例", "rate", parse=parse_text, export=lambda r: r.rate_percent, example="1%"),
        Column("应交金额", "due", parse=parse_decimal, export=lambda r: r.due, example="45.00"),
        Column("实交金额", "paid", parse=parse_decimal, export=lambda r: r.paid, example="45.00"),
        Column("交纳日期", "paid_on", parse=parse_date,
               export=lambda r: r.payment.paid_on if r.payment and r.payment.paid_on else "", example="2016-05-10"),
    ],
    export_queryset=lambda user, court: DuesRows(user, court),
    export_options=[
        ExportOption("month", "缴费月份，如 2016-05", lambda rows, raw: rows.with_month(raw)),
        ExportOption("branch", "党支部名称（缺省为全部）", lambda rows, raw: rows.with_branch(raw)),
    ],
))

