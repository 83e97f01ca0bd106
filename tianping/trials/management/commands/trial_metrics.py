"""manage.py trial_metrics --court 鲁0403 --start 2016-01-01 --end 2016-12-31 --by judge --format json"""

from __future__ import annotations

import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from tianping.trials.selectors import DIMENSIONS, FIGURE_KEYS, Period, metrics, metrics_json


def _date(text: str, name: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"--{name} 应为 YYYY-MM-DD 格式的日期，收到“{text}”。") from exc


class Command(BaseCommand):
    help = "审判质效指标：按法院、部门、支部、承办人、党员身份统计（JSON 或表格）。"

    def add_arguments(self, parser):
        parser.add_argument("--court", required=True, help="法院代字，如 鲁0403")
        parser.add_argument("--start", required=True, help="起始日期 YYYY-MM-DD（含）")
        parser.add_argument("--end", required=True, help="截止日期 YYYY-MM-DD（含）")
        parser.add_argument("--by", default="court", choices=[d for d in DIMENSIONS if d != "leadership"]
                            + ["leadership"])
        parser.add_argument("--format", default="table", choices=["json", "table"])

    def handle(self, *args, **opts):
        from tianping.org.models import Court

        court = Court.objects.filter(code=opts["court"]).first()
        if court is None:
            raise CommandError(f"找不到法院代字为“{opts['court']}”的法院。")
        start, end = _date(opts["start"], "start"), _date(opts["end"], "end")
        if end < start:
            raise CommandError("--end 不能早于 --start。")
        rows = metrics_json(metrics(court, Period(start, end), opts["by"]))
        if opts["format"] == "json":
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        headers = ["scope", *FIGURE_KEYS]
        table = [[("" if r[h] is None else str(r[h])) for h in headers] for r in rows]
        widths = [max(len(h), *(len(row[i]) for row in table)) if table else len(h) for i, h in enumerate(headers)]
        self.stdout.write("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)))
        for row in table:
            self.stdout.write("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))
