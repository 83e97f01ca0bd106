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


BRANCH_KEYS = ("cases", "people", "rate", "dissatisfied", "circuit", "outreach", "visits")


@registry.branch_panels.register(order=65)
def branch_panels(organisation: Any, user: Any) -> list[dict[str, Any]]:
    """A branch's page: this year's service figures of the people on its roster today (the cases they
    handled, the circuit trials they held, the events and visits they took part in)."""
    if not getattr(user, "is_authenticated", False) or not allowed(user, "service.view_figures"):
        return []
    from tianping.party.selectors import branch_roster_on

    today = timezone.localdate()
    roster = list(branch_roster_on(organisation, today).values_list("pk", flat=True))
    figures = [f for f in year_figures(user, today.year, person_ids=roster) if f["key"] in BRANCH_KEYS]
    return [{"title": _("司法为民（%(y)d 年，本支部名册人员）") % {"y": today.year}, "figures": figures}]
