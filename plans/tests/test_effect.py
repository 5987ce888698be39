"""The programme's effect: a difference in differences over organisations, checked against a
small national scenario computed by hand, and the "too few to tell" path."""

import math
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import make_org
from frameworks.models import Goal
from learning.models import RequestedGoal, WorkshopRequest
from plans import effect
from plans.models import ActionPlan, PlanGoal
from results.models import Publication, PublishedFigure, UnitKind
from results.statistics import t_quantile
from results.tests.factories import make_round

N = 5  # respondents behind every published figure here


def publish_means(round_, means: dict):
    """Publish ``round_`` with the given whole-round goal means {Goal: mean} (None: suppressed)."""
    publication = Publication.objects.create(
        round=round_, published_on=timezone.localdate(), respondents=N
    )
    for goal, mean in means.items():
        common = dict(publication=publication, round=round_, unit_kind=UnitKind.GOAL)
        if mean is None:
            PublishedFigure.objects.create(**common, unit_id=goal.pk, status="suppressed")
            continue
        PublishedFigure.objects.create(
            **common,
            unit_id=goal.pk,
            status="shown",
            respondents=N,
            score_sum=mean * N,
            score_sq_sum=mean * mean * N + 1,
            count_1=0,
            count_2=0,
            count_3=N,
            count_4=0,
            count_5=0,
            count_dk=0,
        )


def organisation(code, version, goal, before, after, other=None):
    org = make_org(code, f"Kommun {code}")
    base = make_round(org, version, name="Baslinje", days_ago=400, kind="baseline")
    follow = make_round(org, version, name="Uppföljning", days_ago=10, kind="follow_up")
    publish_means(base, {goal: before, **({other: 3.0} if other else {})})
    publish_means(follow, {goal: after, **({other: 3.0} if other else {})})
    return org


def plan_on(org, goal):
    plan = ActionPlan.objects.create(organisation=org)
    PlanGoal.objects.create(plan=plan, goal_key=goal.key, goal_name=goal.name_sv)


def held_workshop_on(org, goal):
    workshop = WorkshopRequest.objects.create(
        organisation=org,
        format="half_day",
        status=WorkshopRequest.Status.HELD,
        wished_date_1=timezone.localdate() - timedelta(days=100),
    )
    RequestedGoal.objects.create(request=workshop, goal_key=goal.key, goal_name="", reasons="")


@pytest.fixture
def goals(version):
    return list(Goal.objects.filter(area__version=version)[:2])


@pytest.fixture
def scenario(version, goals):
    """Two organisations worked on goal 1 (+1.0 and +0.5), three did not (+0.2, −0.2, 0)."""
    goal = goals[0]
    plan_on(organisation("0001", version, goal, 2.0, 3.0), goal)
    held_workshop_on(organisation("0002", version, goal, 2.5, 3.0), goal)
    organisation("0003", version, goal, 2.0, 2.2)
    organisation("0004", version, goal, 3.0, 2.8)
    organisation("0005", version, goal, 2.0, 2.0)
    return goal


def test_the_difference_in_differences_matches_the_hand_computation(scenario):
    (result,) = effect.programme_effect()
    assert result.key == scenario.key
    # Worked on it: changes 1.0 and 0.5, mean 0.75, s² = 0.125, se² = 0.0625.
    # Did not: 0.2, −0.2, 0.0, mean 0, s² = 0.04, se² = 0.04 / 3.
    assert (result.worked_n, result.others_n) == (2, 3)
    assert result.worked.mean == pytest.approx(0.75)
    assert result.others.mean == pytest.approx(0.0, abs=1e-12)
    assert result.value == pytest.approx(0.75)
    var_a, var_b = 0.0625, 0.04 / 3
    df = (var_a + var_b) ** 2 / (var_a**2 / 1 + var_b**2 / 2)
    assert result.df == pytest.approx(df)  # ≈ 1.44
    half = t_quantile(0.975, df) * math.sqrt(var_a + var_b)
    assert result.low == pytest.approx(0.75 - half)
    assert result.high == pytest.approx(0.75 + half)
    assert not result.is_clear  # two and three organisations: wide, could be chance


