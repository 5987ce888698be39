import pytest
from django.db import connection
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


# The kick-off's busiest request: at most 3 SQL statements (the budget). An answer that
# is stored takes one (questionnaire._upsert_if_allowed); the gender question two.


def test_an_autosave_update_runs_one_statement(client, politician_link, django_assert_num_queries):
    response = begin(client, politician_link)
    item = build_pages(politician_link)[0].items[0]
    autosave(client, politician_link, item=item.pk, value="3")
    with django_assert_num_queries(1):
        result = autosave(client, politician_link, item=item.pk, value="4")
    assert result.json() == {"saved": True}
    assert Answer.objects.get(response=response, item=item).value == 4


def test_a_first_answer_runs_one_statement(client, politician_link, django_assert_num_queries):
    response = begin(client, politician_link)
    item = build_pages(politician_link)[0].items[0]
    with django_assert_num_queries(1):
        result = autosave(client, politician_link, item=item.pk, value="dk")
    assert result.json() == {"saved": True}
    assert Answer.objects.get(response=response, item=item).value is None


def test_the_background_question_autosaves_in_at_most_three_queries(
    client, politician_link, django_assert_max_num_queries
):
    response = begin(client, politician_link)
    with django_assert_max_num_queries(3):
        result = autosave(client, politician_link, gender="woman")
    assert result.json() == {"saved": True}
    response.refresh_from_db()
    assert response.gender == "woman"


def test_an_item_of_another_target_group_is_refused(client, open_round):
    from assessments.questionnaire import visible_items

    politician = open_round.links.get(target_group__key="politician")
    official = open_round.links.get(target_group__key="official")
    others = set(visible_items(official).values_list("pk", flat=True)) - set(
        visible_items(politician).values_list("pk", flat=True)
    )
    begin(client, politician)
    result = autosave(client, politician, item=min(others), value="3")
    assert result.status_code == 400
    assert not Answer.objects.exists()


def test_autosave_on_a_link_that_does_not_exist_is_a_404_the_script_can_show(
    client, politician_link
):
    begin(client, politician_link)
    item = build_pages(politician_link)[0].items[0]
    url = reverse("assessments:respond_autosave", args=[politician_link.token + "x"])
    result = client.post(url, {"item": item.pk, "value": "3"})
    assert result.status_code == 404
    assert result.json()["saved"] is False
    assert not Answer.objects.exists()


def test_a_forged_cookie_opens_no_draft(client, politician_link):
    response = begin(client, politician_link)
    item = build_pages(politician_link)[0].items[0]
    client.cookies[f"digilyft_r{politician_link.pk}"] = response.secret  # unsigned
    result = autosave(client, politician_link, item=item.pk, value="3")
    assert result.status_code == 403
    assert not Answer.objects.exists()


def test_after_submitting_the_old_key_saves_nothing(client, politician_link):
    from assessments.models import Response

    response = begin(client, politician_link)
    item = build_pages(politician_link)[0].items[0]
    cookie = client.cookies[f"digilyft_r{politician_link.pk}"].value
    autosave(client, politician_link, item=item.pk, value="3")
    client.post(reverse("assessments:respond_review", args=[politician_link.token]))
    assert Response.objects.get(pk=response.pk).is_submitted
    client.cookies[f"digilyft_r{politician_link.pk}"] = cookie  # replayed from before
    result = autosave(client, politician_link, item=item.pk, value="5")
    assert result.status_code == 403
    assert Answer.objects.get(response=response, item=item).value == 3


# The one-statement path checks every rule in SQL; each refusal below is also what the slower
# path (which says why) concludes, so nothing is stored and the respondent is told.


def test_a_round_closed_early_stores_no_autosave(client, politician_link):
    from django.utils import timezone

    response = begin(client, politician_link)
    item = build_pages(politician_link)[0].items[0]
    round_ = politician_link.round
    round_.closed_early_at = timezone.now()
    round_.save()
    result = autosave(client, politician_link, item=item.pk, value="3")
    assert result.status_code == 410
    assert not Answer.objects.filter(response=response).exists()


def test_a_round_past_its_last_day_stores_no_autosave(client, politician_link):
    from datetime import timedelta

    from django.utils import timezone

    response = begin(client, politician_link)
    item = build_pages(politician_link)[0].items[0]
    round_ = politician_link.round
    yesterday = timezone.localdate() - timedelta(days=1)
    round_.opens_on = yesterday - timedelta(days=5)
    round_.closes_on = yesterday
    round_.save()
    result = autosave(client, politician_link, item=item.pk, value="3")
    assert result.status_code == 410
    assert not Answer.objects.filter(response=response).exists()


def test_a_round_not_yet_open_stores_no_autosave(client, politician_link):
    from datetime import timedelta

    from django.utils import timezone

    response = begin(client, politician_link)
    item = build_pages(politician_link)[0].items[0]
    round_ = politician_link.round
    tomorrow = timezone.localdate() + timedelta(days=1)
    round_.opens_on, round_.closes_on = tomorrow, tomorrow + timedelta(days=10)
    round_.save()
    result = autosave(client, politician_link, item=item.pk, value="3")
    assert result.status_code == 403
    assert not Answer.objects.filter(response=response).exists()


@pytest.mark.parametrize("key_on", ["own link", "other link"])
def test_the_key_of_one_link_opens_nothing_on_another(client, open_round, key_on):
    from assessments.questionnaire import AnswerRejected, autosave_answer

    politician = open_round.links.get(target_group__key="politician")
    official = open_round.links.get(target_group__key="official")
    mine = begin(client, politician)
    item = build_pages(official)[0].items[0]  # an item the official link does answer
    link_id = politician.pk if key_on == "own link" else official.pk
    with pytest.raises(AnswerRejected):
        autosave_answer(official.token, {link_id: mine.secret}, str(item.pk), "3")
    assert not Answer.objects.exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_postgresql_plans_the_autosave_statement_once_per_connection(client, politician_link):
    """Planning the autosave took four times as long as running it: after a few runs on one
    connection psycopg prepares it (settings: DATABASE_PREPARE_THRESHOLD)."""
    begin(client, politician_link)
    item = build_pages(politician_link)[0].items[0]
    for value in "123451":
        assert autosave(client, politician_link, item=item.pk, value=value).json()["saved"]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements"
            " WHERE statement LIKE '%%INSERT INTO assessments_answer%%'"
        )
        assert cursor.fetchone()[0] == 1
