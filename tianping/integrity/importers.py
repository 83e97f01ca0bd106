"""Registers of the integrity desk (see tianping.core.importexport):

- `judge_letters` — export only (letters come from cases): 案号, 立案日期, 承办部门, 发放日期, 发放方式, 模板版本;
  `export_data judge_letters FILE --court 鲁0403 --year 2016`.
- `family_pledges` — family pledges by 姓名 and 签订年度 (re-importing updates the pledge of that year).
- `interference_records` — 三个规定 records; a row identical to a stored record (记录人, 记录日期, 过问人, 过问内容)
  is left unchanged, so re-importing the same sheet adds nothing.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy

from tianping.core.importexport import RowError, parse_choice, parse_date, parse_int, parse_text
from tianping.core.registers import Column, ExportOption, Register, register
from tianping.integrity.choices import Handover, InterferenceKind, Relation
from tianping.integrity.models import FamilyPledge, InterferenceRecord, JudgeLetter
from tianping.org.importers import resolve_person

RELATION_LABELS = [str(label) for _v, label in Relation.choices]
KIND_LABELS = [str(label) for _v, label in InterferenceKind.choices]


def _filter_year(field: str) -> Any:
    def apply(qs: Any, text: str) -> Any:
        try:
            return qs.filter(**{f"{field}__year": int(text)})
        except ValueError as exc:
            raise ValueError(f"--year 应为四位年份，如 2016，收到“{text}”。") from exc

    return apply


def _letters_export(user: Any, court: Any) -> Any:
    qs = JudgeLetter.objects.visible_to(user) if user is not None else JudgeLetter.objects.all()
    if court is not None:
        qs = qs.filter(court=court)
    return qs.select_related("case", "case__department", "template").order_by("issued_on", "id")


register(Register(
    kind="judge_letters", title=gettext_lazy("法官寄语"), model=JudgeLetter, natural_key=("case",),
    import_permission=lambda user: False, export_queryset=_letters_export,
    export_options=[ExportOption("year", "发放年度，如 2016", _filter_year("issued_on"))],
    description=gettext_lazy("随案发放的法官寄语（只导出；寄语随立案自动生成，不导入）。"),
    columns=[
        Column("案号", "case", text=True, width=26, export=lambda le: le.case.number),
        Column("立案日期", "filed_on", export=lambda le: le.case.filed_on),
        Column("承办部门", "department", export=lambda le: le.case.department.name if le.case.department_id else ""),
        Column("发放日期", "issued_on"),
        Column("发放方式", "handover", choices=[str(label) for _v, label in Handover.choices]),
        Column("模板版本", "template", export=lambda le: le.template.version),
    ],
))


def _pledge_export(user: Any, court: Any) -> Any:
    qs = FamilyPledge.objects.visible_to(user) if user is not None else FamilyPledge.objects.all()
    if court is not None:
        qs = qs.filter(court=court)
    return qs.select_related("person").order_by("year", "person__name")


def save_pledge_row(ctx: Any, values: dict[str, Any]) -> str:
    from tianping.integrity.services import family_pledge_import_row

    return family_pledge_import_row(actor=ctx.user, court=ctx.court, values=values)


def prepare_pledge_row(ctx: Any, values: dict[str, Any]) -> dict[str, Any]:
    year, signed = values.get("year"), values.get("signed_on")
    if year is not None and not (2000 <= year <= 2999):
        raise RowError("签订年度", f"签订年度 {year} 无效，应为四位年份，如 2016。")
    if year and signed and abs(signed.year - year) > 1:
        raise RowError("签订日期", f"签订日期 {signed.isoformat()} 与签订年度 {year} 相差太远，请核对。")
    return values


register(Register(
    kind="family_pledges", title=gettext_lazy("家庭助廉承诺书"), model=FamilyPledge, natural_key=("person", "year"),
    save_row=save_pledge_row, prepare_row=prepare_pledge_row, export_queryset=_pledge_export,
    export_options=[ExportOption("year", "签订年度，如 2016", _filter_year("signed_on"))],
    description=gettext_lazy("每位干警每年一份家庭助廉承诺书：按 姓名 + 签订年度 识别，已有的会被更新；姓名同名时写成 姓名(工号)。"),
    columns=[
        Column("姓名", "person", required=True, resolve=resolve_person, export=lambda p: p.person.label,
               example="张伟", help="本院干警姓名；同名时写成 张伟(0312)。"),
        Column("签订年度", "year", required=True, parse=parse_int, example=2016),
        Column("签订日期", "signed_on", required=True, parse=parse_date, example="2016-03-08"),
        Column("家属姓名", "family_name", required=True, parse=parse_text, example="李娜"),
        Column("关系", "relation", required=True, parse=parse_choice(Relation), choices=RELATION_LABELS,
               export=lambda p: p.get_relation_display(), example="配偶"),
    ],
))


def _records_export(user: Any, court: Any) -> Any:
    qs = InterferenceRecord.objects.visible_to(user) if user is not None else InterferenceRecord.objects.all()
    if court is not None:
        qs = qs.filter(court=court)
    return qs.select_related("recorder").order_by("recorded_on", "id")


def save_record_row(ctx: Any, values: dict[str, Any]) -> str:
    from tianping.integrity.services import interference_import_row

    return interference_import_row(actor=ctx.user, court=ctx.court, values=values)


register(Register(
    kind="interference_records", title=gettext_lazy("三个规定记录"), model=InterferenceRecord,
    save_row=save_record_row, export_queryset=_records_export,
    export_options=[ExportOption("year", "记录年度，如 2016", _filter_year("recorded_on"))],
    description=gettext_lazy("领导干部干预、内部人员过问、不当接触交往的记录；与已有记录完全相同的行不会重复导入。"),
    columns=[
        Column("记录人", "recorder", required=True, resolve=resolve_person, export=lambda r: r.recorder.label,
               example="张伟"),
        Column("记录日期", "recorded_on", required=True, parse=parse_date, example="2016-05-10"),
        Column("类型", "kind", required=True, parse=parse_choice(InterferenceKind), choices=KIND_LABELS,
               export=lambda r: r.get_kind_display(), example="司法机关内部人员过问"),
        Column("过问人", "asker", required=True, parse=parse_text, example="王某"),
        Column("过问人职务", "asker_post", parse=parse_text, example="某局副局长"),
        Column("案号", "case_number", text=True, parse=parse_text, width=26, example="(2016)鲁0403民初1234号"),
        Column("过问内容", "content", required=True, parse=parse_text, width=30, example="询问案件进展"),
        Column("处理情况", "handling", required=True, parse=parse_text, width=30, example="告知依法办理，已登记"),
    ],
))
