"""Printable display boards (展板), A3 portrait PDF through WeasyPrint with the Noto CJK fonts, as the centre's
documents (tianping.mediation.documents): one per branch (its brand, the pioneer posts of the departments it is
built on with their holders and pledges, its members' and its own honours of the last three years) and one for
a selection's representatives. The HTML loads nothing from outside: pictures travel as data: URLs."""

from __future__ import annotations

import base64
from datetime import date
from typing import Any

from django.db.models import Q
from django.template.loader import render_to_string


def _fetch(url: str, *args: Any, **kwargs: Any) -> Any:
    if url.startswith("data:"):
        from weasyprint import default_url_fetcher

        return default_url_fetcher(url)
    raise ValueError(f"external resources are not loaded in display boards: {url}")


def _data_url(field: Any, content_type: str) -> str:
    if not field or not content_type.startswith("image/"):
        return ""
    try:
        with field.open("rb") as fh:
            return f"data:{content_type};base64,{base64.b64encode(fh.read()).decode()}"
    except OSError:
        return ""


def _pdf(context: dict[str, Any]) -> bytes:
    from weasyprint import HTML

    return HTML(string=render_to_string("honours/board.html", context), url_fetcher=_fetch).write_pdf()


def branch_board(branch: Any, day: date) -> bytes:
    from tianping.honours.models import Honour
    from tianping.honours.selectors import posts_with_holders
    from tianping.party.selectors import branch_roster_on

    dep_ids = list(branch.departments.values_list("pk", flat=True))
    posts = [p for p in posts_with_holders(branch.court_id, day) if p.department_id in dep_ids]
    roster = list(branch_roster_on(branch, day).values_list("pk", flat=True))
    honours = (Honour.objects.filter(court_id=branch.court_id, awarded_on__year__gte=day.year - 2)
               .filter(Q(person_id__in=roster) | Q(organisation=branch) | Q(department_id__in=dep_ids))
               .select_related("person", "department", "organisation").order_by("-awarded_on")[:30])
    return _pdf({"title": branch.name, "subtitle": branch.brand_name, "text": branch.brand_description,
                 "court": branch.court.name, "day": day,
                 "posts": [{"post": p, "photo": _data_url(p.photo, p.photo_type), "holders": getattr(p, "current", [])}
                           for p in posts],
                 "honours": honours})


def selection_board(selection: Any) -> bytes:
    from tianping.honours.models import Honour

    rows = Honour.objects.filter(selection=selection).select_related("person", "person__department")
    if not rows:
        first = selection.counts.order_by("pk").first()
        names = list(selection.nominations.filter(pk__in=first.elected if first else [])
                     .select_related("person", "person__department"))
        people = [n.person for n in names]
    else:
        people = [h.person for h in rows]
    return _pdf({"title": selection.title, "subtitle": selection.honour_name, "court": selection.court.name,
                 "day": selection.finalised_on or selection.publicity_start, "people": people,
                 "publicity": selection.status == "publicity"})
