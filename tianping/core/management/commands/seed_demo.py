"""Load the demo court: idempotent (a second run adds nothing) and deterministic (fixed random seed).

Each app contributes `tianping/<app>/demo.py` with `seed(ctx: DemoContext) -> None`; they run in the
order of INSTALLED_APPS, so the party app finds the staff the org app created, and so on.

The demo lives in the present: every generator reads "today" from `timezone.localdate()` at seeding time
(so a test that freezes time gets a demo ending on the frozen day) and fills the years from 2014 to today.
Large tables (cases, attendance, dues) go in through `bulk_insert`: the demo is loaded by several tests, so
it must stay fast."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection, transaction
from django.utils import timezone

from tianping.core.bulk import bulk_insert as bulk_insert  # the demo generators import it from here

FIRST_YEAR = 2014  # the demo court's first year of figures; the last is the current year


def demo_years(today: Any = None) -> list[int]:
    """2014 … the current year (from timezone.localdate(), never a fixed year)."""
    today = today or timezone.localdate()
    return list(range(FIRST_YEAR, today.year + 1))


@dataclass
class DemoContext:
    rng: random.Random
    faker: object
    stdout: object
    data: dict[str, Any] = field(default_factory=dict)  # what earlier apps made, for later apps (e.g. "court")


class Command(BaseCommand):
    help = "载入演示法院（薛城区人民法院）的合成数据；可重复执行，不会重复创建。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=2016)

    def handle(self, *args: Any, **options: Any) -> None:
        from faker import Faker

        faker = Faker("zh_CN")
        faker.seed_instance(options["seed"])
        ctx = DemoContext(rng=random.Random(options["seed"]), faker=faker, stdout=self.stdout)
        for config in apps.get_app_configs():
            if not config.name.startswith("tianping."):
                continue
            try:
                module = import_module(f"{config.name}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.demo":
                    raise
                continue
            with transaction.atomic():
                module.seed(ctx)
            self.stdout.write(f"  {config.verbose_name}: ok")
        # a bulk load of ~100,000 cases and attendances: gather the planner's statistics now rather than when
        # autovacuum gets round to it (with none, PostgreSQL planned a 90,000-row anti-join as 41 rows and
        # nested-looped it: 250 ms on every court-wide home page until then)
        if connection.vendor == "postgresql":  # SQLite has no autoanalyze; its plans are tuned without statistics
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(self.style.SUCCESS("演示数据已就绪。"))
