"""The left menu: each app registers its groups from `<app>/menu.py`:

    registry.menu.register(MenuGroup(_("党组织与党员"), order=20, items=(
        MenuItem(_("党务规则"), "party:rules", "sliders", perm="party.view_rules"), ...)))

An item is shown when the user has its permission (declared in the app's policy.py); no permission means every
signed-in user."""

from __future__ import annotations

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


def menu_for(user: Any, current_path: str = "") -> list[dict[str, Any]]:
    from tianping.core.policy import allowed

    out: list[dict[str, Any]] = []
    for group in all_groups():
        items: list[dict[str, Any]] = []
        for item in group.items:
            if item.perm and not allowed(user, item.perm):
                continue
            try:
                url = reverse(item.url_name)
            except NoReverseMatch:
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
