"""Spreadsheet layouts of the org registers (courts, departments, people).

Parsing and committing are done by tianping.core.importexport; this file only declares columns."""

from __future__ import annotations

from tianping.core.registers import Column, Register, register
from tianping.org.models import Court, Department, Person

register(Register(
    kind="courts", title="法院", model=Court, court_scoped=False, natural_key=("code",),
    columns=[
        Column("法院名称", "name", required=True, example="薛城区人民法院"),
        Column("法院代字", "code", required=True, text=True, example="鲁0403"),
        Column("层级", "level", required=True, choices=["基层", "中级", "高级"],
               export=lambda c: c.get_level_display(), example="基层"),
        Column("上级法院代字", "parent", text=True, export=lambda c: c.parent.code if c.parent_id else "",
               example="鲁04"),
    ],
))

register(Register(
    kind="departments", title="部门", model=Department, natural_key=("name",),
    columns=[
        Column("部门名称", "name", required=True, example="民事审判庭"),
        Column("部门类型", "type", required=True, choices=["审判业务庭", "人民法庭", "执行局", "综合部门"],
               export=lambda d: d.get_type_display(), example="审判业务庭"),
    ],
))

register(Register(
    kind="people", title="人员", model=Person, natural_key=("id_number",),
    columns=[
        Column("姓名", "name", required=True, example="张伟"),
        Column("性别", "gender", required=True, choices=["男", "女"], export=lambda p: p.get_gender_display(),
               example="男"),
        Column("出生日期", "birth_date", required=True, example="1985-03-07"),
        Column("身份证号", "id_number", required=True, text=True, width=22, example="370403198503070016"),
        Column("手机号", "phone", text=True, example="13812345678"),
        Column("工号", "staff_number", text=True, example="0312"),
        Column("部门", "department", export=lambda p: p.department.name if p.department_id else "",
               example="民事审判庭"),
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
