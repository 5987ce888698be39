"""Schemathesis on the round counts with a real token: every answer matches its schema, and
the same request without the token, or with a made-up one, is refused (schemathesis's own
check that the declared authentication is enforced)."""

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from api.tokens import create_token
from api.v1 import api
from results.tests.factories import make_round

from .test_openapi_conformance import unthrottled  # noqa: F401 — the fixture

schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/v1"))
schema.app = get_wsgi_application()


@pytest.fixture
def staff_token(staff_user, org_a, org_b, version):
    make_round(org_a, version, "Trelleborgs omgång")
    make_round(org_b, version, "Linköpings omgång")
    return create_token(staff_user, "Schemathesis")[1]


def test_the_round_counts_need_their_token():
    for path, operations in schema.raw_schema["paths"].items():
        for operation in operations.values():
            if "/x_rounds" in path:
                assert operation["security"] == [{"ApiTokenAuth": []}]
            else:
                assert {} in operation["security"]


@pytest.mark.django_db
@schema.include(path_regex="x_rounds").parametrize()
@hypothesis_settings(
    max_examples=6, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck)
)
def test_the_round_counts_keep_to_their_description(case, staff_token, unthrottled):  # noqa: F811
    # The real token is sent with every case, so a negative case whose only fault is a missing
    # Authorization header is a valid request here: the token's refusal is tested without it
    # (test_the_round_counts_need_their_token, test_tokens.py), not by this check.
    response = case.call_and_validate(
        headers={"Authorization": f"Bearer {staff_token}"},
        excluded_checks=[schemathesis.checks.negative_data_rejection],
    )
    assert response.status_code < 500
    if response.status_code >= 400:
        assert response.json()["detail"]
