"""A pulse's figures at close: the share who agree per statement, by age band and gender only
where safe, every shown figure perturbed by the results' cell-key method."""

import pytest
from django.test import Client
from django.urls import reverse

from pulse.models import PulseFigure, PulseResponse
from pulse.publication import cross_cells, shown_share
from pulse.pulses import close_early

from .helpers import answer_from_a_fresh_browser

pytestmark = pytest.mark.django_db


def _figures(pulse, statement, breakdown=""):
    return {
        f.group: f
        for f in PulseFigure.objects.filter(
            publication__pulse=pulse, statement=statement, breakdown=breakdown
        )
    }


def test_a_padded_pulse_publishes_the_perturbed_share_not_the_real_answer(pulse):
    """The coordinator answers four times "3" beside one real "5": the page shows the share
    made from the perturbed counts (pulse/tests/test_disclosure.py: over many pulses the real
    answer is guessed from it no better than 0.55), never a figure read off the true counts."""
    for _ in range(4):
        answer_from_a_fresh_browser(pulse, "3")
    answer_from_a_fresh_browser(pulse, "5")
    statement = pulse.version.statements.first()
    true = cross_cells(pulse)[statement.pk][("", "other")]

    close_early(pulse)

    figure = _figures(pulse, statement)[""]
    assert figure.status == "shown"
    assert (figure.shown_respondents, figure.shown_percent) == shown_share(true, statement.pk, 5)
    page = Client().get(reverse("pulse:results", args=[pulse.pk])).content.decode()
    assert f"{figure.shown_percent}\u00a0%" in page and 'id="noise-note"' in page


def test_fewer_than_the_threshold_publish_nothing(pulse):
    for _ in range(4):
        answer_from_a_fresh_browser(pulse, "5")
    close_early(pulse)
    statuses = set(PulseFigure.objects.values_list("status", flat=True))
    assert statuses == {"suppressed"}
    assert not PulseFigure.objects.exclude(shown_percent=None).exists()
    page = Client().get(reverse("pulse:results", args=[pulse.pk])).content.decode()
    assert "för få svar" in page


def test_a_lone_age_band_is_hidden_and_so_is_the_next_smallest(pulse):
    """Six aged 30–44, five aged 45–64, one aged 80+: the lone one is hidden, and then the
    total minus the shown bands would be that one person, so 45–64 is hidden too."""
    for band, count in (("30-44", 6), ("45-64", 5), ("80+", 1)):
        for _ in range(count):
            answer_from_a_fresh_browser(pulse, "4", age_band=band)
    close_early(pulse)
    ages = _figures(pulse, pulse.version.statements.first(), "age")
    assert {band: f.status for band, f in ages.items()} == {
        "30-44": "shown",
        "45-64": "suppressed",
        "80+": "suppressed",
    }


def test_age_bands_beside_genders_are_held_back_when_a_cross_cell_is_small(pulse):
    """Aged 30–44 six women and five men, aged 45–64 five women and one man: every band and
    gender passes, but by gender and by age the lone man of 45–64 could be worked out, so one
    breakdown goes: the age bands (held back as linked), for the genders are what the programme
    follows."""
    for band, gender, count in (
        ("30-44", "woman", 6),
        ("30-44", "man", 5),
        ("45-64", "woman", 5),
        ("45-64", "man", 1),
    ):
        for _ in range(count):
            answer_from_a_fresh_browser(pulse, "4", gender=gender, age_band=band)
    close_early(pulse)
    statement = pulse.version.statements.first()
    assert {b: f.status for b, f in _figures(pulse, statement, "age").items()} == {
        "30-44": "linked",
        "45-64": "linked",
    }
    genders = _figures(pulse, statement, "gender")
    assert {g: f.status for g, f in genders.items()} == {"woman": "shown", "man": "shown"}
    assert (genders["woman"].rated, genders["man"].rated) == (11, 6)
    page = Client().get(reverse("pulse:results", args=[pulse.pk])).content.decode()
    assert 'id="age-linked"' in page and 'id="pulse-by-gender"' in page
    assert 'id="pulse-by-age"' not in page


def test_genders_are_shown_where_the_small_cross_cells_lie_in_hidden_age_bands(pulse):
    """Ten women and ten men, one man aged 80+ among them: the lone 80+ band is hidden (and
    with it the next smallest, so all bands), and beside no age band the genders are safe."""
    for gender in ("woman", "man"):
        for i in range(10):
            band = "80+" if gender == "man" and i == 0 else "30-44"
            answer_from_a_fresh_browser(pulse, "4", gender=gender, age_band=band)
    close_early(pulse)
    statement = pulse.version.statements.first()
    assert {b: f.status for b, f in _figures(pulse, statement, "age").items()} == {
        "30-44": "suppressed",
        "80+": "suppressed",
    }
    assert {g: f.status for g, f in _figures(pulse, statement, "gender").items()} == {
        "woman": "shown",
        "man": "shown",
    }


def test_women_and_men_are_shown_where_every_cross_cell_is_large_enough(pulse):
    for gender in ("woman", "man"):
        for _ in range(6):
            answer_from_a_fresh_browser(pulse, "2", gender=gender)
    close_early(pulse)
    figures = _figures(pulse, pulse.version.statements.first(), "gender")
    assert {g: f.status for g, f in figures.items()} == {"woman": "shown", "man": "shown"}
    assert PulseResponse.objects.count() == 12
    page = Client().get(reverse("pulse:results", args=[pulse.pk])).content.decode()
    assert 'id="pulse-by-gender"' in page


def test_before_close_the_results_page_shows_nothing(pulse):
    for _ in range(6):
        answer_from_a_fresh_browser(pulse, "5")
    page = Client().get(reverse("pulse:results", args=[pulse.pk]))
    assert page.status_code == 200 and 'id="not-published"' in page.content.decode()
    assert "%" not in page.content.decode().split('id="not-published"')[1].split("</main>")[0]
