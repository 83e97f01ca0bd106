"""The policy in templates: `{% load policy %}{% can "change" obj as ok %}{% if ok %}…{% endif %}`.

`{% can "change" org as ok %}` asks `tianping.core.policy.can(user, "change", org)`; a full permission name asks
`allowed`: `{% can "party.add_brandpicture" org as ok %}` (may add a picture to this organisation) or
`{% can "party.view_rules" as ok %}` (a page). The user is the request's."""

from __future__ import annotations

from typing import Any

from django import template

from tianping.core.policy import allowed
from tianping.core.policy import can as _can

register = template.Library()


@register.simple_tag(takes_context=True)
def can(context: template.Context, action: str, target: Any = None) -> bool:
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    if user is None:
        return False
    if "." in action:
        return allowed(user, action, target)
    if target is None or target == "":
        return False
    return _can(user, action, target)
