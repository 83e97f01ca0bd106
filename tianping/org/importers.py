"""Spreadsheet layouts of the org registers (courts, departments, people) — the worked example of
tianping.core.importexport (read its module docstring first).

KIND names: courts (not court-scoped, key 法院代字), departments (key court + 部门名称), people (key
court + 身份证号). Only the political department (party_office) imports them."""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tianping.core.importexport import (
    ImportContext,
    court_filter,
    parse_id_number,
    parse_text,
    resolve_by_name,
    split_names,
)
from tianping.core.registers import Column, Register, register, register_court_model
from tianping.org import services
from tianping.org.models import Court, Department, Person

register_court_model(Court)


DEPARTMENT_LABEL = gettext_lazy("部门")  # translated only when a row names a department that is not there


# --- resolvers other apps' registers use: (ctx, text) → record of the import's court ---------------------

def resolve_department(ctx: ImportContext, name: Any):
    """A department of the import's court by its exact name (部门名称)."""
    return resolve_by_name(ctx, Department.objects.all, name, label=DEPARTMENT_LABEL, cache_key="departments")


def resolve_court(ctx: ImportContext, code: Any):
    """A court by its 法院代字 (鲁0403). Courts are not court-scoped; any existing court may be named."""
    text = parse_text(code)
    if not text:
        return None
    court = Court.objects.filter(code=text).first()
    if court is None:
        court = ctx.pending.get("courts", {}).get((text,))  # a preview: a court created by an earlier row
    if court is None:
        raise ValueError(_("没有法院代字为“%(code)s”的法院，请先导入该法院或核对代字。") % {"code": text[:20]})
    return court


_PERSON_RE = re.compile(r"^(?P<name>[^()（）]+?)\s*[(（]\s*(?P<staff>[^()（）]*?)\s*[)）]$")


def _people_index(ctx: ImportContext) -> dict[str, list[tuple[int, str, bool]]]:
    index = ctx.cache.get("people_index")
    if index is None:
        index = {}
        rows = court_filter(ctx, Person.objects.all()).values_list("id", "name", "staff_number", "left_on")
        for pk, name, staff, left_on in rows.iterator(chunk_size=5000):
            index.setdefault(name, []).append((pk, staff, left_on is None))
        ctx.cache["people_index"] = index
    return index


def _person_by_pk(ctx: ImportContext, pk: int):
    cache = ctx.cache.setdefault("people_by_pk", {})
    if pk not in cache:
        if len(cache) > 5000:
            cache.clear()
        cache[pk] = Person.objects.get(pk=pk)
    return cache[pk]


def resolve_person(ctx: ImportContext, text: Any):
    """A person of the import's court written as 张伟 or 张伟(0312) (staff number in half- or full-width
    brackets to tell namesakes apart). Unknown or ambiguous → ValueError naming the candidates. Among
    namesakes, one still in service wins over people who have left."""
    raw = parse_text(text)
    if not raw:
        return None
    m = _PERSON_RE.match(raw)
    name, staff = (m.group("name").strip(), m.group("staff")) if m else (raw, None)
    found = _people_index(ctx).get(name, [])
    if staff is not None:
        hits = [f for f in found if f[1] == staff]
        if len(hits) == 1:
            return _person_by_pk(ctx, hits[0][0])
        if not found:
            raise ValueError(_("本院没有名为“%(name)s”的人员，请核对姓名。") % {"name": name[:20]})
        options = "、".join(f"{name}({f[1]})" for f in found[:8] if f[1])
        raise ValueError(_("本院没有工号为 %(staff)s 的“%(name)s”，可选：%(options)s。") % {
            "staff": staff[:20], "name": name, "options": options or _("（均无工号）")})
    if len(found) == 1:
        return _person_by_pk(ctx, found[0][0])
    if not found:
        raise ValueError(_("本院没有名为“%(name)s”的人员，请核对姓名，或先在人员名册中添加。") % {"name": name[:20]})
    serving = [f for f in found if f[2]]
    if len(serving) == 1:
        return _person_by_pk(ctx, serving[0][0])
    options = "、".join(f"{name}({f[1]})" if f[1] else name for f in (serving or found)[:8])
    raise ValueError(_("本院有 %(n)d 个名为“%(name)s”的人员，请写成 姓名(工号) 以区分：%(options)s。") % {
        "n": len(serving or found), "name": name, "options": options})


