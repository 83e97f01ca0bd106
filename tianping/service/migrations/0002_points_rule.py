"""The points rule for taking part in a 法官六进 / legal-publicity event (data: a court may change its value or
switch it off on the party app's rules page; the code refers to it by its code only)."""

from decimal import Decimal

from django.db import migrations


def seed(apps, schema_editor):
    PointsRule = apps.get_model("party", "PointsRule")
    PointsRule.objects.get_or_create(code="outreach_event", defaults={
        "name": "参加法官六进、法制宣传活动", "points": Decimal("2"), "description": "每次"})


class Migration(migrations.Migration):
    dependencies = [("service", "0001_initial"), ("party", "0002_seed_rules")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
