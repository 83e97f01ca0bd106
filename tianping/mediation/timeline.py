"""Entries of a member's timeline: mediation agreements reached in their judge's studio or as a mediator
on the roster (the seed counts the best mediators among party members)."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from tianping.core import registry
from tianping.mediation.models import Dispute


@registry.timeline.register(order=60)
def timeline_entries(person, user) -> list[dict]:
    cond = Q(studio__judge=person)
    account = getattr(person, "user", None) if person is not None else None
    if account is not None:
        cond |= Q(mediator__user=account)
    rows = (Dispute.objects.visible_to(user).filter(cond, agreement_on__isnull=False)
            .select_related("studio", "mediator")
            .only("number", "cause", "agreement_on", "studio_id", "mediator_id", "studio__name", "mediator__name")
            .order_by("-agreement_on")[:100])
    return [{"date": d.agreement_on, "kind": _("诉前调解"),
             "label": _("主持调解达成协议：%(n)s %(c)s（%(h)s）") % {"n": d.number, "c": d.cause, "h": d.handler_label},
             "url": reverse("mediation:dispute_detail", args=[d.pk])} for d in rows]
