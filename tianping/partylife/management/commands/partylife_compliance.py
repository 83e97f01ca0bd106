"""Print the compliance matrix of a court for a year: one object per organisation, duty and period."""

from __future__ import annotations

import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone


class Command(BaseCommand):
    help = "输出某法院某年度组织生活合规情况（每个组织、每项要求、每个期间一条）。"

    def add_arguments(self, parser):
        parser.add_argument("--court", required=True, help="法院代字，如 鲁0403")
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--format", choices=["json", "table"], default="table")
        parser.add_argument("--today", help="按此日期判断（YYYY-MM-DD，默认今天）")

    def handle(self, *args, **options):
        from tianping.org.models import Court
        from tianping.party.models import PartyOrganisation
        from tianping.partylife.compliance import court_matrix

        court = Court.objects.filter(code=options["court"]).first()
        if court is None:
            raise CommandError(f"找不到法院代字为 {options['court']} 的法院，请核对（如 鲁0403）。")
        year = options["year"]
        if not 2000 <= year <= 2100:
            raise CommandError("年度应为四位数字，如 2016。")
        try:
            today = date.fromisoformat(options["today"]) if options["today"] else timezone.localdate()
        except ValueError:
            raise CommandError("--today 应写成 YYYY-MM-DD。") from None
        orgs = PartyOrganisation.objects.filter(court=court, active=True).order_by("sort_order", "name")
        cells = court_matrix(court=court, year=year, today=today, organisations=orgs)
        rows = [c.as_dict() for c in cells]
        if options["format"] == "json":
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1))
            return
        header = ["organisation", "duty", "period", "required", "held", "status"]
        widths = {h: max([len(h)] + [len(str(r[h])) for r in rows]) for h in header}
        self.stdout.write("  ".join(h.ljust(widths[h]) for h in header))
        for r in rows:
            self.stdout.write("  ".join(str(r[h]).ljust(widths[h]) for h in header))
