"""Every existing court gets its sites (as services.sites_ensure makes them): the litigation service centre and a
service station for each active people's tribunal, so the disputes already registered at a tribunal
(Dispute.intake_department) have their station and the site filters and figures work on old data."""

from django.db import migrations


def forwards(apps, schema_editor):
    Court = apps.get_model("org", "Court")
    Department = apps.get_model("org", "Department")
    Dispute = apps.get_model("mediation", "Dispute")
    Site = apps.get_model("mediation", "Site")
    for court in Court.objects.all():
        if not Site.objects.filter(court=court, department__isnull=True).exists():
            Site.objects.create(court=court, name="诉讼服务中心", kind="centre",
                                rooms="指导分流室、人民调解室、法官工作室、司法确认室")
        have = set(Site.objects.filter(court=court, department__isnull=False).values_list("department_id", flat=True))
        # active tribunals, and any department a dispute was already registered at (kept, even if retired since)
        used = set(Dispute.objects.filter(court=court, intake_department__isnull=False)
                   .values_list("intake_department_id", flat=True))
        for dept in Department.objects.filter(court=court).order_by("pk"):
            if dept.pk in have or not ((dept.type == "tribunal" and dept.active) or dept.pk in used):
                continue
            Site.objects.create(court=court, name=f"{dept.name}服务站", kind="station", department=dept,
                                rooms="人民调解室", active=dept.active)


class Migration(migrations.Migration):

    dependencies = [
        ("mediation", "0010_sites"),
    ]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
