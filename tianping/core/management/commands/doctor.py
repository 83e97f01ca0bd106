"""manage.py doctor: one line per check of a production installation; exit status 1 if any fails."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from tianping.core.doctor import run_all


class Command(BaseCommand):
    help = ("检查生产环境：部署设置（check --deploy）、数据库可连接且迁移已执行、后台任务进程心跳、PDF 字体、数据目录剩余空间、"
            "最近备份时间。每项一行；有未通过的项时以状态 1 退出。")

    def handle(self, *args: Any, **options: Any) -> None:
        findings = run_all()
        for f in findings:
            self.stdout.write(self.style.SUCCESS(f.line()) if f.ok else self.style.ERROR(f.line()))
        failed = [f for f in findings if not f.ok]
        if failed:
            raise CommandError(f"{len(failed)} 项检查未通过：{'、'.join(f.title for f in failed)}。")
        self.stdout.write(self.style.SUCCESS("全部检查通过。"))
