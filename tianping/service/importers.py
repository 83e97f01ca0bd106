"""Registers of the service records (see tianping.core.importexport; one declaration drives the template, the
parser, the export and `manage.py import_data KIND FILE` / `export_data`).

- `revisits`: one row per person contacted; natural key 案号 + 被回访人 + 回访日期. An unknown 案号 is a row
  error; staff are resolved within the court (张伟(0312) where two share a name). A row rated 不满意 or 非常不满意
  opens the revisit's one follow-up.
- `circuit_trials`: natural key 日期 + 乡镇街道 + 地点 + 承办人 + 形式; a place not on the court's list is added.
- `outreach_events`: natural key 日期 + 活动名称; 参加人员 get the points of rule `outreach_event`.
- `partner_visits`: natural key 联系点 + 结对支部或领导 + 日期; a pairing not set up yet starts on the visit's date.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy

from tianping.core.importexport import ImportContext, parse_choice, parse_date, parse_int, parse_text
from tianping.core.registers import Column, Register, register
from tianping.org.importers import resolve_department, resolve_people, resolve_person
from tianping.service.models import (
    CircuitForm,
    CircuitTrial,
    OutreachEvent,
    OutreachKind,
    PartnerKind,
    PartnerVisit,
    Rating,
    Relation,
    Revisit,
    RevisitMethod,
)


def _labels(choices: Any) -> list[str]:
    return [str(label) for _v, label in choices.choices]


def _services() -> Any:
    from tianping.service import services

    return services


def resolve_case(ctx: ImportContext, text: Any) -> Any:
    """A case of the import's court by its 案号 (full-width brackets accepted)."""
    from tianping.trials.models import Case

    number = parse_text(text).replace("（", "(").replace("）", ")")
    if not number:
        return None
    cache = ctx.cache.setdefault("cases_by_number", {})
    if number not in cache:
        qs = Case.objects.filter(number=number)
        if ctx.court is not None:
            qs = qs.filter(court=ctx.court)
        cache[number] = qs.first()
    if cache[number] is None:
        raise ValueError(f"本院没有案号为“{number[:60]}”的案件，请核对案号（须与审判系统一致）。")
    return cache[number]


_parse_rating_label = parse_choice(Rating)


def parse_rating(value: Any) -> int | None:
    """A satisfaction level by its label (满意) or number (4); empty → None (no rating given)."""
    return _parse_rating_label(value) or None


def _label_of(p: Any) -> str:
    return p.label if p is not None else ""


def _people_export(attr: str) -> Any:
    return lambda obj: "、".join(p.label for p in getattr(obj, attr).all())


def _year_option() -> Any:
    from tianping.core.registers import ExportOption

    def apply(field: str) -> Any:
        def _apply(qs: Any, raw: str) -> Any:
            if not raw.isdigit():
                raise ValueError(f"--year 应为四位年份，如 2026，收到“{raw}”。")
            return qs.filter(**{f"{field}__year": int(raw)})
        return _apply
    return lambda field: ExportOption("year", "年度，如 2026", apply(field))


YEAR = _year_option()


# --- revisits -----------------------------------------------------------------------------------------------
def _revisit_export(user: Any, court: Any) -> Any:
    qs = Revisit.objects.visible_to(user) if user is not None else Revisit.objects.all()
    if court is not None:
        qs = qs.filter(court=court)
    return qs.select_related("case", "caller").order_by("revisited_on", "id")


def _revisit_prepare(ctx: ImportContext, values: dict[str, Any]) -> dict[str, Any]:
    from tianping.core.importexport import RowError

    case, day = values.get("case"), values.get("revisited_on")
    if case is not None and day is not None and case.closed_on and day < case.closed_on:
        raise RowError("回访日期", f"回访日期早于该案结案日期（{case.closed_on.isoformat()}），请核对。")
    if case is not None and case.closed_on is None:
        raise RowError("案号", "该案尚未结案，结案后才能回访。")
    return values


