"""Registers of the dispute-resolution centre.

- `disputes`: export (`manage.py export_data disputes FILE --court CODE [--status S] [--stage S] [--from DATE]
  [--to DATE]`, and 导出 on the list page) and import of a court's earlier dispute ledger: the export's columns
  plus 登记地点 (blank = the centre), matched by 编号 (re-importing updates), all or nothing; a state that does
  not fit its dates is a row error (services.dispute_import_row). New disputes are still registered through
  the intake form, whose numbers continue after the imported ones.
- `traffic_statistics`: the provinces' yearly statistics for the traffic studio's calculator
  (import and export; natural key province + year).
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from django.db.models import Prefetch
from django.utils.translation import get_language, gettext_lazy

from tianping.core.importexport import (
    parse_bool,
    parse_choice,
    parse_date,
    parse_decimal,
    parse_int,
    parse_text,
    split_names,
)
from tianping.core.registers import Column, ExportOption, Register, register
from tianping.mediation.models import (
    Committee,
    CommitteeKind,
    Dispute,
    DisputeParty,
    PartyRole,
    ProvinceStatistic,
    Route,
    Ruling,
    Source,
    Status,
)
from tianping.mediation.selectors import STAGES, stage_q


@lru_cache(maxsize=256)
def _label_cached(choices_cls, value: str, language: str) -> str:
    return str(dict(choices_cls.choices).get(value, value)) if value else ""


def _label(choices_cls, field: str):
    """Choice label for export, resolved once per (value, language) instead of once per cell."""
    return lambda d: _label_cached(choices_cls, getattr(d, field), get_language() or "")


def _names(role):
    return lambda d: "、".join(p.name for p in d.parties.all() if p.role == role)


def _services():
    from tianping.mediation import services

    return services


def _export_queryset(user, court):
    qs = Dispute.objects.all() if user is None else Dispute.objects.visible_to(user)
    if court is not None:
        qs = qs.filter(court=court)
    return (qs.select_related("mediator", "studio", "filed_case", "intake_department")
            .prefetch_related(Prefetch("parties", queryset=DisputeParty.objects.only("name", "role", "dispute_id")))
            .order_by("registered_on", "id"))


def _status(qs, raw):
    by_label = {str(label): value for value, label in Status.choices}
    value = by_label.get(raw, raw)
    if value not in Status.values:
        raise ValueError(f"状态“{raw}”无效，可用：{'、'.join(str(label) for _v, label in Status.choices)}")
    return qs.filter(status=value)


def _stage(qs, raw):
    by_label = {str(label): key for key, label in STAGES.items()}
    key = by_label.get(raw, raw)
    if key not in STAGES:
        raise ValueError(f"统计口径“{raw}”无效，可用：{'、'.join(STAGES)}")
    return qs.filter(stage_q(key))


def _date(op):
    def apply(qs, raw):
        try:
            day = date.fromisoformat(raw)
        except ValueError:
            raise ValueError(f"日期“{raw}”格式错误，应为 2024-05-01") from None
        return qs.filter(**{f"registered_on__{op}": day})
    return apply


def _save_dispute_row(ctx, values: dict) -> str:
    """登记地点, 调解员或工作室 and 立案案号 are names the service looks up, so an unknown name is reported together
    with the row's other problems (a state that does not fit its dates)."""
    return _services().dispute_import_row(actor=ctx.user, court=ctx.court, values=dict(values))


def _site_export(d) -> str:
    return d.intake_department.name if d.intake_department_id else ""


