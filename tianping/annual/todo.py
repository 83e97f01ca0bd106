"""To-dos of the leadership (五型五力): a court leader who has not handed in a due year's self-assessment (none, a
draft, or returned to them), and the party office with submitted assessments awaiting the party group's review."""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tianping.core import registry
from tianping.core.policy import allowed


@registry.todo.register(order=80)
def todo_items(user: Any) -> list[dict[str, Any]]:
    if not getattr(user, "is_authenticated", False) or not getattr(user, "court_id", None):
        return []
    from tianping.annual.leadership import awaiting_review, pending_years

    items: list[dict[str, Any]] = []
    if allowed(user, "annual.add_leaderassessment"):
        for year in pending_years(user.person, timezone.localdate()):
            items.append({"label": _("请填写并提交 %(y)d 年度五型五力自评") % {"y": year},
                          "url": reverse("annual:assessment_form", args=[year]), "due": None,
                          "kind": _("五型五力"), "level": "warning"})
    if allowed(user, "annual.review_leaderassessment"):
        for row in (awaiting_review(user.court_id).values("year").annotate(n=Count("pk")).order_by("year")):
            items.append({"label": _("%(n)d 份 %(y)d 年度五型五力自评待评议") % {"n": row["n"], "y": row["year"]},
                          "url": reverse("annual:leadership_list") + f"?year={row['year']}&group=awaiting_review",
                          "due": None, "kind": _("五型五力"), "level": "info"})
    return items
