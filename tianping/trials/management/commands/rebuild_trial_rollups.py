"""manage.py rebuild_trial_rollups [--court CODE]: rewrite the monthly case rollups the figures are summed from."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "重建审判质效月度汇总（CaseRollup）：批量导入案件后或汇总表需要校正时运行；不加 --court 则重建全部法院。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--court", help="法院代字，如 鲁0403；不填则重建全部法院")

    def handle(self, *args: Any, **options: Any) -> None:
        from tianping.org.models import Court
        from tianping.trials.rollups import rebuild_rollups

        courts = None
        if options["court"]:
            court = Court.objects.filter(code=options["court"]).first()
            if court is None:
                raise CommandError(f"没有法院代字为 {options['court']} 的法院，请核对代字（如 鲁0403）。")
            courts = [court]
        t = time.perf_counter()
        rows = rebuild_rollups(courts)
        self.stdout.write(f"已重建 {rows} 行月度汇总，用时 {time.perf_counter() - t:.1f} 秒。")
