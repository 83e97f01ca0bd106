"""Reads of organisational life: lecture hall rotation, study hours, attendance rates, calendar events."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Max, Q, QuerySet, Sum

from tianping.core import registry
from tianping.partylife.choices import ATTENDED, AttendanceStatus, MeetingStatus
from tianping.partylife.models import Attendance, Meeting, MeetingSpeaker

if TYPE_CHECKING:
    from collections.abc import Iterable

    from tianping.org.models import Court, Person


def people_in_scope(user: Any, day: date) -> QuerySet[Person]:
    """People whose figures the user may see: the whole court (party office, leaders), the rosters of the
    branches a secretary leads, or only oneself."""
    from tianping.org.models import Person
    from tianping.partylife.scope import managed_org_ids, reads_whole_court

    qs: QuerySet[Person] = Person.objects.visible_to(user)
    if reads_whole_court(user):
        return qs
    ids: set[int] = set()
    org_ids = managed_org_ids(user)
    if org_ids:
        from tianping.party.models import BranchMembership

        ids |= set(BranchMembership.objects.filter(organisation_id__in=org_ids, start__lte=day)
                   .values_list("member__person_id", flat=True))
    if user.person_id:
        ids.add(user.person_id)
    return qs.filter(pk__in=ids)


def party_members_on(court: Court, day: date) -> set[int]:
    from tianping.party.selectors import party_membership_intervals

    out = set()
    for person_id, spans in party_membership_intervals(court).items():
        if any(s <= day and (e is None or day <= e) for s, e in spans):
            out.add(person_id)
    return out


# --- lecture hall -------------------------------------------------------------------------------------
@dataclass
class SpeakerRow:
    person_id: int
    name: str
    label: str
    talks_this_year: int = 0
    last_spoke: date | None = None
    meeting_ids: list[int] = field(default_factory=list)


def _lectures(court: Court) -> QuerySet[Meeting]:
    return Meeting.objects.filter(court=court, meeting_type__is_lecture=True).exclude(status=MeetingStatus.CANCELLED)


LECTURE_COURT_KINDS = ("party_group", "organ_committee")


def lecture_sessions(court: Court, year: int) -> dict[str, Any]:
    """廉政大讲堂 sessions held in the year: {"court", "branch": counts, "court_ids", "branch_ids": "1,2,…"} —
    organised at court level (the party group or the organ party committee) and by the others (branches).
    One query (the annual report needs only these, not the rest of `lecture_hall`)."""
    held_year = _lectures(court).filter(date__year=year, status=MeetingStatus.HELD)
    court_ids: list[int] = []
    branch_ids: list[int] = []
    for pk, kind in held_year.values_list("pk", "organisation__kind"):
        (court_ids if kind in LECTURE_COURT_KINDS else branch_ids).append(pk)
    return {"court": len(court_ids), "branch": len(branch_ids),
            "court_ids": ",".join(map(str, court_ids)), "branch_ids": ",".join(map(str, branch_ids))}


def lecture_hall(*, court: Court, year: int, today: date, people: QuerySet[Person] | None = None
                 ) -> dict[str, Any]:
    """Who spoke at the 廉政大讲堂 this year and who has not yet ("from listener to speaker").

    Candidates are the party members of the court in service on the reference day (today, or 31 Dec of a
    past year); rotation suggestions are those who have not spoken this year, longest since last spoke first
    (never spoken first of all)."""
    from tianping.org.models import Person

    ref = min(today, date(year, 12, 31))
    lectures = _lectures(court)
    sessions = lecture_sessions(court, year)
    talks = (MeetingSpeaker.objects.filter(meeting__in=lectures.filter(status=MeetingStatus.HELD, date__lte=ref),
                                           person__isnull=False)
             .values_list("person_id", "meeting_id", "meeting__date"))
    members = party_members_on(court, ref)
    staff = Person.objects.filter(court=court, pk__in=members).filter(Q(left_on__isnull=True) | Q(left_on__gt=ref))
    if people is not None:
        staff = staff.filter(pk__in=people.values("pk"))
    rows = {p.pk: SpeakerRow(p.pk, p.name, p.label) for p in staff.order_by("name")}
    for person_id, meeting_id, day in talks:
        row = rows.get(person_id)
        if row is None:
            continue
        if row.last_spoke is None or day > row.last_spoke:
            row.last_spoke = day
        if day.year == year:
            row.talks_this_year += 1
            row.meeting_ids.append(meeting_id)
    spoken = sorted((r for r in rows.values() if r.talks_this_year), key=lambda r: (-r.talks_this_year, r.name))
    not_yet = sorted((r for r in rows.values() if not r.talks_this_year),
                     key=lambda r: (r.last_spoke or date.min, r.name))
    return {"sessions": sessions, "spoken": spoken, "not_yet": not_yet, "suggestions": not_yet[:5],
            "candidates": len(rows), "reference_day": ref}


# --- study hours and attendance ---------------------------------------------------------------------------
def study_hours(*, court: Court, year: int, person_ids: Iterable[int] | None = None
                ) -> dict[int, dict[str, Any]]:
    """person_id -> {"total": Decimal, "by_campaign": {campaign name or "": Decimal}} for meetings held in
    `year` that the person attended (出席 or 迟到), plus the hours other apps record (`registry.study_sources`)."""
    if person_ids is not None:
        person_ids = list(person_ids)
    qs = (Attendance.objects.filter(meeting__court=court, meeting__date__year=year,
                                    meeting__status=MeetingStatus.HELD, status__in=ATTENDED,
                                    meeting__study_hours__gt=0))
    if person_ids is not None:
        qs = qs.filter(person_id__in=person_ids)
    out: dict[int, dict[str, Any]] = defaultdict(lambda: {"total": Decimal("0"), "by_campaign": defaultdict(Decimal)})
    for person_id, campaign, hours in (qs.values("person_id", "meeting__campaign__name")
                                       .annotate(h=Sum("meeting__study_hours"))
                                       .values_list("person_id", "meeting__campaign__name", "h")):
        out[person_id]["total"] += hours
        out[person_id]["by_campaign"][campaign or ""] += hours
    # hours earned outside meetings (e.g. an assigned article of the online party column)
    for source in registry.study_sources:
        for person_id, (label, extra) in source(court.pk, year, person_ids).items():
            out[person_id]["total"] += extra
            out[person_id]["by_campaign"][label] += extra
    return out


def attendance_rates(*, court: Court, year: int, person_ids: Iterable[int] | None = None,
                     party_only: bool = False) -> dict[int, dict[str, Any]]:
    """person_id -> counts of expected attendance at meetings held in `year` and the rate.

    rate = (出席 + 迟到) / expected; 请假 counts as expected but not attended (shown separately).
    party_only leaves out the staff roll call and the party-group meeting (types that earn no points)."""
    qs = Attendance.objects.filter(meeting__court=court, meeting__date__year=year, meeting__status=MeetingStatus.HELD,
                                   expected=True)
    if party_only:
        qs = qs.filter(meeting__meeting_type__awards_points=True)
    if person_ids is not None:
        qs = qs.filter(person_id__in=person_ids)
    agg = qs.values("person_id").annotate(
        expected_n=Count("id"),
        present=Count("id", filter=Q(status=AttendanceStatus.PRESENT)),
        late=Count("id", filter=Q(status=AttendanceStatus.LATE)),
        leave=Count("id", filter=Q(status=AttendanceStatus.LEAVE)),
        absent=Count("id", filter=Q(status=AttendanceStatus.ABSENT)),
    )
    out = {}
    for row in agg:
        attended = row["present"] + row["late"]
        out[row["person_id"]] = {**row, "attended": attended,
                                 "rate": (attended / row["expected_n"]) if row["expected_n"] else None}
    return out


def last_lecture_by_person(court: Court) -> dict[int, date]:
    return dict(MeetingSpeaker.objects.filter(meeting__court=court, meeting__meeting_type__is_lecture=True,
                                              meeting__status=MeetingStatus.HELD, person__isnull=False)
                .values("person_id").annotate(d=Max("meeting__date")).values_list("person_id", "d"))


# --- calendar ---------------------------------------------------------------------------------------------
def calendar_meetings(user: Any, start: date, end: date) -> QuerySet[Meeting]:
    """Meetings in the user's scope between start and end (inclusive), not cancelled."""
    qs: QuerySet[Meeting] = Meeting.objects.visible_to(user)
    return (qs.filter(date__gte=start, date__lte=end)
            .exclude(status=MeetingStatus.CANCELLED)
            .select_related("meeting_type", "organisation", "host").order_by("date", "start_time"))


