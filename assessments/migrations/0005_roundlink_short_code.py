import assessments.models
from django.db import migrations, models


def give_codes(apps, schema_editor):
    RoundLink = apps.get_model("assessments", "RoundLink")
    taken = set()
    for link in RoundLink.objects.filter(short_code__isnull=True).only("pk"):
        code = assessments.models.new_short_code()
        while code in taken:
            code = assessments.models.new_short_code()
        taken.add(code)
        RoundLink.objects.filter(pk=link.pk).update(short_code=code)


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0004_round_open_links_alter_roundlink_invited_count"),
    ]

    operations = [
        # Existing links get a code each (a default would give them all the same one).
        migrations.AddField(
            model_name="roundlink",
            name="short_code",
            field=models.CharField(editable=False, max_length=16, null=True),
        ),
        migrations.RunPython(give_codes, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="roundlink",
            name="short_code",
            field=models.CharField(
                default=assessments.models.new_short_code,
                editable=False,
                max_length=16,
                unique=True,
            ),
        ),
    ]
