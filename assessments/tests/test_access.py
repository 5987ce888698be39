"""Every coordinator URL against every persona: staff, own coordinator, other coordinator,
anonymous visitor, and a logged-in account that belongs to no organisation."""

import pytest
from django.test import Client
from django.urls import reverse

from conftest import make_user

pytestmark = pytest.mark.django_db


def round_urls(round_):
    link = round_.links.first()
    return [
        ("get", reverse("assessments:round_detail", args=[round_.pk])),
        ("get", reverse("assessments:round_close", args=[round_.pk])),
        ("post", reverse("assessments:round_close", args=[round_.pk])),
        ("post", reverse("assessments:round_invited", args=[round_.pk, link.pk])),
    ]


def test_the_own_coordinator_reaches_every_round_url(client_a, open_round):
    for method, url in round_urls(open_round):
        assert getattr(client_a, method)(url, {"invited_count": "3"}).status_code in (200, 302), url


def test_another_organisations_coordinator_gets_404_and_changes_nothing(client_b, open_round):
    for method, url in round_urls(open_round):
        assert getattr(client_b, method)(url, {"invited_count": "3"}).status_code == 404, url
    open_round.refresh_from_db()
    assert open_round.closed_early_at is None
    assert not open_round.links.filter(invited_count__isnull=False).exists()


def test_staff_reach_every_round(client, staff_user, open_round):
    client.force_login(staff_user)
    assert client.get(reverse("assessments:round_detail", args=[open_round.pk])).status_code == 200
    assert "Baslinje 2026" in client.get(reverse("assessments:coordinator_home")).content.decode()


def test_anonymous_visitors_are_sent_to_login(open_round):
    anonymous = Client()
    for method, url in round_urls(open_round) + [("get", reverse("assessments:coordinator_home"))]:
        result = getattr(anonymous, method)(url)
        assert result.status_code == 302, url
        assert result["Location"].startswith(reverse("login"))
    open_round.refresh_from_db()
    assert open_round.closed_early_at is None


def test_an_account_without_organisation_is_refused(client, open_round):
    client.force_login(make_user("nobody"))
    assert client.get(reverse("assessments:coordinator_home")).status_code == 403
    assert client.get(reverse("assessments:round_detail", args=[open_round.pk])).status_code == 403


def test_staff_without_organisation_cannot_create_a_round_as_a_coordinator(client, staff_user):
    client.force_login(staff_user)
    assert client.get(reverse("assessments:round_create")).status_code == 403


def test_a_forged_round_id_is_a_404(client_a):
    assert client_a.get(reverse("assessments:round_detail", args=[987654])).status_code == 404
