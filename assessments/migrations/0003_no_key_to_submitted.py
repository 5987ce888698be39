"""Submitted responses keep no secret (issue 10): remove those stored before submit did so."""

from django.db import migrations


def forget_submitted_secrets(apps, schema_editor):
    Response = apps.get_model("assessments", "Response")
    Response.objects.filter(submitted_on__isnull=False).update(secret=None)


class Migration(migrations.Migration):
    dependencies = [("assessments", "0002_days_only")]

    operations = [migrations.RunPython(forget_submitted_secrets, migrations.RunPython.noop)]
