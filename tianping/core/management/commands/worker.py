"""manage.py worker: django-tasks-db's `db_worker` (same options) that also writes a heartbeat for `manage.py doctor`.

Production runs this one (deploy/tianping-worker.service); several may run against one database (each claims a
task under a row lock, so no task runs twice)."""

from __future__ import annotations

from typing import Any

from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from tianping.core.worker import heartbeat_remove, heartbeat_start


class Command(DbWorkerCommand):
    help = "运行后台任务进程（django-tasks 数据库后端的 db_worker，另写心跳供 manage.py doctor 检查）。"

    def handle(self, *args: Any, **options: Any) -> None:
        worker_id = str(options["worker_id"])
        stop = heartbeat_start(worker_id)
        try:
            super().handle(*args, **options)
        finally:
            stop.set()
            heartbeat_remove(worker_id)
