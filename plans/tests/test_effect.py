"""The programme's effect: a difference in differences over organisations, checked against a
small national scenario computed by hand, and the "too few to tell" path."""

import math
from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import Round
from conftest import make_org
from frameworks.models import Goal
from learning.models import RequestedGoal, StatusChange, WorkshopRequest
from plans import actions, effect
from plans.models import ActionPlan, Activity, PlanEvent, PlanGoal
from results.models import Publication, PublishedFigure, UnitKind
from results.statistics import t_quantile
from results.tests.factories import make_round

N = 5  # respondents behind every published figure here


@pytest.fixture(autouse=True)
def small_minimum(settings):
    """The mechanics are checked here with a handful of organisations, so the minimum per side
    is lowered to 2; the default (5) and what it guards against are tested in
    ``test_effect_simulation``."""
    settings.DIGILYFT_EFFECT_MIN_ORGANISATIONS = 2


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


BASELINE_CLOSED = 370  # days ago; the follow-up opened 10 days ago
IN_WINDOW = 100  # days ago: between the two rounds


def days_ago(days):
    return timezone.localdate() - timedelta(days=days)


def at_noon(days):
    return timezone.make_aware(datetime.combine(days_ago(days), time(12)))


def organisation(code, version, goal, before, after, other=None):
    org = make_org(code, f"Kommun {code}")
    base = make_round(org, version, name="Baslinje", days_ago=400, kind="baseline")
    Round.objects.filter(pk=base.pk).update(closes_on=days_ago(BASELINE_CLOSED))
    follow = make_round(org, version, name="Uppföljning", days_ago=10, kind="follow_up")
    publish_means(base, {goal: before, **({other: 3.0} if other else {})})
    publish_means(follow, {goal: after, **({other: 3.0} if other else {})})
    return org


def plan_on(org, goal, days=IN_WINDOW, status=Activity.Status.DONE):
    """An action plan on ``goal`` with one activity set to ``status`` ``days`` ago."""
    plan = ActionPlan.objects.create(organisation=org)
    plan_goal = PlanGoal.objects.create(plan=plan, goal_key=goal.key, goal_name=goal.name_sv)
    activity = actions.add_activity(
        plan_goal, None, what="Utbildning", responsible="IT-chef", due_on=days_ago(days)
    )
    actions.change_status(activity, status, None)
    PlanEvent.objects.filter(plan=plan).update(at=at_noon(days))
    return plan


def held_workshop_on(org, goal, days=IN_WINDOW):
    workshop = WorkshopRequest.objects.create(
        organisation=org,
        format="half_day",
        status=WorkshopRequest.Status.HELD,
        wished_date_1=days_ago(days),
        scheduled_start=at_noon(days),
    )
    RequestedGoal.objects.create(request=workshop, goal_key=goal.key, goal_name="", reasons="")
    return workshop


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
    df = 1  # min(2, 3) − 1: honest for few organisations (Satterthwaite's would be ≈ 1.44)
    assert result.df == pytest.approx(df)
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


@pytest.fixture
def known_effect(version, goals):
    """Eight organisations: four gained about 1.0 on goal 1, four about nothing. Returns a
    function that marks the first four as having worked on the goal ``days`` ago."""
    goal = goals[0]
    changes = [(2.0, 3.1), (2.2, 3.1), (2.4, 3.5), (2.0, 2.9)] + [
        (2.0, 2.1),
        (2.2, 2.1),
        (2.4, 2.5),
        (2.0, 1.9),
    ]
    orgs = [
        organisation(f"{i:04d}", version, goal, before, after)
        for i, (before, after) in enumerate(changes)
    ]
    return goal, orgs[:4]


@pytest.mark.parametrize("days", [IN_WINDOW, BASELINE_CLOSED - 1, 11])
def test_workshops_held_between_the_rounds_count(known_effect, days):
    goal, movers = known_effect
    for org in movers:
        held_workshop_on(org, goal, days=days)
    (result,) = effect.programme_effect()
    assert (result.worked_n, result.others_n) == (4, 4)
    assert result.value == pytest.approx(1.0) and result.is_clear


@pytest.mark.parametrize(
    "days",
    [
        420,  # before the baseline opened
        BASELINE_CLOSED + 10,  # while the baseline was open
        BASELINE_CLOSED,  # the baseline's closing day: people could still answer
        10,  # the follow-up's opening day
        2,  # while the follow-up is open
    ],
)
def test_work_outside_the_window_does_not_count(known_effect, days):
    goal, movers = known_effect
    for index, org in enumerate(movers):
        if index % 2:
            held_workshop_on(org, goal, days=days)
        else:
            plan_on(org, goal, days=days)
    (result,) = effect.programme_effect()
    # Nobody worked on it inside the window: all eight are "did not", and no effect is shown.
    assert (result.worked_n, result.others_n) == (0, 8) and result.too_few


def test_an_activity_only_planned_or_dropped_is_no_work(known_effect):
    goal, movers = known_effect
    plan_on(movers[0], goal, status=Activity.Status.DROPPED)
    plan = ActionPlan.objects.create(organisation=movers[1])
    plan_goal = PlanGoal.objects.create(plan=plan, goal_key=goal.key, goal_name="")
    actions.add_activity(plan_goal, None, what="X", responsible="IT-chef", due_on=days_ago(99))
    PlanEvent.objects.filter(plan=plan).update(at=at_noon(IN_WINDOW))
    assert effect.changes_by_goal()[goal.key][0] == []


def test_an_activity_started_in_the_window_counts(known_effect):
    goal, movers = known_effect
    for org in movers:
        plan_on(org, goal, status=Activity.Status.UNDER_WAY)
    (result,) = effect.programme_effect()
    assert result.worked_n == 4 and result.value == pytest.approx(1.0)


def test_an_early_close_opens_the_window_from_that_day(known_effect):
    goal, movers = known_effect
    early = at_noon(BASELINE_CLOSED + 20)
    Round.objects.filter(kind="baseline").update(closed_early_at=early)
    for org in movers:
        held_workshop_on(org, goal, days=BASELINE_CLOSED + 5)  # after the early close
    assert effect.programme_effect()[0].worked_n == 4


def test_a_workshop_without_a_scheduled_day_counts_on_the_day_it_was_marked_held(known_effect):
    goal, movers = known_effect
    for days, org in zip([IN_WINDOW, IN_WINDOW, 5, 5], movers):  # noqa: B905
        workshop = held_workshop_on(org, goal)
        WorkshopRequest.objects.filter(pk=workshop.pk).update(scheduled_start=None)
        change = StatusChange.objects.create(request=workshop, to_status="held")
        StatusChange.objects.filter(pk=change.pk).update(at=at_noon(days))
    assert effect.programme_effect()[0].worked_n == 2


def test_a_follow_up_that_opens_before_the_baseline_closed_makes_no_pair(version, goals):
    goal = goals[0]
    org = organisation("0001", version, goal, 2.0, 3.0)
    Round.objects.filter(organisation=org, kind="baseline").update(closes_on=days_ago(5))
    assert effect.round_pairs() == {}


def test_national_effect_gives_the_report_its_figures(scenario):
    national = effect.national_effect()
    assert national.organisations == 5 and national.minimum == 2
    assert [goal.key for goal in national.goals] == [scenario.key]
    assert national.estimated == national.goals and not national.too_few


def test_the_effect_reads_in_a_fixed_number_of_queries(known_effect, django_assert_num_queries):
    goal, movers = known_effect
    for org in movers:
        held_workshop_on(org, goal)
        plan_on(org, goal)
    with django_assert_num_queries(7):
        effect.national_effect()
