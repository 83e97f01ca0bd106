"""Rule data: step intervals and probation (PartySetting), dues bands of the 2008 rules (DuesRule), points per
event (PointsRule). Courts may add their own rows with later effective dates; code never hard-codes them."""

from datetime import date
from decimal import Decimal

from django.db import migrations

SETTINGS = [
    ("applicant_to_activist_months", 0, "月", "递交申请书后至确定积极分子的最短间隔（常见做法：无硬性要求）"),
    ("activist_to_candidate_months", 12, "月", "确定积极分子后至确定发展对象的最短间隔（培养考察一年以上）"),
    ("candidate_to_probationary_months", 0, "月", "确定发展对象后至接收为预备党员的最短间隔（常见做法）"),
    ("probation_months", 12, "月", "预备期（自支部大会通过接收之日起）"),
    ("extension_min_months", 6, "月", "延长预备期最短期限"),
    ("extension_max_months", 12, "月", "延长预备期最长期限"),
    ("conversion_warn_days", 30, "天", "预备期届满前提醒天数"),
    ("term_warn_days", 90, "天", "委员任期届满前提醒天数"),
    ("branch_min_full_members", 3, "人", "党支部最少正式党员人数"),
    ("committee_threshold_members", 7, "人", "正式党员达到该人数应设立支部委员会"),
    ("committee_term_years", 3, "年", "支部委员会任期（常见做法）"),
]

D2008 = date(2008, 4, 1)
NOTE = "中组部《关于中国共产党党费收缴、使用和管理的规定》（2008）"
DUES = [
    ("salaried", "0", "3000", "0.005", None),
    ("salaried", "3000", "5000", "0.01", None),
    ("salaried", "5000", "10000", "0.015", None),
    ("salaried", "10000", None, "0.02", None),
    ("retired", "0", "5000", "0.005", None),
    ("retired", "5000", None, "0.01", None),
    ("student", "0", None, None, "0.20"),
    ("unemployed", "0", None, None, "0.20"),
]

POINTS = [
    ("meeting_attend", "参加支部组织生活", "2", "按时参加三会一课、主题党日等"),
    ("meeting_absent_unexcused", "无故缺席组织生活", "-3", "未请假缺席"),
    ("meeting_late", "组织生活迟到", "-1", ""),
    ("lecture_give", "讲授党课", "5", ""),
    ("meeting_speak", "会上交流发言", "1", ""),
    ("study_hour", "学习时长（每小时）", "0.5", "线上线下学习每满一小时"),
    ("commendation", "受到表彰", "10", "院级及以上表彰"),
    ("dues_on_time", "按时足额交纳党费", "1", "每月"),
    ("volunteer", "志愿服务", "2", "每次"),
]


def seed(apps, schema_editor):
    PartySetting = apps.get_model("party", "PartySetting")
    DuesRule = apps.get_model("party", "DuesRule")
    PointsRule = apps.get_model("party", "PointsRule")
    for code, value, unit, desc in SETTINGS:
        PartySetting.objects.get_or_create(code=code, effective_from=date(2000, 1, 1),
                                           defaults={"value": value, "unit": unit, "description": desc})
    for cat, above, upto, rate, fixed in DUES:
        DuesRule.objects.get_or_create(
            court=None, category=cat, income_above=Decimal(above), effective_from=D2008,
            defaults={"income_up_to": Decimal(upto) if upto else None, "rate": Decimal(rate) if rate else None,
                      "fixed_amount": Decimal(fixed) if fixed else None, "note": NOTE})
    for code, name, points, desc in POINTS:
        PointsRule.objects.get_or_create(code=code, defaults={"name": name, "points": Decimal(points),
                                                              "description": desc})


class Migration(migrations.Migration):
    dependencies = [("party", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