register(Register(
    kind="revisits", title=gettext_lazy("案件回访"), model=Revisit,
    natural_key=("case", "contact_name", "revisited_on"),
    prepare_row=_revisit_prepare,
    save_row=lambda ctx, values: _services().revisit_import_row(actor=ctx.user, court=ctx.court, values=values),
    export_queryset=_revisit_export, export_options=[YEAR("revisited_on")],
    description=gettext_lazy("每行一名被回访人：按 案号 + 被回访人 + 回访日期 识别，已有的记录会被更新；评价为不满意或非常不满意的"
                "自动生成一项整改任务。回访人按姓名在本院查找，同名时写成 姓名(工号)。"),
    columns=[
        Column("案号", "case", required=True, text=True, parse=parse_text, resolve=resolve_case, width=26,
               export=lambda r: r.case.number, example="(2026)鲁0403民初1234号"),
        Column("回访日期", "revisited_on", required=True, parse=parse_date, example="2026-05-20"),
        Column("回访方式", "method", required=True, parse=parse_choice(RevisitMethod),
               choices=_labels(RevisitMethod), export=lambda r: r.get_method_display(), example="电话"),
        Column("回访人", "caller", required=True, parse=parse_text, resolve=resolve_person,
               export=lambda r: _label_of(r.caller), example="张伟", help="本院人员姓名；同名时写成 张伟(0312)。"),
        Column("被回访人", "contact_name", required=True, parse=parse_text, example="王某某"),
        Column("与案件关系", "relation", required=True, parse=parse_choice(Relation), choices=_labels(Relation),
               export=lambda r: r.get_relation_display(), example="原告"),
        Column("满意度", "rating", parse=parse_rating, choices=_labels(Rating),
               export=lambda r: r.get_rating_display() if r.rating else "", example="满意",
               help="未作评价留空（不计入满意率）。"),
        Column("意见建议", "comments", parse=parse_text, width=24),
        Column("处理情况", "handling", parse=parse_text, width=24),
    ],
))


# --- circuit trials ----------------------------------------------------------------------------------------
def _circuit_export(user: Any, court: Any) -> Any:
    qs = CircuitTrial.objects.visible_to(user) if user is not None else CircuitTrial.objects.all()
    if court is not None:
        qs = qs.filter(court=court)
    return qs.select_related("case", "place", "department", "judge").order_by("held_on", "id")


def _circuit_prepare(ctx: ImportContext, values: dict[str, Any]) -> dict[str, Any]:
    values["place_name"] = values.pop("place", "")
    return values


register(Register(
    kind="circuit_trials", title=gettext_lazy("巡回审判"), model=CircuitTrial,
    natural_key=("held_on", "township", "place", "judge", "form"),
    prepare_row=_circuit_prepare,
    save_row=lambda ctx, values: _services().circuit_import_row(actor=ctx.user, court=ctx.court, values=values),
    export_queryset=_circuit_export, export_options=[YEAR("held_on")],
    description=gettext_lazy("每行一次巡回开庭、巡回调解或就地宣判；地点不在本院地点清单中的会加入清单。"),
    columns=[
        Column("日期", "held_on", required=True, parse=parse_date, example="2026-05-20"),
        Column("形式", "form", required=True, parse=parse_choice(CircuitForm), choices=_labels(CircuitForm),
               export=lambda t: t.get_form_display(), example="巡回开庭"),
        Column("案号", "case", text=True, parse=parse_text, resolve=resolve_case, width=26,
               export=lambda t: t.case.number if t.case_id else "", example="", help="没有对应案件（如法治讲座式开庭）留空。"),
        Column("乡镇街道", "township", required=True, parse=parse_text, export=lambda t: t.place.township,
               example="沙沟镇"),
        Column("地点", "place", required=True, parse=parse_text, export=lambda t: t.place.name, example="前良村"),
        Column("承办部门", "department", required=True, parse=parse_text, resolve=resolve_department,
               export=lambda t: t.department.name, example="沙沟人民法庭"),
        Column("承办人", "judge", required=True, parse=parse_text, resolve=resolve_person,
               export=lambda t: _label_of(t.judge), example="张伟"),
        Column("旁听人数", "audience", parse=parse_int, example=30),
        Column("备注", "note", parse=parse_text, width=24),
    ],
))


# --- 法官六进 and legal publicity -----------------------------------------------------------------------------
def _outreach_export(user: Any, court: Any) -> Any:
    from tianping.org.models import Person

    qs = OutreachEvent.objects.visible_to(user) if user is not None else OutreachEvent.objects.all()
    if court is not None:
        qs = qs.filter(court=court)
    return (qs.select_related("department", "branch")
            .prefetch_related(Prefetch("participants", queryset=Person.objects.order_by("id")))
            .order_by("held_on", "id"))


def resolve_organiser(ctx: ImportContext, text: Any) -> tuple[Any, Any]:
    """(department, branch): a party organisation of the court by its name, else a department."""
    from tianping.core.importexport import resolve_by_name
    from tianping.party.models import PartyOrganisation

    name = parse_text(text)
    if not name:
        return (None, None)
    try:
        return (None, resolve_by_name(ctx, PartyOrganisation.objects.all, name, label="党组织",
                                      cache_key="party_orgs"))
    except ValueError:
        pass
    try:
        return (resolve_department(ctx, name), None)
    except ValueError:
        raise ValueError(f"本院没有名为“{name[:30]}”的部门或党组织，请核对名称。") from None


