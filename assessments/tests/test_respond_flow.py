from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessments.models import Answer, Response
from assessments.questionnaire import build_pages, visible_items

from .helpers import answer_everything, answer_page, begin, page_url


def test_the_start_page_needs_no_account_and_names_the_organisation(client, politician_link):
    result = client.get(reverse("assessments:respond_start", args=[politician_link.token]))
    assert result.status_code == 200
    assert "Trelleborgs kommun" in result.content.decode()
    assert not Response.objects.exists()


def test_a_tampered_token_is_a_404_with_a_message(client, politician_link):
    result = client.get(reverse("assessments:respond_start", args=[politician_link.token + "x"]))
    assert result.status_code == 404
    assert "länk" in result.content.decode().lower() or "link" in result.content.decode().lower()


def test_there_is_one_page_per_goal_area_then_background(politician_link):
    pages = build_pages(politician_link)
    assert [p.area.key for p in pages[:-1]] == ["ledning", "arkitektur", "information", "service"]
    assert pages[-1].is_background


def test_each_target_group_sees_only_its_items(open_round):
    politician = open_round.links.get(target_group__key="politician")
    official = open_round.links.get(target_group__key="official")
    politician_items = set(visible_items(politician).values_list("pk", flat=True))
    official_items = set(visible_items(official).values_list("pk", flat=True))
    assert politician_items and official_items
    assert politician_items != official_items
    assert all(
        item.target_groups.filter(key="politician").exists() for item in visible_items(politician)
    )


def test_answers_of_a_page_are_stored_on_next(client, politician_link):
    response = begin(client, politician_link)
    result = answer_page(client, politician_link, 1, value="2")
    assert result.status_code == 302
    assert result["Location"] == page_url(politician_link, 2)
    page = build_pages(politician_link)[0]
    assert Answer.objects.filter(response=response).count() == len(page.items)
    assert set(Answer.objects.values_list("value", flat=True)) == {2}


def test_dont_know_is_stored_as_no_value(client, politician_link):
    response = begin(client, politician_link)
    answer_page(client, politician_link, 1, value="dk")
    assert Answer.objects.filter(response=response, value__isnull=True).exists()
    assert not Answer.objects.filter(response=response, value__isnull=False).exists()


def test_coming_back_on_the_same_device_continues_the_same_response(client, politician_link):
    first = begin(client, politician_link)
    answer_page(client, politician_link, 1, value="5", action="later")
    again = client.get(reverse("assessments:respond_start", args=[politician_link.token]))
    assert again.status_code == 200
    second = begin(client, politician_link)
    assert first.pk == second.pk
    page = client.get(page_url(politician_link, 1)).content.decode()
    assert 'value="5" checked' in page
    assert Response.objects.count() == 1


def test_another_device_gets_its_own_response(client, politician_link):
    begin(client, politician_link)
    begin(Client(), politician_link)
    assert Response.objects.count() == 2


def test_an_answer_outside_the_scale_is_rejected_and_nothing_stored(client, politician_link):
    response = begin(client, politician_link)
    page = build_pages(politician_link)[0]
    data = {f"item-{item.pk}": "3" for item in page.items}
    data[f"item-{page.items[-1].pk}"] = "7"
    result = client.post(page_url(politician_link, 1), data)
    assert result.status_code == 400
    assert "7" in result.content.decode()
    assert not Answer.objects.filter(response=response).exists()


def test_an_item_from_another_target_group_is_rejected(client, open_round):
    politician = open_round.links.get(target_group__key="politician")
    official_only = visible_items(open_round.links.get(target_group__key="official")).exclude(
        target_groups__key="politician"
    )
    assert official_only.exists()
    begin(client, politician)
    result = client.post(
        reverse("assessments:respond_autosave", args=[politician.token]),
        {"item": official_only.first().pk, "value": "3"},
    )
    assert result.status_code == 400
    assert not Answer.objects.exists()


def test_an_item_from_another_framework_version_is_rejected(client, politician_link):
    other_version = politician_link.round.version.copy_as_new_version()
    foreign = (
        visible_items(politician_link)
        .model.objects.filter(goal__area__version=other_version)
        .first()
    )
    begin(client, politician_link)
    result = client.post(
        reverse("assessments:respond_autosave", args=[politician_link.token]),
        {"item": foreign.pk, "value": "3"},
    )
    assert result.status_code == 400
    assert result.json()["saved"] is False
    assert not Answer.objects.exists()


