import pytest
from django.urls import reverse

from results.tests.factories import link, make_round, publish, submit

pytestmark = pytest.mark.django_db


def test_the_csv_is_streamed_with_its_licence(client, scene):
    answer = client.get(reverse("api:bulk_csv"))
    assert answer.status_code == 200 and answer.streaming
    assert answer["Content-Type"].startswith("text/csv")
    assert 'rel="license"' in answer["Link"] and "by/4.0" in answer["Link"]
    header = b"".join(answer.streaming_content).decode().splitlines()[0]
    assert header.startswith("kpi,municipality,period,gender,status,value,count,x_n")


def test_the_licence_is_a_setting(client, scene, settings):
    settings.DIGILYFT_OPEN_DATA_LICENCE = "CC0-1.0"
    answer = client.get(reverse("api:bulk_json"))
    assert "zero" in answer["Link"] and 'datapackage.json>; rel="describedby"' in answer["Link"]
    descriptor = client.get(reverse("api:bulk_datapackage")).json()
    (licence,) = descriptor["licenses"]
    assert licence["name"] == "CC0-1.0" and "zero" in licence["path"]
    assert all(r["licenses"] == [licence] for r in descriptor["resources"])


def test_a_client_that_has_the_latest_file_gets_304(client, scene):
    first = client.get(reverse("api:bulk_csv"))
    etag, modified = first["ETag"], first["Last-Modified"]
    assert client.get(reverse("api:bulk_csv"), HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get(reverse("api:bulk_json"), HTTP_IF_MODIFIED_SINCE=modified).status_code == 304


def test_a_new_publication_changes_the_etag(client, scene, org_a, version):
    etag = client.get(reverse("api:bulk_csv"))["ETag"]
    later = make_round(org_a, version, "Uppföljning")
    submit(link(later, "official"), 5)
    publish(later)
    answer = client.get(reverse("api:bulk_csv"), HTTP_IF_NONE_MATCH=etag)
    assert answer.status_code == 200 and answer["ETag"] != etag


def test_the_bulk_file_is_read_in_constant_memory(client, scene, django_assert_max_num_queries):
    # The rows come from one streamed query, not from a list held in memory.
    answer = client.get(reverse("api:bulk_csv"))
    with django_assert_max_num_queries(3):
        lines = sum(1 for _ in answer.streaming_content)
    assert lines > 300
