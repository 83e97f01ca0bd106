"""The demo's organisational life: realistic volume from 2014 to today, the seed's lecture-hall counts, deliberate
gaps."""

import pytest
from django.utils import timezone

from tianping.partylife.choices import MeetingStatus
from tianping.partylife.compliance import court_matrix
from tianping.partylife.models import Meeting

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_demo_meetings(demo):
    meetings = Meeting.objects.filter(court=demo)
    today = timezone.localdate()
    # the seed's lecture hall: 12 court-wide and 52 branch sessions in its year (2016); a few a year since
    lectures = meetings.filter(meeting_type__code="integrity_lecture")
    seed_year = lectures.filter(date__year=2016)
    assert seed_year.filter(organisation__kind="organ_committee").count() == 12
    assert seed_year.filter(organisation__kind="branch").count() == 52
    assert lectures.filter(date__year=2015).exists()
    for year in range(2017, today.year):
        assert lectures.filter(date__year=year).exists(), year
    assert meetings.filter(meeting_type__code="roll_call", date__year=2016).count() >= 45
    assert meetings.filter(meeting_type__code="party_group_meeting", date__year=2015).count() >= 45
    assert meetings.filter(status=MeetingStatus.PLANNED, date__lt=today).exists()  # one to record
    assert meetings.filter(status=MeetingStatus.PLANNED, date__gt=today).exists()  # the coming weeks
    for year in (2015, 2016):
        cells = court_matrix(court=demo, year=year, today=today)
        missed = [c for c in cells if c.status == "missed"]
        assert 1 <= len(missed) <= 6, [(c.organisation, c.duty, c.period.key) for c in missed]
        branches_with_cells = {c.organisation for c in cells}
        assert len(branches_with_cells) >= 10
    # idempotent
    before = meetings.count()
    from django.core.management import call_command

    call_command("seed_demo", verbosity=0)
    assert Meeting.objects.filter(court=demo).count() == before


def test_demo_group_meetings_expect_the_groups_members(demo):
    """Each 党小组 of the demo keeps members (the 执行局 branch's are split over its two groups); a group
    meeting's expected attendees are exactly the group's party members on the day, never the whole branch,
    and the adapter the meeting form uses agrees."""
    from tianping.party.models import PartyOrganisation
    from tianping.party.selectors import branch_roster_on
    from tianping.partylife.party_adapter import _is_member, _member_rows, expected_people

    groups = list(PartyOrganisation.objects.filter(court=demo, kind="group"))
    assert len(groups) == 2
    members = _member_rows(demo.pk)
    today = timezone.localdate()
    for group in groups:
        branch_now = set(branch_roster_on(group.parent, today).values_list("pk", flat=True))
        group_now = set(branch_roster_on(group, today).values_list("pk", flat=True))
        assert 0 < len(group_now) < len(branch_now)
        held = list(Meeting.objects.filter(organisation=group, meeting_type__code="group_meeting",
                                           status=MeetingStatus.HELD).order_by("-date")[:3])
        assert held
        for meeting in held:
            expected = set(meeting.attendances.filter(expected=True).values_list("person_id", flat=True))
            roster = {p.pk for p in branch_roster_on(group, meeting.date) if _is_member(members.get(p.pk), meeting.date)}
            assert expected and expected == roster, (group.name, meeting.date)
            adapter = {p.pk for p, _vote in expected_people(court=demo, organisation=group, audience="roster",
                                                            day=meeting.date)}
            assert adapter == roster
