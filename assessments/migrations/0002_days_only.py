"""Responses keep the day started and submitted, answers no time at all (issue 10).

The days are copied from the old timestamps (in the project's time zone) before those go."""

import lib.tokens
from django.db import migrations, models

import assessments.models
from django.utils import timezone


def copy_days(apps, schema_editor):
    Response = apps.get_model("assessments", "Response")
    for response in Response.objects.only("started_at", "submitted_at").iterator():
        Response.objects.filter(pk=response.pk).update(
            started_on=timezone.localdate(response.started_at),
            submitted_on=(
                timezone.localdate(response.submitted_at) if response.submitted_at else None
            ),
        )


def copy_moments(apps, schema_editor):
    """Backwards: the day at midnight, the finest the forward step kept."""
    Response = apps.get_model("assessments", "Response")
    for response in Response.objects.only("started_on", "submitted_on").iterator():
        def moment(day):
            return timezone.make_aware(timezone.datetime.combine(day, timezone.datetime.min.time()))
        Response.objects.filter(pk=response.pk).update(
            started_at=moment(response.started_on),
            submitted_at=moment(response.submitted_on) if response.submitted_on else None,
        )


class Migration(migrations.Migration):
    dependencies = [("assessments", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="response",
            name="started_on",
            field=models.DateField(default=timezone.localdate, verbose_name="started"),
        ),
        migrations.AddField(
            model_name="response",
            name="submitted_on",
            field=models.DateField(blank=True, null=True, verbose_name="submitted"),
        ),
        migrations.RunPython(copy_days, copy_moments),
        migrations.RemoveIndex(model_name="response", name="assessments_round_i_bd6b06_idx"),
        migrations.RemoveField(model_name="response", name="started_at"),
        migrations.RemoveField(model_name="response", name="submitted_at"),
        migrations.RemoveField(model_name="answer", name="answered_at"),
        migrations.AddIndex(
            model_name="response",
            index=models.Index(fields=["round", "submitted_on"], name="assessments_round_i_d2238a_idx"),
        ),
        migrations.AlterField(
            model_name="response",
            name="secret",
            field=models.CharField(
                default=lib.tokens.new_token,
                editable=False,
                max_length=64,
                null=True,
                unique=True,
            ),
        ),
    ]
