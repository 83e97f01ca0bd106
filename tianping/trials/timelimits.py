"""Statutory time limits (法定审限) as data rows: type code × procedure, the limit, its legal basis (law and
article) and the date range in which it applies to a case's filing date. A change of law is a new row; the old
row keeps applying to cases filed while it was in force. Migration 0007 loads these rows into TimeLimit.

Periods counted "within N days from filing" end N days after the filing day (民事诉讼法 第八十五条 of the 2021 text,
第八十二条 of the 2012 text: "期间开始的时和日，不计算在期间内"); months end on the same day N months later.

Sources (see docs/trials.md for the quotations):
- 民事诉讼法 2012 text (in force 2013-01-01; the 2017 amendment changed no article number used here) and 2021 text
  (in force 2022-01-01). The 2023 amendment (in force 2024-01-01) could not be checked in the search tool: its
  article numbers are NOT asserted here; the 2021 rows stay in force until a verified row replaces them.
- 行政诉讼法 1989 text (第五十七条 3 months, 第六十条 2 months) and 2014 text (in force 2015-05-01).
- 刑事诉讼法 2012 text (in force 2013-01-01) and 2018 text (in force 2018-10-26).
- 《最高人民法院关于人民法院办理执行案件若干期限的规定》(法发〔2006〕35号, in force 2007-01-01) 第一条.
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple


class LimitRow(NamedTuple):
    type_code: str
    procedure: str           # tianping.trials.models.Procedure value; "" = the type code's default
    months: int
    days: int
    law: str
    article: str
    valid_from: date | None  # None: since before the earliest case tianping keeps
    valid_to: date | None    # None: still in force
    note: str = ""


CPL12 = "民事诉讼法（2012年修正）"
CPL21 = "民事诉讼法（2021年修正）"
ALL89 = "行政诉讼法（1989年）"
ALL14 = "行政诉讼法（2014年修正）"
CRPL12 = "刑事诉讼法（2012年修正）"
CRPL18 = "刑事诉讼法（2018年修正）"
ENF06 = "最高人民法院关于人民法院办理执行案件若干期限的规定（法发〔2006〕35号）"

D2013, END2021, D2022 = date(2013, 1, 1), date(2021, 12, 31), date(2022, 1, 1)
END2015_04, D2015_05 = date(2015, 4, 30), date(2015, 5, 1)
END2018, D2018 = date(2018, 10, 25), date(2018, 10, 26)
D2007 = date(2007, 1, 1)


def _civil(type_code: str, procedure: str, months: int, days: int, art12: str, art21: str, note: str = "",
           months21: int | None = None, days21: int | None = None) -> list[LimitRow]:
    return [
        LimitRow(type_code, procedure, months, days, CPL12, art12, None, END2021, note),
        LimitRow(type_code, procedure, months if months21 is None else months21,
                 days if days21 is None else days21, CPL21, art21, D2022, None, note),
    ]


LIMIT_ROWS: tuple[LimitRow, ...] = (
    # 民事一审: 普通程序 "应当在立案之日起六个月内审结"; 简易程序 "三个月内审结"
    *_civil("民初", "ordinary", 6, 0, "第一百四十九条", "第一百五十二条"),
    *_civil("民初", "summary", 3, 0, "第一百六十一条", "第一百六十四条"),
    # 小额诉讼: in the 2012 text a form of summary procedure (第一百六十二条, 审限 第一百六十一条 三个月);
    # the 2021 text gives it two months of its own (第一百六十八条)
    *_civil("民初", "small_claims", 3, 0, "第一百六十二条、第一百六十一条", "第一百六十八条", months21=2),
    *_civil("民初", "", 6, 0, "第一百四十九条", "第一百五十二条", "未注明程序时按普通程序"),
    # 二审: "对判决的上诉案件 … 三个月内审结"; "对裁定的上诉案件 … 三十日内作出终审裁定"
    *_civil("民终", "", 3, 0, "第一百七十六条第一款", "第一百八十三条第一款", "对判决的上诉"),
    *_civil("民终", "second_instance", 3, 0, "第一百七十六条第一款", "第一百八十三条第一款", "对判决的上诉"),
    *_civil("民终", "ruling_appeal", 0, 30, "第一百七十六条第二款", "第一百八十三条第二款", "对裁定的上诉"),
    *_civil("民辖终", "", 0, 30, "第一百七十六条第二款", "第一百八十三条第二款", "管辖权异议裁定的上诉"),
    # 特别程序: "应当在立案之日起三十日内或者公告期满后三十日内审结" — 30 days, not one calendar month
    *_civil("民特", "", 0, 30, "第一百八十条", "第一百八十七条", "公告案件自公告期满起算；选民资格案件须在选举日前审结"),
    # 再审: "发生法律效力的判决、裁定是由第一审法院作出的，按照第一审程序审理 … 由第二审法院作出的 … 按照第二审
    # 程序审理 … 上级人民法院按照审判监督程序提审的，按照第二审程序审理"
    *_civil("民再", "retrial_first", 6, 0, "第二百零七条、第一百四十九条", "第二百一十四条、第一百五十二条",
            "按第一审程序再审（普通程序审限）"),
    *_civil("民再", "retrial_second", 3, 0, "第二百零七条、第一百七十六条", "第二百一十四条、第一百八十三条",
            "按第二审程序再审、提审"),
    *_civil("民再", "", 6, 0, "第二百零七条、第一百四十九条", "第二百一十四条、第一百五十二条",
            "未注明按何程序再审时按第一审程序"),
    # 再审申请审查: "人民法院应当自收到再审申请书之日起三个月内审查"
    *_civil("民申", "", 3, 0, "第二百零四条", "第二百一十一条"),
    # 执行行为异议: "人民法院应当自收到书面异议之日起十五日内审查"
    *_civil("执异", "", 0, 15, "第二百二十五条", "第二百三十二条"),
    # 执行实施类案件 (annex 1001: 执、执恢、执保): "一般应当在立案之日起6个月内执结"
    LimitRow("执", "", 6, 0, ENF06, "第一条第一款", D2007, None, "被执行人有财产可供执行的案件"),
    LimitRow("执恢", "", 6, 0, ENF06, "第一条第一款", D2007, None, "恢复执行属执行实施类案件"),
    LimitRow("执保", "", 6, 0, ENF06, "第一条第一款", D2007, None, "财产保全执行属执行实施类案件（代字标准 1001）"),
    # 行政: 1989 text 3 months / 2 months; 2014 text 6 months, 45 days (简易), 3 months (上诉)
    LimitRow("行初", "ordinary", 3, 0, ALL89, "第五十七条", None, END2015_04),
    LimitRow("行初", "ordinary", 6, 0, ALL14, "第八十一条", D2015_05, None),
    LimitRow("行初", "summary", 0, 45, ALL14, "第八十三条", D2015_05, None, "2014 年修正新设简易程序"),
    LimitRow("行初", "", 3, 0, ALL89, "第五十七条", None, END2015_04, "未注明程序时按普通程序"),
    LimitRow("行初", "", 6, 0, ALL14, "第八十一条", D2015_05, None, "未注明程序时按普通程序"),
    LimitRow("行终", "", 2, 0, ALL89, "第六十条", None, END2015_04),
    LimitRow("行终", "", 3, 0, ALL14, "第八十八条", D2015_05, None),
    # 刑事: "二个月以内宣判，至迟不得超过三个月"; 简易程序 "二十日以内审结"; 二审 "二个月以内审结"
    LimitRow("刑初", "ordinary", 3, 0, CRPL12, "第二百零二条", D2013, END2018, "二个月以内宣判，至迟不超过三个月"),
    LimitRow("刑初", "ordinary", 3, 0, CRPL18, "第二百零八条", D2018, None, "二个月以内宣判，至迟不超过三个月"),
    LimitRow("刑初", "summary", 0, 20, CRPL12, "第二百一十四条", D2013, END2018),
    LimitRow("刑初", "summary", 0, 20, CRPL18, "第二百二十条", D2018, None),
    LimitRow("刑初", "", 3, 0, CRPL12, "第二百零二条", D2013, END2018, "未注明程序时按普通程序"),
    LimitRow("刑初", "", 3, 0, CRPL18, "第二百零八条", D2018, None, "未注明程序时按普通程序"),
    LimitRow("刑终", "", 2, 0, CRPL12, "第二百三十二条", D2013, END2018),
    LimitRow("刑终", "", 2, 0, CRPL18, "第二百四十三条", D2018, None),
    # not a trial limit of a statute: the court's pre-litigation mediation period (the SPC text was not found)
    LimitRow("民诉前调", "", 0, 30, "本院诉前调解工作规则", "", None, None, "诉前调解期限 30 日，当事人同意可延长"),
)
