"""The party's own entries for a member's timeline."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from tianping.core import registry


@registry.timeline.register(order=20)
def timeline_entries(person, user) -> list[dict]:
    """Steps on the road to membership, transfers, dues payments and points of one person — those the user's
    scope reaches (the policy's "view" of each record; whoever shows a timeline need not know party rules)."""
    from tianping.party.models import DuesPayment, MemberStep, PartyMember, PartyTransfer, PointsEntry

    out: list[dict] = []
    member = PartyMember.objects.visible_to(user).filter(person_id=person.pk).first()
    if member is not None:
        url = reverse("party:member_detail", args=[member.pk])
        for s in MemberStep.objects.visible_to(user).filter(member=member).order_by("occurred_on"):
            out.append({"date": s.occurred_on, "kind": _("发展"), "label": s.get_step_display(), "url": url})
        for t in PartyTransfer.objects.visible_to(user).filter(member=member):
            out.append({"date": t.transferred_on, "kind": _("组织关系"),
                        "label": f"{t.get_direction_display()}：{t.other_organisation}（{t.letter_number}）",
                        "url": url})
        for p in DuesPayment.objects.visible_to(user).filter(member=member, paid_amount__gt=0).order_by("month"):
            out.append({"date": p.paid_on or p.month, "kind": _("党费"),
                        "label": _("交纳 %(m)s 党费 %(a)s 元") % {"m": f"{p.month:%Y-%m}", "a": p.paid_amount},
                        "url": reverse("party:dues_member", args=[member.pk])})
    for e in PointsEntry.objects.visible_to(user).filter(person=person).select_related("rule"):
        label = e.rule.name if e.rule else _("手工调整")
        if e.reverses_id:
            label = _("冲销：%(l)s") % {"l": label}
        out.append({"date": e.occurred_on, "kind": _("积分"),
                    "label": f"{label} {e.points:+}" + (f"（{e.source_label}）" if e.source_label else ""),
                    "url": reverse("party:points_ledger") + f"?person={person.pk}"})
    return out
