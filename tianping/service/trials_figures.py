"""The revisit satisfaction rate in the 三比 page's "effect" group (registered with tianping.trials.hooks when
the app is ready; trials imports nothing of this app, so there is no import cycle).

Per row of the 三比 tables: the people revisited in the period about cases of that row (judge, department,
branch built on the department, party status of the judge at closing), rated at or above the court's
satisfied level ÷ rated. Each figure links to the revisits behind it for those who may list them."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from tianping.core.policy import allowed
from tianping.service import selectors
from tianping.service.models import Revisit
from tianping.trials.hooks import ExtraFigure, extra_figures

EMPTY = {"people": 0, "cases": 0, "rated": 0, "satisfied": 0, "dissatisfied": 0, "rate": None}


def satisfaction_values(court: Any, period: Any, by: str, keys: list[dict[str, Any]], user: Any,
                        judge_ids: list[int] | None) -> list[dict[str, Any]]:
    threshold = selectors.satisfied_from(court)
    qs = Revisit.objects.filter(court=court, revisited_on__gte=period.start, revisited_on__lte=period.end)
    link_params: dict[str, Any] = {"start": period.start.isoformat(), "end": period.end.isoformat(), "rated": "1"}
    if judge_ids is not None:
        qs = qs.filter(case__judge_id__in=judge_ids)
        link_params["judges"] = ",".join(str(i) for i in judge_ids)
    linked = allowed(user, "service.view_revisit")
    if by == "court":
        groups: dict[Any, dict[str, Any]] = {None: selectors.satisfaction(qs, threshold)}
    else:
        groups = selectors.satisfaction_by(qs, threshold, by)
    out = []
    for key in keys:
        if by == "court":
            c, params = groups[None], {}
        else:
            raw = key.get(by)
            if raw in (None, "none"):
                c = groups.get(None, EMPTY)
            elif by == "party":
                c = groups.get(bool(int(raw)), EMPTY)
            else:
                c = groups.get(int(raw), EMPTY)
            params = {by: raw}
        url = selectors.list_url("service:revisit_list", **link_params, **params) if linked and c["rated"] else None
        out.append({"text": selectors.rate_text(c["rate"]), "url": url, "num": c["satisfied"], "den": c["rated"]})
    return out


def register() -> None:
    extra_figures.register(ExtraFigure(key="satisfaction", label=_("回访满意率"), group="effect",
                                       values=satisfaction_values))
