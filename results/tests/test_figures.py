import pytest

from results.aggregation import ensure_fresh, refresh_all, stale_rounds
from results.figures import round_results
from results.models import ResultCell, UnitKind

from .factories import link, make_round, submit

pytestmark = pytest.mark.django_db


def test_cells_hold_the_exact_sums_of_respondent_scores(org_a, version):
    round_ = make_round(org_a, version)
    official = link(round_, "official")
    # Respondent i rates every item i+1 (1..5), plus one who says "don't know" to all.
    submit(official, 5, value=lambda i, item: i + 1)
    submit(official, 1, value=None)
    refresh_all()
    area = version.goal_areas.first()
    cell = ResultCell.objects.get(round=round_, unit_kind=UnitKind.AREA, unit_id=area.pk)
    assert cell.respondents == 6
    assert cell.rated == 5
    assert cell.score_sum == pytest.approx(1 + 2 + 3 + 4 + 5)
    assert cell.score_sq_sum == pytest.approx(1 + 4 + 9 + 16 + 25)
    items = official.target_group.items.filter(goal__area=area).count()
    assert (cell.count_1, cell.count_5, cell.count_dk) == (items, items, items)


def test_results_per_goal_area_and_goal(org_a, version):
    round_ = make_round(org_a, version)
    submit(link(round_, "politician"), 5, value=5)
    submit(link(round_, "official"), 5, value=1)
    results = round_results(round_)
    assert results.respondents == 10
    for row in results.areas:
        assert row.total.estimate.mean == pytest.approx(3.0)
        assert row.total.respondents == 10
        assert row.total.dont_know == 0
        # Answer-level shares: officials see more items than politicians in some areas.
        ones = (
            5 * version.target_groups.get(key="official").items.filter(goal__area=row.unit).count()
        )
        fives = (
            5
            * version.target_groups.get(key="politician").items.filter(goal__area=row.unit).count()
        )
        assert row.total.distribution == pytest.approx(
            [ones / (ones + fives), 0, 0, 0, fives / (ones + fives)]
        )
    goal_row = results.goals[0]
    groups = {g.key: g.pk for g in results.groups}
    assert goal_row.by_group[groups["politician"]].mean == 5
    assert goal_row.by_group[groups["official"]].mean == 1
    assert goal_row.gap.value == pytest.approx(4.0)
    assert goal_row.gap_is_large


def test_a_small_noisy_gap_is_not_flagged(org_a, version):
    round_ = make_round(org_a, version)
    submit(link(round_, "politician"), 5, value=lambda i, item: [1, 5, 2, 4, 3][i])
    submit(link(round_, "official"), 5, value=lambda i, item: [1, 5, 3, 4, 2][i])
    results = round_results(round_)
    assert not any(row.gap_is_large for row in results.goals)


def test_strongest_and_weakest_goals(org_a, version):
    round_ = make_round(org_a, version)
    goals = list(version.goal_areas.first().goals.all())
    ranked = {goals[0].pk: 5, goals[1].pk: 1}
    submit(link(round_, "official"), 6, value=lambda i, item: ranked.get(item.goal_id, 3))
    results = round_results(round_)
    assert results.strongest[0].unit == goals[0]
    assert results.weakest[0].unit == goals[1]
    assert len(results.strongest) == len(results.weakest) == 3


def test_change_since_the_previous_round(org_a, version):
    before = make_round(org_a, version, name="Före", days_ago=400)
    after = make_round(org_a, version, name="Efter", days_ago=1)
    submit(link(before, "official"), 8, value=lambda i, item: 2 if i % 2 else 1)
    submit(link(after, "official"), 8, value=lambda i, item: 4 if i % 2 else 5)
    results = round_results(after)
    assert results.previous == before
    for row in results.goals:
        assert row.change.value == pytest.approx(3.0)
        assert row.change.is_clear


def test_new_submissions_make_the_round_stale_until_rebuilt(org_a, version):
    round_ = make_round(org_a, version)
    submit(link(round_, "official"), 5)
    assert list(stale_rounds()) == [round_]
    ensure_fresh()
    assert not stale_rounds().exists()
    submit(link(round_, "official"), 1)
    assert list(stale_rounds()) == [round_]
    assert round_results(round_).respondents == 6


def test_response_rate_uses_the_number_invited(org_a, version):
    round_ = make_round(org_a, version)
    official = link(round_, "official")
    official.invited_count = 20
    official.save()
    submit(official, 5)
    rates = {r["group"].key: r for r in round_results(round_).response_rates}
    assert rates["official"]["rate"] == pytest.approx(0.25)
    assert rates["politician"]["rate"] is None


def test_the_refresh_command_rebuilds_stale_rounds(org_a, version):
    from django.core.management import call_command

    round_ = make_round(org_a, version)
    submit(link(round_, "official"), 5)
    call_command("refresh_results", verbosity=0)
    assert not stale_rounds().exists()
    assert ResultCell.objects.filter(round=round_).exists()
    call_command("refresh_results", "--all", verbosity=0)
    assert ResultCell.objects.filter(round=round_).exists()
