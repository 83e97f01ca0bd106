"""Per-request facts (user, IP, request id) that the audit trail records without threading them through
every service call. Set by RequestIdMiddleware; empty outside a request (commands, tasks)."""

from __future__ import annotations

import contextvars
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

_info: contextvars.ContextVar[dict[str, Any] | None] = contextvars.ContextVar("tianping_request", default=None)


def current_request_info() -> dict[str, Any]:
    return _info.get() or {}


def set_request_info(info: dict[str, Any] | None) -> contextvars.Token[dict[str, Any] | None]:
    return _info.set(info)


def reset_request_info(token: contextvars.Token[dict[str, Any] | None]) -> None:
    _info.reset(token)


def once_per_request(key: str, fn: Callable[[], T]) -> T:
    """`fn()`, computed once per request under `key` (a page that gathers the same thing for several years, such
    as the dashboards' refresh of party membership, does it once); outside a request (commands, tasks) every call
    computes afresh."""
    info = _info.get()
    if info is None:
        return fn()
    memo = info.setdefault("memo", {})
    if key not in memo:
        memo[key] = fn()
    return memo[key]  # type: ignore[no-any-return]
