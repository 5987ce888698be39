"""The review page before submitting: it says plainly when a response would count nowhere."""

import pytest
from django.urls import reverse

from assessments.models import Response

from .helpers import answer_page, begin

WARNING = 'id="no-rating"'


def review(client, link):
    return client.get(reverse("assessments:respond_review", args=[link.token]))


def test_nothing_answered_is_said_plainly_and_submitting_is_still_allowed(client, politician_link):
    begin(client, politician_link)
    page = review(client, politician_link)
    assert page.status_code == 200
    assert WARNING in page.content.decode()
    submitted = client.post(reverse("assessments:respond_review", args=[politician_link.token]))
    assert submitted.status_code == 200
    assert Response.objects.get().is_submitted


def test_only_dont_know_is_said_plainly_too(client, politician_link):
    begin(client, politician_link)
    answer_page(client, politician_link, 1, value="dk")
    assert WARNING in review(client, politician_link).content.decode()


def test_one_rating_is_enough_for_no_warning(client, politician_link):
    begin(client, politician_link)
    answer_page(client, politician_link, 1, value="dk")
    answer_page(client, politician_link, 2, value="3")
    assert WARNING not in review(client, politician_link).content.decode()


def test_the_review_page_is_kept_out_of_the_browser_cache(client, politician_link):
    begin(client, politician_link)
    page = review(client, politician_link)
    assert "no-store" in page["Cache-Control"]


pytestmark = pytest.mark.django_db
