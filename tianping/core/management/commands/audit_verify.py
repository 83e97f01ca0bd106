"""Check the whole audit hash chain; name the first broken entry and exit non-zero if there is one."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from tianping.core.audit import verify_chain


class Command(BaseCommand):
    help = "校验审计日志哈希链：逐条重算哈希，发现被改动或删除的记录时指出第一条并以非零状态退出。"

    def handle(self, *args, **options):
        report = verify_chain()
        if not report.ok:
            raise CommandError(f"审计日志校验失败：{report.reason}（首个异常记录 #{report.first_broken_id}，"
                               f"已检查 {report.checked} 条）。")
        self.stdout.write(self.style.SUCCESS(f"审计日志完整：共 {report.checked} 条，哈希链无断裂。"))
