"""Single-use evaluation links and a closing day (issue 10).

Evaluations lose the form nonce (one submission per participant is now the spent link) and
keep the day submitted only, copied from the old timestamp in the project's time zone."""

import secrets

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models
from django.utils import timezone


def copy_days(apps, schema_editor):
    Evaluation = apps.get_model("learning", "Evaluation")
    for evaluation in Evaluation.objects.only("submitted_at").iterator():
        Evaluation.objects.filter(pk=evaluation.pk).update(
            submitted_on=timezone.localdate(evaluation.submitted_at)
        )


def copy_moments(apps, schema_editor):
    """Backwards: the day at midnight, and a fresh nonce for each evaluation."""
    Evaluation = apps.get_model("learning", "Evaluation")
    for evaluation in Evaluation.objects.only("submitted_on").iterator():
        moment = timezone.make_aware(
            timezone.datetime.combine(evaluation.submitted_on, timezone.datetime.min.time())
        )
        Evaluation.objects.filter(pk=evaluation.pk).update(
            submitted_at=moment, nonce=secrets.token_urlsafe(24)
        )


class Migration(migrations.Migration):
    dependencies = [("learning", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="evaluation",
            name="submitted_on",
            field=models.DateField(default=django.utils.timezone.localdate),
        ),
        # Nullable first, so that going backwards can add the column again and fill it.
        migrations.AlterField(
            model_name="evaluation",
            name="nonce",
            field=models.CharField(max_length=64, null=True, unique=True),  # noqa: DJ001
        ),
        migrations.RunPython(copy_days, copy_moments),
        migrations.RemoveField(model_name="evaluation", name="nonce"),
        migrations.RemoveField(model_name="evaluation", name="submitted_at"),
        migrations.AddField(
            model_name="workshoprequest",
            name="evaluation_closes_on",
            field=models.DateField(
                blank=True,
                help_text="From this day no more evaluations are taken and the results are shown.",
                null=True,
                verbose_name="evaluation closes on",
            ),
        ),
        migrations.CreateModel(
            name="EvaluationCode",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("token_hash", models.CharField(editable=False, max_length=64, unique=True)),
                ("used", models.BooleanField(default=False)),
                ("used_on", models.DateField(blank=True, null=True)),
                (
                    "request",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="evaluation_codes",
                        to="learning.workshoprequest",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("used", False), ("used_on__isnull", True)),
                            models.Q(("used", True), ("used_on__isnull", False)),
                            _connector="OR",
                        ),
                        name="evaluation_code_used_on_iff_used",
                    )
                ],
            },
        ),
    ]