register(Register(
    kind="disputes", title=gettext_lazy("诉前调解案件"), model=Dispute, natural_key=("number",),
    save_row=_save_dispute_row,
    description=gettext_lazy("本院以前的纠纷台账：按编号识别，已有的纠纷会被更新；登记地点留空为诉讼服务中心。"
                             "状态须与日期相符（如直接立案的纠纷不能有协议达成日期，结果日期不能早于登记日期）；"
                             "状态为已登记的行只需编号、状态、案由、来源、申请人、被申请人、登记日期和分流方式。"),
    export_options=[
        ExportOption("status", "状态，如 调解中", _status),
        ExportOption("stage", "统计口径：received/diverted/concluded/succeeded/confirmed/filed", _stage),
        ExportOption("from", "登记日期自，如 2024-01-01", _date("gte")),
        ExportOption("to", "登记日期至，如 2024-12-31", _date("lte")),
    ],
    columns=[
        Column("编号", "number", text=True, width=26, required=True, parse=parse_text,
               example="(2015)鲁0403民诉前调12号"),
        Column("状态", "status", export=_label(Status, "status"), required=True, parse=parse_choice(Status),
               example="已登记"),
        Column("案由", "cause", width=18, required=True, parse=parse_text, example="民间借贷纠纷"),
        Column("来源", "source", export=_label(Source, "source"), required=True, parse=parse_choice(Source),
               example="当事人申请"),
        Column("申请人", "applicants", export=_names(PartyRole.APPLICANT), width=20, required=True,
               parse=split_names, example="张三", help="多人用顿号“、”分隔。"),
        Column("被申请人", "respondents", export=_names(PartyRole.RESPONDENT), width=20, required=True,
               parse=split_names, example="李四"),
        Column("标的额", "amount", parse=parse_decimal, example="20000"),
        Column("登记日期", "registered_on", required=True, parse=parse_date, example="2015-03-02"),
        Column("登记地点", "site", export=_site_export, parse=parse_text, example="",
               help="留空为诉讼服务中心；人民法庭服务站填法庭名称，如 沙沟人民法庭。"),
        Column("分流方式", "route", export=_label(Route, "route"), parse=parse_choice(Route), example="",
               help="已登记（未分流）的纠纷留空。"),
        Column("调解员或工作室", "handler", export=lambda d: d.handler_label, width=20, parse=parse_text,
               example=""),
        Column("受理调解日期", "accepted_on", parse=parse_date),
        Column("调解期限届满日", "deadline_on", parse=parse_date, help="留空时为受理之日起 30 日。"),
        Column("协议达成日期", "agreement_on", parse=parse_date),
        Column("协议金额", "agreement_amount", parse=parse_decimal),
        Column("司法确认案号", "confirmation_number", text=True, width=26, parse=parse_text),
        Column("确认裁定", "ruling", export=_label(Ruling, "ruling"), parse=parse_choice(Ruling)),
        Column("立案案号", "filed_case", export=lambda d: d.filed_case.number if d.filed_case_id else "",
               text=True, width=26, parse=parse_text),
        Column("结果日期", "closed_on", parse=parse_date, help="结束的日期：履行、裁定、调解不成、撤回或转立案之日。"),
    ],
))


register(Register(
    kind="traffic_statistics", title=gettext_lazy("省份年度统计数据"), model=ProvinceStatistic, natural_key=("province", "year"),
    court_scoped=False,
    write=lambda ctx, created, updated, fields: _services().statistics_import(
        actor=ctx.user, created=created, updated=updated, fields=fields),
    export_queryset=lambda user, court: ProvinceStatistic.objects.all(),
    columns=[
        Column("省份", "province", parse=parse_text, required=True, example="山东"),
        Column("统计年度", "year", parse=parse_int, required=True, example=2023),
        Column("城镇居民人均可支配收入", "urban_disposable_income", parse=parse_decimal, required=True, example="51571"),
        Column("农村居民人均可支配收入", "rural_disposable_income", parse=parse_decimal, required=True, example="23776"),
        Column("城镇居民人均消费支出", "urban_consumption", parse=parse_decimal, required=True, example="31727"),
        Column("农村居民人均消费支出", "rural_consumption", parse=parse_decimal, required=True, example="17076"),
        Column("职工年平均工资", "average_wage", parse=parse_decimal, required=True, example="108125"),
        Column("住院伙食补助标准（元/日）", "hospital_food_daily", parse=parse_decimal, example="100"),
        Column("演示数据", "is_demo", parse=parse_bool, example="否"),
        Column("来源说明", "note", parse=parse_text, example="山东省统计局"),
    ],
))


def _resolve_site(ctx, text):
    """指导地点: a station by its name or its tribunal's; blank or 诉讼服务中心 is the centre (no station)."""
    from tianping.mediation.models import Site

    name = parse_text(text)
    if name in ("", "诉讼服务中心"):
        return None
    site = Site.objects.filter(court=ctx.court, department__isnull=False).filter(name=name).first() or \
        Site.objects.filter(court=ctx.court, department__name=name).first()
    if site is None:
        raise ValueError(f"本院没有名为“{name[:30]}”的人民法庭服务站；留空为诉讼服务中心。")
    return site


register(Register(
    kind="committees", title=gettext_lazy("人民调解委员会"), model=Committee, natural_key=("name",),
    write=lambda ctx, created, updated, fields: _services().committees_import(
        actor=ctx.user, created=created, updated=updated, fields=fields),
    export_queryset=lambda user, court: (Committee.objects.visible_to(user) if user is not None
                                         else Committee.objects.all()).filter(
        **({"court": court} if court is not None else {})).select_related("site").order_by("kind", "name"),
    description=gettext_lazy("辖区内的村（居）、镇（街道）和行业性专业性人民调解委员会：按名称识别，已有的会被更新。"),
    columns=[
        Column("名称", "name", required=True, parse=parse_text, example="常庄街道人民调解委员会", width=26),
        Column("类型", "kind", required=True, parse=parse_choice(CommitteeKind),
               export=_label(CommitteeKind, "kind"), example="镇（街道）人民调解委员会", width=24),
        Column("所在镇街或行业", "area", parse=parse_text, example="常庄街道"),
        Column("主任", "director", parse=parse_text, example="王某"),
        Column("联系电话", "phone", parse=parse_text, text=True, example="13912345678"),
        Column("指导地点", "site", parse=parse_text, resolve=_resolve_site,
               export=lambda c: c.site.name if c.site_id else "", example="",
               help="负责指导的人民法庭服务站；留空为诉讼服务中心。"),
        Column("在册", "active", parse=parse_bool, example="是"),
    ],
))
