"""Everything partylife needs from the party app, in one place: rosters, votes, committees, points.

Reads go through tianping.party.selectors where one exists; the party app's tables are only read, never
written (points go through tianping.party.services.points_award)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Q

from tianping.partylife.choices import Audience
from tianping.partylife.compliance import OrgInput

# A branch "has a committee" on a day when at least this many people hold a current committee post
# (书记 plus at least two 委员); a small branch with only a secretary owes no 支委会.
COMMITTEE_MIN_POSTS = 3
# Organisation kinds (party.models.OrgKind) whose events are court-wide.
COURT_LEVEL_KINDS = {"party_group", "organ_committee"}


def has_committee_on(organisation_id: int, day: date) -> bool:
    from tianping.party.models import CommitteePost

    return (CommitteePost.objects.current_on(day).filter(organisation_id=organisation_id)
            .values("person_id").distinct().count() >= COMMITTEE_MIN_POSTS)


def org_input(org: Any) -> OrgInput:
    org_id: int = org.pk
    return OrgInput(id=org_id, name=org.name, kind=org.kind, exists_from=org.founded_on,
                    has_committee=lambda day: has_committee_on(org_id, day))


def org_inputs(organisations) -> list[OrgInput]:
    """OrgInputs for many organisations with their committee posts read in one query (the matrix asks
    "committee on this day?" for every organisation and month)."""
    from tianping.party.models import CommitteePost

    orgs = list(organisations)
    posts: dict[int, list[tuple[int, date, date | None]]] = {}
    for org_id, person_id, start, ended in CommitteePost.objects.filter(organisation__in=orgs).values_list(
            "organisation_id", "person_id", "term_start", "ended_on"):
        posts.setdefault(org_id, []).append((person_id, start, ended))

    def committee(org_id: int):
        rows = posts.get(org_id, [])

        def check(day: date) -> bool:
            holders = {p for p, start, ended in rows if start <= day and (ended is None or ended > day)}
            return len(holders) >= COMMITTEE_MIN_POSTS

        return check

    return [OrgInput(id=o.pk, name=o.name, kind=o.kind, exists_from=o.founded_on, has_committee=committee(o.pk))
            for o in orgs]


def _member_rows(court_id: int):
    from tianping.party.models import PartyMember

    return {m.person_id: m for m in PartyMember.objects.filter(court_id=court_id)
            .only("person_id", "admitted_on", "converted_on", "cancelled_on", "membership_ended_on")}


def _is_member(m, day: date) -> bool:
    if m is None or not m.admitted_on or m.admitted_on > day:
        return False
    if m.cancelled_on and m.cancelled_on <= day:
        return False
    return not (m.membership_ended_on and m.membership_ended_on <= day)


def has_vote(m, day: date) -> bool:
    """Full members vote; probationary members do not."""
    return _is_member(m, day) and bool(m.converted_on and m.converted_on <= day)


def expected_people(*, court, organisation, audience: str, day: date) -> list[tuple[Any, bool]]:
    """(person, has_vote) of everyone expected at a meeting of `organisation` on `day`."""
    from tianping.org.models import Person
    from tianping.party.models import CommitteePost
    from tianping.party.selectors import branch_roster_on

    members = _member_rows(court.pk)
    if audience == Audience.ROSTER and organisation.kind in COURT_LEVEL_KINDS:
        audience = Audience.ALL_STAFF  # a court-wide event (机关党委 / 党组) expects all staff in service
    if audience == Audience.ROSTER:
        # a 党小组's members are the party records kept in the group (party's BranchMembership of the group),
        # never its whole branch: a group with no members recorded expects nobody, and the sheet says so
        roster = list(branch_roster_on(organisation, day))
        people = [p for p in roster if _is_member(members.get(p.pk), day)]
    elif audience == Audience.COMMITTEE:
        ids = (CommitteePost.objects.current_on(day).filter(organisation=organisation).values("person_id"))
        people = list(Person.objects.filter(pk__in=ids).order_by("name"))
    else:
        staff = (Person.objects.filter(court=court).filter(Q(hired_on__isnull=True) | Q(hired_on__lte=day))
                 .filter(Q(left_on__isnull=True) | Q(left_on__gte=day)))
        if audience == Audience.LEADERSHIP:
            staff = staff.filter(is_leadership=True)
        people = list(staff.order_by("name"))
        if audience == Audience.PARTY_MEMBERS:
            people = [p for p in people if _is_member(members.get(p.pk), day)]
    return [(p, has_vote(members.get(p.pk), day)) for p in people]


def award_points(*, person, rule_code: str, occurred_on: date, actor, source, note: str = ""):
    from tianping.party.services import points_award

    return points_award(person=person, rule_code=rule_code, occurred_on=occurred_on, actor=actor, source=source,
                        note=note)


def reverse_points(*, person, rule_code: str, actor, source, note: str = ""):
    from tianping.party.models import PointsEntry
    from tianping.party.services import points_reverse

    # Skip the locking service call when there is nothing live to reverse (most status changes).
    if not PointsEntry.objects.filter(person_id=person.pk, rule__code=rule_code, source_type=source._meta.label_lower,
                                      source_id=str(source.pk), reverses__isnull=True,
                                      reversal__isnull=True).exists():
        return None
    return points_reverse(person=person, rule_code=rule_code, source=source, actor=actor, note=note)
