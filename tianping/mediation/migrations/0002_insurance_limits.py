"""Compulsory motor-vehicle insurance (交强险) limits as data.

2008-02-01: death/disability 110,000, medical 10,000, property 2,000; not at fault 11,000 / 1,000 / 100.
2020-09-19 (交强险责任限额调整, 银保监会): death/disability 180,000, medical 18,000, property 2,000;
not at fault 18,000 / 1,800 / 100. Later changes are added as rows with their own effective date.
"""

from datetime import date
from decimal import Decimal

from django.db import migrations

LIMITS = [
    (date(2008, 2, 1), True, "death_disability", "110000"), (date(2008, 2, 1), True, "medical", "10000"),
    (date(2008, 2, 1), True, "property", "2000"), (date(2008, 2, 1), False, "death_disability", "11000"),
    (date(2008, 2, 1), False, "medical", "1000"), (date(2008, 2, 1), False, "property", "100"),
    (date(2020, 9, 19), True, "death_disability", "180000"), (date(2020, 9, 19), True, "medical", "18000"),
    (date(2020, 9, 19), True, "property", "2000"), (date(2020, 9, 19), False, "death_disability", "18000"),
    (date(2020, 9, 19), False, "medical", "1800"), (date(2020, 9, 19), False, "property", "100"),
]


def load(apps, schema_editor):
    InsuranceLimit = apps.get_model("mediation", "InsuranceLimit")
    for day, at_fault, head, amount in LIMITS:
        InsuranceLimit.objects.get_or_create(head=head, at_fault=at_fault, effective_from=day,
                                             defaults={"amount": Decimal(amount)})


def unload(apps, schema_editor):
    InsuranceLimit = apps.get_model("mediation", "InsuranceLimit")
    for day, at_fault, head, _amount in LIMITS:
        InsuranceLimit.objects.filter(head=head, at_fault=at_fault, effective_from=day).delete()


class Migration(migrations.Migration):
    dependencies = [("mediation", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
