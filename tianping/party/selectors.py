"""Reads across party models used by other apps (partylife, trials, core scopes). Signatures are stable."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import Model, Q, QuerySet

from tianping.party.models import (
    BranchMembership,
    CommitteePost,
    CommitteeRole,
    MemberStatus,
    PartyMember,
    PartyOrganisation,
    Stage,
)

if TYPE_CHECKING:
    from tianping.org.models import Court, Person


def _membership_interval(m: Any) -> tuple[date, date | None] | None:
    """(first day, last day or None) of probationary-or-full membership from a member's dates."""
    if not m.admitted_on:
        return None
    end: date | None = None
    if m.cancelled_on:
        end = m.cancelled_on - timedelta(days=1)
    if m.membership_ended_on:
        last = m.membership_ended_on - timedelta(days=1)
        end = last if end is None else min(end, last)
    if end is not None and end < m.admitted_on:
        return None
    return (m.admitted_on, end)


def party_member_on(person: Person | int, day: date) -> bool:
    """Whether the person was a probationary or full party member on `day`.

    Membership runs from acceptance as a probationary member (入党日期) until a cancellation of the
    probation or an end of membership (停止党籍 …). A transfer out does not end membership."""
    person_id = person.pk if isinstance(person, Model) else person
    m = (PartyMember.objects.filter(person_id=person_id)
         .only("admitted_on", "cancelled_on", "membership_ended_on").first())
    if m is None:
        return False
    interval = _membership_interval(m)
    if interval is None:
        return False
    start, end = interval
    return start <= day and (end is None or day <= end)


def party_membership_intervals(court: Court | int, person_ids: Iterable[int] | None = None
                               ) -> dict[int, list[tuple[date, date | None]]]:
    """person_id -> periods (first day, last day or None) of probationary or full membership, one query (of
    those people only, with `person_ids`)."""
    court_id = court.pk if isinstance(court, Model) else court
    return party_membership_intervals_by_court([court_id], person_ids)[court_id]


def party_membership_intervals_by_court(court_ids: Iterable[int], person_ids: Iterable[int] | None = None
                                        ) -> dict[int, dict[int, list[tuple[date, date | None]]]]:
    """{court id: party_membership_intervals(court)} for several courts, one query (a higher court's page)."""
    ids = list(court_ids)
    out: dict[int, dict[int, list[tuple[date, date | None]]]] = {pk: {} for pk in ids}
    rows = (PartyMember.objects.filter(court_id__in=ids, admitted_on__isnull=False)
            .only("court_id", "person_id", "admitted_on", "cancelled_on", "membership_ended_on"))
    if person_ids is not None:
        rows = rows.filter(person_id__in=list(person_ids))
    for m in rows:
        interval = _membership_interval(m)
        if interval:
            out[m.court_id].setdefault(m.person_id, []).append(interval)
    return out


def branch_roster_on(organisation: PartyOrganisation, day: date) -> QuerySet[Person]:
    """People whose party record sat in the organisation (or its 党小组 below) on `day`."""
    from tianping.org.models import Person

    org_id = getattr(organisation, "pk", organisation)
    org_ids = [org_id, *PartyOrganisation.objects.filter(parent_id=org_id).values_list("pk", flat=True)]
    member_ids = (BranchMembership.objects.filter(organisation_id__in=org_ids, start__lte=day)
                  .filter(Q(end__isnull=True) | Q(end__gte=day)).values("member__person_id"))
    return Person.objects.filter(pk__in=member_ids).order_by("name")


def branches_led_by(user: Any) -> QuerySet[PartyOrganisation]:
    """Branches whose 书记 or 副书记 is the user's person today (a branch secretary's scope)."""
    person_id = getattr(user, "person_id", None)
    if not person_id:
        return PartyOrganisation.objects.none()
    today = date.today()  # noqa: DTZ011
    org_ids = (CommitteePost.objects.current_on(today)
               .filter(person_id=person_id, role__in=[CommitteeRole.SECRETARY, CommitteeRole.DEPUTY])
               .values("organisation_id"))
    return PartyOrganisation.objects.filter(pk__in=org_ids, court_id=user.court_id)


def branch_of_person_on(person: Person | int, day: date) -> PartyOrganisation | None:
    """The branch (党支部 or the organisation holding the record) of a person on `day`, or None."""
    person_id = person.pk if isinstance(person, Model) else person
    period = (BranchMembership.objects.filter(member__person_id=person_id, start__lte=day)
              .filter(Q(end__isnull=True) | Q(end__gte=day)).select_related("organisation")
              .order_by("-start").first())
    if period is None:
        return None
    org = period.organisation
    if org.kind == "group" and org.parent_id:
        return org.parent
    return org


def full_member_count(organisation: PartyOrganisation | int, day: date | None = None) -> int:
    org_id: int = organisation if isinstance(organisation, int) else organisation.pk
    return full_member_counts([org_id], day)[org_id]


def full_member_counts(organisations: Iterable[Any], day: date | None = None) -> dict[int, int]:
    """{organisation id: its full members on its roster on `day`} — branch_roster_on's people (the
    organisation's own and its 党小组's) who are full members still on a roster; one query for all."""
    day = day or date.today()  # noqa: DTZ011
    ids = [getattr(o, "pk", o) for o in organisations]
    counts_for: dict[int, set[int]] = {pk: {pk} for pk in ids}
    for child, parent in PartyOrganisation.objects.filter(parent_id__in=ids).values_list("pk", "parent_id"):
        counts_for.setdefault(child, set()).add(parent)
    rows = (BranchMembership.objects.filter(organisation_id__in=list(counts_for), start__lte=day)
            .filter(Q(end__isnull=True) | Q(end__gte=day))
            .filter(member__in=PartyMember.objects.on_roster().filter(stage=Stage.FULL))
            .values_list("organisation_id", "member__person_id").distinct())
    people: dict[int, set[int]] = {pk: set() for pk in ids}
    for org_id, person_id in rows:
        for target in counts_for[org_id]:
            people[target].add(person_id)
    return {pk: len(persons) for pk, persons in people.items()}


def active_members(court_id: int) -> QuerySet[PartyMember]:
    return PartyMember.objects.filter(court_id=court_id).exclude(status=MemberStatus.TRANSFERRED_OUT)
