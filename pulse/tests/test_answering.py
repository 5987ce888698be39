"""A resident answers a pulse: one page, no JavaScript, once per browser; bots and floods are
turned away (quietly, or with the 429 page)."""

import re

import pytest
from django.test import Client

from pulse.models import PulseAnswer, PulseResponse

from .helpers import answer_from_a_fresh_browser, answer_url, form_data, started_from_page

pytestmark = pytest.mark.django_db


def test_a_resident_answers_on_one_page_without_javascript(pulse):
    client = Client()
    page = client.get(answer_url(pulse))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Trelleborgs kommun" in html
    assert "IP-adress" in html and "tid på dygnet" in html  # what is not stored, in Swedish
    assert "slumpmässigt urval" in html  # the sample is self-selected
    statements = list(pulse.version.statements.all())
    assert html.count('<fieldset class="item" id="statement-') == len(statements)
    assert "<script" not in html.split('id="pulse-form"')[1].split("</form>")[0]

    data = {f"s{s.pk}": "5" for s in statements[:3]}
    data[f"s{statements[3].pk}"] = "dk"
    data.update(started=started_from_page(html), age_band="30-44", gender="woman", website="")
    sent = client.post(answer_url(pulse), data)

    assert sent.status_code == 200
    assert 'id="thanks"' in sent.content.decode()
    response = PulseResponse.objects.get()
    assert (response.age_band, response.gender) == ("30-44", "woman")
    values = sorted(PulseAnswer.objects.values_list("value", flat=True), key=str)
    assert values == [5, 5, 5, None]
    # Days only, and nothing of the address, the browser or the time of day.
    fields = {f.name for f in PulseResponse._meta.get_fields()}
    assert fields == {"id", "pulse", "age_band", "gender", "submitted_on", "record_key", "answers"}


def test_the_same_browser_cannot_answer_twice(pulse):
    client = Client()
    assert 'id="thanks"' in client.post(answer_url(pulse), form_data(pulse)).content.decode()

    again = client.post(answer_url(pulse), form_data(pulse, "1"))
    shown = client.get(answer_url(pulse))

    assert 'id="already-answered"' in again.content.decode()
    assert 'id="already-answered"' in shown.content.decode()
    assert PulseResponse.objects.count() == 1
    assert set(PulseAnswer.objects.values_list("value", flat=True)) == {4}


def test_a_filled_in_honeypot_is_thanked_and_stores_nothing(pulse):
    sent = answer_from_a_fresh_browser(pulse, website="https://spam.example")
    assert sent.status_code == 200 and 'id="thanks"' in sent.content.decode()
    assert PulseResponse.objects.count() == 0


def test_a_form_sent_too_fast_or_without_its_token_is_thanked_and_stores_nothing(pulse, settings):
    settings.DIGILYFT_PULSE_MIN_SECONDS = 3600
    assert 'id="thanks"' in answer_from_a_fresh_browser(pulse).content.decode()
    settings.DIGILYFT_PULSE_MIN_SECONDS = 0
    assert 'id="thanks"' in answer_from_a_fresh_browser(pulse, started="forged").content.decode()
    assert PulseResponse.objects.count() == 0


def test_answers_past_the_limit_per_address_get_the_429_page(pulse, settings):
    settings.DIGILYFT_PULSE_ANSWERS_PER_HOUR = 2
    assert answer_from_a_fresh_browser(pulse).status_code == 200
    assert answer_from_a_fresh_browser(pulse).status_code == 200

    refused = answer_from_a_fresh_browser(pulse)

    assert refused.status_code == 429
    assert refused["Retry-After"]
    assert PulseResponse.objects.count() == 2
    other = Client(REMOTE_ADDR="198.51.100.7").post(answer_url(pulse), form_data(pulse))
    assert other.status_code == 200 and PulseResponse.objects.count() == 3


def test_an_empty_or_tampered_form_is_refused_and_stores_nothing(pulse):
    client = Client()
    empty = client.post(answer_url(pulse), {"started": form_data(pulse)["started"]})
    tampered = client.post(answer_url(pulse), form_data(pulse, "7"))
    assert (empty.status_code, tampered.status_code) == (400, 400)
    assert re.search(r'role="alert"', tampered.content.decode())
    assert PulseResponse.objects.count() == 0
    # Refused forms leave the browser free to answer.
    assert client.post(answer_url(pulse), form_data(pulse)).status_code == 200


def test_a_closed_pulse_takes_no_answers(pulse):
    pulse.closed_early_on = pulse.opens_on
    pulse.save()
    sent = answer_from_a_fresh_browser(pulse)
    assert sent.status_code == 410
    assert PulseResponse.objects.count() == 0
