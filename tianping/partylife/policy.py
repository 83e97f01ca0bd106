"""Who may do what with meetings, attendance, study records, the lecture hall and the settings of
organisational life. The only place partylife names a role.

- 政治部/机关党委 (party_office) manages every organisation's meetings of the court and the settings;
- 院领导 (leader) read all of the court's meetings and figures;
- a branch secretary manages the meetings of the branches they lead and of the groups under them
  (`tianping.partylife.scope.managed_org_ids`);
- every member reads the meetings they were expected at, spoke at or hosted, and signs in to them.

Row scopes (which meetings a user reaches) live in `scope.py` and `MeetingQuerySet.scoped_to`; they ask the
page permissions declared here ("partylife.manage_court", "partylife.read_court") instead of roles."""

from __future__ import annotations

import rules
from django.db import models

from tianping.core.policy import declare, has_role, in_scope, is_authenticated
from tianping.core.roles import Role
from tianping.partylife.models import (
    Attachment,
    Attendance,
    CalendarFeed,
    Campaign,
    DutyRule,
    FollowUpTask,
    Meeting,
    MeetingSpeaker,
    MeetingType,
)

OFFICE = has_role(Role.PARTY_OFFICE)
READS_COURT = has_role(Role.PARTY_OFFICE, Role.LEADER)
MANAGERS = has_role(Role.LEADER, Role.PARTY_OFFICE, Role.BRANCH_SECRETARY)
MEMBERS = MANAGERS | has_role(Role.MEMBER)


@rules.predicate
def has_person(user) -> bool:
    """The account is a person of the court's roster (sign-in, own attendance)."""
    return bool(getattr(user, "person_id", None))


def _meeting_of(obj):
    if obj is None or isinstance(obj, Meeting):
        return obj
    return getattr(obj, "meeting", None)


@rules.predicate
def manages_meeting(user, obj) -> bool:
    """The meeting's (or the row's meeting's) organisation is one the user manages; with no object: the user
    manages some organisation (an "add" button, the import link)."""
    from tianping.partylife.scope import managed_org_ids

    meeting = _meeting_of(obj)
    org_ids = managed_org_ids(user)
    if meeting is None:
        return bool(org_ids)
    return meeting.organisation_id in org_ids


@rules.predicate
def owns_task(user, obj) -> bool:
    if obj is None:
        return bool(getattr(user, "person_id", None))
    return bool(getattr(user, "person_id", None)) and obj.owner_id == user.person_id


@rules.predicate
def expected_at(user, obj) -> bool:
    """An expected attendee of the meeting (with no object: any account of a person)."""
    if obj is None:
        return bool(getattr(user, "person_id", None))
    return obj.attendances.filter(person_id=getattr(user, "person_id", None), expected=True).exists()


@rules.predicate
def own_feed(user, obj) -> bool:
    return obj is None or obj.user_id == user.pk


@rules.predicate
def meeting_visible(user, obj) -> bool:
    """The row belongs to a meeting the user may read (attendance, speaker, task, attachment)."""
    meeting = _meeting_of(obj)
    if meeting is None:
        return True
    return Meeting.objects.visible_to(user).filter(pk=meeting.pk).exists()


# --- scopes: asked by scope.py instead of roles -----------------------------------------------------------
declare("partylife.manage_court", OFFICE)          # manages every organisation of the court
declare("partylife.read_court", READS_COURT)       # reads every organisation's meetings and figures
declare("partylife.manage_branches", has_role(Role.BRANCH_SECRETARY))  # manages the branches they lead

# --- pages ------------------------------------------------------------------------------------------------
declare("partylife.view_meetings", MEMBERS)
declare("partylife.view_compliance", READS_COURT | (has_role(Role.BRANCH_SECRETARY) & manages_meeting))
declare("partylife.view_lectures", MEMBERS)
declare("partylife.view_study", MEMBERS)
declare("partylife.manage_settings", OFFICE)
declare("partylife.view_settings", MEMBERS)
declare("partylife.subscribe_calendar", MEMBERS)
declare("partylife.view_home", MEMBERS)            # the home panel of organisational life

# --- meetings ---------------------------------------------------------------------------------------------
declare(Meeting, "view", MEMBERS & in_scope("view"))
declare(Meeting, "add", MANAGERS & manages_meeting)
declare(Meeting, "change", MANAGERS & manages_meeting)
declare(Meeting, "delete", MANAGERS & manages_meeting)
declare(Meeting, "import", MANAGERS & manages_meeting)
declare(Meeting, "export", MEMBERS)
declare(Meeting, "run_signin", MANAGERS & manages_meeting)      # the screen with the rotating QR code
declare(Meeting, "refresh_expected", MANAGERS & manages_meeting)
declare(Meeting, "sign_in", is_authenticated & has_person & expected_at)
declare(Meeting, "record_attendance", MANAGERS & manages_meeting)   # the attendance sheet
declare(Meeting, "correct_attendance", MANAGERS & manages_meeting)  # changing a recorded status (audited)

# --- attendance -------------------------------------------------------------------------------------------
declare(Attendance, "view", MEMBERS & meeting_visible)
declare(Attendance, "add", MANAGERS & manages_meeting)            # a guest (列席) added to the sheet
declare(Attendance, "change", MANAGERS & manages_meeting)
declare(Attendance, "delete", MANAGERS & manages_meeting)
declare(Attendance, "import", MANAGERS & manages_meeting)
declare(Attendance, "export", MEMBERS)

# --- speakers, follow-up tasks, attachments ---------------------------------------------------------------
for _model in (MeetingSpeaker, Attachment):
    declare(_model, "view", MEMBERS & meeting_visible)
    declare(_model, "add", MANAGERS & manages_meeting)
    declare(_model, "change", MANAGERS & manages_meeting)
    declare(_model, "delete", MANAGERS & manages_meeting)
declare(FollowUpTask, "view", MEMBERS & meeting_visible)
declare(FollowUpTask, "add", MANAGERS & manages_meeting)
declare(FollowUpTask, "change", (MANAGERS & manages_meeting) | (MEMBERS & owns_task))  # done / reopened
declare(FollowUpTask, "delete", MANAGERS & manages_meeting)

# --- study records (hours and attendance rates), the lecture hall -----------------------------------------
declare("partylife.view_study_records", MEMBERS)      # one person's records: narrowed by people_in_scope
declare("partylife.export_study", MANAGERS)

# --- campaigns, meeting types and duties (settings as data) -----------------------------------------------
_settings_models: tuple[type[models.Model], ...] = (Campaign, MeetingType, DutyRule)
for _setting in _settings_models:
    declare(_setting, "view", MEMBERS)
    declare(_setting, "add", OFFICE)
    declare(_setting, "change", OFFICE)
    declare(_setting, "delete", OFFICE)

# --- the personal calendar feed -----------------------------------------------------------------------------
declare(CalendarFeed, "view", MEMBERS & own_feed)
declare(CalendarFeed, "change", MEMBERS & own_feed)
