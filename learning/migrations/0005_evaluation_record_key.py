"""Every evaluation gets its own random record key (lib.cellkey); existing ones one each."""

import secrets

from django.db import migrations, models

import lib.cellkey


def give_each_evaluation_a_key(apps, schema_editor):
    Evaluation = apps.get_model("learning", "Evaluation")
    rows = list(Evaluation.objects.filter(record_key__isnull=True).only("pk"))
    for row in rows:
        row.record_key = secrets.randbelow(2**32)
    Evaluation.objects.bulk_update(rows, ["record_key"], batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [
        ("learning", "0004_alter_participant_target_group"),
    ]

    operations = [
        migrations.AddField(
            model_name="evaluation",
            name="record_key",
            field=models.BigIntegerField(editable=False, null=True),
        ),
        migrations.RunPython(give_each_evaluation_a_key, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="evaluation",
            name="record_key",
            field=models.BigIntegerField(
                default=lib.cellkey.new_record_key, editable=False, null=True
            ),
        ),
    ]
