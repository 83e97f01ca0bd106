"""Meeting types and the required duties with their usual minimum frequencies (../shared/DOMAIN.md).

These are data rows: change them in the admin (or add a migration) when local rules differ."""

from decimal import Decimal

from django.db import migrations

DUTIES = [
    # code, name, frequency, min_count, org kinds, requires committee, warn days
    ("general_meeting", "支部党员大会", "quarter", 1, "branch", False, 20),
    ("committee_meeting", "支委会", "month", 1, "branch,general_branch", True, 10),
    ("group_meeting", "党小组会", "month", 1, "group", False, 10),
    ("party_lecture", "党课", "quarter", 1, "branch", False, 20),
    ("themed_day", "主题党日", "month", 1, "branch", False, 10),
    ("life_meeting", "组织生活会", "year", 1, "branch", False, 60),
    ("member_review", "民主评议党员", "year", 1, "branch", False, 60),
    ("heart_talk", "谈心谈话", "year", 1, "branch", False, 60),
]

TYPES = [
    # code, name, level, audience, duty, votes, is_lecture, has_speaker, study hours, points, aliases
    ("general_meeting", "支部党员大会", "branch", "roster", "general_meeting", True, False, False, "1.0", True,
     "党员大会、支部大会"),
    ("committee_meeting", "支委会", "branch", "committee", "committee_meeting", True, False, False, "0", True,
     "支部委员会、支委会议"),
    ("group_meeting", "党小组会", "branch", "roster", "group_meeting", False, False, False, "1.0", True, "小组会"),
    ("party_lecture", "党课", "branch", "roster", "party_lecture", False, False, True, "2.0", True, "专题党课"),
    ("themed_day", "主题党日", "branch", "roster", "themed_day", False, False, False, "2.0", True, "主题党日活动"),
    ("life_meeting", "组织生活会", "branch", "roster", "life_meeting", False, False, False, "2.0", True, ""),
    ("member_review", "民主评议党员", "branch", "roster", "member_review", True, False, False, "1.0", True,
     "民主评议"),
    ("heart_talk", "谈心谈话", "branch", "roster", "heart_talk", False, False, False, "0", True, "谈心谈话活动"),
    ("party_group_meeting", "周五党组会", "court", "leadership", None, True, False, False, "0", False,
     "党组会、党组会议"),
    ("roll_call", "周一例会点名", "court", "all_staff", None, False, False, False, "0", False,
     "周一例会、例会点名"),
    ("integrity_lecture", "廉政大讲堂", "any", "roster", None, False, True, True, "2.0", True,
     "廉政建设大讲堂、廉政讲堂"),
    ("special_study", "专题学习", "any", "roster", None, False, False, True, "2.0", True, "集中学习、专题学习会"),
    ("oath", "入党宣誓", "any", "roster", None, False, False, False, "1.0", True, "新党员入党宣誓"),
    ("oath_renewal", "重温入党誓词", "any", "roster", None, False, False, False, "1.0", True, "重温誓词"),
]


def seed(apps, schema_editor):
    DutyRule = apps.get_model("partylife", "DutyRule")
    MeetingType = apps.get_model("partylife", "MeetingType")
    duties = {}
    for order, (code, name, freq, n, kinds, committee, warn) in enumerate(DUTIES):
        duties[code], _ = DutyRule.objects.update_or_create(code=code, defaults={
            "name": name, "frequency": freq, "min_count": n, "org_kinds": kinds, "requires_committee": committee,
            "warn_days": warn, "sort_order": order * 10})
    for order, (code, name, level, audience, duty, votes, lecture, speaker, hours, points, aliases) in enumerate(TYPES):
        MeetingType.objects.update_or_create(code=code, defaults={
            "name": name, "level": level, "audience": audience, "duty": duties.get(duty), "votes": votes,
            "is_lecture": lecture, "has_speaker": speaker, "study_hours": Decimal(hours), "awards_points": points,
            "aliases": aliases, "sort_order": order * 10})


def unseed(apps, schema_editor):
    apps.get_model("partylife", "MeetingType").objects.filter(code__in=[t[0] for t in TYPES]).delete()
    apps.get_model("partylife", "DutyRule").objects.filter(code__in=[d[0] for d in DUTIES]).delete()


class Migration(migrations.Migration):
    dependencies = [("partylife", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
