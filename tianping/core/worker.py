"""The background worker's heartbeat: `manage.py worker` (django-tasks-db's `db_worker` plus this) writes a small
file every few seconds so that `manage.py doctor` can tell a running worker from a dead one.

Files rather than a table: no migration, no write lock taken on SQLite every few seconds, and the worker and the
web processes share the data directory anyway (imports live there too). With several hosts the data directory
is on shared storage (docs/deploy.md), so every worker's heartbeat is seen by every `doctor`.
"""

from __future__ import annotations

import json
import os
import socket
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

HEARTBEAT_EVERY_SECONDS = 10


def heartbeat_dir() -> Path:
    return Path(settings.DATA_DIR) / "run"


@dataclass(frozen=True)
class Heartbeat:
    worker_id: str
    host: str
    pid: int
    at: float  # time.time() of the last beat

    def age(self, now: float | None = None) -> float:
        return (time.time() if now is None else now) - self.at


def heartbeat_write(worker_id: str, *, now: float | None = None) -> Path:
    """Record that this worker is alive (atomically: a reader never sees half a file)."""
    folder = heartbeat_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"worker-{worker_id}.json"
    tmp = path.with_suffix(".tmp")
    beat = {"worker_id": worker_id, "host": socket.gethostname(), "pid": os.getpid(),
            "at": time.time() if now is None else now}
    tmp.write_text(json.dumps(beat), encoding="utf-8")
    os.replace(tmp, path)
    return path


def heartbeat_remove(worker_id: str) -> None:
    (heartbeat_dir() / f"worker-{worker_id}.json").unlink(missing_ok=True)


def heartbeats() -> list[Heartbeat]:
    """Every worker's last heartbeat, freshest first (files that cannot be read are skipped)."""
    found = []
    folder = heartbeat_dir()
    for path in folder.glob("worker-*.json") if folder.exists() else []:
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            found.append(Heartbeat(str(raw["worker_id"]), str(raw["host"]), int(raw["pid"]), float(raw["at"])))
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return sorted(found, key=lambda h: -h.at)


def heartbeat_start(worker_id: str, *, every: float = HEARTBEAT_EVERY_SECONDS) -> threading.Event:
    """Beat from a daemon thread until the returned event is set (or the process ends)."""
    stop = threading.Event()

    def beat() -> None:
        while not stop.is_set():
            try:
                heartbeat_write(worker_id)
            except OSError:
                pass  # a full disk must not stop the worker; doctor will report the stale beat
            stop.wait(every)

    heartbeat_write(worker_id)
    threading.Thread(target=beat, name="tianping-heartbeat", daemon=True).start()
    return stop
