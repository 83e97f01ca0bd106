"""The compliance matrix: did each party organisation hold its required meetings in each period?

The engine (`periods_of_year`, `cell_status`, `evaluate`) works on plain inputs so it can be tested without
a database; `court_matrix()` feeds it from the database. Frequencies are DutyRule rows (settings as data).

Status of one (organisation, duty, period) cell:
  ok       — held at least the required number of times;
  missed   — the period is over and it was not;
  due      — the period is under way, not yet done, and its end is within the duty's warning days;
  upcoming — the period has not started, or has plenty of time left.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from tianping.partylife.choices import ComplianceStatus, Frequency


@dataclass(frozen=True)
class Period:
    key: str  # "2016-03", "2016-Q2", "2016"
    start: date
    end: date
    frequency: str

    @property
    def months(self) -> int:
        return self.end.month - self.start.month + 1


def month_period(year: int, month: int) -> Period:
    return Period(f"{year}-{month:02d}", date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]),
                  Frequency.MONTH)


def quarter_period(year: int, quarter: int) -> Period:
    first = 3 * quarter - 2
    last = first + 2
    return Period(f"{year}-Q{quarter}", date(year, first, 1), date(year, last, calendar.monthrange(year, last)[1]),
                  Frequency.QUARTER)


def year_period(year: int) -> Period:
    return Period(str(year), date(year, 1, 1), date(year, 12, 31), Frequency.YEAR)


def periods_of_year(year: int, frequency: str) -> list[Period]:
    if frequency == Frequency.MONTH:
        return [month_period(year, m) for m in range(1, 13)]
    if frequency == Frequency.QUARTER:
        return [quarter_period(year, q) for q in range(1, 5)]
    if frequency == Frequency.YEAR:
        return [year_period(year)]
    raise ValueError(f"unknown frequency {frequency!r}")


def period_of(day: date, frequency: str) -> Period:
    if frequency == Frequency.MONTH:
        return month_period(day.year, day.month)
    if frequency == Frequency.QUARTER:
        return quarter_period(day.year, (day.month - 1) // 3 + 1)
    return year_period(day.year)


def parse_period(key: str) -> Period:
    """"2016-03" / "2016-Q2" / "2016" → Period; ValueError with a Chinese reason otherwise."""
    try:
        if "-Q" in key:
            y, q = key.split("-Q")
            if not 1 <= int(q) <= 4:
                raise ValueError
            return quarter_period(int(y), int(q))
        if "-" in key:
            y, m = key.split("-")
            return month_period(int(y), int(m))
        return year_period(int(key))
    except (ValueError, TypeError, OverflowError):
        raise ValueError(f"期间“{key}”格式不对，应写 2016-03、2016-Q2 或 2016") from None


def cell_status(*, period: Period, required: int, held: int, today: date, warn_days: int) -> str:
    if required <= 0 or held >= required:
        return ComplianceStatus.OK
    if period.end < today:
        return ComplianceStatus.MISSED
    if period.start > today:
        return ComplianceStatus.UPCOMING
    return ComplianceStatus.DUE if (period.end - today).days < warn_days else ComplianceStatus.UPCOMING


@dataclass(frozen=True)
class OrgInput:
    """An organisation as the engine sees it."""

    id: int
    name: str
    kind: str
    exists_from: date | None = None
    exists_to: date | None = None
    has_committee: Callable[[date], bool] | bool = True

    def owes(self, period: Period, requires_committee: bool, today: date) -> bool:
        # a new organisation owes from its first full period; a dissolved one up to its last full period
        if self.exists_from and self.exists_from > period.start:
            return False
        if self.exists_to and self.exists_to < period.end:
            return False
        if requires_committee:
            check = self.has_committee
            day = min(period.end, today) if period.start <= today else period.start
            return check(day) if callable(check) else bool(check)
        return True


@dataclass(frozen=True)
class RuleInput:
    code: str
    name: str
    frequency: str
    min_count: int
    kinds: tuple[str, ...]
    requires_committee: bool = False
    warn_days: int = 10


@dataclass
class Cell:
    organisation_id: int
    organisation: str
    duty_code: str
    duty: str
    period: Period
    required: int
    held: int
    status: str
    meeting_ids: list[int] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"organisation": self.organisation, "duty": self.duty, "period": self.period.key,
                "required": self.required, "held": self.held, "status": str(self.status)}


def evaluate(*, orgs: Iterable[OrgInput], rules: Iterable[RuleInput],
             held: Iterable[tuple[int, str, date, int]], year: int, today: date) -> list[Cell]:
    """Cells for every organisation × applicable duty × period of `year`.

    `held`: (organisation id, duty code, meeting date, meeting id) of each meeting held."""
    by_key: dict[tuple[int, str], list[tuple[date, int]]] = defaultdict(list)
    for org_id, duty_code, day, meeting_id in held:
        if day.year == year:
            by_key[(org_id, duty_code)].append((day, meeting_id))
    cells: list[Cell] = []
    rules = list(rules)
    for org in orgs:
        for rule in rules:
            if org.kind not in rule.kinds:
                continue
            meetings = by_key.get((org.id, rule.code), [])
            for period in periods_of_year(year, rule.frequency):
                required = rule.min_count if org.owes(period, rule.requires_committee, today) else 0
                ids = [mid for day, mid in meetings if period.start <= day <= period.end]
                if required == 0 and not ids:
                    continue
                status = cell_status(period=period, required=required, held=len(ids), today=today,
                                     warn_days=rule.warn_days)
                cells.append(Cell(org.id, org.name, rule.code, rule.name, period, required, len(ids), status,
                                  sorted(ids)))
    return cells


SEVERITY: list[str] = [ComplianceStatus.MISSED, ComplianceStatus.DUE, ComplianceStatus.UPCOMING, ComplianceStatus.OK]


def roll_up(cells: list[Cell], frequency: str, today: date) -> list[Cell]:
    """Merge finer cells into quarter or year cells (a monthly duty in a quarter view: required 3, held n);
    the status of a merged cell is the worst of its parts."""
    order: dict[str, int] = {Frequency.MONTH: 0, Frequency.QUARTER: 1, Frequency.YEAR: 2}
    merged: dict[tuple[int, str, str], Cell] = {}
    out: list[Cell] = []
    for cell in cells:
        if order[cell.period.frequency] >= order[frequency]:
            out.append(cell)
            continue
        target = period_of(cell.period.start, frequency)
        key = (cell.organisation_id, cell.duty_code, target.key)
        m = merged.get(key)
        if m is None:
            m = merged[key] = Cell(cell.organisation_id, cell.organisation, cell.duty_code, cell.duty, target,
                                   0, 0, ComplianceStatus.OK, [])
            out.append(m)
        m.required += cell.required
        m.held += cell.held
        m.meeting_ids.extend(cell.meeting_ids)
        if SEVERITY.index(cell.status) < SEVERITY.index(m.status):
            m.status = cell.status
    return out


# --- database adapter ---------------------------------------------------------------------------------
def rule_inputs(rules=None) -> list[RuleInput]:
    from tianping.partylife.models import DutyRule

    rows = rules if rules is not None else DutyRule.objects.filter(active=True)
    return [RuleInput(r.code, r.name, r.frequency, r.min_count, tuple(r.kinds()), r.requires_committee,
                      r.warn_days) for r in rows]


def org_inputs(organisations) -> list[OrgInput]:
    from tianping.partylife import party_adapter

    return party_adapter.org_inputs(organisations)


def court_matrix(*, court, year: int, today: date, organisations=None, rules=None) -> list[Cell]:
    """Cells of a court's organisations for `year` as of `today` (organisations may be narrowed to a scope)."""
    from tianping.party.models import PartyOrganisation
    from tianping.partylife.choices import MeetingStatus
    from tianping.partylife.models import Meeting

    orgs = organisations if organisations is not None else PartyOrganisation.objects.filter(court=court)
    orgs = list(orgs)
    held = (Meeting.objects.filter(court=court, status=MeetingStatus.HELD, date__year=year,
                                   organisation_id__in=[o.pk for o in orgs], meeting_type__duty__isnull=False)
            .values_list("organisation_id", "meeting_type__duty__code", "date", "pk"))
    return evaluate(orgs=org_inputs(orgs), rules=rule_inputs(rules), held=list(held), year=year, today=today)
