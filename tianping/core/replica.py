"""Figures from a PostgreSQL streaming replica (issue 19, docs/deploy.md "只读副本").

A province's platform serves many courts from one primary; the heavy reads are the figures (the province table,
a court's figures, the figures API). With `DATABASE_REPLICA_URL` set, the code that computes them runs inside
`read_replica()` and its reads go to the replica, so the primary keeps its capacity for the writes of everyday work.

Rules of the router, so that a figure is never computed from a state the primary has left behind:
- only reads inside `read_replica()` go to the replica; everything else — every write, every page that is not a
  figure page — uses the primary;
- inside an atomic block on the primary (a service at work) reads stay on the primary;
- once anything is written inside the context, the rest of the context reads from the primary (read your writes);
- the replica is used only while it is reachable and at most `TIANPING_REPLICA_MAX_LAG` seconds behind; it is
  probed at most every `PROBE_SECONDS` per process, and a replica that is down or behind costs one failed probe,
  not an error page: the figures come from the primary.

`core` imports no domain app: the figure views opt in (`with read_replica(): …` or `@figures_from_replica`)."""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.conf import settings
from django.db import DatabaseError, connections

REPLICA = "replica"
PROBE_SECONDS = 5.0
F = TypeVar("F", bound=Callable[..., Any])


@dataclass
class _Context:
    wrote: bool = False
    used: set[str] = field(default_factory=set)  # the aliases this context's reads went to (tests, the bench)


_context: ContextVar[_Context | None] = ContextVar("tianping_read_replica", default=None)


@dataclass
class ReplicaState:
    usable: bool
    lag_seconds: float | None
    reason: str
    checked_at: float


_probe_lock = threading.Lock()
_last_probe: ReplicaState | None = None


def configured() -> bool:
    return REPLICA in settings.DATABASES


def max_lag() -> float:
    return float(getattr(settings, "TIANPING_REPLICA_MAX_LAG", 30))


def probe() -> ReplicaState:
    """Ask the replica whether it is a standby and how far behind it is. Lag: 0 when it has replayed everything it
    received, else the seconds since the last transaction it replayed (PostgreSQL's usual measure)."""
    now = time.monotonic()
    if not configured():
        return ReplicaState(False, None, "未配置只读副本（DATABASE_REPLICA_URL）", now)
    conn = connections[REPLICA]
    try:
        with conn.cursor() as cur:
            cur.execute(
                "SELECT pg_is_in_recovery(), CASE WHEN pg_last_wal_receive_lsn() IS NULL "
                "OR pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0 "
                "ELSE EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()) END")
            in_recovery, lag = cur.fetchone()
    except DatabaseError as exc:
        conn.close()  # a broken connection is not kept for the next request
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return ReplicaState(False, None, f"连接不上（{first}）", now)
    lag = float(lag or 0)
    if not in_recovery:
        return ReplicaState(False, lag, "不是备库（pg_is_in_recovery() 为 false）：DATABASE_REPLICA_URL 应指向流复制备库", now)
    if lag > max_lag():
        return ReplicaState(False, lag, f"落后主库 {lag:.0f} 秒，超过 TIANPING_REPLICA_MAX_LAG={max_lag():.0f}", now)
    return ReplicaState(True, lag, f"正常，落后主库 {lag:.1f} 秒", now)


def replica_usable() -> bool:
    """The cached probe: at most one query to the replica every PROBE_SECONDS per process."""
    global _last_probe
    if not configured():
        return False
    with _probe_lock:
        if _last_probe is None or time.monotonic() - _last_probe.checked_at >= PROBE_SECONDS:
            _last_probe = probe()
        return _last_probe.usable


def forget_probe() -> None:
    """Drop the cached probe (tests; after a failover)."""
    global _last_probe
    with _probe_lock:
        _last_probe = None


@contextmanager
def read_replica() -> Iterator[_Context]:
    """Reads inside go to the replica when it is usable (see the module's rules). Nested use keeps the outer
    context. Yields the context: `.used` names the aliases the reads went to."""
    outer = _context.get()
    if outer is not None:
        yield outer
        return
    ctx = _Context()
    if not replica_usable():
        ctx.wrote = True  # nothing goes to the replica: the same path as after a write
    token = _context.set(ctx)
    try:
        yield ctx
    finally:
        _context.reset(token)


def figures_from_replica(view: F) -> F:
    """A figure view whose reads may come from the replica."""
    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        with read_replica():
            return view(*args, **kwargs)
    return wrapped  # type: ignore[return-value]


class ReplicaRouter:
    """settings.DATABASE_ROUTERS. Without a replica configured it routes nothing (Django's default applies)."""

    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        ctx = _context.get()
        if ctx is None:
            return None
        alias = "default"
        if not ctx.wrote and configured() and not connections["default"].in_atomic_block:
            alias = REPLICA
        ctx.used.add(alias)
        return alias

    def db_for_write(self, model: Any, **hints: Any) -> str | None:
        ctx = _context.get()
        if ctx is not None:
            ctx.wrote = True
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        return True  # the replica is a copy of the primary: objects from either may be related

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool | None:
        return db != REPLICA  # the replica is read-only; it receives the schema through replication
