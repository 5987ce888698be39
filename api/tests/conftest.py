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
