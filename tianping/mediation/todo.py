"""To-do items of the centre: mediation periods with 5 days or less left or overdue, agreements whose
30-day window for judicial confirmation is closing, applications awaiting a ruling, disputes awaiting
triage or acceptance — each for the people who must act on it."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tianping.core import registry
from tianping.core.policy import can
from tianping.mediation.models import CONFIRMATION_WINDOW_DAYS, WARNING_DAYS_LEFT, Dispute, Status


@registry.todo.register(order=60)
def todo_items(user) -> list[dict]:
    if not getattr(user, "is_authenticated", False):
        return []
    today = timezone.localdate()
    qs = Dispute.objects.visible_to(user)
    items: list[dict] = []

    def url(d):
        return reverse("mediation:dispute_detail", args=[d.pk])

    for d in qs.filter(status=Status.MEDIATING, deadline_on__lte=today + timedelta(days=WARNING_DAYS_LEFT)) \
            .order_by("deadline_on")[:50]:
        assert d.deadline_on is not None  # filtered on it
        left = (d.deadline_on - today).days
        if left < 0:
            label = _("%(n)s 调解期限已超期 %(d)d 天：请延长（须全体当事人同意）或转立案") % {"n": d.number, "d": -left}
            level = "danger"
        else:
            label = _("%(n)s 调解期限还剩 %(d)d 天") % {"n": d.number, "d": left}
            level = "warning"
        items.append({"label": label, "url": url(d), "due": d.deadline_on, "kind": _("诉前调解"), "level": level})
    window_start = today - timedelta(days=CONFIRMATION_WINDOW_DAYS)
    for d in qs.filter(status=Status.AGREED, agreement_effective_on__gte=window_start,
                       agreement_effective_on__lte=window_start + timedelta(days=WARNING_DAYS_LEFT))[:50]:
        items.append({"label": _("%(n)s 司法确认申请期限即将届满") % {"n": d.number}, "url": url(d),
                      "due": d.confirmation_deadline, "kind": _("司法确认"), "level": "warning"})
    if can(user, "confirm", Dispute):
        for d in qs.filter(status=Status.CONFIRMATION_APPLIED).order_by("confirmation_applied_on")[:50]:
            items.append({"label": _("%(n)s 待作出司法确认裁定") % {"n": d.confirmation_number}, "url": url(d),
                          "due": d.confirmation_applied_on, "kind": _("司法确认"), "level": "info"})
    if can(user, "triage", Dispute):
        waiting = qs.filter(status=Status.REGISTERED).count()
        if waiting:
            items.append({"label": _("%(c)d 件纠纷待分流") % {"c": waiting},
                          "url": reverse("mediation:dispute_list") + "?status=registered", "due": None,
                          "kind": _("指导分流"), "level": "info"})
    assigned = qs.filter(status=Status.ASSIGNED)
    mine = Q(mediator__user_id=user.pk)
    if user.person_id:
        mine |= Q(studio__judge_id=user.person_id)
    own = assigned.filter(mine).count()
    if own:
        items.append({"label": _("%(c)d 件纠纷已分流给您，待受理调解") % {"c": own},
                      "url": reverse("mediation:dispute_list") + "?status=assigned", "due": None,
                      "kind": _("诉前调解"), "level": "info"})
    # a reader of the whole court (院领导, 审管办, the desk) is told whose disputes wait for acceptance
    others = (assigned.exclude(mine).values("mediator__name", "studio__name").order_by()
              .annotate(n=Count("id")).order_by("-n", "mediator__name", "studio__name"))
    if others:
        total = sum(r["n"] for r in others)
        who = "、".join(_("%(h)s %(n)d 件") % {"h": r["studio__name"] or r["mediator__name"] or _("未指定"),
                                               "n": r["n"]} for r in others[:5])
        if len(others) > 5:
            who += _(" 等")
        items.append({"label": _("%(c)d 件纠纷已分流待受理调解：%(who)s") % {"c": total, "who": who},
                      "url": reverse("mediation:dispute_list") + "?status=assigned", "due": None,
                      "kind": _("诉前调解"), "level": "info"})
    return items
