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


def test_behind_a_proxy_the_client_is_what_the_proxy_appended(scene, settings):
    """The one rule of lib.clientip: the right-most X-Forwarded-For entry a trusted proxy
    added, never the first (which the client writes itself)."""
    settings.DIGILYFT_API_RATE_LIMIT = 1
    settings.DIGILYFT_TRUSTED_PROXY_COUNT = 1
    proxy = Client(REMOTE_ADDR="10.0.0.1")
    assert proxy.get("/api/v1/kpi", HTTP_X_FORWARDED_FOR="192.0.2.7").status_code == 200
    assert proxy.get("/api/v1/kpi", HTTP_X_FORWARDED_FOR="192.0.2.8").status_code == 200
    forged = proxy.get("/api/v1/kpi", HTTP_X_FORWARDED_FOR="198.51.100.1, 192.0.2.7")
    assert forged.status_code == 429


def test_the_limit_is_counted_in_the_shared_limits_cache(scene, settings):
    """Not in a process's local memory: every worker and server counts in one place."""
    settings.DIGILYFT_API_RATE_LIMIT = 2
    from django.core.cache import caches

    one = Client(REMOTE_ADDR="192.0.2.1")
    assert one.get("/api/v1/kpi").status_code == 200
    caches["limits"].clear()  # what another process counted is forgotten with it
    assert [one.get("/api/v1/kpi").status_code for _ in range(3)] == [200, 200, 429]


def test_a_bad_token_gets_401_even_over_the_limit(scene, settings):
    settings.DIGILYFT_API_RATE_LIMIT = 1
    one = Client(REMOTE_ADDR="192.0.2.1")
    assert one.get("/api/v1/kpi").status_code == 200
    assert one.get("/api/v1/kpi").status_code == 429
    for header in ("Bearer dl_unknown", "Bearer", "Basic dXNlcjpwdw=="):
        refused = one.get("/api/v1/kpi", HTTP_AUTHORIZATION=header)
        assert refused.status_code == 401
        assert refused["WWW-Authenticate"].startswith("Bearer")


def test_the_round_counts_without_a_token_get_401_not_429(scene, settings):
    settings.DIGILYFT_API_RATE_LIMIT = 1
    one = Client(REMOTE_ADDR="192.0.2.1")
    assert one.get("/api/v1/kpi").status_code == 200
    assert one.get("/api/v1/kpi").status_code == 429
    assert one.get("/api/v1/x_rounds").status_code == 401
    assert one.get("/api/v1/x_rounds/municipality/0180").status_code == 401


def test_responses_are_cached_until_the_next_publication(
    client, scene, settings, django_assert_num_queries
):
    settings.DIGILYFT_API_RATE_LIMIT = 0  # its counter is in the database cache: not counted here
    client.get("/api/v1/municipality")
    with django_assert_num_queries(1):  # the publication fingerprint, nothing else
        again = client.get("/api/v1/municipality")
    assert again.status_code == 200 and again.json()["count"] == 5
