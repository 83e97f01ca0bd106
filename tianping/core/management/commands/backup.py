"""manage.py backup DIR: the database and the uploaded files, with a manifest of SHA-256 sums (tianping/core/backup.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tianping.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = ("备份数据库（PostgreSQL 用 pg_dump 自定义格式，SQLite 用在线备份）和上传文件到新目录 DIR，"
            "并写 manifest.json（每个文件的 SHA-256、每张表的行数）。密钥不在备份中。")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("dir", help="备份目录（新目录，或空目录），如 /srv/backup/tianping/2026-12-01")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = backup_create(Path(options["dir"]))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(report.tables.values())
        self.stdout.write(self.style.SUCCESS(
            f"已备份到 {report.folder}：{report.engine} 数据库 {len(report.tables)} 张表 {rows} 行，"
            f"共 {report.files} 个文件 {report.bytes / 1048576:.1f} MB，用时 {report.seconds:.1f} 秒。"))
