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

FIRST_YEAR = 2014  # the demo court's first year of figures; the last is the current year


def demo_years(today: Any = None) -> list[int]:
    """2014 … the current year (from timezone.localdate(), never a fixed year)."""
    today = today or timezone.localdate()
    return list(range(FIRST_YEAR, today.year + 1))


def bulk_insert(model: Any, rows: list[dict[str, Any]], *, batch_size: int = 5000) -> int:
    """INSERT `rows` (dicts of field attname -> value) with one prepared statement per batch: for the
    demo's 100,000 cases bulk_create spends most of its time compiling every value of every row through
    the field classes; here only the constant columns go through them (defaults, auto_now timestamps), the
    per-row values must already be what the column stores (str, int, bool, date, Decimal, None).
    Returns the number of rows. For demo generators only: no signals, no full_clean, no ids returned."""
    if not rows:
        return 0
    now = timezone.now()
    given = list(rows[0])
    fields = {f.attname: f for f in model._meta.concrete_fields}
    constants = {}
    for name, f in fields.items():
        if name in given or f.primary_key:
            continue
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            value = now
        elif f.has_default():
            value = f.get_default()
        else:
            value = None
        constants[name] = f.get_db_prep_save(value, connection)
    json_cols = {n for n in given if fields[n].get_internal_type() == "JSONField"}
    columns = given + list(constants)
    qn = connection.ops.quote_name
    # identifiers come from the model's meta (quoted), values are parameters
    sql = (f"INSERT INTO {qn(model._meta.db_table)} ({', '.join(qn(c) for c in columns)}) "  # noqa: S608
           f"VALUES ({', '.join(['%s'] * len(columns))})")
    tail = tuple(constants.values())
    with connection.cursor() as cur:
        for i in range(0, len(rows), batch_size):
            batch = rows[i:i + batch_size]
            if json_cols:
                params = [tuple(fields[c].get_db_prep_save(r[c], connection) if c in json_cols else r[c]
                                for c in given) + tail for r in batch]
            else:
                params = [tuple(r[c] for c in given) + tail for r in batch]
            cur.executemany(sql, params)
    return len(rows)


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
        self.stdout.write(self.style.SUCCESS("演示数据已就绪。"))
