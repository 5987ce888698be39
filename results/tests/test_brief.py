"""The brief at the top of the results: published figures and the page's own verdicts only,
every figure of it also in the details below, on the page and in the PDF."""

import re

import pytest
from django.urls import reverse

from results.brief import brief
from results.figures import round_results
from results.templatetags.results_tags import mean, signed

from .factories import link, make_round, publish, submit

pytestmark = pytest.mark.django_db


def _round(org, version, name, days_ago, politicians, officials):
    round_ = make_round(org, version, name=name, days_ago=days_ago)
    submit(link(round_, "politician"), 8, value=politicians, gender="woman")
    submit(link(round_, "official"), 8, value=officials, gender="man")
    return publish(round_)


@pytest.fixture
def followed_up(org_a, version):
    """A baseline where everyone answered 2 and a follow-up where politicians answer 5 and
    officials 1 to 3: large gaps and clear changes, against a previous round."""
    _round(org_a, version, "Nollmätning", 400, 2, 2)
    return _round(org_a, version, "Uppföljning", 1, 5, lambda i, item: 1 + i % 3)


def _brief_text(html: str) -> str:
    section = re.search(r'<section class="brief".*?</section>', html, re.S).group(0)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", section))


def _details(html: str) -> str:
    return html[html.index('id="details-heading"') :]


def test_the_brief_names_what_the_published_figures_and_verdicts_say(followed_up):
    results = round_results(followed_up)
    said = brief(results)

    means = {row.unit.name: row.total.estimate.mean for row in results.areas}
    assert said.strongest_area.total.estimate.mean == max(means.values())
    assert said.weakest_area.total.estimate.mean == min(means.values())
    # gaps and changes only where the page's verdicts say large / clear
    assert said.gaps_higher and all(row.gap_is_large for row in said.gaps_higher)
    assert not said.gaps_lower
    named = said.clearly_up + said.clearly_down
    assert named and all(row.change_verdict.is_clear for row in named)
    assert all(row.change.value > 0 for row in said.clearly_up)
    assert said.weakest_goals == results.weakest[:3]


def test_without_a_clear_change_or_a_large_gap_the_brief_says_it_may_be_chance(org_a, version):
    _round(org_a, version, "Nollmätning", 400, 3, 3)
    same = _round(org_a, version, "Uppföljning", 1, 3, 3)
    said = brief(round_results(same))
    assert said.changes_tested and not (said.clearly_up or said.clearly_down)
    assert said.gaps_tested and not (said.gaps_higher or said.gaps_lower)


def test_the_page_opens_with_the_brief_and_every_figure_in_it_is_in_the_details(
    client_a, followed_up
):
    html = client_a.get(reverse("results:round_results", args=[followed_up.pk])).content.decode()
    assert html.index('id="brief"') < html.index('id="details-heading"') < html.index("<table")
    text = _brief_text(html)
    assert "tydligt högre" in text and "stora skillnader" in text.lower()
    details = _details(html)
    results = round_results(followed_up)
    said = brief(results)
    for row, figure in [
        (said.strongest_area, mean(said.strongest_area.total)),
        (said.weakest_area, mean(said.weakest_area.total)),
        *[(row, mean(row.total)) for row in said.weakest_goals],
        *[(row, signed(row.gap)) for row in said.gaps_higher],
        *[(row, signed(row.change)) for row in said.clearly_up],
    ]:
        assert f"{row.unit.name} ({figure})" in text
        assert figure in details and row.unit.name in details
    # nothing finer than the details: every number in the brief is printed in the details
    for number in re.findall(r"[+−]?\d+,\d", text):
        assert number in details, number


def test_the_brief_never_says_clearly_where_the_verdict_does_not(client_a, org_a, version):
    _round(org_a, version, "Nollmätning", 400, 3, 3)
    same = _round(org_a, version, "Uppföljning", 1, 3, 3)
    text = _brief_text(
        client_a.get(reverse("results:round_results", args=[same.pk])).content.decode()
    )
    assert "tydligt högre" not in text and "tydligt lägre" not in text
    assert "kan vara slumpen" in text


def test_the_first_round_says_there_is_nothing_to_compare_with_yet(client_a, org_a, version):
    first = _round(org_a, version, "Nollmätning", 1, 4, 2)
    text = _brief_text(
        client_a.get(reverse("results:round_results", args=[first.pk])).content.decode()
    )
    assert "första publicerade omgången" in text


def test_below_the_threshold_there_is_no_brief(client_a, org_a, version):
    small = make_round(org_a, version, name="Liten")
    submit(link(small, "official"), 3, value=4)
    publish(small)
    html = client_a.get(reverse("results:round_results", args=[small.pk])).content.decode()
    assert 'id="brief"' not in html
