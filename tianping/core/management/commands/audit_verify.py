"""Check the whole audit hash chain; name the first broken entry and exit non-zero if there is one."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from tianping.core.audit import verify_chain


def _versions(used: dict[int, int]) -> str:
    if not used:
        return "无"
    return "、".join(f"版本 {v}（{n} 条{'，开发用密钥：未配置 TIANPING_AUDIT_KEY' if v == 0 else ''}）"
                    for v, n in sorted(used.items()))


class Command(BaseCommand):
    help = ("校验审计日志哈希链：逐条用其密钥版本的 HMAC 密钥重算哈希，发现被改动或删除的记录时指出第一条并以非零状态退出；"
            "输出所用的密钥版本。")

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify_chain()
        if not report.ok:
            raise CommandError(f"审计日志校验失败：{report.reason}（首个异常记录 #{report.first_broken_id}，"
                               f"已检查 {report.checked} 条；已用密钥：{_versions(report.key_versions)}）。")
        self.stdout.write(self.style.SUCCESS(f"审计日志完整：共 {report.checked} 条，哈希链无断裂。"
                                             f"所用密钥：{_versions(report.key_versions)}。"))