OATH_TYPE = "oath"  # 入党宣誓
OATH_LOOKBACK_DAYS = 365  # members admitted this long ago or less are asked after; older records are history


def oath_pending(court_id: int, org_ids: Iterable[int], today: date) -> dict[int, list[int]]:
    """{organisation id: person ids} of the newly admitted members (入党日期 in the last OATH_LOOKBACK_DAYS) on
    the roster of one of `org_ids` today (a 党小组's members count in its branch when the branch is among
    them) who have not attended (出席 / 迟到) an 入党宣誓 held on or after their admission. Recording such a
    meeting with their attendance clears them. Three queries whatever the number of branches."""
    from datetime import timedelta

    from tianping.party.models import BranchMembership, MemberStatus

    org_ids = set(org_ids)
    if not org_ids:
        return {}
    since = today - timedelta(days=OATH_LOOKBACK_DAYS)
    rows = list(BranchMembership.objects.filter(court_id=court_id, organisation_id__in=org_ids, start__lte=today,
                                            member__admitted_on__gte=since, member__admitted_on__lte=today)
            .filter(Q(end__isnull=True) | Q(end__gte=today))
            .exclude(member__status__in=[MemberStatus.TRANSFERRED_OUT, MemberStatus.CANCELLED,
                                         MemberStatus.STOPPED])
            .values_list("organisation_id", "organisation__kind", "organisation__parent_id", "member__person_id",
                         "member__admitted_on"))
    sworn: dict[int, list[date]] = defaultdict(list)
    for pid, day in (Attendance.objects.filter(meeting__court_id=court_id, meeting__meeting_type__code=OATH_TYPE,
                                               meeting__status=MeetingStatus.HELD, meeting__date__gte=since,
                                               status__in=ATTENDED, person_id__in={r[3] for r in rows})
                     .values_list("person_id", "meeting__date")):
        sworn[pid].append(day)
    out: dict[int, set[int]] = defaultdict(set)
    for org_id, kind, parent_id, pid, admitted in rows:
        if admitted is None or any(day >= admitted for day in sworn.get(pid, [])):
            continue
        target = parent_id if kind == "group" and parent_id in org_ids else org_id
        out[target].add(pid)
    return {org: sorted(people) for org, people in out.items()}
