"""manage.py confirmation_cases [--court 鲁0403]: file the 民特 case of every dispute that got its judicial
confirmation number before applications became trials cases (run once after upgrading; idempotent)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "为已有司法确认案号但没有审判系统案件的纠纷补立民特案件（案号不变，已裁定的同时结案）。"

    def add_arguments(self, parser):
        parser.add_argument("--court", help="法院代字，如 鲁0403；不填则处理所有法院")

    def handle(self, *args, **opts):
        from tianping.mediation.services import confirmation_cases_backfill
        from tianping.org.models import Court

        court = None
        if opts.get("court"):
            court = Court.objects.filter(code=opts["court"]).first()
            if court is None:
                raise CommandError(f"找不到法院代字为“{opts['court']}”的法院。")
        done = confirmation_cases_backfill(court=court)
        for d in done:
            self.stdout.write(f"{d.number} → {d.confirmation_number}")
        self.stdout.write(f"补立民特案件 {len(done)} 件。")
