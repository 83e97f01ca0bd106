"""Data: the statutory time limits as rows with their legal basis and date ranges (tianping.trials.timelimits),
replacing the first table of migration 0002 (民特 was one calendar month there; it is 30 days). Deadlines that
were computed (not given by an import) are recomputed with the new rows."""

import calendar
from datetime import timedelta

from django.db import migrations

OLD_KEYS = [("民初", "ordinary"), ("民初", "summary"), ("民初", "small_claims"), ("民初", ""), ("民终", ""),
            ("民再", ""), ("民申", ""), ("刑初", "ordinary"), ("刑初", "summary"), ("刑初", ""), ("刑终", ""),
            ("行初", "ordinary"), ("行初", "summary"), ("行初", ""), ("行终", ""), ("执", ""), ("执恢", ""),
            ("执异", ""), ("民特", ""), ("民诉前调", "")]


def _add_months(day, months):
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def load(apps, schema_editor):
    from tianping.trials.timelimits import LIMIT_ROWS

    TimeLimit = apps.get_model("trials", "TimeLimit")
    Case = apps.get_model("trials", "Case")
    for type_code, procedure in OLD_KEYS:
        TimeLimit.objects.filter(type_code=type_code, procedure=procedure, valid_from__isnull=True,
                                 valid_to__isnull=True, law="").delete()
    for r in LIMIT_ROWS:
        TimeLimit.objects.update_or_create(
            type_code=r.type_code, procedure=r.procedure, valid_from=r.valid_from,
            defaults={"months": r.months, "days": r.days, "law": r.law, "article": r.article,
                      "valid_to": r.valid_to, "note": r.note})
    rows = {}
    for t in TimeLimit.objects.all():
        rows.setdefault((t.type_code, t.procedure), []).append(t)

    def rule_for(case):
        for key in ((case.type_code, case.procedure), (case.type_code, "")):
            for t in rows.get(key, []):
                if (t.valid_from is None or t.valid_from <= case.filed_on) and (
                        t.valid_to is None or case.filed_on <= t.valid_to):
                    return t
        return None

    batch = []
    qs = Case.objects.filter(deadline_given=False).only("id", "type_code", "procedure", "filed_on", "extension_days",
                                                         "excluded_days", "deadline", "limit_end")
    for case in qs.iterator(chunk_size=2000):
        rule = rule_for(case)
        deadline = (_add_months(case.filed_on, rule.months) + timedelta(days=rule.days + (case.extension_days or 0))
                    if rule else None)
        if deadline != case.deadline:
            case.deadline = deadline
            case.limit_end = deadline + timedelta(days=case.excluded_days or 0) if deadline else None
            batch.append(case)
        if len(batch) >= 2000:
            Case.objects.bulk_update(batch, ["deadline", "limit_end"])
            batch = []
    if batch:
        Case.objects.bulk_update(batch, ["deadline", "limit_end"])


class Migration(migrations.Migration):
    dependencies = [("trials", "0006_time_limits_with_basis")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
