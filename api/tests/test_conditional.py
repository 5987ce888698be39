"""The JSON endpoints carry an ETag and Last-Modified keyed by the latest publication, as the
bulk files do: a client that has the current answer gets 304 and no body."""

import pytest
from django.test import Client

from results.tests.factories import link, make_round, publish, submit

pytestmark = pytest.mark.django_db

ENDPOINTS = [
    "/api/v1/kpi",
    "/api/v1/municipality",
    "/api/v1/municipality_groups",
    "/api/v1/data/municipality/1287/year/{year}",
]


def year(scene):
    return scene.rounds[scene.trelleborg.pk].closed_early_at.year


@pytest.mark.parametrize("path", ENDPOINTS)
def test_a_client_with_the_current_answer_gets_304(client, scene, path):
    url = path.format(year=year(scene))
    first = client.get(url)
    assert first.status_code == 200
    assert first.json()["count"] > 0
    assert first["ETag"].startswith('"pub-')
    assert first["Last-Modified"]
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]
    since = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304


def test_a_stale_etag_gets_the_whole_answer(client, scene):
    answer = client.get("/api/v1/kpi", HTTP_IF_NONE_MATCH='"pub-0.0.0-sv"')
    assert answer.status_code == 200
    assert answer.json()["count"] > 0


def test_a_new_publication_changes_the_etag(client, scene, org_a, version):
    etag = client.get("/api/v1/municipality")["ETag"]
    later = make_round(org_a, version, "Uppföljning", kind="follow_up")
    submit(link(later, "official"), 5, value=4)
    publish(later)
    answer = client.get("/api/v1/municipality", HTTP_IF_NONE_MATCH=etag)
    assert answer.status_code == 200
    assert answer["ETag"] != etag


def test_the_etag_differs_by_language(scene):
    swedish = Client().get("/api/v1/kpi")
    reader = Client()
    reader.cookies["django_language"] = "en"
    english = reader.get("/api/v1/kpi")
    assert swedish["ETag"] != english["ETag"]
    assert "Cookie" in english["Vary"]
    # A Swedish copy is not "not modified" for an English reader.
    assert reader.get("/api/v1/kpi", HTTP_IF_NONE_MATCH=swedish["ETag"]).status_code == 200


def test_a_bad_request_is_never_304(client, scene):
    etag = client.get("/api/v1/kpi")["ETag"]
    answer = client.get("/api/v1/data/kpi/nonsense/year/2026", HTTP_IF_NONE_MATCH=etag)
    assert answer.status_code == 400


def test_a_304_is_cheap(client, scene, settings, django_assert_max_num_queries):
    settings.DIGILYFT_API_RATE_LIMIT = 0  # its counter is in the database cache: not counted here
    etag = client.get("/api/v1/municipality")["ETag"]
    with django_assert_max_num_queries(2):
        assert client.get("/api/v1/municipality", HTTP_IF_NONE_MATCH=etag).status_code == 304
