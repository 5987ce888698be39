from datetime import timedelta

import pytest
from django.utils import timezone

from pulse.pulses import start_pulse


@pytest.fixture(autouse=True)
def _no_minimum_time(settings):
    """Tests send the form at once; test_answering.py sets the minimum where it tests it."""
    settings.DIGILYFT_PULSE_MIN_SECONDS = 0


@pytest.fixture
def pulse(org_a):
    today = timezone.localdate()
    return start_pulse(
        organisation=org_a,
        user=None,
        opens_on=today - timedelta(days=1),
        closes_on=today + timedelta(days=20),
    )
