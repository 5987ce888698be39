"""No GET request writes anything: published results are read, never rebuilt on read, and
the office's pages show defaults without storing them."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from results.tests.factories import link, make_round, publish, submit

pytestmark = pytest.mark.django_db

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)


def test_reading_every_staff_and_coordinator_page_writes_nothing(
    client, staff_user, coordinator_a, org_a, version
):
    published = make_round(org_a, version, name="Publicerad", days_ago=60)
    submit(link(published, "official"), 6)
    publish(published)
    open_round = make_round(org_a, version, name="Öppen")
    submit(link(open_round, "official"), 6)
    pages = {
        staff_user: [
            reverse("results:national"),
            reverse("results:round_results", args=[published.pk]),
            reverse("results:round_results", args=[open_round.pk]),
            reverse("results:round_xlsx", args=[published.pk]),
            reverse("programme:overview"),
            reverse("programme:budget"),
            reverse("programme:reach"),
            reverse("programme:partners"),
            reverse("programme:selection"),
            reverse("programme:report"),
            reverse("programme:audit"),
            reverse("programme:republish", args=[published.pk]),
        ],
        coordinator_a: [
            reverse("assessments:coordinator_home"),
            reverse("assessments:round_detail", args=[published.pk]),
            reverse("results:round_results", args=[published.pk]),
            reverse("results:round_results", args=[open_round.pk]),
        ],
    }
    for user, urls in pages.items():
        client.force_login(user)
        client.get(urls[0])  # the session is written once, at login
        for url in urls:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200, url
            writes = [
                q["sql"]
                for q in captured.captured_queries
                if WRITE.match(q["sql"]) and "django_session" not in q["sql"]
            ]
            assert writes == [], (url, writes)
