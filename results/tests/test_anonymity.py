"""The suppression rule, tried directly and by the attacks it must withstand."""

import pytest

from results.anonymity import passes, suppressed_parts
from results.figures import round_results
from results.statistics import Sums

from .factories import link, make_round, publish, submit


def group(n, rated=None):
    rated = n if rated is None else rated
    return Sums(respondents=n, rated=rated, score_sum=3.0 * rated, score_sq_sum=9.0 * rated)


def test_a_cell_needs_the_threshold_in_respondents_and_ratings():
    assert passes(group(5), k=5)
    assert not passes(group(4), k=5)
    assert not passes(group(8, rated=4), k=5)


def test_one_small_part_forces_a_second_part_to_be_hidden():
    assert suppressed_parts({"a": group(10), "b": group(3)}, k=5) == {"a", "b"}
    assert suppressed_parts({"a": group(10), "b": group(6), "c": group(3)}, k=5) == {"b", "c"}


def test_hidden_parts_that_together_reach_the_threshold_are_enough():
    assert suppressed_parts({"a": group(10), "b": group(3), "c": group(2)}, k=5) == {"b", "c"}


def test_empty_parts_need_no_hiding():
    assert suppressed_parts({"a": group(10), "b": group(0)}, k=5) == set()
    assert suppressed_parts({"a": group(10), "b": group(7)}, k=5) == set()


@pytest.mark.django_db
def test_total_minus_shown_groups_never_recovers_a_lone_key_person(org_a, version):
    """No complementary suppression any more: the groups beside the lone key person are
    shown, and the attacker's subtraction gives that person's score plus the noise of three
    cells (results.disclosure), far from it on average."""
    round_ = make_round(org_a, version)
    submit(link(round_, "politician"), 6, value=2)
    submit(link(round_, "official"), 6, value=3)
    submit(link(round_, "key_person"), 1, value=4)  # the one person an attacker wants
    results = round_results(publish(round_))
    assert results.enough
    groups = {g.key: g.pk for g in results.groups}
    submitted = {rate["group"].key: rate["submitted"] for rate in results.response_rates}
    misses = []
    for row in results.areas + results.goals + results.prerequisites:
        assert row.by_group[groups["key_person"]].suppressed
        politicians = row.by_group[groups["politician"]]
        officials = row.by_group[groups["official"]]
        assert politicians.estimate and officials.estimate  # shown beside the hidden one
        recovered = (
            row.total.mean * 13
            - politicians.mean * submitted["politician"]
            - officials.mean * submitted["official"]
        )
        misses.append(abs(recovered - 4))
    assert sum(misses) / len(misses) >= 0.75


@pytest.mark.django_db
def test_total_minus_shown_genders_never_recovers_a_lone_man(org_a, version):
    round_ = make_round(org_a, version)
    submit(link(round_, "official"), 7, value=2, gender="woman")
    submit(link(round_, "official"), 5, value=3, gender="undisclosed")
    submit(link(round_, "official"), 1, value=5, gender="man")
    results = round_results(publish(round_))
    for row in results.areas:
        assert row.by_gender["man"].suppressed
        hidden = [key for key, figure in row.by_gender.items() if figure.suppressed]
        assert len(hidden) >= 2


@pytest.mark.django_db
def test_fewer_than_the_threshold_shows_no_figures_at_all(client_a, org_a, version):
    from django.urls import reverse

    round_ = make_round(org_a, version)
    submit(link(round_, "politician"), 4, value=5)
    results = round_results(publish(round_))
    assert not results.enough
    assert all(row.total.suppressed for row in results.areas + results.goals)
    page = client_a.get(reverse("results:round_results", args=[round_.pk])).content.decode()
    assert "5,0" not in page and "5.0" not in page
    assert "results.pdf" not in page


@pytest.mark.django_db
def test_a_goal_where_few_gave_ratings_shows_no_mean(org_a, version):
    round_ = make_round(org_a, version)
    first_goal_items = set()

    def value(i, item):
        # On the first goal, only respondents 0–2 rate; the others answer "don't know".
        if not first_goal_items:
            first_goal_items.add(item.goal_id)
        if item.goal_id in first_goal_items and i > 2:
            return None
        return 4

    submit(link(round_, "official"), 8, value=value)
    results = round_results(publish(round_))
    row = next(r for r in results.goals if r.unit.pk in first_goal_items)
    assert row.total.suppressed
    assert row.total.estimate is None


@pytest.mark.django_db
def test_small_organisations_are_left_out_of_comparisons(org_a, org_b, version):
    big = make_round(org_a, version)
    small = make_round(org_b, version)
    submit(link(big, "official"), 6, value=1)
    submit(link(small, "official"), 3, value=5)
    publish(small)
    results = round_results(publish(big))
    for row in results.goals:
        national = row.comparisons["national"]
        # Exactly the big organisation's respondents: the same cell key, the same figure.
        assert national == row.total
        assert abs(national.estimate.mean - 1.0) < 1.7


@pytest.mark.django_db
def test_filters_select_whole_organisations_that_pass_on_their_own(org_a, org_b, version):
    from assessments.models import Round
    from results.national import Filters, national_picture

    submit(link(make_round(org_a, version), "official"), 6, value=2)
    submit(link(make_round(org_b, version), "official"), 2, value=5)
    for round_ in Round.objects.all():
        publish(round_)
    everything = national_picture(version, Filters())
    skane = national_picture(version, Filters(county="12"))
    assert [row.organisation.code for row, _ in everything.standings] == ["1287"]
    assert everything.participating == 2 and everything.included == 1
    # Differencing "all" and "Skåne" only ever yields organisations that passed on their own:
    # here none, so both are the same respondents with the same perturbed figure.
    for goal in everything.goals:
        assert everything.national[goal.pk] == skane.national[goal.pk]
        assert abs(everything.national[goal.pk].respondents - 6) <= 3
