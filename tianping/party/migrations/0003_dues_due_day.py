"""The monthly due day of party dues as data (arrears of the current month count only after it)."""

from datetime import date

from django.db import migrations


def seed(apps, schema_editor):
    PartySetting = apps.get_model("party", "PartySetting")
    PartySetting.objects.get_or_create(
        code="dues_due_day", effective_from=date(2000, 1, 1),
        defaults={"value": 31, "unit": "日",
                  "description": "每月党费交纳截止日（当月没有该日的按月末计；31 即当月交清）"})


def unseed(apps, schema_editor):
    apps.get_model("party", "PartySetting").objects.filter(code="dues_due_day").delete()


class Migration(migrations.Migration):
    dependencies = [("party", "0002_seed_rules")]

    operations = [migrations.RunPython(seed, unseed)]
