"""Per-request facts (user, IP, request id) that the audit trail records without threading them through
every service call. Set by RequestIdMiddleware; empty outside a request (commands, tasks)."""

from __future__ import annotations

import contextvars
from typing import Any

_info: contextvars.ContextVar[dict[str, Any] | None] = contextvars.ContextVar("tianping_request", default=None)


def current_request_info() -> dict[str, Any]:
    return _info.get() or {}


def set_request_info(info: dict[str, Any] | None) -> contextvars.Token[dict[str, Any] | None]:
    return _info.set(info)


def reset_request_info(token: contextvars.Token[dict[str, Any] | None]) -> None:
    _info.reset(token)
