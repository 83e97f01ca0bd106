"""Figures kept a short while in the cache every app-server process shares (settings.CACHES: files under the
data dir): for pages asked often whose figures cost a lot to gather (the home page per account, the 三比 page per
court and period, the annual dashboards). A kept copy carries when it was gathered, which the page shows with a
link that gathers it anew; a copy from an earlier day is never used (a "today" or "this year" figure moves at
midnight)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from django.core.cache import cache
from django.utils import timezone

T = TypeVar("T")


def kept(key: str, compute: Callable[[], T], *, seconds: int, refresh: bool = False) -> tuple[T, datetime | None]:
    """`compute()`'s value, kept `seconds` under `key`, and when it was gathered (None when nothing is kept:
    `seconds` 0). `refresh`: gather anew and keep that."""
    if not seconds:
        return compute(), None
    today = timezone.localdate()
    if not refresh:
        hit = cache.get(key)
        if hit is not None and hit[0] == today:
            return hit[1], hit[2]
    value = compute()
    at = timezone.now()
    cache.set(key, (today, value, at), seconds)
    return value, at


def kept_at(key: str) -> datetime | None:
    """When the copy kept under `key` was gathered (None: none kept, or one from an earlier day)."""
    hit = cache.get(key)
    return hit[2] if hit is not None and hit[0] == timezone.localdate() else None


def forget(*keys: str) -> None:
    cache.delete_many(list(keys))


def role_key(user: Any) -> str:
    """Accounts holding the same roles see the same court-wide figures and links: the part of a kept page's key
    that stands for the account."""
    from tianping.core.roles import user_roles

    return ("su:" if getattr(user, "is_superuser", False) else "") + ",".join(sorted(user_roles(user)))
