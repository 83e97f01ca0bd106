"""Load the demo court: idempotent (a second run adds nothing) and deterministic (fixed random seed).

Each app contributes `tianping/<app>/demo.py` with `seed(ctx: DemoContext) -> None`; they run in the
order of INSTALLED_APPS, so the party app finds the staff the org app created, and so on."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction


@dataclass
class DemoContext:
    rng: random.Random
    faker: object
    stdout: object
    data: dict = field(default_factory=dict)  # what earlier apps made, for later apps (e.g. "court")


class Command(BaseCommand):
    help = "载入演示法院（薛城区人民法院）的合成数据；可重复执行，不会重复创建。"

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2016)

    def handle(self, *args, **options):
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
