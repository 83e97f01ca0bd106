"""trials' entries for a member's timeline: the cases the person handled and closed, one entry a year,
linking to the list of those cases when the viewer may read it."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Max
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext as _

from tianping.core import registry


@registry.timeline.register(order=40)
def timeline_entries(person, user) -> list[dict]:
    from tianping.trials import selectors as sel
    from tianping.trials.models import Case
    from tianping.trials.views import can_list_court_cases, case_list_url

    rows = (Case.objects.filter(court_id=person.court_id, judge=person, closed_on__isnull=False)
            .exclude(type_code__in=sel.metric_types_excluded())
            .annotate(y=ExtractYear("closed_on")).order_by().values("y").annotate(n=Count("id"), last=Max("closed_on")))
    may_list = (getattr(user, "court_id", None) == person.court_id and can_list_court_cases(user)) or (
        getattr(user, "person_id", None) == person.pk)
    out = []
    for r in sorted(rows, key=lambda r: r["y"]):
        period = sel.year_period(r["y"])
        out.append({"date": r["last"] or date(r["y"], 12, 31), "kind": _("审判"),
                    "label": _("%(y)s 年承办结案 %(n)s 件") % {"y": r["y"], "n": r["n"]},
                    "url": case_list_url(period, "closed", {"judge": person.pk}) if may_list else None})
    return out
