"""What a member owes for a month: the base in force, the band rule in force, reductions, rounding.

Amounts are Decimal and rounded half-up to 0.01 yuan (四舍五入到分). A probationary member pays from the
month of acceptance (入党日期); nothing is due before it, nor after a transfer out or end of membership.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Q

from tianping.party.models import (
    DuesBase,
    DuesCategory,
    DuesPayment,
    DuesReduction,
    DuesRule,
    MemberStatus,
    PartyMember,
    PartyOrganisation,
)
from tianping.party.rules import CENT, DuesQuote, dues_amount, dues_rule_for, month_end, month_start

ZERO = Decimal("0.00")


def dues_for_base(*, category: str, base: Decimal | None, month: date, court_id: int | None = None,
                  rules=None) -> DuesQuote:
    """The monthly dues for a base under the rules in force in `month` (no member, no reductions)."""
    base = Decimal(base) if base is not None else None
    rule = dues_rule_for(category=category, base=base, month=month, court_id=court_id, rules=rules)
    if rule is None:
        return DuesQuote(base=base, rate=None, due=ZERO)
    if rule.fixed_amount is not None:
        return DuesQuote(base=base, rate=None, due=rule.fixed_amount.quantize(CENT), rule_id=rule.pk)
    # a rule without a fixed amount has a rate (constraint), and only matches a known base
    assert rule.rate is not None and base is not None
    return DuesQuote(base=base, rate=rule.rate, due=dues_amount(base, rule.rate), rule_id=rule.pk)


def member_owes_in(member, month: date) -> bool:
    """Whether dues are due from the member for `month` (from the month of acceptance while on the roster)."""
    first, last = month_start(month), month_end(month)
    if not member.admitted_on or month_start(member.admitted_on) > first:
        return False
    if member.cancelled_on and member.cancelled_on <= first:
        return False
    if member.membership_ended_on and member.membership_ended_on <= first:
        return False
    if member.status == MemberStatus.TRANSFERRED_OUT and member.status_since and member.status_since <= first:
        return False
    del last
    return True


class DuesContext:
    """Preloaded bases, reductions and rules for many members and months (one query each)."""

    def __init__(self, members, court_id: int | None = None):
        ids = [m.pk for m in members]
        self.bases: dict[int, list[DuesBase]] = {}
        for b in DuesBase.objects.filter(member_id__in=ids).order_by("effective_from"):
            self.bases.setdefault(b.member_id, []).append(b)
        self.reductions: dict[int, list[DuesReduction]] = {}
        for r in DuesReduction.objects.filter(member_id__in=ids):
            self.reductions.setdefault(r.member_id, []).append(r)
        self.rules = list(DuesRule.objects.filter(Q(court__isnull=True) | Q(court_id=court_id)))
        self.court_id = court_id

    def base_on(self, member, month: date) -> Decimal | None:
        last = month_end(month)
        found = None
        for b in self.bases.get(member.pk, []):
            if b.effective_from <= last:
                found = b.amount
        return found

    def quote(self, member, month: date) -> DuesQuote:
        month = month_start(month)
        if not member_owes_in(member, month):
            return DuesQuote(base=None, rate=None, due=ZERO)
        base = self.base_on(member, month)
        category = member.dues_category
        if category == DuesCategory.SALARIED and base is None:
            return DuesQuote(base=None, rate=None, due=ZERO)
        q = dues_for_base(category=category, base=base, month=month, court_id=self.court_id, rules=self.rules)
        for r in self.reductions.get(member.pk, []):
            if r.start_month <= month and (r.end_month is None or r.end_month >= month):
                return DuesQuote(base=q.base, rate=q.rate, due=r.monthly_amount.quantize(CENT), rule_id=q.rule_id,
                                 reduced=True)
        return q


def dues_quote(member, month: date) -> DuesQuote:
    return DuesContext([member], court_id=member.court_id).quote(member, month)


@dataclass
class SheetRow:
    member: PartyMember
    branch: PartyOrganisation
    month: date
    base: Decimal | None
    rate: Decimal | None
    due: Decimal
    paid: Decimal
    payment: DuesPayment | None
    reduced: bool = False

    @property
    def owed(self) -> Decimal:
        return max(self.due - self.paid, ZERO)

    @property
    def rate_percent(self) -> str:
        return f"{(self.rate * 100).normalize():f}%" if self.rate is not None else ""


def _periods_by_member(court_id: int, first: date, last: date, branch_ids=None):
    """Branch periods overlapping [first, last], grouped by member (one query). With `branch_ids`, only the
    members who sat in one of those branches in the span (all their periods, so a move is placed right)."""
    from tianping.party.models import BranchMembership

    overlapping = (BranchMembership.objects.filter(court_id=court_id, start__lte=last)
                   .filter(Q(end__isnull=True) | Q(end__gte=first)))
    periods = overlapping
    if branch_ids is not None:
        ids = list(branch_ids)
        members = overlapping.filter(Q(organisation_id__in=ids) | Q(organisation__parent_id__in=ids))
        periods = overlapping.filter(member_id__in=members.values("member_id"))
    periods = periods.select_related("member__person", "organisation").order_by("start", "id")
    by_member: dict[int, list] = {}
    for p in periods:
        by_member.setdefault(p.member_id, []).append(p)
    return by_member


def _branch_in_month(periods: list, first: date, last: date):
    """The period held last in the month (a member moved mid-month counts on the new branch's sheet)."""
    found = None
    for p in periods:
        if p.start <= last and (p.end is None or p.end >= first):
            found = p
    return found


def members_in_month(court_id: int, month: date, branch_ids=None) -> list[tuple[object, object]]:
    """(member, branch) for each member whose record sat in a branch during the month."""
    first, last = month_start(month), month_end(month)
    out = []
    for periods in _periods_by_member(court_id, first, last, branch_ids).values():
        p = _branch_in_month(periods, first, last)
        org = p.organisation
        if org.kind == "group" and org.parent_id:
            org = org.parent
        if branch_ids is not None and org.pk not in branch_ids and p.organisation_id not in branch_ids:
            continue
        out.append((p.member, org))
    out.sort(key=lambda mb: (mb[1].sort_order, mb[1].name, mb[0].person.name))
    return out


def dues_months(court_id: int, months: list[date], branch_ids=None) -> list[SheetRow]:
    """Sheet rows for several months, loading periods, bases, reductions, rules and payments once."""
    from tianping.party.models import DuesPayment, PartyOrganisation

    months = sorted({month_start(m) for m in months})
    if not months:
        return []
    by_member = _periods_by_member(court_id, months[0], month_end(months[-1]), branch_ids)
    members = [periods[0].member for periods in by_member.values()]
    ctx = DuesContext(members, court_id=court_id)
    payments = {(p.member_id, p.month): p for p in DuesPayment.objects.filter(
        member_id__in=[m.pk for m in members], month__gte=months[0], month__lte=months[-1])}
    parents = dict(PartyOrganisation.objects.filter(court_id=court_id).values_list("pk", "parent_id"))
    orgs: dict[int, PartyOrganisation] = {}
    rows: list[SheetRow] = []
    for month in months:
        first, last = month, month_end(month)
        month_rows = []
        for periods in by_member.values():
            p = _branch_in_month(periods, first, last)
            if p is None:
                continue
            m, org = p.member, p.organisation
            if org.kind == "group" and parents.get(org.pk):
                org = orgs.get(parents[org.pk]) or PartyOrganisation.objects.get(pk=parents[org.pk])
                orgs[org.pk] = org
            if branch_ids is not None and org.pk not in branch_ids and p.organisation_id not in branch_ids:
                continue
            if not member_owes_in(m, month):
                continue
            q = ctx.quote(m, month)
            pay = payments.get((m.pk, month))
            month_rows.append(SheetRow(member=m, branch=org, month=month, base=q.base, rate=q.rate, due=q.due,
                                       paid=pay.paid_amount if pay else ZERO, payment=pay, reduced=q.reduced))
        month_rows.sort(key=lambda r: (r.branch.sort_order, r.branch.name, r.member.person.name))
        rows.extend(month_rows)
    return rows


def dues_sheet(court_id: int, month: date, branch_ids=None) -> list[SheetRow]:
    """The monthly sheet: every member owing dues that month with base, rate, 应交 and 实交."""
    return dues_months(court_id, [month], branch_ids)


def dues_year(court_id: int, year: int, branch_ids=None, until: date | None = None) -> list[SheetRow]:
    """All sheet rows of a year (up to `until`'s month when given, e.g. today for the current year)."""
    months = [date(year, m, 1) for m in range(1, 13)]
    if until is not None:
        months = [m for m in months if m <= month_start(until)]
    return dues_months(court_id, months, branch_ids)
