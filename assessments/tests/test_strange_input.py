"""Answers and item ids in odd spellings: only ASCII digits count, the rest is a clear 400.

``str.isdigit`` and ``int()`` accept superscripts, circled and full-width digits; these must
neither crash (500) nor slip through as a number."""

import pytest
from django.urls import reverse

from assessments.models import Answer
from assessments.questionnaire import AnswerRejected, build_pages, parse_value

from .helpers import begin, page_url

ODD_VALUES = "² ³ ① ３ ٣ 0 6 -1 +3 3.0 1_0 03 DK".split() + ["", "x" * 500]


@pytest.mark.parametrize("raw", ["1", "2", "3", "4", "5", " 4 "])
def test_ascii_digits_on_the_scale_are_accepted(raw):
    assert parse_value(raw) == int(raw)


def test_dont_know_is_accepted_as_no_value():
    assert parse_value("dk") is None


@pytest.mark.parametrize("raw", ODD_VALUES)
def test_anything_else_is_rejected(raw):
    with pytest.raises(AnswerRejected) as caught:
        parse_value(raw)
    assert caught.value.status == 400


@pytest.mark.parametrize("raw", ["²", "①", "３", "٣"])
def test_an_odd_digit_on_a_page_is_a_400_and_stores_nothing(client, politician_link, raw):
    response = begin(client, politician_link)
    item = build_pages(politician_link)[0].items[0]
    result = client.post(page_url(politician_link, 1), {f"item-{item.pk}": raw})
    assert result.status_code == 400
    assert not Answer.objects.filter(response=response).exists()


@pytest.mark.parametrize("raw", ["²", "③", "٣"])
def test_an_odd_digit_by_autosave_is_a_400(client, politician_link, raw):
    begin(client, politician_link)
    item = build_pages(politician_link)[0].items[0]
    result = client.post(
        reverse("assessments:respond_autosave", args=[politician_link.token]),
        {"item": item.pk, "value": raw},
    )
    assert result.status_code == 400
    assert result.json()["saved"] is False
    assert not Answer.objects.exists()


def _full_width(number: int) -> str:
    return "".join(chr(ord("０") + int(digit)) for digit in str(number))


def test_an_item_id_in_odd_digits_is_a_400_even_when_it_names_a_real_item(client, politician_link):
    begin(client, politician_link)
    item = build_pages(politician_link)[0].items[0]
    url = reverse("assessments:respond_autosave", args=[politician_link.token])
    for raw in [_full_width(item.pk), "²", "①", f" {item.pk}_", "9" * 30, "9" * 5000, "-1"]:
        result = client.post(url, {"item": raw, "value": "3"})
        assert result.status_code == 400, raw
        assert result.json()["saved"] is False
    assert not Answer.objects.exists()


pytestmark = pytest.mark.django_db