def resolve_people(ctx: ImportContext, text: Any) -> list:
    """Several people joined by 、 → list of Person; each name as in resolve_person. All problems in one
    message, so the user fixes the cell once."""
    people, problems = [], []
    for part in split_names(text):
        try:
            people.append(resolve_person(ctx, part))
        except ValueError as exc:
            problems.append(str(exc))
    if problems:
        raise ValueError("；".join(problems))
    return people


def _write(service, *, scoped: bool = True):
    """The register's `write` hook: hand a checked batch to the org service (only services write)."""
    def write(ctx, created, updated, fields):
        kwargs = {"court": ctx.court} if scoped else {}
        service(actor=ctx.user, created=created, updated=updated, fields=fields, **kwargs)
    return write


register(Register(
    kind="courts", title=gettext_lazy("法院"), model=Court, court_scoped=False, natural_key=("code",),
    bulk=False, write=_write(services.courts_import, scoped=False),
    extra={"list_url_name": "org:court_list"},  # 上级法院代字 may name a court created a few rows earlier
    description=gettext_lazy("法院名录：按法院代字识别，已有的法院会被更新。"),
    columns=[
        Column("法院名称", "name", required=True, example="薛城区人民法院", width=22),
        Column("法院代字", "code", required=True, text=True, example="鲁0403",
               help="省份简称加 0、2 或 4 位数字，如 鲁、鲁04、鲁0403。"),
        Column("层级", "level", required=True, choices=["基层", "中级", "高级"],
               export=lambda c: c.get_level_display(), example="基层"),
        Column("上级法院代字", "parent", text=True, resolve=resolve_court,
               export=lambda c: c.parent.code if c.parent_id else "", example="鲁04",
               help="上级法院须已存在，或在本文件中位于前面的行。"),
    ],
))

register(Register(
    kind="departments", title=gettext_lazy("部门"), model=Department, natural_key=("name",),
    write=_write(services.departments_import),
    extra={"list_url_name": "org:department_list"},
    description=gettext_lazy("本院部门：按部门名称识别，已有的部门会更新类型。"),
    columns=[
        Column("部门名称", "name", required=True, example="民事审判庭", width=20),
        Column("部门类型", "type", required=True, choices=["审判业务庭", "人民法庭", "执行局", "综合部门"],
               export=lambda d: d.get_type_display(), example="审判业务庭"),
    ],
))


register(Register(
    kind="people", title=gettext_lazy("人员"), model=Person, natural_key=("id_number",),
    write=_write(services.people_import), extra={"list_url_name": "org:person_list"},
    description=gettext_lazy("人员名册：按身份证号识别，已有的人员会被更新；部门按名称在本院查找。"),
    columns=[
        Column("姓名", "name", required=True, example="张伟"),
        Column("性别", "gender", required=True, choices=["男", "女"], export=lambda p: p.get_gender_display(),
               example="男"),
        Column("出生日期", "birth_date", required=True, example="1985-03-07", help="须与身份证号中的出生日期一致。"),
        Column("身份证号", "id_number", required=True, text=True, width=22, example="370403198503070016",
               parse=parse_id_number, help="18 位，末位可为 X；请把该列设为文本格式。"),
        Column("手机号", "phone", text=True, example="13812345678"),
        Column("工号", "staff_number", text=True, example="0312", help="文本，保留前导零。"),
        Column("部门", "department", resolve=resolve_department,
               export=lambda p: p.department.name if p.department_id else "", example="民事审判庭",
               help="本院已有的部门名称。"),
        Column("职务", "post", choices=["院长", "副院长", "庭长", "副庭长", "审判员", "法官助理", "书记员",
                                        "司法警察", "综合行政人员", "其他"],
               export=lambda p: p.get_post_display(), example="审判员"),
        Column("是否员额法官", "is_quota_judge", choices=["是", "否"], example="是"),
        Column("是否院领导", "is_leadership", choices=["是", "否"], example="否"),
        Column("学历", "education", choices=["博士研究生", "硕士研究生", "大学本科", "大学专科", "其他"],
               export=lambda p: p.get_education_display(), example="大学本科"),
        Column("入职日期", "hired_on", example="2010-07-01"),
    ],
))
