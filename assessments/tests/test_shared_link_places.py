"""A shared link with a number of places lets exactly that many begin, however many press
Start at once, and never refuses the submit of one it let in (issue 23)."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from assessments.models import Response

from .helpers import answer_everything

pytestmark = pytest.mark.django_db(transaction=True)

PLACES = 5
BROWSERS = 24


def _begin(link):
    """One browser presses Start; returns (the browser, the answer's status)."""
    browser = Client()
    try:
        status = browser.post(reverse("assessments:respond_begin", args=[link.token])).status_code
    finally:
        connection.close()  # this thread's own connection
    return browser, status


def test_many_begins_at_once_let_in_exactly_the_places_and_every_one_submits(
    settings, politician_link
):
    if connection.vendor != "postgresql":
        # The SQLite test database lives in memory with a shared cache, whose table locks
        # answer "locked" at once instead of waiting: not the file a server runs on.
        pytest.skip("concurrent writers are tried on PostgreSQL, the production engine")
    settings.DIGILYFT_OPEN_STARTS_PER_HOUR = BROWSERS  # one test client address for all
    politician_link.invited_count = PLACES
    politician_link.save()
    with ThreadPoolExecutor(max_workers=12) as pool:
        began = list(pool.map(lambda _n: _begin(politician_link), range(BROWSERS)))
    let_in = [browser for browser, status in began if status == 302]
    assert sorted(status for _b, status in began) == [302] * PLACES + [403] * (BROWSERS - PLACES)
    assert Response.objects.count() == PLACES
    assert [answer_everything(b, politician_link).status_code for b in let_in] == [200] * PLACES
    assert Response.objects.filter(submitted_on__isnull=False).count() == PLACES
    politician_link.refresh_from_db()
    assert politician_link.shared_begins == PLACES


def test_a_place_is_kept_while_answering_and_nothing_stored_says_which_draft_holds_it(
    client, politician_link
):
    politician_link.invited_count = 1
    politician_link.save()
    begin_url = reverse("assessments:respond_begin", args=[politician_link.token])
    assert client.post(begin_url).status_code == 302
    # A second browser finds no place while the first is answering.
    assert _begin(politician_link)[1] == 403
    assert Response.objects.count() == 1
    stored = {f.name for f in Response._meta.concrete_fields}
    assert stored == {"id", "link", "round", "secret", "gender", "started_on", "submitted_on",
                      "record_key"}  # fmt: skip
    assert answer_everything(client, politician_link).status_code == 200
    politician_link.refresh_from_db()
    assert politician_link.shared_begins == 1
    assert Response.objects.get().is_submitted
