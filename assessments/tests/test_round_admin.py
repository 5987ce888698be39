"""The round admin creates a round through the same action as the coordinator's page."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from assessments.models import Round


def test_a_round_added_in_the_admin_gets_its_links_and_its_creator(staff_client, org_a, version):
    today = timezone.localdate()
    response = staff_client.post(
        reverse("admin:assessments_round_add"),
        {
            "name": "Från admin",
            "kind": Round.Kind.BASELINE,
            "organisation": org_a.pk,
            "version": version.pk,
            "opens_on": today.isoformat(),
            "closes_on": (today + timedelta(days=10)).isoformat(),
            "open_links": "on",
            "links-TOTAL_FORMS": "0",
            "links-INITIAL_FORMS": "0",
            "links-MIN_NUM_FORMS": "0",
            "links-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    round_ = Round.objects.get(name="Från admin")
    assert round_.created_by.username == "staff"
    assert sorted(round_.links.values_list("target_group__key", flat=True)) == sorted(
        version.target_groups.values_list("key", flat=True)
    )
