"""Each link counts the places taken on its shared link (``RoundLink.shared_begins``): the
respondents its "begin" let in. Existing links start from what was submitted through the shared
link so far: all submissions less those through invitations. Drafts begun before take their
place at their submit, or are refused there as before."""

from django.db import migrations, models
from django.db.models import Count, Q


def count_shared_submissions(apps, schema_editor):
    RoundLink = apps.get_model("assessments", "RoundLink")
    Invitation = apps.get_model("invitations", "Invitation")
    through_invitations = dict(
        Invitation.objects.filter(status="submitted")
        .values("link_id")
        .annotate(n=Count("pk"))
        .values_list("link_id", "n")
    )
    links = RoundLink.objects.annotate(
        submitted=Count("responses", filter=Q(responses__submitted_on__isnull=False))
    ).filter(submitted__gt=0)
    for link in links.iterator():
        shared = max(link.submitted - through_invitations.get(link.pk, 0), 0)
        RoundLink.objects.filter(pk=link.pk).update(shared_begins=shared)


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0006_response_record_key"),
        ("invitations", "0002_invitation_claim"),
    ]

    operations = [
        migrations.AddField(
            model_name="roundlink",
            name="shared_begins",
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.RunPython(count_shared_submissions, migrations.RunPython.noop),
    ]
