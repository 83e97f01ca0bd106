"""Spreadsheet layout of cases from the trial system (KIND `cases`), see tianping.core.importexport.

Rows are matched by 案号 within the court: re-importing a later extract updates the cases it lists.
Judges and panel members are resolved by name within the court (张伟(0312) when two share a name).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from tianping.core.importexport import (
    RowError,
    parse_bool,
    parse_choice,
    parse_date,
    parse_decimal,
    parse_int,
    parse_text,
)
from tianping.core.registers import Column, ExportOption, Register, register
from tianping.org.importers import resolve_department, resolve_people, resolve_person
from tianping.trials.casenumbers import parse_case_number
from tianping.trials.models import AppealResult, Case, Outcome, Procedure

PROCEDURE_LABELS = [str(label) for _v, label in Procedure.choices]
OUTCOME_LABELS = [str(label) for _v, label in Outcome.choices]
APPEAL_LABELS = [str(label) for _v, label in AppealResult.choices]


def _parse_number(value) -> str:
    text = parse_text(value)
    if not text:
        return ""
    return str(parse_case_number(text))  # ValueError with the reason → row error


def _person_label(p) -> str:
    return p.label if p else ""


def _panel_export(case: Case) -> str:
    return "、".join(p.label for p in case.panel.all())


def save_case_row(ctx, values: dict) -> str:
    from tianping.trials.services import case_import_row

    return case_import_row(actor=ctx.user, court=ctx.court, values=values)


def prepare_case_row(ctx, values: dict) -> dict:
    number = values.get("number")
    if number and ctx.court is not None:
        parsed = parse_case_number(number)
        if not parsed.old_form and parsed.court_code != ctx.court.code:
            raise RowError("案号", f"案号中的法院代字“{parsed.court_code}”不是本院（{ctx.court.code}）的代字。")
    if values.get("appeal_result") and values.get("appealed") is False:
        raise RowError("二审结果", "“是否上诉”为否时不能填写二审结果。")
    if values.get("appeal_result") and values.get("appealed") is None:
        values["appealed"] = True
    return values


def _filter_year(qs, text: str):
    try:
        return qs.filter(filed_on__year=int(text))
    except ValueError as exc:
        raise ValueError(f"--year 应为四位年份，如 2016，收到“{text}”。") from exc


def _export_queryset(user, court):
    qs = Case.objects.visible_to(user) if user is not None else Case.objects.all()
    if court is not None:
        qs = qs.filter(court=court)
    return qs.select_related("judge", "department").prefetch_related("panel").order_by("filed_on", "id")


register(Register(
    kind="cases", title=gettext_lazy("案件"), model=Case, natural_key=("number",),
    save_row=save_case_row, prepare_row=prepare_case_row, export_queryset=_export_queryset,
    export_options=[ExportOption("year", "立案年度，如 2016", _filter_year)],
    description=gettext_lazy("审判系统导出的案件：按案号识别，已有的案件会被更新；承办人、合议庭成员按姓名在本院查找，"
                "同名时写成 姓名(工号)。"),
    columns=[
        Column("案号", "number", required=True, text=True, parse=_parse_number, width=26,
               example="(2016)鲁0403民初1234号",
               help="新规则案号：(年度)法院代字类型代字序号号；2016 年以前立案的案件也可填旧式案号，"
                    "如（2015）薛民初字第123号，按原样保存。"),
        Column("案由", "cause", example="民间借贷纠纷", width=18),
        Column("审判程序", "procedure", parse=parse_choice(Procedure), choices=PROCEDURE_LABELS,
               export=lambda c: c.get_procedure_display(), example="简易程序"),
        Column("立案日期", "filed_on", required=True, parse=parse_date, example="2016-03-02"),
        Column("结案日期", "closed_on", parse=parse_date, example="2016-05-20", help="未结案件留空。"),
        Column("承办部门", "department", resolve=resolve_department,
               export=lambda c: c.department.name if c.department_id else "", example="民事审判第一庭"),
        Column("承办人", "judge", resolve=resolve_person, export=lambda c: _person_label(c.judge),
               example="张伟", help="本院人员姓名；同名时写成 张伟(0312)。"),
        Column("合议庭成员", "panel", parse=parse_text, resolve=resolve_people, export=_panel_export,
               example="张伟、李娜", help="多人用顿号“、”分隔；独任审理留空。", width=20),
        Column("结案方式", "outcome", parse=parse_choice(Outcome), choices=OUTCOME_LABELS,
               export=lambda c: c.get_outcome_display(), example="调解"),
        Column("审限届满日期", "deadline", parse=parse_date, example="2016-06-02",
               help="留空时按案件类型和审判程序的法定审限计算。"),
        Column("扣除审限天数", "excluded_days", parse=parse_int, example=0),
        Column("是否上诉", "appealed", parse=parse_bool, choices=["是", "否"], example="否"),
        Column("二审结果", "appeal_result", parse=parse_choice(AppealResult), choices=APPEAL_LABELS,
               export=lambda c: c.get_appeal_result_display(), example=""),
        Column("是否申请再审或申诉", "retrial_petition", parse=parse_bool, choices=["是", "否"], example="否"),
        Column("申请执行标的额", "enforcement_applied", parse=parse_decimal, example=""),
        Column("执行到位金额", "enforcement_recovered", parse=parse_decimal, example=""),
    ],
))
