"""Validators and maskers for identifiers the court records (GB 11643 ID numbers, court codes, phones).

Each validator raises ValidationError with a Chinese message that says what to fix.
"""

from __future__ import annotations

import operator
import re
import time
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator as _DjangoMaxLength
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"
_ID_RE = re.compile(r"^\d{17}[\dX]$")


def id_check_char(first17: str) -> str:
    """The GB 11643 check character for the first 17 digits."""
    if len(first17) != 17:
        raise ValueError("id_check_char needs the first 17 characters")
    total = sum(map(operator.mul, map(int, first17), ID_WEIGHTS))  # C-level loops: imports check 100,000 of these
    return ID_CHECK_CHARS[total % 11]


def normalize_id_number(value: str) -> str:
    return (value or "").strip().replace(" ", "").upper()


def id_birth_date(value: str) -> date | None:
    """The birth date inside an 18-character ID number, or None if it is not a real date."""
    try:
        return date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except (ValueError, IndexError):
        return None


_ID15_RE = re.compile(r"^\d{15}$")


def id_number_15_to_18(value: str) -> str | None:
    """The 18-character number of a 15-digit resident ID number (GB 11643-1989 layout: 6-digit address code,
    2-digit year, month, day, 3-digit sequence), or None when `value` is not such a number.

    GB 11643-1999 replaced the 2-digit year by 4 digits and added the check character; 15-digit numbers were
    issued to people born in the 1900s, so the century inserted is 19."""
    v = normalize_id_number(value)
    if not _ID15_RE.match(v):
        return None
    first17 = v[:6] + "19" + v[6:]
    if id_birth_date(first17 + "0") is None:
        return None
    return first17 + id_check_char(first17)


def validate_id_number(value: str) -> None:
    """GB 11643-1999: 17 digits + check character. The address code starts with a GB/T 2260 province code
    (tianping.core.regions); the birth date inside must be a real date, not in the future. The standard's own
    example 440524188001010014 was born in 1880, so there is no 1900 floor (only a sanity floor of 1800).
    A 15-digit number of the 1989 layout is refused with its 18-character form offered."""
    from tianping.core.regions import ID_ADDRESS_PREFIXES

    v = normalize_id_number(value)
    if len(v) == 15:
        converted = id_number_15_to_18(v)
        if converted and v[:2] in ID_ADDRESS_PREFIXES:
            raise ValidationError(
                _("这是 15 位的旧身份证号；按 GB 11643-1999 升位后为 %(n)s（出生年份补“19”，末位为计算出的校验码）。"
                  "请核对后改填这个 18 位号码。") % {"n": converted}, code="id_15")
    if len(v) != 18:
        raise ValidationError(_("身份证号应为 18 位（现为 %(n)d 位），请核对。") % {"n": len(v)}, code="id_length")
    if not _ID_RE.match(v):
        raise ValidationError(_("身份证号前 17 位必须是数字，末位是数字或 X，请核对。"), code="id_chars")
    if v[:2] not in ID_ADDRESS_PREFIXES:
        raise ValidationError(
            _("身份证号前两位“%(p)s”不是省级行政区划代码（GB/T 2260，如 37 山东、11 北京），请核对第 1–6 位地址码。")
            % {"p": v[:2]}, code="id_address")
    born = id_birth_date(v)
    if born is None or born.year < 1800 or born > date.today():  # noqa: DTZ011 - a calendar date
        raise ValidationError(_("身份证号中的出生日期 %(d)s 不是有效日期，请核对第 7–14 位。") % {"d": v[6:14]},
                              code="id_birth")
    expected = id_check_char(v[:17])
    if v[17] != expected:
        raise ValidationError(
            _("身份证号校验位错误（应为 %(c)s），请核对后重新输入。") % {"c": expected}, code="id_check"
        )


def mask_id_number(value: str | None) -> str:
    """Masked display: first 4 + last 4, e.g. 3704**********1234."""
    if not value:
        return ""
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_phone(value: str | None) -> str:
    """Masked display of a phone number: 138****5678."""
    if not value:
        return ""
    if len(value) < 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


_PHONE_RE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")


def validate_phone(value: str) -> None:
    if value and not _PHONE_RE.match(value):
        raise ValidationError(_("手机号应为 11 位数字（如 13812345678）或带区号的座机号（如 0632-4412345）。"),
                              code="phone")


# 法院代字: the high court's one-character code (tianping.core.regions: the province's short name, but 内 for
# Inner Mongolia, 军 for the military courts, 兵 for the Xinjiang Production and Construction Corps courts); an
# intermediate or specialised court adds 2 digits (鲁04, 京73), a basic court 4 digits (鲁0403); the SPC is 最高法.
def _court_code_chars() -> str:
    from tianping.core.regions import COURT_CODES

    return "".join(sorted(COURT_CODES))


PROVINCE_SHORT_NAMES = _court_code_chars()  # kept for callers of the old name: the court codes' first characters
_COURT_CODE_RE = re.compile(rf"^(?:最高法|[{PROVINCE_SHORT_NAMES}](\d{{2}}|\d{{4}})?)$")


def validate_court_code(value: str) -> None:
    if not _COURT_CODE_RE.match(value or ""):
        raise ValidationError(
            _("法院代字格式错误：应为高院代字（省份简称，内蒙古为“内”，另有“军”“兵”）加 0、2 或 4 位数字，"
              "如 鲁、鲁04、鲁0403。"), code="court_code"
        )


