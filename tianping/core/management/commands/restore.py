"""manage.py restore DIR: check every SHA-256 of a backup, then restore it into an empty database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tianping.core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = ("从 manage.py backup 生成的目录恢复：先逐个核对 SHA-256，不符或数据库类型不同则拒绝；"
            "只恢复到空库（覆盖已有数据须加 --replace）。恢复后核对每张表的行数。")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("dir", help="备份目录")
        parser.add_argument("--replace", action="store_true", help="目标库已有数据时覆盖（慎用）")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest, differ = backup_restore(Path(options["dir"]), replace=options["replace"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        if differ:
            lines = "、".join(f"{t}（备份 {a} 行，恢复后 {b} 行）" for t, (a, b) in list(differ.items())[:10])
            raise CommandError(f"恢复完成，但有 {len(differ)} 张表的行数与备份清单不同：{lines}。")
        self.stdout.write(self.style.SUCCESS(
            f"已恢复 {manifest['created_at']} 的备份：{len(manifest['tables'])} 张表的行数与备份清单一致，"
            f"{len(manifest['files'])} 个文件校验通过。请接着运行 manage.py migrate（程序比备份新时）和 manage.py audit_verify。"))
