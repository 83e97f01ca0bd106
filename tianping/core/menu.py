"""The left menu: each app registers its groups from `<app>/menu.py`:

    registry.menu.register(MenuGroup(_("党组织与党员"), order=20, items=(
        MenuItem(_("党务规则"), "party:rules", "sliders", perm="party.view_rules"), ...)))

An item is shown when the user has its permission (declared in the app's policy.py); no permission means every
signed-in user."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.urls import NoReverseMatch, reverse

from tianping.core import registry

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise


@dataclass(frozen=True)
class MenuItem:
    label: str | _StrPromise
    url_name: str
    icon: str = "dot"
    perm: str = ""


@dataclass(frozen=True)
class MenuGroup:
    label: str | _StrPromise
    items: tuple[MenuItem, ...] = field(default_factory=tuple)
    order: int = 100


def all_groups() -> list[MenuGroup]:
    return sorted(registry.menu, key=lambda g: g.order)


@functools.lru_cache(maxsize=2048)
def _menu_url(url_name: str, urlconf: str | None, prefix: str) -> str | None:
    """A menu item's address: the same for every request of a URL configuration and script prefix, so worked
    out once per process (every page draws the menu: ~60 reverse() calls a request otherwise)."""
    try:
        return reverse(url_name, urlconf=urlconf)
    except NoReverseMatch:
        return None


def menu_for(user: Any, current_path: str = "") -> list[dict[str, Any]]:
    from django.conf import settings
    from django.urls import get_script_prefix, get_urlconf

    from tianping.core.policy import allowed

    urlconf = get_urlconf() or settings.ROOT_URLCONF
    prefix = get_script_prefix()

    out: list[dict[str, Any]] = []
    for group in all_groups():
        items: list[dict[str, Any]] = []
        for item in group.items:
            if item.perm and not allowed(user, item.perm):
                continue
            url = (_menu_url(item.url_name, urlconf, prefix) if isinstance(urlconf, str)
                   else _menu_url.__wrapped__(item.url_name, None, prefix))
            if url is None:
                continue
            items.append({"label": item.label, "url": url, "icon": item.icon, "active": False})
        if items:
            out.append({"label": group.label, "items": items})
    # the active item is the one whose address is the longest prefix of the current page
    # (/org/people/5/ marks 人员名册, not 组织架构 at /org/)
    best = max((i for g in out for i in g["items"] if i["url"] != "/" and current_path.startswith(i["url"])),
               key=lambda i: len(i["url"]), default=None)
    if best is not None:
        best["active"] = True
    return out
