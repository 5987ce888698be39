"""What the respondent is told: where to continue, what is left unanswered, what the start
page promises, and what a closed round says."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from assessments.models import Answer
from assessments.questionnaire import build_pages
from registry.models import Coordinator

from .helpers import answer_page, begin, page_url


def _start(link):
    return reverse("assessments:respond_start", args=[link.token])


def _continue(client, link):
    return client.post(reverse("assessments:respond_begin", args=[link.token]))


def test_continue_opens_the_first_page_with_an_unanswered_statement(client, politician_link):
    response = begin(client, politician_link)
    pages = build_pages(politician_link)
    answer_page(client, politician_link, 1)
    answer_page(client, politician_link, 3)
    # Page 2 half answered: it is where the respondent left something.
    first_of_two = pages[1].items[0]
    Answer.objects.create(response=response, item=first_of_two, value=3)
    assert _continue(client, politician_link)["Location"] == page_url(politician_link, 2)


def test_continue_after_a_half_answered_first_page_opens_page_one(client, politician_link):
    response = begin(client, politician_link)
    Answer.objects.create(response=response, item=build_pages(politician_link)[0].items[0], value=2)
    answer_page(client, politician_link, 2)
    assert _continue(client, politician_link)["Location"] == page_url(politician_link, 1)


def test_the_submit_page_lists_each_unanswered_statement_with_a_link_to_it(client, politician_link):
    begin(client, politician_link)
    pages = build_pages(politician_link)
    for page in pages[:-1]:
        if page.number != 2:
            answer_page(client, politician_link, page.number)
    body = client.get(reverse("assessments:respond_review", args=[politician_link.token]))
    html = body.content.decode()
    for item in pages[1].items:
        assert f'href="{page_url(politician_link, 2)}#item-{item.pk}"' in html
        assert item.statement in html
    for item in pages[0].items:
        assert f'#item-{item.pk}"' not in html
    # "Back to the questions" opens the first page with something left.
    assert f'href="{page_url(politician_link, 2)}"' in html


def test_the_page_has_an_anchor_for_each_statement(client, politician_link):
    begin(client, politician_link)
    html = client.get(page_url(politician_link, 1)).content.decode()
    for item in build_pages(politician_link)[0].items:
        assert f'id="item-{item.pk}"' in html


def test_the_start_page_promises_as_many_background_questions_as_are_asked(client, politician_link):
    client.cookies["django_language"] = "en"
    html = client.get(_start(politician_link)).content.decode()
    background = build_pages(politician_link)[-1]
    assert background.is_background
    # The background page asks one question, gender.
    assert "one optional background question" in html
    assert "two optional" not in html


def _close(round_, days_ago=2):
    round_.opens_on = timezone.localdate() - timedelta(days=20)
    round_.closes_on = timezone.localdate() - timedelta(days=days_ago)
    round_.save()


def test_a_closed_round_says_when_it_closed_and_whom_to_ask(client, politician_link):
    round_ = politician_link.round
    user = get_user_model().objects.create_user(
        "samordnare", email="samordnare@trelleborg.example", first_name="Eva", last_name="Berg"
    )
    Coordinator.objects.create(user=user, organisation=round_.organisation)
    _close(round_)
    client.cookies["django_language"] = "en"
    result = client.get(_start(politician_link))
    html = result.content.decode()
    assert result.status_code == 410
    assert round_.closes_on.isoformat() in html
    assert "mailto:samordnare@trelleborg.example" in html and "Eva Berg" in html
    assert "could not be saved" not in html
    # No link back to the start: the start page is this page.
    assert f'href="{_start(politician_link)}"' not in html


def test_a_round_closed_early_gives_the_day_it_was_closed(client, politician_link):
    round_ = politician_link.round
    round_.closed_early_at = timezone.now() - timedelta(days=1)
    round_.save()
    html = client.get(_start(politician_link)).content.decode()
    assert timezone.localdate(round_.closed_early_at).isoformat() in html


def test_answers_sent_after_closing_are_said_not_to_be_saved(client, politician_link):
    response = begin(client, politician_link)
    _close(politician_link.round, days_ago=1)
    client.cookies["django_language"] = "en"
    result = answer_page(client, politician_link, 1)
    assert result.status_code == 410
    assert 'id="not-saved"' in result.content.decode()
    assert not Answer.objects.filter(response=response).exists()


def test_without_a_coordinator_the_closed_page_still_says_whom_to_ask(client, politician_link):
    _close(politician_link.round)
    html = client.get(_start(politician_link)).content.decode()
    assert 'id="contacts"' in html


def test_a_refusal_on_another_page_links_back_to_the_start(client, politician_link):
    result = client.get(page_url(politician_link, 1))  # no response begun on this device
    assert result.status_code == 403
    assert f'href="{_start(politician_link)}"' in result.content.decode()


def test_a_refusal_of_the_start_page_does_not_link_to_itself(client, politician_link):
    round_ = politician_link.round
    round_.open_links = False
    round_.save()
    result = client.get(_start(politician_link))
    assert result.status_code == 403
    assert f'href="{_start(politician_link)}"' not in result.content.decode()
