"""Issue 10, "No key to a person", carried out as a user would through the respondent link.

Once a response is submitted nothing links it to a device: the secret is gone from the
database, the cookie from the browser, and the respondent's own summary was shown once, as
the answer to the submitting POST. Whoever uses the device next sees none of it.
"""

import datetime
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments import views_respond
from assessments.models import Answer, Response
from assessments.questionnaire import build_pages, submit
from assessments.signals import response_submitted

from .helpers import answer_everything, answer_page, begin, page_url

SCORES = 'id="own-scores"'


def cookie_name(link):
    return f"digilyft_r{link.pk}"


def holds_key(client, link) -> bool:
    cookie = client.cookies.get(cookie_name(link))
    return cookie is not None and cookie.value != ""


def urls(link):
    token = link.token
    return {
        "start": reverse("assessments:respond_start", args=[token]),
        "begin": reverse("assessments:respond_begin", args=[token]),
        "restart": reverse("assessments:respond_restart", args=[token]),
        "review": reverse("assessments:respond_review", args=[token]),
        "thanks": reverse("assessments:respond_thanks", args=[token]),
    }


def checked_radios(body: str) -> int:
    return body.count(" checked>") + body.count(' checked="checked"')


# --- (a) A shared device after submitting ---------------------------------------------------


def test_the_next_person_on_a_device_sees_nothing_of_a_submitted_response(client, politician_link):
    url = urls(politician_link)
    begin(client, politician_link)
    submitted = answer_everything(client, politician_link, value="5")
    assert SCORES in submitted.content.decode()  # person 1 saw their summary, once
    assert submitted.cookies[cookie_name(politician_link)]["max-age"] == 0
    assert not holds_key(client, politician_link)

    # Person 2 opens the same link in the same browser, and every address they can find.
    start = client.get(url["start"])
    assert start.status_code == 200
    assert 'id="draft-found"' not in start.content.decode()
    for address in (url["start"], url["thanks"], url["review"], page_url(politician_link, 1)):
        body = client.get(address, follow=True).content.decode()
        assert SCORES not in body, address
        assert "5,0" not in body and "5.0" not in body, address
        assert checked_radios(body) == 0, address
    assert not holds_key(client, politician_link)

    # Starting gives person 2 a response of their own, empty.
    begin(client, politician_link)
    assert Response.objects.count() == 2
    fresh = Response.objects.get(submitted_on__isnull=True)
    assert not fresh.answers.exists()
    assert checked_radios(client.get(page_url(politician_link, 1)).content.decode()) == 0


def test_a_cookie_that_still_holds_the_old_secret_opens_nothing(client, politician_link):
    begin(client, politician_link)
    old_cookie = client.cookies[cookie_name(politician_link)].value
    answer_everything(client, politician_link, value="5")
    # A browser that kept the cookie anyway (restored from a backup, copied by hand).
    client.cookies[cookie_name(politician_link)] = old_cookie
    start = client.get(urls(politician_link)["start"])
    assert start.status_code == 200
    assert 'id="draft-found"' not in start.content.decode()
    assert start.cookies[cookie_name(politician_link)]["max-age"] == 0
    assert client.get(page_url(politician_link, 1)).status_code == 403


# --- (b) A shared device with a saved draft -------------------------------------------------


def test_not_you_starts_an_empty_response_and_leaves_the_draft_alone(client, politician_link):
    url = urls(politician_link)
    draft = begin(client, politician_link)
    answer_page(client, politician_link, 1, value="2", action="later")
    before = sorted(Answer.objects.filter(response=draft).values_list("item_id", "value"))
    assert before

    # Person 2 finds the draft offered, not shown.
    start = client.get(url["start"])
    body = start.content.decode()
    assert start.status_code == 200
    assert 'id="continue-draft"' in body and 'id="start-new"' in body
    assert 'type="radio"' not in body and checked_radios(body) == 0

    chosen = client.post(url["restart"])
    assert chosen.status_code == 302
    assert chosen["Location"] == page_url(politician_link, 1)
    fresh = Response.objects.exclude(pk=draft.pk).get()
    page_1 = client.get(page_url(politician_link, 1)).content.decode()
    assert checked_radios(page_1) == 0

    # Whatever person 2 does goes to their own response; person 1's draft is untouched.
    answer_page(client, politician_link, 1, value="5")
    client.post(page_url(politician_link, len(build_pages(politician_link))), {"gender": "man"})
    assert set(fresh.answers.values_list("value", flat=True)) == {5}
    after = sorted(Answer.objects.filter(response=draft).values_list("item_id", "value"))
    assert after == before
    draft.refresh_from_db()
    assert draft.gender == "" and not draft.is_submitted and draft.secret is not None
    # And the start page no longer offers person 1's draft, only person 2's own.
    assert client.post(url["begin"])["Location"] == page_url(politician_link, 2)


