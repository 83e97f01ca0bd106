from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from tianping.core import registry


@registry.todo.register
def todo_items(user: Any) -> list[dict[str, Any]]:
    """A selection waiting for the user's ballot."""
    person_id = getattr(user, "person_id", None)
    if not person_id:
        return []
    from tianping.honours.models import SelectionStatus, Voter

    rows = (Voter.objects.filter(person_id=person_id, voted=False, selection__status=SelectionStatus.VOTING)
            .select_related("selection"))
    return [{"label": _("请投票：%(t)s") % {"t": v.selection.title},
             "url": reverse("honours:selection_vote", args=[v.selection_id]), "due": None, "kind": "vote",
             "level": "warning"} for v in rows]
