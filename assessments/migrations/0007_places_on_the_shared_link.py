"""A draft begun on the shared link holds a place (``Response.holds_place``), and each link
counts its shared-link submissions (``RoundLink.open_submitted``). Existing links get their
count from what was submitted so far: all submissions less those through invitations. Drafts
begun before are left without a place; their submit is checked as before."""

from django.db import migrations, models
from django.db.models import Count, Q


def count_open_submissions(apps, schema_editor):
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
        open_submitted = max(link.submitted - through_invitations.get(link.pk, 0), 0)
        RoundLink.objects.filter(pk=link.pk).update(open_submitted=open_submitted)


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0006_response_record_key"),
        ("invitations", "0002_invitation_claim"),
    ]

    operations = [
        migrations.AddField(
            model_name="response",
            name="holds_place",
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.AddField(
            model_name="roundlink",
            name="open_submitted",
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.RunPython(count_open_submissions, migrations.RunPython.noop),
    ]
