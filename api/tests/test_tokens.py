"""API tokens: a coordinator creates one on their page (shown once, stored hashed), reads their
own organisation's round counts with it and nobody else's; staff tokens read every
organisation's; a revoked token gets 401; and no token lifts the anonymity rules."""

import hashlib
import re

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from api.models import ApiToken
from api.tokens import create_token
from assessments.tests.helpers import begin
from results.tests.factories import make_round, submit

pytestmark = pytest.mark.django_db


def bearer(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def created_token(client, name="Vår instrumentpanel"):
    answer = client.post(reverse("api:token_create"), {"name": name})
    assert answer.status_code == 201
    return re.search(r'id="token-value"[^>]*value="([^"]+)"', answer.content.decode())[1]


def test_a_coordinator_creates_a_token_shown_once_and_stored_hashed(client_a):
    answer = client_a.post(reverse("api:token_create"), {"name": "Vår instrumentpanel"})
    assert answer.status_code == 201
    assert "no-store" in answer["Cache-Control"]
    token = re.search(r'id="token-value"[^>]*value="(dl_[^"]+)"', answer.content.decode())[1]
    assert len(token) >= 40
    row = ApiToken.objects.get()
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token.startswith(row.prefix) and len(row.prefix) < 12
    # Nowhere in the database: not in any column of any table.
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 — our own table names
            for values in cursor.fetchall():
                assert not any(token in str(value) for value in values), table
    later = client_a.get(reverse("api:tokens")).content.decode()
    assert token not in later
    assert "Vår instrumentpanel" in later and row.prefix in later


def test_a_bad_name_is_explained_and_creates_nothing(client_a):
    answer = client_a.post(reverse("api:token_create"), {"name": ""})
    assert answer.status_code == 400
    assert 'class="error-box"' in answer.content.decode()
    assert not ApiToken.objects.exists()


def test_the_token_page_is_for_coordinators_and_staff(client, db):
    assert client.get(reverse("api:tokens")).status_code == 302  # to the login
    assert client.post(reverse("api:token_create"), {"name": "x"}).status_code == 302
    assert not ApiToken.objects.exists()


def test_a_token_reads_its_own_organisations_round_counts(client_a, open_round):
    politician = open_round.links.get(target_group__key="politician")
    submit(politician, 2)
    begin(Client(), politician)  # started, not submitted
    token = created_token(client_a)
    answer = Client().get("/api/v1/x_rounds", **bearer(token))
    assert answer.status_code == 200
    assert answer["Cache-Control"] == "private, no-store"
    body = answer.json()
    assert body["count"] == 1
    (row,) = body["values"]
    assert row["municipality"] == "1287"
    assert row["x_status"] == "open" and row["x_published"] is False
    groups = {v["target_group"]: v for v in row["values"]}
    assert groups["politician"]["x_started"] == 3
    assert groups["politician"]["x_submitted"] == 2
    assert groups["politician"]["x_answers_short"] == 3
    # Counts only: nothing that is a result.
    text = answer.content.decode()
    assert '"value"' not in text and "x_ci95" not in text and "mean" not in text


def test_a_coordinators_token_reads_no_other_organisation(client_a, org_b, version, open_round):
    make_round(org_b, version, "Linköpings omgång")
    token = created_token(client_a)
    other = Client().get("/api/v1/x_rounds/municipality/0580", **bearer(token))
    assert other.status_code == 404
    assert "0580" in other.json()["detail"]
    mixed = Client().get("/api/v1/x_rounds/municipality/1287,0580", **bearer(token))
    assert mixed.status_code == 404
    everything = Client().get("/api/v1/x_rounds", **bearer(token)).json()
    assert {row["municipality"] for row in everything["values"]} == {"1287"}
    own = Client().get("/api/v1/x_rounds/municipality/1287", **bearer(token))
    assert own.status_code == 200 and own.json()["count"] == 1


def test_a_staff_token_reads_every_organisations_counts(staff_user, org_a, org_b, version):
    make_round(org_a, version, "Trelleborgs omgång")
    make_round(org_b, version, "Linköpings omgång")
    _row, token = create_token(staff_user, "Programkontorets uppföljning")
    body = Client().get("/api/v1/x_rounds/municipality/1287,0580", **bearer(token)).json()
    assert {row["municipality"] for row in body["values"]} == {"1287", "0580"}


def test_round_counts_need_a_token(db):
    answer = Client().get("/api/v1/x_rounds")
    assert answer.status_code == 401
    assert answer.json()["detail"]
    assert answer["WWW-Authenticate"].startswith("Bearer")


def test_a_revoked_token_gets_401(client_a, open_round):
    token = created_token(client_a)
    assert Client().get("/api/v1/x_rounds", **bearer(token)).status_code == 200
    row = ApiToken.objects.get()
    assert client_a.post(reverse("api:token_revoke", args=[row.pk])).status_code == 302
    assert not ApiToken.objects.exists()
    for path in ("/api/v1/x_rounds", "/api/v1/kpi", "/api/v1/municipality"):
        refused = Client().get(path, **bearer(token))
        assert refused.status_code == 401, path
        assert refused.json()["detail"]


def test_a_made_up_token_gets_401_even_where_anyone_may_read(db):
    for header in ("Bearer dl_nonsense", "Bearer ", "Basic dXNlcjpwYXNz"):
        assert Client().get("/api/v1/kpi", HTTP_AUTHORIZATION=header).status_code == 401
    assert Client().get("/api/v1/kpi").status_code == 200


def test_a_token_of_an_account_that_was_switched_off_gets_401(coordinator_a, open_round):
    _row, token = create_token(coordinator_a, "Panel")
    coordinator_a.is_active = False
    coordinator_a.save()
    assert Client().get("/api/v1/x_rounds", **bearer(token)).status_code == 401


def test_another_coordinator_cannot_revoke_it(client_b, coordinator_a):
    row, token = create_token(coordinator_a, "Panel")
    assert client_b.post(reverse("api:token_revoke", args=[row.pk])).status_code == 404
    assert ApiToken.objects.filter(pk=row.pk).exists()


def test_revoking_takes_a_post(client_a, coordinator_a):
    row, _token = create_token(coordinator_a, "Panel")
    assert client_a.get(reverse("api:token_revoke", args=[row.pk])).status_code == 405
    assert ApiToken.objects.filter(pk=row.pk).exists()


def test_no_token_lifts_suppression(scene, staff_user, coordinator_b):
    """Region Skåne's small cells are suppressed for anyone; the same for a coordinator's and
    for a staff token: the published figures are one and the same answer."""
    year = scene.rounds[scene.linkoping.pk].closed_early_at.year
    url = f"/api/v1/data/municipality/0012,0580,1287,0000/year/{year}?per_page=5000"
    anyone = Client().get(url).json()
    suppressed = [v for row in anyone["values"] for v in row["values"] if v["status"] == ".."]
    assert suppressed  # the scene has suppressed cells to protect
    for user in (staff_user, coordinator_b):
        _row, token = create_token(user, "Panel")
        assert Client().get(url, **bearer(token)).json() == anyone


def test_a_token_holder_is_not_rate_limited_and_a_bad_token_is(settings, coordinator_a, db):
    settings.DIGILYFT_API_RATE_LIMIT = 2
    _row, token = create_token(coordinator_a, "Panel")
    holder = Client(REMOTE_ADDR="192.0.2.10")
    assert {holder.get("/api/v1/kpi", **bearer(token)).status_code for _ in range(4)} == {200}
    guesser = Client(REMOTE_ADDR="192.0.2.11")
    codes = [guesser.get("/api/v1/kpi", **bearer("dl_guess")).status_code for _ in range(3)]
    assert codes == [401, 401, 401]  # the answer to a bad token, even over the limit ...
    assert guesser.get("/api/v1/kpi").status_code == 429  # ... and the guesses were counted


def test_at_most_ten_tokens_each(client_a, coordinator_a):
    for i in range(10):
        create_token(coordinator_a, f"Panel {i}")
    answer = client_a.post(reverse("api:token_create"), {"name": "En till"})
    assert answer.status_code == 400
    assert ApiToken.objects.count() == 10


def test_the_coordinator_home_links_to_the_tokens(client_a):
    body = client_a.get(reverse("assessments:coordinator_home")).content.decode()
    assert reverse("api:tokens") in body


def test_reading_with_a_token_writes_nothing(client_a, coordinator_a, open_round):
    from django.test.utils import CaptureQueriesContext

    _row, token = create_token(coordinator_a, "Panel")
    client_a.get(reverse("api:tokens"))  # the session is written once, at login
    for read in (
        lambda: client_a.get(reverse("api:tokens")),
        lambda: Client().get("/api/v1/x_rounds", **bearer(token)),
        lambda: Client().get("/api/v1/x_rounds", **bearer("dl_wrong")),
    ):
        with CaptureQueriesContext(connection) as queries:
            read()
        writes = [
            q["sql"]
            for q in queries.captured_queries
            if re.match(r"^\s*(INSERT|UPDATE|DELETE)\b", q["sql"], re.I)
            and "limits_cache" not in q["sql"]
        ]
        assert writes == []
