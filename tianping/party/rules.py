"""Rule look-ups: numeric settings and dues bands, read from data rows with effective dates.

Dues rounding: amounts are computed in Decimal and rounded half-up to 0.01 yuan (ROUND_HALF_UP, "四舍五入到分").
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q

CENT = Decimal("0.01")


def add_months(day: date, months: int) -> date:
    """`day` plus whole months, clamped to the month's last day (2016-02-29 + 12 months = 2017-02-28)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def setting(code: str, day: date | None = None) -> int:
    """The value of a PartySetting in force on `day` (today by default). The settings' rows (a few dozen) are read
    once per request: a page of members asks each one's probation length, a to-do list a dozen thresholds."""
    from tianping.core.request_context import once_per_request

    day = day or date.today()  # noqa: DTZ011
    rows = once_per_request("party.settings", _setting_rows).get(code)
    if not rows:
        raise ImproperlyConfigured(f"party setting {code!r} is missing (data migration party.0002)")
    in_force = [value for effective_from, value in rows if effective_from <= day]
    return in_force[-1] if in_force else rows[0][1]  # before the first row's date: the first row


def _setting_rows() -> dict[str, list[tuple[date, int]]]:
    """{code: [(effective_from, value), …] oldest first}."""
    from tianping.party.models import PartySetting

    rows: dict[str, list[tuple[date, int]]] = {}
    for code, effective_from, value in (PartySetting.objects.order_by("code", "effective_from", "pk")
                                        .values_list("code", "effective_from", "value")):
        rows.setdefault(code, []).append((effective_from, value))
    return rows


@dataclass(frozen=True)
class DuesQuote:
    base: Decimal | None
    rate: Decimal | None
    due: Decimal
    rule_id: int | None = None
    reduced: bool = False

    @property
    def rate_percent(self) -> str:
        if self.rate is None:
            return ""
        return f"{(self.rate * 100).normalize():f}%"


def dues_rule_for(*, category: str, base: Decimal | None, month: date, court_id: int | None = None, rules=None):
    """The DuesRule row that applies to a base in a month (court-specific rows win over general ones)."""
    from tianping.party.models import DuesRule

    first, last = month_start(month), month_end(month)
    if rules is None:
        rules = list(DuesRule.objects.filter(category=category).filter(
            Q(court__isnull=True) | Q(court_id=court_id)))
    candidates = []
    for r in rules:
        if r.category != category or (r.court_id not in (None, court_id)):
            continue
        if r.effective_from > last or (r.effective_to and r.effective_to < first):
            continue
        if r.fixed_amount is None:
            if base is None or base <= r.income_above:
                continue
            if r.income_up_to is not None and base > r.income_up_to:
                continue
        candidates.append(r)
    if not candidates:
        return None
    candidates.sort(key=lambda r: (r.court_id is not None, r.effective_from), reverse=True)
    return candidates[0]


def dues_amount(base: Decimal, rate: Decimal) -> Decimal:
    return (Decimal(base) * Decimal(rate)).quantize(CENT, rounding=ROUND_HALF_UP)