def test_no_effect_is_not_invented(version, goals):
    goal = goals[0]
    for code, (before, after) in zip(  # noqa: B905
        ["0001", "0002", "0003", "0004"], [(2.0, 2.3), (2.5, 2.6), (2.0, 2.3), (2.5, 2.6)]
    ):
        org = organisation(code, version, goal, before, after)
        if code in ("0001", "0002"):
            plan_on(org, goal)
    (result,) = effect.programme_effect()
    assert result.value == pytest.approx(0.0, abs=1e-9)
    assert result.low < 0 < result.high and not result.is_clear


def test_a_goal_suppressed_in_either_round_leaves_the_organisation_out(version, goals):
    goal = goals[0]
    plan_on(organisation("0001", version, goal, 2.0, None), goal)
    plan_on(organisation("0002", version, goal, 2.0, 3.0), goal)
    assert effect.changes_by_goal()[goal.key] == ([1.0], [])


def test_too_few_organisations_on_a_side(version, goals, staff_client):
    goal = goals[0]
    plan_on(organisation("0001", version, goal, 2.0, 3.0), goal)
    organisation("0002", version, goal, 2.0, 2.5)
    organisation("0003", version, goal, 2.0, 2.5)
    (result,) = effect.programme_effect()
    assert result.too_few and (result.worked_n, result.others_n) == (1, 2)
    page = staff_client.get(reverse("plans:effect")).content.decode()
    assert result.value is None and 'id="effects"' in page
    assert page.count('<td class="num">1</td>') == 1  # the one organisation that worked on it


def test_the_threshold_setting_raises_the_minimum(scenario, settings):
    settings.DIGILYFT_EFFECT_MIN_ORGANISATIONS = 3
    (result,) = effect.programme_effect()
    assert result.too_few


def test_without_any_pair_of_rounds_the_page_says_too_few(staff_client, org_a, version):
    publish_means(make_round(org_a, version, kind="baseline"), {})
    page = staff_client.get(reverse("plans:effect"))
    assert page.status_code == 200 and 'id="too-few"' in page.content.decode()


def test_the_effect_page_is_for_staff_only(client_a, client):
    assert client_a.get(reverse("plans:effect")).status_code == 403


def test_a_known_effect_is_recovered_and_called_clear(version, goals):
    goal, other = goals
    worked = [(2.0, 3.1), (2.2, 3.1), (2.4, 3.5), (2.0, 2.9)]  # +1.1, +0.9, +1.1, +0.9
    others = [(2.0, 2.1), (2.2, 2.1), (2.4, 2.5), (2.0, 1.9)]  # +0.1, −0.1, +0.1, −0.1
    for i, (before, after) in enumerate(worked + others):
        org = organisation(f"{i:04d}", version, goal, before, after, other=other)
        if i < len(worked):
            plan_on(org, goal)
    by_key = {result.key: result for result in effect.programme_effect()}
    assert by_key[goal.key].value == pytest.approx(1.0)
    assert by_key[goal.key].is_clear and by_key[goal.key].low > 0.5
    # The other goal did not move anywhere and no one worked on it: nothing is invented.
    assert by_key[other.key].too_few and by_key[other.key].others_n == 8


def test_changes_without_spread_get_no_interval_and_are_not_clear(version, goals, staff_client):
    goal = goals[0]
    for i, (before, after) in enumerate([(2.0, 3.0), (2.5, 3.5), (2.0, 2.0), (3.0, 3.0)]):
        org = organisation(f"{i:04d}", version, goal, before, after)
        if i < 2:
            plan_on(org, goal)
    (result,) = effect.programme_effect()
    assert result.value == pytest.approx(1.0)
    assert not result.bounded and not result.is_clear
    assert "inf" not in staff_client.get(reverse("plans:effect")).content.decode()