def test_continue_goes_on_with_the_draft(client, politician_link):
    draft = begin(client, politician_link)
    answer_page(client, politician_link, 1, value="2", action="later")
    result = client.post(urls(politician_link)["begin"])
    assert result["Location"] == page_url(politician_link, 2)
    assert Response.objects.get() == draft
    assert 'value="2" checked' in client.get(page_url(politician_link, 1)).content.decode()


# --- (c) A replayed or double-clicked submit ------------------------------------------------


def test_a_replayed_submit_stores_one_response_and_shows_only_thanks(client, politician_link):
    url = urls(politician_link)
    begin(client, politician_link)
    old_cookie = client.cookies[cookie_name(politician_link)].value
    answer_everything(client, politician_link, value="5")
    submitted_on = Response.objects.get().submitted_on

    with_old_cookie = Client()
    with_old_cookie.cookies[cookie_name(politician_link)] = old_cookie
    for replayer in (client, with_old_cookie, Client()):
        replay = replayer.post(url["review"])
        assert replay.status_code == 200
        body = replay.content.decode()
        assert 'id="thanks"' in body
        assert SCORES not in body and 'role="alert"' not in body
        assert not holds_key(replayer, politician_link)
    assert Response.objects.count() == 1
    assert Response.objects.get().submitted_on == submitted_on
    assert Response.objects.get().secret is None


def test_two_simultaneous_submits_store_one_and_the_loser_sees_only_thanks(
    client, politician_link, monkeypatch
):
    begin(client, politician_link)
    answer_page(client, politician_link, 1, value="5")
    # Both requests read the draft before either wrote: the loser holds this stale copy.
    stale = Response.objects.get()
    sent = []

    def count(**kwargs):
        sent.append(kwargs["round_id"])

    response_submitted.connect(count)
    try:
        winner = client.post(urls(politician_link)["review"])
        assert SCORES in winner.content.decode()
        assert submit(stale) is False
        monkeypatch.setattr(views_respond, "_current_response", lambda request, link: stale)
        loser = client.post(urls(politician_link)["review"])
    finally:
        response_submitted.disconnect(count)
    assert loser.status_code == 200
    assert 'id="thanks"' in loser.content.decode() and SCORES not in loser.content.decode()
    assert sent == [politician_link.round_id]
    assert Response.objects.filter(submitted_on__isnull=False).count() == 1


# --- (d) What the database keeps ------------------------------------------------------------


def test_submitting_removes_the_secret_in_the_same_update(client, politician_link):
    begin(client, politician_link)
    answer_page(client, politician_link, 1)
    with CaptureQueriesContext(connection) as queries:
        client.post(urls(politician_link)["review"])
    updates = [q["sql"] for q in queries if q["sql"].startswith('UPDATE "assessments_response"')]
    assert len(updates) == 1
    assert '"submitted_on"' in updates[0] and '"secret"' in updates[0]
    with connection.cursor() as cursor:
        cursor.execute("SELECT secret FROM assessments_response WHERE submitted_on IS NOT NULL")
        assert cursor.fetchall() == [(None,)]


def test_no_time_of_day_is_stored_on_responses_or_answers(client, politician_link):
    begin(client, politician_link)
    answer_everything(client, politician_link)
    begin(Client(), politician_link)  # and a draft
    for model in (Response, Answer):
        table = model._meta.db_table
        with connection.cursor() as cursor:
            description = connection.introspection.get_table_description(cursor, table)
            kinds = {
                column.name: connection.introspection.get_field_type(column.type_code, column)
                for column in description
            }
            assert not {"DateTimeField", "TimeField"} & set(kinds.values()), (table, kinds)
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 (a model's own table)
            rows = cursor.fetchall()
        assert rows
        for row in rows:
            for value in row:
                assert not isinstance(value, (datetime.datetime, datetime.time)), (table, row)
                if isinstance(value, str):
                    assert not _looks_like_a_time(value), (table, row)


def _looks_like_a_time(text: str) -> bool:
    return re.search(r"\d{1,2}:\d{2}", text) is not None


pytestmark = pytest.mark.django_db
