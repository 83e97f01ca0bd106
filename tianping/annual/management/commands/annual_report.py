"""manage.py annual_report --court 鲁0403 --year 2016 --format json|docx|pdf [--output FILE]

The court's annual party-building report from its records: JSON (exactly the report's keys), or the text
with its figures as .docx or PDF (to --output, or to standard output for JSON)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "年度党建工作报告：从记录计算各项指标，输出 JSON、Word 或 PDF。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--court", required=True, help="法院代字，如 鲁0403")
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--format", choices=["json", "docx", "pdf"], default="json")
        parser.add_argument("--output", help="输出文件（docx、pdf 必填；json 缺省时打印）")

    def handle(self, *args: Any, **opts: Any) -> None:
        from tianping.annual import selectors as sel
        from tianping.org.models import Court

        court = Court.objects.filter(code=opts["court"]).first()
        if court is None:
            raise CommandError(f"没有代字为 {opts['court']} 的法院：请用 `manage.py` 中已登记的法院代字，如 鲁0403。")
        year, fmt, output = opts["year"], opts["format"], opts.get("output")
        if not 1949 < year < 2200:
            raise CommandError(f"年度 {year} 无效：请写四位年份，如 2016。")
        if fmt == "json":
            text = json.dumps(sel.report_json(court, year), ensure_ascii=False, indent=2)
            if output:
                Path(output).write_text(text + "\n", encoding="utf-8")
            else:
                sys.stdout.write(text + "\n")
            return
        if not output:
            raise CommandError(f"--format {fmt} 需要 --output 文件名。")
        from tianping.annual.documents import render_docx, render_pdf

        data = sel.report(court, year)
        Path(output).write_bytes(render_pdf(data) if fmt == "pdf" else render_docx(data))
        self.stdout.write(f"已写入 {output}")
