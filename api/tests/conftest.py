"""A small published national picture for the API tests, and a clean cache for each test
(cached responses and rate-limit counters live in the cache)."""

from dataclasses import dataclass

import pytest
from django.core.cache import cache

from conftest import make_org
from results.tests.factories import link, make_round, publish, submit


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield
    cache.clear()


def varied(i, item):
    return 1 + (i * 7 + item.pk) % 5


@dataclass
class Scene:
    version: object
    trelleborg: object
    malmo: object
    linkoping: object
    skane: object
    rounds: dict


@pytest.fixture
def scene(version, org_a, org_b):
    """Trelleborg (Skåne, B3) and Malmö (Skåne, A1) pass; Linköping (Östergötland) has five
    submissions of which only one rated the first goal area; Region Skåne has three."""
    malmo = make_org("1280", "Malmö stad", kg="A1")
    skane = make_org("12", "Region Skåne", kind="region")
    rounds = {}
    trelleborg = make_round(org_a, version, "Baslinje")
    submit(link(trelleborg, "politician"), 5, value=varied, gender="woman")
    submit(link(trelleborg, "official"), 6, value=varied, gender="man")
    submit(link(trelleborg, "key_person"), 2, value=4, gender="woman")
    rounds[org_a.pk] = publish(trelleborg)
    malmo_round = make_round(malmo, version, "Baslinje", kind="follow_up")
    submit(link(malmo_round, "official"), 4, value=2, gender="woman")
    submit(link(malmo_round, "official"), 4, value=varied, gender="man")
    submit(link(malmo_round, "politician"), 5, value=5, gender="man")
    rounds[malmo.pk] = publish(malmo_round)
    linkoping = make_round(org_b, version, "Baslinje")
    first_area = version.goal_areas.order_by("order").first()
    submit(link(linkoping, "official"), 1, value=5)
    submit(
        link(linkoping, "official"),
        4,
        value=lambda i, item: None if item.goal.area_id == first_area.pk else 4,
    )
    rounds[org_b.pk] = publish(linkoping)
    region = make_round(skane, version, "Baslinje")
    submit(link(region, "official"), 3, value=3)
    rounds[skane.pk] = publish(region)
    return Scene(version, org_a, malmo, org_b, skane, rounds)


from core.tests.browser import browser, language, new_context  # noqa: E402, F401 — browser fixtures


@dataclass
class PulseScene:
    """Published resident pulses beside the rounds of ``scene``."""

    trelleborg: object  # women and men both shown
    malmo: object  # shown in total only: a lone man hides both genders
    linkoping: object  # four answers: nothing shown
    year: int


def answer_pulse(pulse, count, value, gender="", age_band=""):
    """``count`` residents' answers, every statement ``value`` (or ``value(i, statement)``),
    stored as the answer page stores them."""
    from pulse.pulses import store_answers

    statements = list(pulse.version.statements.all())
    for i in range(count):
        values = {s.pk: value(i, s) if callable(value) else value for s in statements}
        store_answers(pulse, values, age_band, gender)


def open_pulse(organisation):
    from datetime import timedelta

    from django.utils import timezone

    from pulse.pulses import start_pulse

    today = timezone.localdate()
    return start_pulse(
        organisation=organisation,
        user=None,
        opens_on=today - timedelta(days=10),
        closes_on=today + timedelta(days=10),
    )


@pytest.fixture
def pulse_scene(scene):
    from django.utils import timezone

    from pulse.pulses import close_early

    trelleborg = open_pulse(scene.trelleborg)
    answer_pulse(trelleborg, 6, lambda i, s: 1 + (i + s.pk) % 5, gender="woman")
    answer_pulse(trelleborg, 7, lambda i, s: 2 + (i * 3 + s.pk) % 4, gender="man")
    answer_pulse(trelleborg, 5, 4)  # no gender given: in T only (and enough to keep K and M)
    malmo = open_pulse(scene.malmo)
    answer_pulse(malmo, 6, lambda i, s: 2 + (i + s.pk) % 3, gender="woman")
    answer_pulse(malmo, 1, 5, gender="man")
    linkoping = open_pulse(scene.linkoping)
    answer_pulse(linkoping, 4, 4, gender="woman")
    for pulse in (trelleborg, malmo, linkoping):
        close_early(pulse)
    return PulseScene(trelleborg, malmo, linkoping, timezone.localdate().year)
