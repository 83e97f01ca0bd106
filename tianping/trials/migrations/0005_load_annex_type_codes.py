"""Data: the whole annex 《人民法院案件类型及其代字标准》 (tianping.trials.typecodes) as CaseType rows, with the
annex's class, number and instance mark. Existing rows keep their name and settings; they gain the annex data."""

from django.db import migrations


def load(apps, schema_editor):
    from tianping.trials.typecodes import ANNEX, OUTSIDE_ANNEX

    CaseType = apps.get_model("trials", "CaseType")
    existing = {t.code: t for t in CaseType.objects.all()}
    for order, row in enumerate((*ANNEX, *OUTSIDE_ANNEX)):
        t = existing.get(row.code)
        if t is None:
            CaseType.objects.create(code=row.code, name=row.name, category=row.category, annex_class=row.annex_class,
                                    annex_no=row.annex_no, instance=row.instance, sort_order=100 + order,
                                    counts_in_metrics=row.category != "mediation")
        else:
            t.annex_class, t.annex_no, t.instance = row.annex_class, row.annex_no, row.instance
            t.save(update_fields=["annex_class", "annex_no", "instance"])


class Migration(migrations.Migration):
    dependencies = [("trials", "0004_case_number_rules")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
