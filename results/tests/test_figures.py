import pytest
from django.core.management import call_command

from results.figures import round_results
from results.models import Publication, PublishedFigure, UnitKind

from .factories import expected_figure, link, make_round, publish, submit

pytestmark = pytest.mark.django_db


def _total(round_, kind, unit):
    return PublishedFigure.objects.get(
        round=round_, unit_kind=kind, unit_id=unit.pk, target_group_id=None, gender=""
    )


def test_published_figures_hold_the_exact_sums_of_respondent_scores(org_a, version):
    round_ = make_round(org_a, version)
    official = link(round_, "official")
    # Respondent i rates every item i+1 (1..5), plus one who says "don't know" to all.
    submit(official, 5, value=lambda i, item: i + 1)
    submit(official, 1, value=None)
    publish(round_)
    area = version.goal_areas.first()
    figure = _total(round_, UnitKind.AREA, area)
    # The "don't know"-only respondent gave no rating, so counts nowhere.
    assert figure.respondents == 5
    assert figure.score_sum == pytest.approx(1 + 2 + 3 + 4 + 5)
    assert figure.score_sq_sum == pytest.approx(1 + 4 + 9 + 16 + 25)
    items = official.target_group.items.filter(goal__area=area).count()
    assert (figure.count_1, figure.count_5, figure.count_dk) == (items, items, 0)
    assert Publication.objects.get(round=round_).respondents == 5


def test_nothing_is_published_while_the_round_is_open(org_a, version):
    round_ = make_round(org_a, version)
    submit(link(round_, "official"), 8)
    results = round_results(round_)
    assert not results.published
    assert results.areas == results.goals == []
    assert not PublishedFigure.objects.exists()
    # Counts are all an open round shows.
    rates = {r["group"].key: r["submitted"] for r in results.response_rates}
    assert rates["official"] == 8


def test_results_per_goal_area_and_goal(org_a, version):
    round_ = make_round(org_a, version)
    politicians = submit(link(round_, "politician"), 5, value=5)
    officials = submit(link(round_, "official"), 5, value=1)
    results = round_results(publish(round_))
    assert results.respondents == 10
    for row in results.areas:
        ones = (
            5 * version.target_groups.get(key="official").items.filter(goal__area=row.unit).count()
        )
        fives = (
            5
            * version.target_groups.get(key="politician").items.filter(goal__area=row.unit).count()
        )
        expected = expected_figure(
            politicians + officials,
            ("area", row.unit.pk),
            [5] * 5 + [1] * 5,
            (ones, 0, 0, 0, fives),
        )
        # Perturbed (results.disclosure) by the cell key of exactly these ten respondents.
        assert row.total.estimate == expected.estimate
        assert abs(row.total.estimate.mean - 3.0) < 1.0
        assert row.total.estimate.low < 3.0 < row.total.estimate.high
        assert row.total.respondents == expected.respondents
        # Shares are held at whole percent, as every output shows them.
        assert row.total.distribution == expected.distribution
        assert row.total.dont_know == expected.dont_know
    goal_row = results.goals[0]
    groups = {g.key: g.pk for g in results.groups}
    unit = ("goal", goal_row.unit.pk)
    politician_figure = goal_row.by_group[groups["politician"]]
    assert politician_figure.estimate == expected_figure(politicians, unit, 5, (0,) * 5).estimate
    assert goal_row.by_group[groups["official"]].mean == (
        expected_figure(officials, unit, 1, (0,) * 5).mean
    )
    assert goal_row.gap.value == pytest.approx(
        politician_figure.estimate.mean - goal_row.by_group[groups["official"]].estimate.mean
    )
    assert goal_row.gap.value > 2


def test_a_clear_large_gap_is_flagged(org_a, version):
    round_ = make_round(org_a, version)
    submit(link(round_, "politician"), 6, value=lambda i, item: [5, 4, 5, 4, 5, 4][i])
    submit(link(round_, "official"), 6, value=lambda i, item: [1, 2, 1, 2, 1, 2][i])
    results = round_results(publish(round_))
    assert all(row.gap_is_large for row in results.goals if row.gap)


