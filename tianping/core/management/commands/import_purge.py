"""manage.py import_purge: delete old uploaded import files (they hold personal data).

Uploads that were never committed (previews, rejected or failed imports) go after --preview-days (default 7);
committed ones after --days (default 183, the audit trail's retention): until then the file can be checked
against the SHA-256 in the `import.committed` audit entry. Run it daily (cron or a systemd timer)."""

from __future__ import annotations

import shutil
from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from tianping.core.importexport_jobs import STATUS_COMMITTED, imports_root, job_load


class Command(BaseCommand):
    help = "删除过期的导入上传文件：未确认的预览保留 --preview-days 天（默认 7），已导入的保留 --days 天（默认 183）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=183)
        parser.add_argument("--preview-days", type=int, default=7)
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        root = imports_root()
        now = timezone.now()
        removed = kept = 0
        for folder in sorted(root.iterdir()) if root.exists() else []:
            job = job_load(folder.name)
            created = parse_datetime(job.state.get("created_at", "")) if job else None
            if job is None or created is None:
                continue
            days = options["days"] if job.status == STATUS_COMMITTED else options["preview_days"]
            if now - created > timedelta(days=days):
                if not options["dry_run"]:
                    shutil.rmtree(folder, ignore_errors=True)
                removed += 1
            else:
                kept += 1
        self.stdout.write(f"删除 {removed} 个导入任务目录，保留 {kept} 个。")
