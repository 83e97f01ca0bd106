"""To-dos of the integrity desk: cases filed without a letter (the filing desk) and the judges who have not
filed last month's 三个规定 report (the party office and discipline)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tianping.core import registry
from tianping.core.policy import allowed, can
from tianping.core.request_context import once_per_request


@registry.todo.register(order=70)
def todo_items(user: Any) -> list[dict[str, Any]]:
    if not getattr(user, "is_authenticated", False) or not getattr(user, "court_id", None):
        return []
    from tianping.integrity import selectors
    from tianping.integrity.models import JudgeLetter

    items: list[dict[str, Any]] = []
    if can(user, "add", JudgeLetter):
        # one count for every account of the court in a request (the dashboard's to-dos by owner ask for all)
        n = once_per_request(f"integrity.cases_without_letter:{user.court_id}",
                             lambda: selectors.cases_without_letter(user.court_id).count())
        if n:
            items.append({"label": _("%(n)d 件已立案案件未发法官寄语") % {"n": n},
                          "url": reverse("integrity:letters_missing"), "due": None, "kind": _("法官寄语"),
                          "level": "warning"})
    if allowed(user, "integrity.view_report_figures"):
        today = timezone.localdate()
        last = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
        n = selectors.missing_reports(user.court_id, last).count()
        if n:
            items.append({"label": _("%(n)d 名法官未报送 %(m)s 三个规定月报") % {"n": n, "m": f"{last:%Y-%m}"},
                          "url": reverse("integrity:report_figures") + f"?month={last:%Y-%m}", "due": None,
                          "kind": _("三个规定"), "level": "warning"})
    return items
