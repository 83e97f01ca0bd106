"""The home page's service card: this year's revisits, satisfaction and service counts, each linking to its
records (figures only for the higher court)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from tianping.core import registry
from tianping.core.policy import allowed
from tianping.service.selectors import year_figures

HOME_KEYS = ("people", "rate", "follow_ups_open", "circuit", "outreach", "visits")


@registry.home_panels.register(order=65)
def home_panels(user: Any) -> list[dict[str, Any]]:
    if not getattr(user, "is_authenticated", False) or not allowed(user, "service.view_figures"):
        return []
    year = timezone.localdate().year
    figures = [f for f in year_figures(user, year) if f["key"] in HOME_KEYS]
    return [{"title": _("司法为民（%(y)d 年）") % {"y": year}, "figures": figures}]
