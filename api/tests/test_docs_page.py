import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def test_the_docs_page_has_copyable_curl_examples(client, scene):
    page = client.get("/api/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "<pre><code>curl &#x27;http://testserver/api/v1/kpi&#x27;</code></pre>" in text
    assert "/api/v1/openapi.json" in text and "CC-BY-4.0" in text
    # The examples name ids that exist in this installation.
    assert f"DL{scene.version.pk}G" in text


def test_the_docs_page_speaks_english_when_chosen(client, scene):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/api/")
    assert page["Content-Language"] == "en"
    assert "Open data and API" in page.content.decode()
