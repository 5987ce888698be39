"""The pulse's pages read as Swedish (the default language), with the checks of
core/tests/test_swedish_text.py."""

import pytest
from django.test import Client
from django.urls import reverse

from core.tests.test_swedish_text import assert_swedish
from pulse.pulses import close_early

from .helpers import answer_from_a_fresh_browser, answer_url

pytestmark = pytest.mark.django_db


def test_the_pulse_pages_read_as_swedish(client_a, pulse):
    for url in (
        reverse("pulse:list"),
        reverse("pulse:create"),
        reverse("pulse:detail", args=[pulse.pk]),
        reverse("pulse:close", args=[pulse.pk]),
        reverse("pulse:results", args=[pulse.pk]),
    ):
        assert_swedish(client_a, url)
    assert_swedish(Client(), answer_url(pulse))
    for gender in ("woman", "man"):
        for _ in range(6):
            answer_from_a_fresh_browser(pulse, "4", gender=gender, age_band="45-64")
    close_early(pulse)
    assert_swedish(Client(), reverse("pulse:results", args=[pulse.pk]))
