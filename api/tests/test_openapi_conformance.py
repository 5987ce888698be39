"""Schemathesis against the generated OpenAPI description: no 5xx, every response matches its
schema, and parameters the description rules out get a 4xx with a message."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from api.v1 import api

MAX_EXAMPLES = 8  # per operation: enough to reach every branch, small enough to be quick


# The description as the code generates it (no database needed); requests go to Django's
# WSGI handler in-process.
schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/v1"))
schema.app = get_wsgi_application()


@pytest.fixture
def unthrottled(settings):
    """No rate limit, and the test's database connection kept open across requests, as
    Django's own test client does (the WSGI handler would close it after each request)."""
    settings.DIGILYFT_API_RATE_LIMIT = 0
    settings.ALLOWED_HOSTS = ["*"]
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@hypothesis_settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,  # the same examples in every run, so CI proves what a developer saw
    suppress_health_check=list(HealthCheck),
)
def test_the_api_keeps_to_its_description(case, scene, unthrottled):
    response = case.call_and_validate()
    assert response.status_code < 500
    if response.status_code >= 400:
        assert response.json()["detail"]
