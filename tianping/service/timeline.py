"""Entries of a member's timeline: circuit trials held, publicity events and 双包双联 visits taken part in, and
the revisits of the cases they handled (with the rating)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from tianping.core import registry
from tianping.service.models import CircuitTrial, OutreachEvent, PartnerVisit, Revisit

LIMIT = 100


@registry.timeline.register(order=65)
def timeline_entries(person: Any, user: Any) -> list[dict[str, Any]]:
    if person is None:
        return []
    out: list[dict[str, Any]] = []
    for t in (CircuitTrial.objects.visible_to(user).filter(judge=person).select_related("place")
              .order_by("-held_on")[:LIMIT]):
        out.append({"date": t.held_on, "kind": _("巡回审判"),
                    "label": _("%(f)s：%(p)s（旁听 %(n)d 人）") % {"f": t.get_form_display(), "p": str(t.place),
                                                              "n": t.audience},
                    "url": reverse("service:circuit_list") + f"?person={person.pk}&year={t.held_on.year}"})
    for e in OutreachEvent.objects.visible_to(user).filter(participants=person).order_by("-held_on")[:LIMIT]:
        out.append({"date": e.held_on, "kind": _("法官六进与法制宣传"),
                    "label": _("参加活动：%(t)s（%(k)s）") % {"t": e.title, "k": e.get_kind_display()},
                    "url": reverse("service:outreach_list") + f"?person={person.pk}&year={e.held_on.year}"})
    for v in (PartnerVisit.objects.visible_to(user).filter(visitors=person).select_related("partnership")
              .order_by("-visited_on")[:LIMIT]):
        out.append({"date": v.visited_on, "kind": _("双包双联"),
                    "label": _("走访联系点：%(p)s") % {"p": v.partnership.partner},
                    "url": reverse("service:visit_list") + f"?person={person.pk}&year={v.visited_on.year}"})
    for r in (Revisit.objects.visible_to(user).filter(case__judge=person).select_related("case")
              .only("revisited_on", "contact_name", "rating", "case__number").order_by("-revisited_on")[:LIMIT]):
        out.append({"date": r.revisited_on, "kind": _("案件回访"),
                    "label": _("承办案件回访：%(n)s %(c)s（%(r)s）") % {
                        "n": r.case.number, "c": r.contact_name,
                        "r": r.get_rating_display() if r.rating else _("未作评价")},
                    "url": reverse("service:revisit_detail", args=[r.pk])})
    return out
