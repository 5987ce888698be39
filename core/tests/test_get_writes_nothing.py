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
            reverse("programme:pulse") + "?period=all",
            reverse("programme:pulse_xlsx"),
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


def test_reading_the_loop_effect_and_webinar_follow_up_pages_writes_nothing(
    client, staff_user, org_a
):
    from learning.workshops import hash_code
    from webinars.models import EvaluationCode, Registration
    from webinars.tests.factories import make_session

    session = make_session(
        hours_ahead=-3, recording_link="https://video.example/r", caption_status="automatic"
    )
    session.series.certificate_min_minutes = 10
    session.series.save()
    session.evaluation_closes_on = session.starts_at.date().replace(year=2100)
    session.save()
    EvaluationCode.objects.create(session=session, token_hash=hash_code("ABCD-EFGH"))
    registration = Registration.objects.create(
        session=session,
        name="Kim",
        email="kim@example.org",
        organisation=org_a,
        target_group="official",
        status="confirmed",
        attended=True,
        attended_minutes=50,
    )
    client.force_login(staff_user)
    urls = [
        reverse("programme:overview"),
        reverse("programme:loop"),
        reverse("programme:loop") + "?county=12",
        reverse("plans:effect"),
        reverse("plans:list"),
        reverse("webinars:office_sessions"),
        reverse("webinars:office_attendance", args=[session.pk]),
        reverse("webinars:recording", args=[session.pk]),
        reverse("webinars:evaluate", args=["ABCD-EFGH"]),
        reverse("webinars:registration", args=[registration.token]),
        reverse("webinars:certificate", args=[registration.token]),
    ]
    client.get(urls[0])
    for url in urls:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200, url
        writes = [
            q["sql"]
            for q in captured.captured_queries
            if WRITE.match(q["sql"]) and "django_session" not in q["sql"]
        ]
        assert writes == [], (url, writes)
