"""Context for the UI shell: menu, watermark text, the user's roles."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import SimpleLazyObject


def shell(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def _menu() -> list[dict[str, Any]]:
        from tianping.core.menu import menu_for

        return menu_for(user, request.path)

    def _roles() -> list[str]:
        from tianping.core.roles import Role, user_roles

        return [str(Role(r).label) for r in sorted(user_roles(user))]

    person = getattr(user, "person", None)
    display = person.name if person else user.username
    return {
        "shell_menu": SimpleLazyObject(_menu),
        "shell_roles": SimpleLazyObject(_roles),
        "watermark_text": f"{display} {user.username} {timezone.localdate():%Y-%m-%d}",
        "watermark_cells": range(48),
    }
