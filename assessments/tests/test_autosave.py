import pytest
from django.urls import reverse

from assessments.models import Answer
from assessments.questionnaire import build_pages

from .helpers import begin

pytestmark = pytest.mark.django_db


def autosave(client, link, **data):
    return client.post(reverse("assessments:respond_autosave", args=[link.token]), data)


def test_an_answer_is_saved_as_it_is_given(client, politician_link):
    response = begin(client, politician_link)
    item = build_pages(politician_link)[0].items[0]
    result = autosave(client, politician_link, item=item.pk, value="3")
    assert result.status_code == 200
    assert result.json() == {"saved": True}
    assert Answer.objects.get(response=response, item=item).value == 3


def test_changing_an_answer_keeps_one_row_with_the_latest_value(client, politician_link):
    response = begin(client, politician_link)
    item = build_pages(politician_link)[0].items[0]
    autosave(client, politician_link, item=item.pk, value="3")
    autosave(client, politician_link, item=item.pk, value="dk")
    answers = Answer.objects.filter(response=response, item=item)
    assert answers.count() == 1
    assert answers.get().value is None


@pytest.mark.parametrize("value", ["0", "6", "-1", "3.5", "", "abc", "dk2"])
def test_values_outside_the_scale_are_rejected(client, politician_link, value):
    begin(client, politician_link)
    item = build_pages(politician_link)[0].items[0]
    result = autosave(client, politician_link, item=item.pk, value=value)
    assert result.status_code == 400
    assert result.json()["saved"] is False
    assert result.json()["error"]
    assert not Answer.objects.exists()


@pytest.mark.parametrize("item", ["", "abc", "999999", "1 OR 1=1"])
def test_a_malformed_or_unknown_item_is_rejected(client, politician_link, item):
    begin(client, politician_link)
    result = autosave(client, politician_link, item=item, value="3")
    assert result.status_code == 400
    assert not Answer.objects.exists()


def test_autosave_without_a_started_response_is_refused(client, politician_link):
    item = build_pages(politician_link)[0].items[0]
    result = autosave(client, politician_link, item=item.pk, value="3")
    assert result.status_code == 403
    assert not Answer.objects.exists()


def test_autosave_needs_a_csrf_token(politician_link):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    begin_result = strict.post(reverse("assessments:respond_begin", args=[politician_link.token]))
    assert begin_result.status_code == 403


def test_an_autosave_update_runs_a_fixed_small_number_of_queries(client, politician_link):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    begin(client, politician_link)
    item = build_pages(politician_link)[0].items[0]
    autosave(client, politician_link, item=item.pk, value="3")
    with CaptureQueriesContext(connection) as queries:
        result = autosave(client, politician_link, item=item.pk, value="4")
    assert result.status_code == 200
    # link with its round, the draft, the item's visibility, then the update (in a savepoint)
    assert len(queries) == 6
