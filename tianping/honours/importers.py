"""Spreadsheet layouts of KIND `honours` (表彰奖励) and `pioneer_posts` (党员先锋岗, one row per holder).

honours: a row is matched to an existing honour by 荣誉名称 + 授予日期 + 获得者 within the court (an existing one
gets its level, issuing body and certificate number updated). 获得者 is a person (张伟, or 张伟(0312) where two
share a name) for 个人, and for 集体 a department's or a party organisation's exact name, or 本院. Recording an
individual honour awards its holder's points, as the form does (honours.services.honour_record).

pioneer_posts: a row names a post (created when new, its type and department updated when changed) and one
party member on it from 开始日期 (to 结束日期); the same post + member + start updates the end and the pledge."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy

from tianping.core.importexport import RowError, parse_date, parse_text
from tianping.core.registers import Column, Register, register
from tianping.honours import services
from tianping.honours.models import HolderKind, Honour, HonourSource, PioneerPost, PostHolder
from tianping.org.importers import resolve_department, resolve_person

COURT_WORDS = {"本院", "法院"}


def _holder_text(h: Honour) -> str:
    if h.holder_kind == HolderKind.PERSON:
        return h.person.label if h.person is not None else ""
    if h.holder_kind == HolderKind.COURT:
        return "本院"
    return h.holder_name


def resolve_collective(ctx: Any, value: Any) -> dict[str, Any]:
    """本院, a department of the court, or a party organisation of the court, by its exact name."""
    from tianping.org.models import Department
    from tianping.party.models import PartyOrganisation

    text = parse_text(value)
    if text in COURT_WORDS or text == getattr(ctx.court, "name", None):
        return {"holder_kind": HolderKind.COURT}
    dep = Department.objects.filter(court=ctx.court, name=text).first()
    if dep is not None:
        return {"holder_kind": HolderKind.DEPARTMENT, "department": dep}
    org = PartyOrganisation.objects.filter(court=ctx.court, name=text).first()
    if org is not None:
        return {"holder_kind": HolderKind.BRANCH, "organisation": org}
    raise ValueError(f"本院没有名为“{text[:30]}”的部门或党组织；集体荣誉的获得者请写部门名称、党组织名称或“本院”。")


def prepare_honour_row(ctx: Any, values: dict[str, Any]) -> dict[str, Any]:
    kind, holder = values.get("holder_type"), values.get("holder")
    if kind == "个人":
        try:
            values["holder"] = {"holder_kind": HolderKind.PERSON, "person": resolve_person(ctx, holder)}
        except ValueError as exc:
            raise RowError("获得者", str(exc)) from exc
    else:
        try:
            values["holder"] = resolve_collective(ctx, holder)
        except ValueError as exc:
            raise RowError("获得者", str(exc)) from exc
    return values


def save_honour_row(ctx: Any, values: dict[str, Any]) -> str:
    holder = values["holder"]
    data = {"name": values["name"], "level": values["level"], "issuer": values["issuer"],
            "awarded_on": values["awarded_on"], "certificate_number": values.get("certificate_number") or "",
            **holder}
    existing = Honour.objects.filter(court=ctx.court, name=data["name"], awarded_on=data["awarded_on"],
                                     holder_kind=holder["holder_kind"], person=holder.get("person"),
                                     department=holder.get("department"),
                                     organisation=holder.get("organisation")).first()
    if existing is None:
        services.honour_record(actor=ctx.user, court=ctx.court, data=data, source=HonourSource.IMPORT)
        return "created"
    before = (existing.level, existing.issuer, existing.certificate_number)
    services.honour_update(actor=ctx.user, honour=existing, data={
        "level": data["level"], "issuer": data["issuer"], "certificate_number": data["certificate_number"]})
    return "unchanged" if before == (existing.level, existing.issuer, existing.certificate_number) else "updated"


def _honour_export(user: Any, court: Any) -> Any:
    qs = Honour.objects.visible_to(user)
    if court is not None:
        qs = qs.filter(court=court)
    return qs.select_related("person", "department", "organisation").order_by("awarded_on", "name")


register(Register(
    kind="honours", title=gettext_lazy("表彰奖励"), model=Honour, natural_key=("name", "awarded_on", "holder"),
    save_row=save_honour_row, prepare_row=prepare_honour_row, export_queryset=_honour_export,
    extra={"list_url_name": "honours:honour_list"},
    description=gettext_lazy("表彰奖励：按 荣誉名称+授予日期+获得者 识别，已有的记录会更新级别、授予机关和证书编号。"),
    columns=[
        Column("荣誉名称", "name", required=True, example="优秀共产党员", width=22),
        Column("级别", "level", required=True, example="院级"),
        Column("授予机关", "issuer", required=True, example="中共薛城区人民法院机关委员会", width=24),
        Column("授予日期", "awarded_on", required=True, example="2016-07-01"),
        Column("获得者类型", "holder_type", required=True, choices=["个人", "集体"], parse=parse_text,
               export=lambda h: "个人" if h.holder_kind == HolderKind.PERSON else "集体", example="个人"),
        Column("获得者", "holder", required=True, parse=parse_text, export=_holder_text, example="张伟(0312)",
               help="个人写姓名，同名者写 姓名(工号)；集体写部门名称、党组织名称或“本院”。"),
        Column("证书编号", "certificate_number", text=True, example="XC-2016-012"),
    ],
))


# --- pioneer posts ----------------------------------------------------------------------------------------------
def save_post_row(ctx: Any, values: dict[str, Any]) -> str:
    window = values["window"]
    post = PioneerPost.objects.filter(court=ctx.court, name=values["name"]).first()
    action = "unchanged"
    data = {"window": window, "department": values["department"]}
    if post is None:
        post = services.post_save(actor=ctx.user, court=ctx.court, data={"name": values["name"], **data})
        action = "created"
    elif (post.window, post.department_id) != (window, values["department"].pk):
        services.post_save(actor=ctx.user, court=ctx.court, post=post, data=data)
        action = "updated"
    person = values.get("person")
    if person is None:
        return action
    if values.get("start") is None:
        raise RowError("开始日期", "填写了党员时必填，如 2016-03-01。")
    pledge, end = values.get("pledge") or "", values.get("end")
    holder = PostHolder.objects.filter(post=post, person=person, start=values["start"]).first()
    if holder is None:
        services.post_holder_add(actor=ctx.user, post=post, person=person, start=values["start"], end=end,
                                 pledge=pledge)
        return "created" if action == "created" else "updated"
    if (holder.end, holder.pledge) != (end, pledge):
        services.post_holder_update(actor=ctx.user, holder=holder, end=end, pledge=pledge)
        return "updated"
    return action


def _posts_export(user: Any, court: Any) -> Any:
    qs = PostHolder.objects.visible_to(user)
    if court is not None:
        qs = qs.filter(post__court=court)
    return qs.select_related("post__department", "person").order_by("post__window", "post__name", "start")


register(Register(
    kind="pioneer_posts", title=gettext_lazy("党员先锋岗"), model=PioneerPost,
    natural_key=("name", "person", "start"),
    save_row=save_post_row, export_queryset=_posts_export,
    extra={"list_url_name": "honours:post_list"},
    description=gettext_lazy("党员先锋岗及在岗党员：一行一名党员；按 岗位名称 识别岗位（新岗位自动建立），"
                "按 岗位名称+党员+开始日期 识别在岗记录（可更新结束日期和承诺）。"),
    columns=[
        Column("岗位名称", "name", required=True, parse=parse_text, example="立案窗口党员先锋岗", width=22,
               export=lambda h: h.post.name),
        Column("岗位类型", "window", required=True, example="立案",
               export=lambda h: h.post.get_window_display()),
        Column("所在部门", "department", required=True, resolve=resolve_department, example="立案庭",
               export=lambda h: h.post.department.name),
        Column("党员", "person", parse=parse_text, resolve=lambda ctx, v: resolve_person(ctx, v),
               export=lambda h: h.person.label, example="张伟(0312)", help="同名者写 姓名(工号)。"),
        Column("承诺", "pledge", parse=parse_text, example="群众来访，热情接待，件件有回音", width=30,
               export=lambda h: h.pledge),
        Column("开始日期", "start", parse=parse_date, example="2016-03-01", export=lambda h: h.start),
        Column("结束日期", "end", parse=parse_date, example="", export=lambda h: h.end),
    ],
))

