"""N+1 guards: the number of queries of the results page, the national dashboard and the
selection does not grow with the number of organisations, rounds or goals shown."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import make_org

from .factories import link, make_round, publish, submit

pytestmark = pytest.mark.django_db


def published_organisations(version, count, start=0):
    rounds = []
    for i in range(start, start + count):
        org = make_org(f"9{i:03d}", f"Testkommun {i}", county_code=f"{10 + i % 3}")
        round_ = make_round(org, version, name=f"Omgång {i}")
        submit(link(round_, "politician"), 5, value=lambda j, item: 1 + (j + item.pk) % 5)
        submit(link(round_, "official"), 6, value=lambda j, item: 1 + (j * 2 + item.pk) % 5)
        rounds.append(publish(round_))
    return rounds


def queries(client, url, **params):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "url_of",
    [
        lambda rounds: reverse("results:round_results", args=[rounds[0].pk]),
        lambda rounds: reverse("results:national"),
        lambda rounds: reverse("programme:selection"),
        lambda rounds: reverse("programme:report"),
    ],
    ids=["results page", "national dashboard", "selection", "report"],
)
def test_queries_do_not_grow_with_the_organisations_shown(staff_client, version, url_of):
    rounds = published_organisations(version, 2)
    earlier = make_round(rounds[0].organisation, version, name="Före", days_ago=400)
    submit(link(earlier, "official"), 5)
    publish(earlier)
    url = url_of(rounds)
    queries(staff_client, url)  # warm the session and caches
    few = queries(staff_client, url)
    published_organisations(version, 4, start=2)
    assert queries(staff_client, url) == few
