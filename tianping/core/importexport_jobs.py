"""Import jobs: an uploaded file, its preview and its commit, run in the request for small files and as a
background task (django-tasks; database backend in production, `manage.py db_worker` runs it) for large
ones, with progress the page polls.

A job lives in a folder under the data directory (`imports/<id>/`): the uploaded file as it was (kept:
the audit entry of the commit carries its SHA-256) and `state.json` (status, progress, the preview's and
the commit's results). Files rather than a table because the worker and the web process share the data
directory anyway, the state is written hundreds of times during a large import (a row update in the
import's own database transaction would be invisible to the page until the commit), and nothing else
queries it.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

from tianping.core.importexport import ImportResult, run_import, write_error_report
from tianping.core.registers import get_register

STATUS_QUEUED = "queued"  # waiting for the worker (preview or commit)
STATUS_RUNNING = "running"
STATUS_PREVIEWED = "previewed"
STATUS_COMMITTED = "committed"
STATUS_REJECTED = "rejected"  # the commit found problems (data changed since the preview); nothing written
STATUS_FAILED = "failed"  # an unexpected error; nothing written (one transaction)

ALLOWED_SUFFIXES = (".xlsx", ".csv")
STALL_SECONDS = 15 * 60


def imports_root() -> Path:
    return Path(settings.DATA_DIR) / "imports"


def inline_limit() -> int:
    """Files up to this size are previewed/committed within the request; larger ones go to the worker."""
    return int(getattr(settings, "TIANPING_IMPORT_INLINE_BYTES", 512 * 1024))


@dataclass
class ImportJob:
    id: str
    state: dict[str, Any]

    @property
    def folder(self) -> Path:
        return imports_root() / self.id

    @property
    def file_path(self) -> Path:
        return self.folder / ("upload" + Path(self.state["filename"]).suffix.lower())

    @property
    def kind(self) -> str:
        return self.state["kind"]

    @property
    def status(self) -> str:
        return self.state["status"]

    @property
    def mode(self) -> str:
        return self.state.get("mode", "preview")

    @property
    def preview(self) -> ImportResult | None:
        data = self.state.get("preview")
        return ImportResult.from_dict(data) if data else None

    @property
    def commit(self) -> ImportResult | None:
        data = self.state.get("commit")
        return ImportResult.from_dict(data) if data else None

    @property
    def result(self) -> ImportResult | None:
        return self.commit or self.preview

    @property
    def percent(self) -> int:
        p = self.state.get("progress") or {}
        total = p.get("total") or 0
        if not total:
            return 0
        return min(99, int(100 * p.get("done", 0) / total))

    @property
    def stalled(self) -> bool:
        """Running, but the process running it has gone (killed, crashed, the machine restarted): its
        transaction rolled back, nothing was written. Known at once when that process ran on this host (its
        pid is recorded and no longer exists); otherwise after STALL_SECONDS of silence (progress is saved at
        least after every batch of rows, a few seconds apart)."""
        if self.status != STATUS_RUNNING:
            return False
        if self.worker_gone:
            return True
        try:
            quiet = time.time() - (self.folder / "state.json").stat().st_mtime
        except OSError:
            return False
        return quiet > STALL_SECONDS

    @property
    def worker_gone(self) -> bool:
        """The process recorded as running this job ran on this host and no longer exists (or is a zombie)."""
        worker = self.state.get("worker") or {}
        pid = worker.get("pid")
        if not isinstance(pid, int) or worker.get("host") != socket.gethostname():
            return False
        return not _process_alive(pid)

    @property
    def failed(self) -> bool:
        """An unexpected error, or the process running the job died: nothing was written (one transaction)."""
        return self.status == STATUS_FAILED or self.stalled

    @property
    def finished(self) -> bool:
        return self.status not in (STATUS_QUEUED, STATUS_RUNNING) or self.stalled

    def save(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        tmp = self.folder / f"state.{os.getpid()}.tmp"
        tmp.write_text(json.dumps(self.state, ensure_ascii=False, default=str), encoding="utf-8")
        os.replace(tmp, self.folder / "state.json")  # atomic: the polling page never reads half a file

    def update(self, **changes: Any) -> None:
        self.state.update(changes)
        self.save()


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    try:  # a killed child its parent has not reaped yet still has a pid: state Z
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat.rsplit(")", 1)[-1].split()[0] != "Z"


def job_create(*, kind: str, user: Any, court: Any, upload: Any) -> ImportJob:
    """Store an uploaded file (a Django UploadedFile) as a new job waiting for its preview."""
    job_id = timezone.now().strftime("%Y%m%d%H%M%S") + "-" + secrets.token_hex(8)
    job = ImportJob(job_id, {
        "kind": kind, "user_id": getattr(user, "pk", None), "court_id": getattr(court, "pk", None),
        "filename": Path(upload.name).name[:120], "size": upload.size, "status": STATUS_QUEUED,
        "mode": "preview", "created_at": timezone.now().isoformat(), "progress": {"done": 0, "total": 0},
    })
    job.folder.mkdir(parents=True, exist_ok=True)
    with open(job.file_path, "wb") as fh:
        for chunk in upload.chunks():
            fh.write(chunk)
    job.save()
    return job


def job_load(job_id: str) -> ImportJob | None:
    if not job_id or "/" in job_id or "\\" in job_id or job_id.startswith("."):
        return None
    path = imports_root() / job_id / "state.json"
    try:
        return ImportJob(job_id, json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return None


def job_run(job_id: str, mode: str) -> None:
    """Run a job's preview (dry run) or commit. Called inline or by the background task."""
    from django.contrib.auth import get_user_model

    from tianping.core.registers import court_model

    User = get_user_model()  # noqa: N806
    Court = court_model()  # noqa: N806
    job = job_load(job_id)
    if job is None:
        return
    reg = get_register(job.kind)
    user = User.objects.filter(pk=job.state.get("user_id")).first() if job.state.get("user_id") else None
    court = Court.objects.filter(pk=job.state.get("court_id")).first() if reg.court_scoped else None
    job.update(status=STATUS_RUNNING, mode=mode, started_at=timezone.now().isoformat(),
               progress={"done": 0, "total": 0}, worker={"host": socket.gethostname(), "pid": os.getpid()})
    last = [0.0]

    def progress(done: int, total: int) -> None:
        now = time.monotonic()
        if now - last[0] >= 0.5:
            last[0] = now
            job.update(progress={"done": done, "total": total})

    try:
        result = run_import(reg, job.file_path, court=court, user=user, dry_run=(mode == "preview"),
                            progress=progress, filename=job.state["filename"])
    except Exception as exc:
        job.update(status=STATUS_FAILED, error=f"{exc.__class__.__name__}: {str(exc)[:300]}",
                   finished_at=timezone.now().isoformat())
        raise
    if mode == "preview":
        job.update(status=STATUS_PREVIEWED, preview=result.as_dict(), finished_at=timezone.now().isoformat())
    else:
        job.update(status=STATUS_COMMITTED if result.committed else STATUS_REJECTED, commit=result.as_dict(),
                   finished_at=timezone.now().isoformat())


def job_start(job: ImportJob, mode: str) -> None:
    """Preview or commit now (small files) or hand the job to the background worker (large ones)."""
    job.update(status=STATUS_QUEUED, mode=mode, progress={"done": 0, "total": 0})
    if job.file_path.stat().st_size <= inline_limit():
        job_run(job.id, mode)
    else:
        from tianping.core.importexport_tasks import import_job_task

        import_job_task.enqueue(job.id, mode)


def job_error_report(job: ImportJob) -> bytes:
    result = job.result
    assert result is not None
    return write_error_report(job.kind, job.file_path, result)