register(Register(
    kind="outreach_events", title=gettext_lazy("法官六进与法制宣传"), model=OutreachEvent,
    natural_key=("held_on", "title"),
    save_row=lambda ctx, values: _services().outreach_import_row(actor=ctx.user, court=ctx.court, values=values),
    export_queryset=_outreach_export, export_options=[YEAR("held_on")],
    description=gettext_lazy("每行一次活动；参加人员按积分规则“参加法官六进、法制宣传活动”计分。"),
    columns=[
        Column("日期", "held_on", required=True, parse=parse_date, example="2026-05-20"),
        Column("活动名称", "title", required=True, parse=parse_text, example="“送法进校园”法治讲座", width=24),
        Column("活动类型", "kind", required=True, parse=parse_choice(OutreachKind), choices=_labels(OutreachKind),
               export=lambda e: e.get_kind_display(), example="法官进学校"),
        Column("地点", "place", required=True, parse=parse_text, example="薛城区实验小学"),
        Column("组织部门或支部", "organiser", required=True, parse=parse_text, resolve=resolve_organiser,
               export=lambda e: e.organiser_label, example="民事审判第一庭"),
        Column("参加人员", "participants", required=True, parse=parse_text, resolve=resolve_people,
               export=_people_export("participants"), example="张伟、李娜", width=20,
               help="多人用顿号“、”分隔；同名时写成 张伟(0312)。"),
        Column("受众人数", "audience", parse=parse_int, example=200),
        Column("发放材料份数", "materials", parse=parse_int, example=300),
    ],
))


# --- 双包双联 -----------------------------------------------------------------------------------------------
def _visit_export(user: Any, court: Any) -> Any:
    from tianping.org.models import Person

    qs = PartnerVisit.objects.visible_to(user) if user is not None else PartnerVisit.objects.all()
    if court is not None:
        qs = qs.filter(court=court)
    return (qs.select_related("partnership__branch", "partnership__leader")
            .prefetch_related(Prefetch("visitors", queryset=Person.objects.order_by("id")))
            .order_by("visited_on", "id"))


def resolve_paired(ctx: ImportContext, text: Any) -> tuple[Any, Any]:
    """(branch, leader): a party organisation of the court by name, else a person (张伟(0312))."""
    from tianping.core.importexport import resolve_by_name
    from tianping.party.models import PartyOrganisation

    name = parse_text(text)
    try:
        return (resolve_by_name(ctx, PartyOrganisation.objects.all, name, label="党组织", cache_key="party_orgs"),
                None)
    except ValueError:
        pass
    try:
        return (None, resolve_person(ctx, name))
    except ValueError:
        raise ValueError(f"本院没有名为“{name[:30]}”的党支部或人员，请核对。") from None


def _paired_label(v: PartnerVisit) -> str:
    p = v.partnership
    return p.branch.name if p.branch is not None else _label_of(p.leader)


register(Register(
    kind="partner_visits", title=gettext_lazy("双包双联走访"), model=PartnerVisit,
    natural_key=("partner", "paired", "visited_on"),
    save_row=lambda ctx, values: _services().visit_import_row(actor=ctx.user, court=ctx.court, values=values),
    export_queryset=_visit_export, export_options=[YEAR("visited_on")],
    description=gettext_lazy("每行一次走访；联系点与结对支部或领导的结对关系尚未登记的，从走访日期起登记。"),
    columns=[
        Column("日期", "visited_on", required=True, parse=parse_date, example="2026-05-20"),
        Column("联系点", "partner", required=True, parse=parse_text, export=lambda v: v.partnership.partner,
               example="薛城区沙沟镇前良村"),
        Column("联系点类型", "partner_kind", required=True, parse=parse_choice(PartnerKind),
               choices=_labels(PartnerKind), export=lambda v: v.partnership.get_partner_kind_display(),
               example="村居"),
        Column("结对支部或领导", "paired", required=True, parse=parse_text, resolve=resolve_paired,
               export=_paired_label, example="沙沟法庭党支部"),
        Column("走访人员", "visitors", required=True, parse=parse_text, resolve=resolve_people,
               export=_people_export("visitors"), example="张伟、李娜", width=20),
        Column("走访事项", "matters", required=True, parse=parse_text, example="了解村民矛盾纠纷情况", width=24),
        Column("解决问题", "solved", parse=parse_text, example="", width=24),
    ],
))
