"""Initial data: the SPC type codes used by a basic court and the statutory time limits (both are data;
administrators change them in the admin pages)."""

from django.db import migrations

CASE_TYPES = [
    # code, name, category, counts in metrics
    ("民初", "民事一审", "civil", True),
    ("民终", "民事二审", "civil", True),
    ("民再", "民事再审", "civil", True),
    ("民申", "民事申请再审审查", "civil", True),
    ("刑初", "刑事一审", "criminal", True),
    ("刑终", "刑事二审", "criminal", True),
    ("行初", "行政一审", "administrative", True),
    ("行终", "行政二审", "administrative", True),
    ("执", "首次执行", "enforcement", True),
    ("执恢", "恢复执行", "enforcement", True),
    ("执保", "财产保全执行", "enforcement", True),
    ("执异", "执行异议", "enforcement", True),
    ("民诉前调", "诉前调解", "mediation", False),
    ("民特", "民事特别程序（含司法确认）", "special", True),
]

LIMITS = [
    # type code, procedure ("" = default for the type), months, days, basis
    ("民初", "ordinary", 6, 0, "民事诉讼法第152条：普通程序6个月"),
    ("民初", "summary", 3, 0, "民事诉讼法第164条：简易程序3个月"),
    ("民初", "small_claims", 2, 0, "民事诉讼法第168条：小额诉讼程序2个月"),
    ("民初", "", 6, 0, "未注明程序时按普通程序"),
    ("民终", "", 3, 0, "民事诉讼法第183条：判决上诉3个月"),
    ("民再", "", 6, 0, "按一审或二审程序审限，通常口径6个月"),
    ("民申", "", 3, 0, "民事诉讼法第211条：再审申请审查3个月"),
    ("刑初", "ordinary", 3, 0, "刑事诉讼法第208条：2个月内宣判，至迟不超过3个月"),
    ("刑初", "summary", 0, 20, "刑事诉讼法第220条：简易程序20日"),
    ("刑初", "", 3, 0, "未注明程序时按普通程序"),
    ("刑终", "", 2, 0, "刑事诉讼法第243条：二审2个月"),
    ("行初", "ordinary", 6, 0, "行政诉讼法第81条：6个月"),
    ("行初", "summary", 0, 45, "行政诉讼法第83条：简易程序45日"),
    ("行初", "", 6, 0, "未注明程序时按普通程序"),
    ("行终", "", 3, 0, "行政诉讼法第88条：3个月"),
    ("执", "", 6, 0, "执行案件办理期限6个月（最高法执行办案期限规定）"),
    ("执恢", "", 6, 0, "同首次执行"),
    ("执异", "", 0, 15, "民事诉讼法第232条：15日内审查"),
    ("民特", "", 1, 0, "特别程序30日（通常口径1个月）"),
    ("民诉前调", "", 1, 0, "诉前调解期限30日（通常口径1个月）"),
]


def load(apps, schema_editor):
    CaseType = apps.get_model("trials", "CaseType")
    TimeLimit = apps.get_model("trials", "TimeLimit")
    for order, (code, name, category, counts) in enumerate(CASE_TYPES):
        CaseType.objects.get_or_create(code=code, defaults={"name": name, "category": category,
                                                            "counts_in_metrics": counts, "sort_order": order})
    for type_code, procedure, months, days, note in LIMITS:
        TimeLimit.objects.get_or_create(type_code=type_code, procedure=procedure,
                                        defaults={"months": months, "days": days, "note": note})


class Migration(migrations.Migration):
    dependencies = [("trials", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
