import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_an_address_over_the_limit_gets_429_with_retry_after(scene, settings):
    settings.DIGILYFT_API_RATE_LIMIT = 3
    settings.DIGILYFT_API_RATE_WINDOW = 60
    one, other = Client(REMOTE_ADDR="192.0.2.1"), Client(REMOTE_ADDR="192.0.2.2")
    assert [one.get("/api/v1/kpi").status_code for _ in range(3)] == [200, 200, 200]
    refused = one.get("/api/v1/kpi")
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refused.json()["detail"]
    assert other.get("/api/v1/kpi").status_code == 200  # per address
    assert one.get("/api/").status_code == 200  # the docs page is not limited


def test_behind_a_proxy_the_configured_header_names_the_client(scene, settings):
    settings.DIGILYFT_API_RATE_LIMIT = 1
    settings.DIGILYFT_API_CLIENT_ADDRESS_HEADER = "HTTP_X_REAL_IP"
    proxy = Client(REMOTE_ADDR="10.0.0.1")
    assert proxy.get("/api/v1/kpi", HTTP_X_REAL_IP="192.0.2.7").status_code == 200
    assert proxy.get("/api/v1/kpi", HTTP_X_REAL_IP="192.0.2.8").status_code == 200
    assert proxy.get("/api/v1/kpi", HTTP_X_REAL_IP="192.0.2.7").status_code == 429


def test_responses_are_cached_until_the_next_publication(client, scene, django_assert_num_queries):
    client.get("/api/v1/municipality")
    with django_assert_num_queries(1):  # the publication fingerprint, nothing else
        again = client.get("/api/v1/municipality")
    assert again.status_code == 200 and again.json()["count"] == 5
