"""Remove audit entries older than a date — never entries younger than the retention period (183 days).

The table's trigger refuses DELETE; this command switches the maintenance setting on for its own
connection only (tianping.core.audit.audit_maintenance), moves the chain anchor, and records the purge."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from tianping.core.audit import RETENTION_DAYS, purge_before


class Command(BaseCommand):
    help = f"删除某日期之前的审计记录（至少保留 {RETENTION_DAYS} 天）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--before", required=True, help="日期 YYYY-MM-DD：删除该日 0 时之前的记录")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            day = datetime.strptime(options["before"], "%Y-%m-%d").date()  # noqa: DTZ007 - made aware below
        except ValueError:
            raise CommandError(f"--before {options['before']!r} 不是日期：请写 YYYY-MM-DD，如 2016-01-01。") from None
        cutoff = timezone.make_aware(datetime.combine(day, time.min))
        try:
            count = purge_before(cutoff)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(self.style.SUCCESS(f"已删除 {count} 条 {day:%Y-%m-%d} 之前的审计记录。"))
