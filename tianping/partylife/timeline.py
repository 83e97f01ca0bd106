"""Entries of a member's timeline: meetings attended, talks given."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from tianping.core import registry
from tianping.partylife.choices import ATTENDED, MeetingStatus
from tianping.partylife.models import Attendance, Meeting, MeetingSpeaker


@registry.timeline.register(order=30)
def timeline_entries(person, user) -> list[dict]:
    visible = Meeting.objects.visible_to(user).filter(status=MeetingStatus.HELD)
    out = []
    # the weekly roll call and party-group meeting (types without points) would drown the profile
    for a in (Attendance.objects.filter(person=person, status__in=ATTENDED, meeting__in=visible,
                                        meeting__meeting_type__awards_points=True)
              .select_related("meeting__meeting_type", "meeting__organisation")
              # what an entry shows (a meeting's minutes and resolutions are long texts)
              .only("meeting__date", "meeting__topic", "meeting__meeting_type__name", "meeting__organisation__name")
              .order_by("-meeting__date")[:200]):
        m = a.meeting
        out.append({"date": m.date, "kind": _("组织生活"),
                    "label": _("参加%(o)s%(t)s：%(topic)s") % {"o": m.organisation.name, "t": m.meeting_type.name,
                                                             "topic": m.topic},
                    "url": reverse("partylife:meeting_detail", args=[m.pk])})
    for s in (MeetingSpeaker.objects.filter(person=person, meeting__in=visible)
              .select_related("meeting__meeting_type")
              .only("title", "meeting__date", "meeting__topic", "meeting__meeting_type__name")
              .order_by("-meeting__date")[:100]):
        m = s.meeting
        out.append({"date": m.date, "kind": _("组织生活"),
                    "label": _("在%(t)s主讲：%(topic)s") % {"t": m.meeting_type.name, "topic": s.title or m.topic},
                    "url": reverse("partylife:meeting_detail", args=[m.pk])})
    return out