def test_a_small_noisy_gap_is_not_flagged(org_a, version):
    round_ = make_round(org_a, version)
    submit(link(round_, "politician"), 5, value=lambda i, item: [1, 5, 2, 4, 3][i])
    submit(link(round_, "official"), 5, value=lambda i, item: [1, 5, 3, 4, 2][i])
    results = round_results(publish(round_))
    assert not any(row.gap_is_large for row in results.goals)


def test_strongest_and_weakest_goals(org_a, version):
    round_ = make_round(org_a, version)
    goals = list(version.goal_areas.first().goals.all())
    ranked = {goals[0].pk: 5, goals[1].pk: 1}
    submit(link(round_, "official"), 6, value=lambda i, item: ranked.get(item.goal_id, 3))
    results = round_results(publish(round_))
    assert results.strongest[0].unit == goals[0]
    assert results.weakest[0].unit == goals[1]
    assert len(results.strongest) == len(results.weakest) == 3


def test_change_since_the_previous_published_round(org_a, version):
    before = make_round(org_a, version, name="Före", days_ago=400)
    after = make_round(org_a, version, name="Efter", days_ago=1)
    submit(link(before, "official"), 8, value=lambda i, item: 2 if i % 2 else 1)
    submit(link(after, "official"), 8, value=lambda i, item: 4 if i % 2 else 5)
    publish(before)
    results = round_results(publish(after))
    assert results.previous == before
    for row in results.goals:
        # Both means carry deliberate noise of about 1.5 / 8 points (results.disclosure).
        assert abs(row.change.value - 3.0) < 1.8
        assert row.change.p_value < 0.05


def test_an_unpublished_earlier_round_is_not_compared(org_a, version):
    before = make_round(org_a, version, name="Före", days_ago=400)
    after = make_round(org_a, version, name="Efter", days_ago=1)
    submit(link(before, "official"), 8)
    submit(link(after, "official"), 8)
    assert round_results(publish(after)).previous is None


def test_response_rate_uses_the_number_invited(org_a, version):
    round_ = make_round(org_a, version)
    official = link(round_, "official")
    official.invited_count = 20
    official.save()
    submit(official, 5)
    rates = {r["group"].key: r for r in round_results(round_).response_rates}
    assert rates["official"]["rate"] == pytest.approx(0.25)
    assert rates["politician"]["rate"] is None


def test_the_daily_command_publishes_rounds_whose_closing_date_passed(org_a, version):
    from datetime import timedelta

    from django.utils import timezone

    closed = make_round(org_a, version, name="Stängd", days_ago=40)
    closed.closes_on = timezone.localdate() - timedelta(days=1)
    closed.save()
    still_open = make_round(org_a, version, name="Öppen")
    submit(link(closed, "official"), 5)
    submit(link(still_open, "official"), 5)
    call_command("publish_results", verbosity=0)
    assert Publication.objects.filter(round=closed).exists()
    assert not Publication.objects.filter(round=still_open).exists()
    first = list(PublishedFigure.objects.filter(round=closed).values_list("pk", flat=True))
    call_command("publish_results", verbosity=0)  # idempotent: nothing republished
    assert list(PublishedFigure.objects.filter(round=closed).values_list("pk", flat=True)) == first


def test_published_figures_cannot_be_changed(org_a, version):
    from django.core.exceptions import ValidationError

    round_ = make_round(org_a, version)
    submit(link(round_, "official"), 5)
    publish(round_)
    figure = PublishedFigure.objects.filter(round=round_).first()
    figure.score_sum = 0
    with pytest.raises(ValidationError):
        figure.save()


def test_a_publication_from_before_record_keys_is_rekeyed_once(org_a, version):
    round_ = make_round(org_a, version)
    submit(link(round_, "official"), 6, value=2)
    publish(round_)
    # As a round published before migration 0006 would look: no cell keys, no pool cells.
    PublishedFigure.objects.filter(round=round_).update(cell_key=None)
    from results.models import PoolCell

    PoolCell.objects.filter(round=round_).delete()
    call_command("rekey_publications", stdout=open("/dev/null", "w"))  # noqa: SIM115
    publication = Publication.objects.get(round=round_)
    assert publication.edition == 2
    shown = PublishedFigure.objects.filter(round=round_, status="shown")
    assert shown.exists() and not shown.filter(cell_key__isnull=True).exists()
    assert PoolCell.objects.filter(round=round_).exists()
    call_command("rekey_publications", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Publication.objects.get(round=round_).edition == 2  # nothing more to do
