"""Accounts working at the centre's desks (a CentreStaff entry) get the centre's own role, 诉调对接中心
(Role.CENTRE): the desk's permissions are declared on that role now (mediation/policy.py), and a CentreStaff
entry without it grants nothing."""

from django.db import migrations

CENTRE = "centre"  # tianping.core.roles.Role.CENTRE, frozen here as migrations must be


def grant(apps, schema_editor):
    CentreStaff = apps.get_model("mediation", "CentreStaff")
    UserRole = apps.get_model("org", "UserRole")
    for user_id in CentreStaff.objects.values_list("user_id", flat=True):
        UserRole.objects.get_or_create(user_id=user_id, role=CENTRE)


class Migration(migrations.Migration):
    dependencies = [
        ("mediation", "0003_ordering_and_list_index"),
        ("org", "0002_role_centre"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
