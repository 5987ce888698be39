"""A coordinator starts a pulse, shares its link and QR code, follows the count and closes it;
another organisation's coordinator sees none of it."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from pulse.models import Pulse, PulsePublication

from .helpers import answer_from_a_fresh_browser

pytestmark = pytest.mark.django_db


def test_a_coordinator_starts_a_pulse_and_gets_its_link_and_qr_code(client_a, org_a):
    today = timezone.localdate()
    created = client_a.post(
        reverse("pulse:create"),
        {"opens_on": today.isoformat(), "closes_on": (today + timedelta(days=14)).isoformat()},
    )
    pulse = Pulse.objects.get()
    assert created.status_code == 302 and pulse.organisation == org_a

    page = client_a.get(reverse("pulse:detail", args=[pulse.pk])).content.decode()

    assert reverse("pulse:answer", args=[pulse.token]) in page
    assert '<svg role="img" aria-label="QR-kod' in page  # inline, drawn here: no third party
    assert len(pulse.version.statements.all()) == 11


def test_a_closing_date_before_the_opening_is_refused(client_a):
    today = timezone.localdate()
    refused = client_a.post(
        reverse("pulse:create"),
        {"opens_on": today.isoformat(), "closes_on": (today - timedelta(days=1)).isoformat()},
    )
    assert refused.status_code == 400 and not Pulse.objects.exists()


def test_closing_a_pulse_publishes_it_and_stops_answers(client_a, pulse):
    answer_from_a_fresh_browser(pulse)
    assert 'id="pulse-answers">1<' in client_a.get(
        reverse("pulse:detail", args=[pulse.pk])
    ).content.decode().replace(" ", "")

    client_a.post(reverse("pulse:close", args=[pulse.pk]))

    pulse.refresh_from_db()
    assert pulse.status == "closed"
    assert PulsePublication.objects.filter(pulse=pulse).exists()
    assert answer_from_a_fresh_browser(pulse).status_code == 410


def test_another_organisations_coordinator_sees_nothing(client_b, pulse):
    for name in ("pulse:detail", "pulse:close"):
        assert client_b.get(reverse(name, args=[pulse.pk])).status_code == 404
    assert client_b.post(reverse("pulse:close", args=[pulse.pk])).status_code == 404
    listed = client_b.get(reverse("pulse:list")).content.decode()
    assert reverse("pulse:detail", args=[pulse.pk]) not in listed
    assert Pulse.objects.get().closed_early_on is None


def test_a_version_used_by_a_pulse_is_frozen(pulse):
    statement = pulse.version.statements.first()
    statement.statement_sv = "Ändrat"
    with pytest.raises(ValidationError):
        statement.save()
    with pytest.raises(ValidationError):
        pulse.version.delete()
