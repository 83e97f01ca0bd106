"""Province-level divisions and the courts' one-character codes: the single source for ID-number address codes
(GB 11643 via GB/T 2260) and for the court codes of case numbers (案号).

- GB/T 2260 (中华人民共和国行政区划代码): the first two digits of an address code name the province-level
  division; GB 11643-1999 says the first six digits of a resident ID number are the address code "按 GB/T 2260 的规定
  执行". `PROVINCES` lists the province-level codes of GB/T 2260 with each division's short name (简称).
- 《最高人民法院关于人民法院案件案号的若干规定》(法〔2015〕137号, in force 2016-01-01) 第四条: the high court's code is
  the province's short name, "但第三款规定情形除外"; 第三款: 内蒙古自治区高级人民法院、中国人民解放军军事法院、新疆维吾尔
  自治区高级人民法院生产建设兵团分院的法院代字分别为"内""军""兵". `COURT_CODES` is built from the same rows plus
  those two courts that are not provinces.

Data, not logic: a court user reads it in docs/trials.md.
"""

from __future__ import annotations

from typing import NamedTuple


class Province(NamedTuple):
    code: str          # GB/T 2260 province-level code (2 digits)
    name: str
    short: str         # the division's short name (简称)
    court_code: str    # the high court's 法院代字 (案号规定第四条); "" where no people's court of the mainland sits


PROVINCES: tuple[Province, ...] = (
    Province("11", "北京市", "京", "京"),
    Province("12", "天津市", "津", "津"),
    Province("13", "河北省", "冀", "冀"),
    Province("14", "山西省", "晋", "晋"),
    Province("15", "内蒙古自治区", "蒙", "内"),   # 案号规定第四条第三款: the court code is 内, not 蒙
    Province("21", "辽宁省", "辽", "辽"),
    Province("22", "吉林省", "吉", "吉"),
    Province("23", "黑龙江省", "黑", "黑"),
    Province("31", "上海市", "沪", "沪"),
    Province("32", "江苏省", "苏", "苏"),
    Province("33", "浙江省", "浙", "浙"),
    Province("34", "安徽省", "皖", "皖"),
    Province("35", "福建省", "闽", "闽"),
    Province("36", "江西省", "赣", "赣"),
    Province("37", "山东省", "鲁", "鲁"),
    Province("41", "河南省", "豫", "豫"),
    Province("42", "湖北省", "鄂", "鄂"),
    Province("43", "湖南省", "湘", "湘"),
    Province("44", "广东省", "粤", "粤"),
    Province("45", "广西壮族自治区", "桂", "桂"),
    Province("46", "海南省", "琼", "琼"),
    Province("50", "重庆市", "渝", "渝"),
    Province("51", "四川省", "川", "川"),
    Province("52", "贵州省", "黔", "黔"),
    Province("53", "云南省", "云", "云"),
    Province("54", "西藏自治区", "藏", "藏"),
    Province("61", "陕西省", "陕", "陕"),
    Province("62", "甘肃省", "甘", "甘"),
    Province("63", "青海省", "青", "青"),
    Province("64", "宁夏回族自治区", "宁", "宁"),
    Province("65", "新疆维吾尔自治区", "新", "新"),
    Province("71", "台湾省", "台", ""),
    Province("81", "香港特别行政区", "港", ""),
    Province("82", "澳门特别行政区", "澳", ""),
)

# Courts whose code is not a province's (案号规定第四条第三款) and the SPC (第四条第一款).
SUPREME_COURT_CODE = "最高法"
OTHER_COURT_CODES: dict[str, str] = {
    "军": "中国人民解放军军事法院",
    "兵": "新疆维吾尔自治区高级人民法院生产建设兵团分院",
}
# Alternative short names earlier versions of tianping accepted. 贵 is the other official short name of Guizhou;
# the SPC's published list of court codes (第十二条) was not available to check which one its courts use, so both
# stay accepted. 蒙 is NOT a court code (第四条第三款 gives 内) and is refused with that reason.
ALTERNATIVE_COURT_CODES: dict[str, str] = {"贵": "52"}
REFUSED_COURT_CODES: dict[str, str] = {
    "蒙": "内蒙古自治区法院的代字是“内”（《关于人民法院案件案号的若干规定》第四条第三款），不是“蒙”",
}

# Address codes of residence permits for residents of Hong Kong, Macao (810000, 820000) and Taiwan (830000):
# the permits carry an 18-character number in the GB 11643 layout. 83 is not a GB/T 2260 province code.
RESIDENCE_PERMIT_CODES: dict[str, str] = {"83": "台湾居民居住证"}

PROVINCE_BY_CODE: dict[str, Province] = {p.code: p for p in PROVINCES}
COURT_CODES: dict[str, str] = {
    **{p.court_code: p.name for p in PROVINCES if p.court_code},
    **OTHER_COURT_CODES,
    **{alt: PROVINCE_BY_CODE[code].name for alt, code in ALTERNATIVE_COURT_CODES.items()},
}
ID_ADDRESS_PREFIXES: frozenset[str] = frozenset(PROVINCE_BY_CODE) | frozenset(RESIDENCE_PERMIT_CODES)


def court_code_region(first_char: str) -> str | None:
    """The province (or court) a one-character court code stands for, or None when it is not a court code."""
    return COURT_CODES.get(first_char)