_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def validate_credit_code(value: str) -> None:
    """统一社会信用代码 (GB 32100): 18 characters, the last a check character."""
    v = (value or "").strip().upper()
    if len(v) != 18 or any(c not in _USCC_CHARS for c in v):
        raise ValidationError(_("统一社会信用代码应为 18 位数字或大写字母（不含 I、O、S、V、Z），请核对。"),
                              code="uscc_format")
    total = sum(_USCC_CHARS.index(c) * w for c, w in zip(v[:17], _USCC_WEIGHTS, strict=True))
    expected = _USCC_CHARS[(31 - total % 31) % 31]
    if v[17] != expected:
        raise ValidationError(_("统一社会信用代码校验位错误（应为 %(c)s），请核对。") % {"c": expected},
                              code="uscc_check")


# --- one set of input rules, shared by forms, services and importers --------------------------------------------

_today_cache: tuple[int, date] | None = None


def _today() -> date:
    """The local date, looked up at most once a second: an import checks 100,000 rows' dates against it, and
    timezone.localdate() (the active time zone through asgiref's Local, then the conversion) cost more than the
    rest of the date check. Keyed by the wall-clock second, so a clock moved by a test is seen at once."""
    global _today_cache
    second = int(time.time())
    cached = _today_cache
    if cached is not None and cached[0] == second:
        return cached[1]
    day = timezone.localdate()
    _today_cache = (second, day)
    return day


def validate_not_future(value: date | None) -> None:
    """Dates of events that have happened (applications, registrations, sessions, hire and accident dates):
    not after today. A datetime is compared by its local calendar date."""
    if value is None:
        return
    if isinstance(value, datetime):
        day = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    else:
        day = value
    today = _today()
    if day > today:
        raise ValidationError(
            _("日期 %(d)s 晚于今天（%(today)s）：已发生的事项不能填写将来的日期，请核对。"),
            code="future_date", params={"d": day.isoformat(), "today": today.isoformat()},
        )


def _plain(number: Any) -> str:
    """12345.5 → "12,345.50" for money; integers without decimals."""
    d = Decimal(str(number))
    if d == d.to_integral_value():
        return f"{int(d):,}"
    return f"{d:,.2f}"


@deconstructible
class AmountValidator:
    """A money amount in yuan between `min_value` (default 0) and `max_value`; the message states the range.

    `AmountValidator(100_000)` on a dues payment, `AmountValidator(100_000_000)` on a claim."""

    def __init__(self, max_value: Any, min_value: Any = 0) -> None:
        self.max_value = Decimal(str(max_value))
        self.min_value = Decimal(str(min_value))

    def __call__(self, value: Any) -> None:
        if value is None or value == "":
            return
        try:
            amount = Decimal(str(value))
        except InvalidOperation:
            raise ValidationError(_("金额格式不正确，请填写数字，如 45.00。"), code="amount_invalid") from None
        if amount < self.min_value or amount > self.max_value:
            raise ValidationError(
                _("金额 %(v)s 元超出允许范围：应在 %(min)s 至 %(max)s 元之间，请核对。"), code="amount_range",
                params={"v": _plain(amount), "min": _plain(self.min_value), "max": _plain(self.max_value)},
            )

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, AmountValidator) and self.max_value == other.max_value
                and self.min_value == other.min_value)


@deconstructible
class CountValidator:
    """A count between `min_value` (default 0) and `max_value` in `unit` (天, 人, 月, 次, 个…); the message
    states the range. `CountValidator(3650, unit="天")` on days of lost work."""

    def __init__(self, max_value: int, min_value: int = 0, unit: str | _StrPromise = "") -> None:
        self.max_value, self.min_value, self.unit = int(max_value), int(min_value), unit

    def __call__(self, value: Any) -> None:
        if value is None or value == "":
            return
        if value < self.min_value or value > self.max_value:
            raise ValidationError(
                _("数值 %(v)s%(unit)s 超出允许范围：应在 %(min)s 至 %(max)s%(unit)s 之间，请核对。"),
                code="count_range",
                params={"v": _plain(value), "min": _plain(self.min_value), "max": _plain(self.max_value),
                        "unit": str(self.unit)},
            )

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, CountValidator) and (self.max_value, self.min_value, self.unit)
                == (other.max_value, other.min_value, other.unit))


MAX_DAYS = 3650  # ten years: the most days of lost work, nursing or hospital stay one claim can state


def validate_days(value: Any) -> None:
    """A number of days (lost work, nursing, hospital stay…): 0–3650 days."""
    CountValidator(MAX_DAYS, unit=gettext_lazy("天"))(value)


# The one message for an over-long text, everywhere (forms, models, imports); `%(limit_value)d` is the limit.
LENGTH_MESSAGE = gettext_lazy("最多 %(limit_value)d 个字（现为 %(show_value)d 个），请删减。")


def use_one_length_message() -> None:
    """Every max_length check (form fields, model fields in full_clean — hence imports too) says LENGTH_MESSAGE
    instead of Django's stock wording. Called once from CoreConfig.ready(); validators built with their own
    message keep it."""
    _DjangoMaxLength.message = LENGTH_MESSAGE
