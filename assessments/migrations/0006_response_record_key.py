"""Every response gets its own random record key (results.disclosure). Existing responses
get theirs here, one each; AddField with a callable default would give all of them one."""

import secrets

from django.db import migrations, models

import assessments.models


def give_each_response_a_key(apps, schema_editor):
    Response = apps.get_model("assessments", "Response")
    batch = []
    for response in Response.objects.filter(record_key__isnull=True).only("pk").iterator():
        response.record_key = secrets.randbelow(2**32)
        batch.append(response)
        if len(batch) >= 2000:
            Response.objects.bulk_update(batch, ["record_key"])
            batch = []
    Response.objects.bulk_update(batch, ["record_key"])


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0005_roundlink_short_code"),
    ]

    operations = [
        migrations.AddField(
            model_name="response",
            name="record_key",
            field=models.BigIntegerField(editable=False, null=True),
        ),
        migrations.RunPython(give_each_response_a_key, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="response",
            name="record_key",
            field=models.BigIntegerField(
                default=assessments.models.new_record_key, editable=False, null=True
            ),
        ),
    ]
