"""Case numbers (案号) under 《最高人民法院关于人民法院案件案号的若干规定》(法〔2015〕137号, in force 2016-01-01) and its
2018 revision (法〔2018〕335号).

Format (第三条, as revised in 2018): ``(`` 收案年度 ``)`` 法院代字 [专门审判代字] 类型代字 案件编号 ``号`` — e.g.
``(2016)鲁0403民初1234号``, ``(2019)最高法知民终1号`` (court 最高法, tribunal 知, type 民终).

- Court code (第四条、第五条): 最高法; a high court's one character (tianping.core.regions: the province's short name,
  内 for Inner Mongolia, 军 for the military courts, 兵 for the XPCC courts); plus 2 digits for an intermediate or
  specialised court (鲁04, 京73, 沪72), 4 digits for a basic court (鲁0403, 浙8601).
- Special-tribunal code (2018 revision, 第二条): one character from typecodes.SPECIAL_TRIBUNALS (知).
- Type code (第七条 and the annex): CaseType rows, loaded from tianping.trials.typecodes (data; admins add codes).
- Sequence (第十条): a natural number restarting each year per court, tribunal and type code; criminal review
  cases (刑核) carry a random 8-digit number (第十条第二款).

Both half-width ``()`` and the full-width ``（）`` printed on documents are accepted, but not mixed; the canonical
form written back is half-width. Cases filed before 2016 may carry the old form ``（2015）薛民初字第123号``: it is
accepted for filing years up to 2015, mapped to its type code and kept as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple

from django.utils.translation import gettext as _

from tianping.core.regions import COURT_CODES, REFUSED_COURT_CODES, SUPREME_COURT_CODE
from tianping.trials.typecodes import OLD_FORM_AREAS, SPECIAL_TRIBUNALS, TYPE_CODES

PROVINCES = set(COURT_CODES)  # the first character of every court code except 最高法 (one source: core.regions)
SUPREME = SUPREME_COURT_CODE
LAST_OLD_FORM_YEAR = 2015  # the rules are in force from 2016-01-01
MAX_SEQ_DIGITS = 6         # no court receives a million cases of one type a year
REVIEW_SEQ_DIGITS = 8      # 刑核: "以8位自然数为固定长度" (第十条第二款)
REVIEW_TYPE_CODE = "刑核"

# Type codes every installation starts with (migration 0004 loads them into CaseType).
DEFAULT_TYPE_CODES = list(TYPE_CODES)

_FULL_WIDTH_DIGITS = re.compile(r"[\uff10-\uff19]+")
_SPACES = re.compile(r"[\s\u3000]")
_SHAPE = re.compile(
    r"^(?P<open>[(（])(?P<year>[^)）]*)(?P<close>[)）])"
    r"(?P<court>最高法|[\u4e00-\u9fff][0-9]*)"
    r"(?P<type>(?:(?!号)[\u4e00-\u9fff])*)"
    r"(?P<seq>[0-9]*)"
    r"(?P<tail>.*)$"
)
_OLD_SHAPE = re.compile(r"^[(（](?P<year>[0-9]{4})[)）](?P<body>.*?)字第(?P<seq>[0-9]+)号$")
_CHINESE_NUMERALS = set("一二三四五六七八九十")


class CaseNumber(NamedTuple):
    year: int
    court_code: str
    type_code: str
    seq: int
    tribunal: str = ""      # 专门审判代字 (2018 revision), e.g. 知
    old_form: bool = False  # a pre-2016 number such as （2015）薛民初字第123号, kept as written
    written: str = ""       # the old-form number as written

    def __str__(self) -> str:
        if self.old_form:
            return self.written
        return format_case_number(self.year, self.court_code, self.type_code, self.seq, tribunal=self.tribunal)


def format_case_number(year: int, court_code: str, type_code: str, seq: int, tribunal: str = "") -> str:
    """The canonical text: ``(2016)鲁0403民初1234号``; with a tribunal code ``(2019)最高法知民终1号``."""
    return f"({int(year)}){court_code}{tribunal}{type_code}{int(seq)}号"


def is_old_form(number: str) -> bool:
    """A pre-2016 number (…字第…号), kept as written."""
    return "字第" in (number or "")


def validate_court_code_text(code: str) -> None:
    if code == SUPREME:
        return
    if code and code[0] in REFUSED_COURT_CODES:
        raise ValueError(_("法院代字“%(c)s”无效：%(why)s。") % {"c": code, "why": REFUSED_COURT_CODES[code[0]]})
    if not code or code[0] not in PROVINCES:
        raise ValueError(_("法院代字“%(c)s”无效：应以高院代字开头（省份简称，如 鲁、京、粤；内蒙古为“内”，"
                           "军事法院为“军”，兵团法院为“兵”）。") % {"c": code})
    digits = code[1:]
    if len(digits) not in (0, 2, 4) or (digits and not digits.isascii()):
        raise ValueError(_("法院代字“%(c)s”无效：省份简称后应为 0 位（高院）、2 位（中院或专门法院）"
                           "或 4 位（基层法院）数字。") % {"c": code})


def _known_type_codes() -> set[str]:
    try:
        from tianping.trials.models import CaseType

        codes = set(CaseType.objects.filter(active=True).values_list("code", flat=True))
    except Exception:  # noqa: BLE001 - no database yet (e.g. during migrations): fall back to the defaults
        codes = set()
    return codes or set(DEFAULT_TYPE_CODES)


def _check_characters(raw: str, example: str) -> None:
    """Problems that would otherwise surface as a misleading message further on."""
    wide = _FULL_WIDTH_DIGITS.search(raw)
    if wide:
        raise ValueError(_("案号“%(t)s”中的“%(w)s”是全角数字：年度和序号须用半角阿拉伯数字 0–9，如 %(e)s。")
                         % {"t": raw, "w": wide.group(0), "e": example})
    if _SPACES.search(raw):
        raise ValueError(_("案号“%(t)s”中间有空格，请删去空格，如 %(e)s。") % {"t": raw, "e": example})
    if raw[0] not in "(（":
        if raw[0] in "【[〔{［":
            raise ValueError(_("案号“%(t)s”的年度应用圆括号“( )”或“（ ）”括起，不能用“%(b)s”，如 %(e)s。")
                             % {"t": raw, "b": raw[0], "e": example})
        raise ValueError(_("案号“%(t)s”格式不对：应以括号括起的立案年度开头，如 %(e)s。") % {"t": raw, "e": example})
    close = next((c for c in raw[1:] if c in ")）"), None)
    if close is not None and (raw[0] == "(") != (close == ")"):
        raise ValueError(_("案号“%(t)s”的括号半角、全角混用：请统一用半角“( )”或全角“（ ）”。") % {"t": raw})


def _parse_old_form(raw: str, known: set[str], min_year: int) -> CaseNumber:
    """（2015）薛民初字第123号 → year 2015, court 薛, type 民初 (the old type words mapped), seq 123, kept as written."""
    m = _OLD_SHAPE.match(raw)
    if not m:
        raise ValueError(_("旧式案号“%(t)s”格式不对：应为（年度）法院简称+类型+“字第”+序号+“号”，如（2015）薛民初字第123号。")
                         % {"t": raw})
    year = int(m["year"])
    if year > LAST_OLD_FORM_YEAR:
        raise ValueError(_("“%(t)s”是 2016 年以前的旧式案号（含“字第”）；%(y)d 年立案的案件应使用新规则案号，"
                           "如 (2016)鲁0403民初1234号。") % {"t": raw, "y": year})
    if year < min_year:
        raise ValueError(_("案号“%(t)s”中的年度 %(y)d 早于 %(a)d 年。") % {"t": raw, "y": year, "a": min_year})
    body = re.sub(r"[(（][^)）]*[)）]", "", m["body"])  # 沪高民三(知)终 → 沪高民三终
    suffix = ""
    for i in range(len(body) - 1, -1, -1):
        ch = body[i]
        if ch in OLD_FORM_AREAS:
            code = OLD_FORM_AREAS[ch] + suffix
            if code in known:
                return CaseNumber(year, body[:i], code, int(m["seq"]), old_form=True, written=raw)
            break
        if ch not in _CHINESE_NUMERALS:
            suffix = ch + suffix
    raise ValueError(_("旧式案号“%(t)s”中的“%(b)s”无法对应到现行类型代字（如 民初字→民初、执字→执），"
                       "请填写审判系统转换后的新规则案号。") % {"t": raw, "b": m["body"]})


def parse_case_number(text: str, *, type_codes: Iterable[str] | None = None,
                      min_year: int = 1990, max_year: int | None = None) -> CaseNumber:
    """Split a case number into (year, court code, type code, sequence, tribunal, old form).

    Raises ValueError whose message says in Chinese what is wrong and how it should look.
    `type_codes` defaults to the active CaseType codes in the database."""
    example = "(2016)鲁0403民初1234号"
    raw = (text or "").strip().strip("\u3000").strip()
    if not raw:
        raise ValueError(_("案号为空，请填写，如 %(e)s。") % {"e": example})
    _check_characters(raw, example)
    known = set(type_codes) if type_codes is not None else _known_type_codes()
    if is_old_form(raw):
        return _parse_old_form(raw, known, min_year)
    m = _SHAPE.match(raw)
    if not m:
        raise ValueError(_("案号“%(t)s”格式不对：应以括号括起的立案年度开头，如 %(e)s。") % {"t": raw, "e": example})
    year_text = m["year"]
    if not (len(year_text) == 4 and year_text.isascii() and year_text.isdigit()):
        raise ValueError(_("案号“%(t)s”中的年度“%(y)s”应为四位数字。") % {"t": raw, "y": year_text})
    year = int(year_text)
    if max_year is None:
        from django.utils import timezone

        max_year = timezone.localdate().year + 1
    if not (min_year <= year <= max_year):
        raise ValueError(_("案号“%(t)s”中的年度 %(y)d 不在 %(a)d–%(b)d 之间。")
                         % {"t": raw, "y": year, "a": min_year, "b": max_year})
    court = m["court"]
    validate_court_code_text(court)
    type_code, tribunal = m["type"], ""
    if not type_code:
        raise ValueError(_("案号“%(t)s”缺少类型代字（如 民初、刑终、执）。") % {"t": raw})
    if type_code not in known and type_code[0] in SPECIAL_TRIBUNALS and type_code[1:] in known:
        tribunal, type_code = type_code[0], type_code[1:]
    if type_code not in known:
        raise ValueError(_("案号“%(t)s”中的类型代字“%(c)s”不在案件类型表中；可用的有：%(k)s。")
                         % {"t": raw, "c": type_code, "k": "、".join(sorted(known))})
    seq_text = m["seq"]
    if not seq_text:
        raise ValueError(_("案号“%(t)s”缺少案件序号（类型代字后的数字）。") % {"t": raw})
    if seq_text.startswith("0"):
        raise ValueError(_("案号“%(t)s”的序号“%(s)s”不能以 0 开头。") % {"t": raw, "s": seq_text})
    if type_code == REVIEW_TYPE_CODE:
        if len(seq_text) != REVIEW_SEQ_DIGITS:
            raise ValueError(_("案号“%(t)s”：刑事复核案件的编号是 8 位数字（案号规定第十条第二款），现为 %(n)d 位。")
                             % {"t": raw, "n": len(seq_text)})
    elif len(seq_text) > MAX_SEQ_DIGITS:
        raise ValueError(_("案号“%(t)s”的序号有 %(n)d 位，最多 %(m)d 位：请核对是否多写了数字或把两个案号连在了一起。")
                         % {"t": raw, "n": len(seq_text), "m": MAX_SEQ_DIGITS})
    tail = m["tail"]
    if tail != "号":
        if tail.startswith("号之"):
            raise ValueError(_("案号“%(t)s”应以“号”结尾：“号之一”等是同一案件后续文书的编号，请只填写案号本身。")
                             % {"t": raw})
        if tail[:1] in "-－—、,，":
            raise ValueError(_("案号“%(t)s”应以“号”结尾：一个案号只能有一个序号，合并文书上的几个案号请分别填写。")
                             % {"t": raw})
        raise ValueError(_("案号“%(t)s”应以“号”结尾，序号后不能有其他字符。") % {"t": raw})
    return CaseNumber(year, court, type_code, int(seq_text), tribunal)
