"""The party's own entries for a member's timeline."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from tianping.core import registry


@registry.timeline.register(order=20)
def timeline_entries(person, user) -> list[dict]:
    """Steps on the road to membership, transfers, dues payments and points of one person."""
    from tianping.party.models import DuesPayment, MemberStep, PartyTransfer, PointsEntry

    out: list[dict] = []
    member = getattr(person, "party_member", None) if hasattr(person, "party_member") else None
    if member is not None:
        url = reverse("party:member_detail", args=[member.pk])
        for s in MemberStep.objects.filter(member=member).order_by("occurred_on"):
            out.append({"date": s.occurred_on, "kind": _("发展"), "label": s.get_step_display(), "url": url})
        for t in PartyTransfer.objects.filter(member=member):
            out.append({"date": t.transferred_on, "kind": _("组织关系"),
                        "label": f"{t.get_direction_display()}：{t.other_organisation}（{t.letter_number}）",
                        "url": url})
        for p in DuesPayment.objects.filter(member=member, paid_amount__gt=0).order_by("month"):
            out.append({"date": p.paid_on or p.month, "kind": _("党费"),
                        "label": _("交纳 %(m)s 党费 %(a)s 元") % {"m": f"{p.month:%Y-%m}", "a": p.paid_amount},
                        "url": reverse("party:dues_member", args=[member.pk])})
    for e in PointsEntry.objects.filter(person=person).select_related("rule"):
        label = e.rule.name if e.rule else _("手工调整")
        if e.reverses_id:
            label = _("冲销：%(l)s") % {"l": label}
        out.append({"date": e.occurred_on, "kind": _("积分"),
                    "label": f"{label} {e.points:+}" + (f"（{e.source_label}）" if e.source_label else ""),
                    "url": reverse("party:points_ledger") + f"?person={person.pk}"})
    return out
