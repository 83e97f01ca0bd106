from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from tianping.core import registry
from tianping.core.policy import allowed
from tianping.mediation.selectors import STAGES, figures, figures_scope, list_url, period_default


@registry.home_panels.register(order=60)
def home_panels(user) -> list[dict]:
    """The centre's figures for the current year up to today, each linking to its list."""
    if not getattr(user, "is_authenticated", False) or not allowed(user, "mediation.view_figures"):
        return []
    start, end = period_default(timezone.localdate())
    scope, linked = figures_scope(user)
    qs = scope.filter(registered_on__gte=start, registered_on__lte=end)
    f = figures(qs)
    base = {"registered_from": start.isoformat(), "registered_to": end.isoformat()}
    out = [{"label": str(STAGES[s]), "value": f[s], "url": list_url(base, s) if linked else None}
           for s in ("received", "diverted", "succeeded", "confirmed", "filed")]
    # the rate's denominator: the concluded mediations (the numerator is the 调解成功 figure above)
    out.append({"label": _("调解成功率"), "value": f"{f['success_rate']}%" if f["success_rate"] is not None else "—",
                "url": list_url(base, "concluded") if linked else None})
    return [{"title": _("诉调对接（%(y)s 年）") % {"y": start.year}, "figures": out}]


@registry.case_panels.register(order=50)
def case_panels(case, user) -> list[dict]:
    """On a trials case's page: the dispute whose judicial confirmation the case is (民特) and the mediations
    entrusted during litigation (linked for those who may read them), and the judge's 委托调解 button."""
    from django.core.exceptions import ObjectDoesNotExist
    from django.urls import reverse

    from tianping.core.policy import can

    out: list[dict] = []
    try:
        d = case.confirmation_dispute
    except ObjectDoesNotExist:
        d = None
    if d is not None:
        out.append({"label": _("司法确认的调解协议"), "text": f"{d.number} · {d.cause}", "testid": "confirmation-dispute",
                    "url": reverse("mediation:dispute_detail", args=[d.pk]) if can(user, "view", d) else None})
    for m in case.entrusted_mediations.select_related("mediator", "studio").order_by("pk"):
        text = f"{m.handler_label} · {m.registered_on:%Y-%m-%d}—{m.deadline_on:%Y-%m-%d} · {m.get_status_display()}"
        if m.case_outcome:
            text += f"（{m.get_case_outcome_display()} {m.closed_on:%Y-%m-%d}）"
        elif m.ended_on:
            text += f"（{_('退回承办法官')} {m.ended_on:%Y-%m-%d}）"
        out.append({"label": _("委托调解"), "text": text, "testid": "entrusted-mediation",
                    "url": reverse("mediation:dispute_detail", args=[m.pk]) if can(user, "view", m) else None})
    if can(user, "entrust", case):
        out.append({"kind": "action", "text": _("委托调解"), "testid": "entrust",
                    "url": reverse("mediation:case_entrust", args=[case.pk])})
    return out
