"""Response headers: a Content-Security-Policy without inline scripts, Permissions-Policy,
no-store on a person's own pages, HEAD wherever GET works, and X-Forwarded-Proto believed
only when a proxy is configured."""

import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _policy(response) -> dict:
    return {
        part.split()[0]: part.split()[1:]
        for part in response["Content-Security-Policy"].split(";")
        if part.strip()
    }


def test_every_page_has_a_policy_without_inline_scripts(client):
    policy = _policy(client.get("/"))
    assert policy["default-src"] == ["'self'"]
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    assert "'unsafe-inline'" not in policy["style-src"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]


def test_an_inline_script_carries_the_nonce_the_header_names(client, politician_link):
    begin = client.post(reverse("assessments:respond_begin", args=[politician_link.token]))
    response = client.get(begin["Location"])
    nonces = [s for s in _policy(response)["script-src"] if s.startswith("'nonce-")]
    assert len(nonces) == 1
    nonce = nonces[0][len("'nonce-") : -1]
    page = response.content.decode()
    assert f'<script nonce="{nonce}">' in page
    assert "<script>" not in page


def test_permissions_policy_turns_off_features_no_page_uses(client):
    policy = client.get("/")["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in policy


def test_a_respondents_pages_are_never_stored(client, politician_link):
    start = client.get(reverse("assessments:respond_start", args=[politician_link.token]))
    assert "no-store" in start["Cache-Control"]
    begin = client.post(reverse("assessments:respond_begin", args=[politician_link.token]))
    page = client.get(begin["Location"])
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    assert "private" in page["Cache-Control"]
    # Public pages may be cached as usual.
    assert "no-store" not in client.get("/").get("Cache-Control", "")


@pytest.mark.parametrize("name", ["core:home", "core:healthz", "core:privacy", "login"])
def test_head_is_answered_where_get_is(client, name):
    get, head = client.get(reverse(name)), client.head(reverse(name))
    assert head.status_code == get.status_code == 200
    assert head.content == b""


def test_head_works_on_the_open_data_api(client):
    get, head = client.get("/api/v1/kpi"), client.head("/api/v1/kpi")
    assert get.status_code == head.status_code == 200
    assert head.content == b"" and int(head["Content-Length"]) == len(get.content)
    assert client.post("/api/v1/kpi").status_code == 405


def test_head_works_on_a_respondent_page(client, politician_link):
    url = reverse("assessments:respond_start", args=[politician_link.token])
    assert client.head(url).status_code == 200


def test_the_forwarded_protocol_is_not_believed_without_a_proxy(client, settings):
    assert django_settings.SECURE_PROXY_SSL_HEADER is None
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/", HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 301 and response["Location"].startswith("https://")


def _proxy_header(**env) -> str:
    script = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.SECURE_PROXY_SSL_HEADER)"
    )
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in ("TRUST_X_FORWARDED_PROTO", "DIGILYFT_TRUSTED_PROXY_COUNT")
    }
    run = subprocess.run(
        [sys.executable, "-c", script],
        env={**base, "DJANGO_SETTINGS_MODULE": "digilyft.settings", **env},
        capture_output=True,
        text=True,
    )
    return run.stdout.strip()


def test_the_forwarded_protocol_is_believed_when_a_proxy_is_configured():
    assert _proxy_header() == "None"
    assert _proxy_header(TRUST_X_FORWARDED_PROTO="true") == "('HTTP_X_FORWARDED_PROTO', 'https')"
    assert _proxy_header(DIGILYFT_TRUSTED_PROXY_COUNT="1") == "('HTTP_X_FORWARDED_PROTO', 'https')"
