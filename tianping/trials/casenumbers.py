"""Case numbers (案号) under the SPC rules in force since 2016-01-01.

Format: ``(`` filing year ``)`` court code, type code, sequence, ``号`` — e.g. ``(2016)鲁0403民初1234号``.

- Court code: the province's short name (鲁) for a high court, plus 2 digits for an intermediate or
  specialist court (鲁04, 京73) and 4 digits for a basic court (鲁0403). The Supreme People's Court is 最高法.
- Type code: Chinese characters from the CaseType table (data; admins add codes), e.g. 民初, 执恢, 民诉前调.
- Sequence: a positive integer without leading zeros, restarting each year per court and type code.

Both half-width ``()`` and the full-width ``（）`` printed on documents are accepted; the canonical
form written back is half-width.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple

from django.utils.translation import gettext as _

PROVINCES = set("京津冀晋蒙辽吉黑沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝川贵云藏陕甘青宁新兵")
SUPREME = "最高法"

# Type codes every installation starts with (migration 0002 loads them into CaseType).
DEFAULT_TYPE_CODES = ["民初", "民终", "民再", "民申", "刑初", "刑终", "行初", "行终", "执", "执恢", "执保", "执异",
                      "民诉前调", "民特"]

_SHAPE = re.compile(
    r"^[(（](?P<year>[^)）]*)[)）]"
    r"(?P<court>最高法|[\u4e00-\u9fff][0-9]*)"
    r"(?P<type>(?:(?!号)[\u4e00-\u9fff])*)"
    r"(?P<seq>[0-9]*)"
    r"(?P<tail>.*)$"
)


class CaseNumber(NamedTuple):
    year: int
    court_code: str
    type_code: str
    seq: int

    def __str__(self) -> str:
        return format_case_number(self.year, self.court_code, self.type_code, self.seq)


def format_case_number(year: int, court_code: str, type_code: str, seq: int) -> str:
    """The canonical text: ``(2016)鲁0403民初1234号``."""
    return f"({int(year)}){court_code}{type_code}{int(seq)}号"


def validate_court_code_text(code: str) -> None:
    if code == SUPREME:
        return
    if not code or code[0] not in PROVINCES:
        raise ValueError(_("法院代字“%(c)s”无效：应以省份简称开头（如 鲁、京、粤）。") % {"c": code})
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


def parse_case_number(text: str, *, type_codes: Iterable[str] | None = None,
                      min_year: int = 1990, max_year: int | None = None) -> CaseNumber:
    """Split a case number into (year, court code, type code, sequence).

    Raises ValueError whose message says in Chinese what is wrong and how it should look.
    `type_codes` defaults to the active CaseType codes in the database."""
    example = "(2016)鲁0403民初1234号"
    raw = (text or "").strip().replace(" ", "").replace("\u3000", "")
    if not raw:
        raise ValueError(_("案号为空，请填写，如 %(e)s。") % {"e": example})
    if "字第" in raw:
        raise ValueError(_("“%(t)s”是 2016 年以前的旧式案号（含“字第”），请改用新规则案号，如 %(e)s。")
                         % {"t": raw, "e": example})
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
    type_code = m["type"]
    if not type_code:
        raise ValueError(_("案号“%(t)s”缺少类型代字（如 民初、刑终、执）。") % {"t": raw})
    known = set(type_codes) if type_codes is not None else _known_type_codes()
    if type_code not in known:
        raise ValueError(_("案号“%(t)s”中的类型代字“%(c)s”不在案件类型表中；可用的有：%(k)s。")
                         % {"t": raw, "c": type_code, "k": "、".join(sorted(known))})
    seq_text = m["seq"]
    if not seq_text:
        raise ValueError(_("案号“%(t)s”缺少案件序号（类型代字后的数字）。") % {"t": raw})
    if seq_text.startswith("0"):
        raise ValueError(_("案号“%(t)s”的序号“%(s)s”不能以 0 开头。") % {"t": raw, "s": seq_text})
    if m["tail"] != "号":
        raise ValueError(_("案号“%(t)s”应以“号”结尾，序号后不能有其他字符。") % {"t": raw})
    return CaseNumber(year, court, type_code, int(seq_text))
