"""The expectation gap (issue 27): the residents' published share who agree beside the
leadership's published share from the organisation's self-assessment, per goal, with the
results' honest test, on the pulse's and the round's results pages and in the workshop
proposal."""

import pytest
from django.test import Client
from django.urls import reverse

from learning.models import WorkshopRequest
from learning.proposals import propose
from pulse.gap import expectation_gap, gap_for_round
from pulse.models import PulseFigure
from pulse.pulses import close_early, store_answers
from results.figures import Figure, round_results
from results.models import PublishedFigure, UnitKind
from results.tests.factories import link, make_round, publish, submit

pytestmark = pytest.mark.django_db

ONE_STATEMENT_GOAL = "arkitektur-2"  # only "tillit-personuppgifter" speaks to it


def _round(org, version, per_group=12, value=5):
    round_ = make_round(org, version, name="Självskattning")
    submit(link(round_, "politician"), per_group, value=value)
    submit(link(round_, "official"), per_group, value=value)
    return publish(round_)


def _pulse_answered(pulse, residents, value, attitude=None):
    """Every resident answers ``value`` to every statement (``attitude`` to the attitude ones,
    when given)."""
    statements = list(pulse.version.statements.all())
    answers = {
        s.pk: attitude if attitude is not None and s.topic == "attitude" else value
        for s in statements
    }
    for _ in range(residents):
        store_answers(pulse, answers, "", "")
    close_early(pulse)
    pulse.refresh_from_db()
    return pulse


def _row(gap, key):
    return next(row for row in gap.rows if row.goal.key == key)


def test_a_real_difference_reads_clearly_lower_from_published_figures_only(org_a, version, pulse):
    round_ = _round(org_a, version)
    pulse = _pulse_answered(pulse, 30, 1)
    gap = expectation_gap(pulse)
    assert gap.round == round_
    row = _row(gap, ONE_STATEMENT_GOAL)
    # The residents' side is the statement's published (perturbed) figure, as published.
    statement = pulse.version.statements.get(key="tillit-personuppgifter")
    published = PulseFigure.objects.get(
        publication__pulse=pulse, statement=statement, breakdown="", group=""
    )
    assert (row.residents.percent, row.residents.respondents) == (
        published.shown_percent,
        published.shown_respondents,
    )
    # The leadership's side is the goal's published figure, read through results.figures.
    figure = Figure.published(
        PublishedFigure.objects.get(
            round=round_,
            unit_kind=UnitKind.GOAL,
            unit_id=row.goal.pk,
            target_group_id__isnull=True,
            gender="",
        )
    )
    assert row.leaders.respondents == figure.respondents
    assert row.leaders.percent == round(100 * (figure.distribution[3] + figure.distribution[4]))
    assert row.verdict.is_clear and row.direction == "lower" and row.is_large
    assert row.reading == f"Invånarna bedömer ”{row.goal.name}” klart lägre än ni gör."
    # Statements on being left outside speak to no gap: agreeing with them is a bad sign.
    assert "ledning-3" not in {r.goal.key for r in gap.rows}


def test_wanting_digital_service_is_no_rating_of_the_organisation(org_a, version, pulse):
    """Residents who all want digital service (the attitude statements) and all find the
    organisation wanting: the gap reads the second only. "service-1" is spoken to by both
    attitude statements and by "lives up", "use" and "find the right e-service"."""
    _round(org_a, version)
    pulse = _pulse_answered(pulse, 30, 1, attitude=5)
    row = _row(expectation_gap(pulse), "service-1")
    # 0 % agree, read through the counts' deliberate noise; with the attitude statements
    # averaged in it would be about 40 % (two of five statements at 100 %).
    assert row.residents.percent < 20
    assert row.direction == "lower"
    assert row.signed_points.startswith("\u2212")


def test_few_answers_cannot_tell(org_a, version, pulse):
    _round(org_a, version)
    pulse = _pulse_answered(pulse, 6, 1)  # shown (at least the threshold), but few
    row = _row(expectation_gap(pulse), ONE_STATEMENT_GOAL)
    assert row.shown and row.verdict.too_few and not row.is_large
    assert row.reading.startswith("För få svar")


def test_a_hidden_figure_stays_hidden_in_the_gap(org_a, version, pulse):
    _round(org_a, version, per_group=2)  # 4 respondents: every goal figure hidden
    pulse = _pulse_answered(pulse, 3, 1)  # under the threshold: every statement hidden
    gap = expectation_gap(pulse)
    assert gap.rows
    for row in gap.rows:
        assert row.residents.hidden and row.residents.percent is None
        assert row.leaders.hidden and row.leaders.percent is None
        assert not row.shown and row.verdict is None and row.points is None
        assert row.reading.startswith("Kan inte visas")


def test_the_workshop_proposal_names_the_gap_as_its_reason(org_a, version, pulse, client_a):
    round_ = _round(org_a, version)
    pulse = _pulse_answered(pulse, 30, 1)
    assert gap_for_round(round_).pulse == pulse
    proposal = propose(round_results(round_), WorkshopRequest.Format.FULL_DAY)
    reasons = [(p.goal.key, r) for p in proposal.picks for r in p.reasons]
    named = [(key, r.text) for key, r in reasons if r.kind == "resident_gap"]
    assert named
    key, text = named[0]
    row = _row(expectation_gap(pulse), key)
    assert f"{row.residents.percent} %" in text and f"{row.leaders.percent} %" in text
    assert "klart lägre" in text and pulse.opens_on.strftime("%Y-%m-%d") in text
    page = client_a.get(reverse("learning:propose", args=[round_.pk])).content.decode()
    assert text in page


@pytest.mark.parametrize(
    ("language", "heading", "reading"),
    [
        ("sv", "Förväntningsgapet", "klart lägre än ni gör"),
        ("en", "The expectation gap", "clearly lower than you do"),
    ],
)
def test_both_results_pages_show_the_gap_to_the_organisation(
    org_a, version, pulse, client_a, language, heading, reading
):
    round_ = _round(org_a, version)
    pulse = _pulse_answered(pulse, 30, 1)
    client_a.cookies["django_language"] = language
    for url in (
        reverse("results:round_results", args=[round_.pk]),
        reverse("pulse:results", args=[pulse.pk]),
    ):
        page = client_a.get(url).content.decode()
        assert 'id="expectation-gap"' in page and heading in page and reading in page
        assert round_.name in page
    # The self-assessment's figures are the organisation's own: not on the public page.
    public = Client().get(reverse("pulse:results", args=[pulse.pk])).content.decode()
    assert 'id="pulse-figures"' in public and 'id="expectation-gap"' not in public
