"""The left menu: each app declares its groups in `<app>/menu.py` as MENU = [MenuGroup(...)].

An item is shown when the user holds one of its roles (empty = every signed-in user)."""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import import_module

from django.apps import apps
from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class MenuItem:
    label: str
    url_name: str
    icon: str = "dot"
    roles: tuple[str, ...] = ()


@dataclass(frozen=True)
class MenuGroup:
    label: str
    items: tuple[MenuItem, ...] = field(default_factory=tuple)
    order: int = 100


def all_groups() -> list[MenuGroup]:
    groups: list[MenuGroup] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("tianping."):
            continue
        try:
            module = import_module(f"{config.name}.menu")
        except ModuleNotFoundError:
            continue
        groups.extend(getattr(module, "MENU", []))
    return sorted(groups, key=lambda g: g.order)


def menu_for(user, current_path: str = "") -> list[dict]:
    from tianping.core.scope import user_roles

    roles = user_roles(user)
    superuser_without_roles = user.is_superuser and not roles
    out = []
    for group in all_groups():
        items = []
        for item in group.items:
            if item.roles and not (roles & set(item.roles)) and not superuser_without_roles:
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