def test_submitting_shows_the_respondents_own_scores_per_goal_area(client, politician_link):
    begin(client, politician_link)
    result = answer_everything(client, politician_link, value="4")
    # The summary is the answer to the submitting POST itself, not a page to be reopened.
    assert result.status_code == 200
    assert result.templates[0].name == "assessments/respond_summary.html"
    body = result.content.decode()
    assert 'id="own-scores"' in body
    assert body.count("4,0") + body.count("4.0") >= 4
    assert 'id="print-summary"' in body and 'id="print-hint"' in body
    assert "no-store" in result["Cache-Control"]
    assert Response.objects.get().submitted_on is not None
    assert Response.objects.get().gender == "woman"


def test_the_old_summary_address_shows_no_scores_even_to_the_same_browser(client, politician_link):
    begin(client, politician_link)
    answer_everything(client, politician_link, value="4")
    for visitor in (client, Client()):
        again = visitor.get(reverse("assessments:respond_thanks", args=[politician_link.token]))
        assert again.status_code == 200
        assert 'id="thanks"' in again.content.decode()
        assert 'id="own-scores"' not in again.content.decode()


def test_submitting_twice_stores_one_submitted_response(client, politician_link):
    begin(client, politician_link)
    answer_everything(client, politician_link)
    first = Response.objects.get().submitted_on
    replay = client.post(reverse("assessments:respond_review", args=[politician_link.token]))
    assert replay.status_code == 200
    assert 'id="thanks"' in replay.content.decode()
    assert Response.objects.count() == 1
    assert Response.objects.get().submitted_on == first


def test_a_submitted_response_cannot_be_changed(client, politician_link):
    begin(client, politician_link)
    answer_everything(client, politician_link, value="4")
    item = build_pages(politician_link)[0].items[0]
    result = client.post(
        reverse("assessments:respond_autosave", args=[politician_link.token]),
        {"item": item.pk, "value": "1"},
    )
    # The device has no key to it any more: it is refused as if it had never answered.
    assert result.status_code == 403
    assert not Answer.objects.filter(value=1).exists()


def test_starting_again_after_submitting_starts_a_new_empty_response(client, politician_link):
    begin(client, politician_link)
    answer_everything(client, politician_link)
    submitted = Response.objects.get()
    result = client.post(reverse("assessments:respond_begin", args=[politician_link.token]))
    assert result["Location"] == page_url(politician_link, 1)
    assert Response.objects.count() == 2
    fresh = Response.objects.exclude(pk=submitted.pk).get()
    assert not fresh.is_submitted and not fresh.answers.exists()


def test_continue_goes_to_the_page_after_the_last_page_with_answers(client, politician_link):
    begin(client, politician_link)
    answer_page(client, politician_link, 1, action="later")
    answer_page(client, politician_link, 2, action="later")
    result = client.post(reverse("assessments:respond_begin", args=[politician_link.token]))
    assert result["Location"] == page_url(politician_link, 3)


def test_continue_without_answers_goes_to_page_one(client, politician_link):
    begin(client, politician_link)
    result = client.post(reverse("assessments:respond_begin", args=[politician_link.token]))
    assert result["Location"] == page_url(politician_link, 1)


def test_continue_after_every_page_goes_to_the_last_page(client, politician_link):
    begin(client, politician_link)
    pages = build_pages(politician_link)
    for page in pages[:-1]:
        answer_page(client, politician_link, page.number)
    result = client.post(reverse("assessments:respond_begin", args=[politician_link.token]))
    assert result["Location"] == page_url(politician_link, len(pages))


def test_a_closed_round_accepts_nothing(client, politician_link):
    response = begin(client, politician_link)
    round_ = politician_link.round
    round_.closed_early_at = timezone.now()
    round_.save()
    result = answer_page(client, politician_link, 1)
    assert result.status_code == 410
    assert not Answer.objects.filter(response=response).exists()
    assert (
        client.get(reverse("assessments:respond_start", args=[politician_link.token])).status_code
        == 410
    )
    assert (
        client.post(reverse("assessments:respond_begin", args=[politician_link.token])).status_code
        == 410
    )
    assert Response.objects.count() == 1


def test_an_expired_round_accepts_nothing(client, politician_link):
    round_ = politician_link.round
    round_.opens_on = timezone.localdate() - timedelta(days=20)
    round_.closes_on = timezone.localdate() - timedelta(days=1)
    round_.save()
    result = client.post(reverse("assessments:respond_begin", args=[politician_link.token]))
    assert result.status_code == 410
    assert not Response.objects.exists()


def test_a_round_that_has_not_opened_says_when_it_opens(client, politician_link):
    round_ = politician_link.round
    round_.opens_on = timezone.localdate() + timedelta(days=3)
    round_.save()
    result = client.get(reverse("assessments:respond_start", args=[politician_link.token]))
    assert result.status_code == 403
    assert round_.opens_on.isoformat() in result.content.decode()


def test_a_page_without_a_started_response_says_so(client, politician_link):
    result = client.get(page_url(politician_link, 1))
    assert result.status_code == 403
    assert not Response.objects.exists()


def test_a_page_number_out_of_range_is_a_404(client, politician_link):
    begin(client, politician_link)
    assert client.get(page_url(politician_link, 99)).status_code == 404


def test_a_gender_outside_the_options_is_rejected(client, politician_link):
    begin(client, politician_link)
    last = len(build_pages(politician_link))
    result = client.post(page_url(politician_link, last), {"gender": "robot"})
    assert result.status_code == 400
    assert Response.objects.get().gender == ""


def test_the_messages_are_in_english_when_english_is_chosen(client, politician_link):
    client.cookies["django_language"] = "en"
    result = client.get(reverse("assessments:respond_start", args=[politician_link.token + "x"]))
    assert "This link is not valid" in result.content.decode()


def test_a_forged_cookie_gives_no_access_to_someone_elses_response(client, politician_link):
    begin(client, politician_link)
    answer_page(client, politician_link, 1)
    intruder = Client()
    intruder.cookies[f"digilyft_r{politician_link.pk}"] = Response.objects.get().secret
    result = intruder.get(page_url(politician_link, 1))
    assert result.status_code == 403


pytestmark = pytest.mark.django_db


def _page_post_queries(client, link, number, count):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    page = build_pages(link)[number - 1]
    data = {f"item-{item.pk}": "4" for item in page.items[:count]}
    data["action"] = "next"
    with CaptureQueriesContext(connection) as queries:
        result = client.post(page_url(link, number), data)
    assert result.status_code == 302
    return len(queries)


def test_saving_a_page_costs_the_same_few_queries_for_one_answer_or_all(client, politician_link):
    response = begin(client, politician_link)
    pages = build_pages(politician_link)
    largest = max(pages[:-1], key=lambda page: len(page.items))
    assert len(largest.items) >= 5
    one = _page_post_queries(client, politician_link, largest.number, 1)
    Answer.objects.filter(response=response).delete()
    first_time_all = _page_post_queries(client, politician_link, largest.number, len(largest.items))
    again_all = _page_post_queries(client, politician_link, largest.number, len(largest.items))
    # The link, the draft, then the draft locked and one bulk upsert (the pages are kept).
    assert one == first_time_all == again_all <= 4
    assert Answer.objects.filter(response=response).count() == len(largest.items)
    assert set(Answer.objects.values_list("value", flat=True)) == {4}


def test_a_page_saved_after_the_response_was_submitted_elsewhere_is_refused(politician_link):
    from assessments.questionnaire import AnswerRejected, save_answers

    response = Response.objects.create(link=politician_link, round=politician_link.round)
    page = build_pages(politician_link)[0]
    Response.objects.filter(pk=response.pk).update(submitted_on=timezone.localdate())
    with pytest.raises(AnswerRejected) as refused:
        save_answers(response, page, {str(page.items[0].pk): "3"})  # a stale draft in hand
    assert refused.value.status == 409
    assert not Answer.objects.exists()


def test_a_page_post_with_an_item_of_another_page_saves_nothing(client, politician_link):
    begin(client, politician_link)
    pages = build_pages(politician_link)
    data = {f"item-{item.pk}": "3" for item in pages[0].items}
    result = client.post(page_url(politician_link, 2), data)
    assert result.status_code == 302  # the form reads only its own page's fields
    assert not Answer.objects.exists()


def test_the_pages_are_fetched_once_per_process_not_on_every_view(client, politician_link):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    begin(client, politician_link)
    with CaptureQueriesContext(connection) as first:
        assert client.get(page_url(politician_link, 1)).status_code == 200
    with CaptureQueriesContext(connection) as second:
        assert client.get(page_url(politician_link, 2)).status_code == 200
    framework_tables = ("frameworks_item", "frameworks_scalestep")
    assert any(t in q["sql"] for q in first.captured_queries for t in framework_tables)
    assert not any(t in q["sql"] for q in second.captured_queries for t in framework_tables)
    assert len(second) == len(first) - 2  # the items, then their scale steps


def test_changed_framework_content_is_shown_at_once(client, politician_link):
    """Content of a version in use is frozen; should it change anyway (a data migration, a
    version whose round was deleted), a save clears the kept pages."""
    from django.db import models

    from frameworks.models import Item

    begin(client, politician_link)
    first = build_pages(politician_link)[0].items[0]
    assert first.statement_sv in client.get(page_url(politician_link, 1)).content.decode()
    item = Item.objects.get(pk=first.pk)
    item.statement_sv = "Ett nytt påstående om ledning"
    models.Model.save(item, update_fields=["statement_sv"])  # past the frozen guard
    assert (
        "Ett nytt påstående om ledning" in client.get(page_url(politician_link, 1)).content.decode()
    )
