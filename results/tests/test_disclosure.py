"""The cell-key perturbation (results.disclosure) against the attacks of issue 21, simulated
over many rounds with the product's own functions, and its intervals' honesty.

Each simulation has a fixed seed, so a run is repeatable; the figures it reaches are quoted
in ``docs/privacy-model.md`` (run ``pytest results/tests/test_disclosure.py -s`` to print
them).
"""

import functools
import random
from pathlib import Path

import pytest
import yaml

from results import disclosure
from results.figures import Figure
from results.statistics import Sums

FRAMEWORK = Path(__file__).resolve().parents[2] / "frameworks" / "data" / "default_framework.yaml"
K = 5
ROUNDS = 1000


@functools.cache
def politician_units():
    """{(kind, key): [item index]} over the items a politician answers, from the framework."""
    data = yaml.safe_load(FRAMEWORK.read_text(encoding="utf-8"))
    units, index = {}, 0
    for area in data["goal_areas"]:
        for goal in area["goals"]:
            for item in goal["items"]:
                if "politician" not in item["target_groups"]:
                    continue
                units.setdefault(("goal", goal["key"]), []).append(index)
                units.setdefault(("area", area["key"]), []).append(index)
                for key in item["prerequisites"]:
                    units.setdefault(("prerequisite", key), []).append(index)
                index += 1
    return units, index


def cell(answers, keys, items) -> Sums:
    """The exact sums of one cell, as publication computes them."""
    scores = [sum(a[i] for i in items) / len(items) for a in answers]
    counts = [0] * 5
    for a in answers:
        for i in items:
            counts[a[i] - 1] += 1
    return Sums(
        len(answers),
        len(answers),
        sum(scores),
        sum(s * s for s in scores),
        tuple(counts),
        0,
        sum(keys) % disclosure.KEY_MODULUS,
    )


def unit_id(unit) -> int:
    return abs(hash(unit)) % 10_000


COUNT_VARIANCE = disclosure.COUNTS.variance


def padding_attack(padded: int, rng: random.Random):
    """One round: the chair answers at random, ``padded`` addresses of the coordinator's own
    answer 3 everywhere. The attacker reads every published figure as shown (one decimal):
    the means of goals, goal areas and prerequisites and the distributions of goal areas
    (what a round's page, PDF and workbook publish), knows the scheme and its parameters, and
    combines what each unit gives by inverse variance; per goal, then over all goals with the
    goal areas and prerequisites as further estimates of the chair's overall level (an
    advantage: they weigh the items otherwise than the goals do)."""
    units, items = politician_units()
    chair = [rng.randint(1, 5) for _ in range(items)]
    answers = [chair] + [[3] * items for _ in range(padded)]
    keys = [rng.getrandbits(32) for _ in answers]
    n = len(answers)
    estimates = {}
    for unit, members in units.items():
        figure = Figure.of(cell(answers, keys, members), (unit[0], unit_id(unit)))
        m = len(members)
        from_mean = figure.mean * n - 3 * padded
        mean_variance = disclosure.SUM_SD**2 + (n * 0.05) ** 2 / 3
        shares = figure.distribution
        total = sum(shares)
        counts = [share / total * (m * n) for share in shares] if total else [0] * 5
        known = [0, 0, m * padded, 0, 0]
        from_counts = sum((v + 1) * (counts[v] - known[v]) for v in range(5)) / m
        # Σ(v − 3)² = 10 over the steps; the noise per count is scaled by √m.
        counts_variance = 10 * COUNT_VARIANCE * m / m**2
        if unit[0] != "area":  # only goal areas' distributions are published per round
            from_counts, counts_variance = 0.0, float("inf")
        weight_mean, weight_counts = 1 / mean_variance, 1 / counts_variance
        estimates[unit] = (
            (from_mean * weight_mean + from_counts * weight_counts) / (weight_mean + weight_counts),
            1 / (weight_mean + weight_counts),
        )
    goal_errors, exact, truths = [], 0, []
    for unit, members in units.items():
        if unit[0] != "goal":
            continue
        m = len(members)
        truth = sum(chair[i] for i in members) / m
        truths.append(truth)
        guess = min(5.0, max(1.0, estimates[unit][0]))
        goal_errors.append(abs(guess - truth))
        exact += abs(round(guess * m) / m - truth) < 1e-9
    goals = [estimates[u] for u in units if u[0] == "goal"]
    others = [estimates[u] for u in units if u[0] != "goal"]
    level_goals = sum(e for e, _ in goals) / len(goals)
    variance_goals = sum(v for _, v in goals) / len(goals) ** 2
    level_others = sum(e for e, _ in others) / len(others)
    variance_others = sum(v for _, v in others) / len(others) ** 2
    level = (level_goals / variance_goals + level_others / variance_others) / (
        1 / variance_goals + 1 / variance_others
    )
    overall_error = abs(level - sum(truths) / len(truths))
    return goal_errors, exact, overall_error


@pytest.mark.parametrize("padded", [K - 1, K, K + 1])
def test_padding_a_round_does_not_reveal_the_one_real_answer(padded):
    rng = random.Random(2100 + padded)
    goal_errors, exact, overall = [], 0, []
    for _ in range(ROUNDS):
        errors, hits, level = padding_attack(padded, rng)
        goal_errors += errors
        exact += hits
        overall.append(level)
    miss = sum(goal_errors) / len(goal_errors)
    share_exact = exact / len(goal_errors)
    overall_miss = sum(overall) / len(overall)
    print(
        f"\npadding, cell of {padded + 1}: goal score missed by {miss:.2f} on average, "
        f"exact on {share_exact:.1%} of goals, overall level missed by {overall_miss:.2f}"
    )
    assert miss >= 0.75
    assert share_exact <= 1 / 3
    assert overall_miss >= 0.25


def test_answer_counts_cannot_be_read_from_a_padded_distribution():
    """One goal item, the chair and four 3s: the attacker picks the answer whose count rose
    most over the known counts. Right about as often as a guess, never reliably."""
    rng = random.Random(7)
    right = 0
    for _ in range(ROUNDS):
        answer = rng.randint(1, 5)
        keys = [rng.getrandbits(32) for _ in range(5)]
        counts = [0, 0, 4, 0, 0]
        counts[answer - 1] += 1
        sums = Sums(5, 5, 12.0 + answer, 36.0 + answer**2, tuple(counts), 0, sum(keys))
        shown = disclosure.protect(sums, ("goal", 1), K)
        rise = [shown.counts[v] - (4 if v == 2 else 0) for v in range(5)]
        right += rise.index(max(rise)) + 1 == answer
    print(f"\ncounts: the answer read from the distribution on {right / ROUNDS:.1%} of rounds")
    assert right / ROUNDS <= 1 / 3


@pytest.mark.parametrize("n", [5, 8, 20])
def test_a_group_that_all_gave_one_answer_does_not_look_so(n):
    """Homogeneity: no published part of a cell whose members all answered 1 tells a reader
    that they did. The interval never collapses to a point, and the distribution shows one
    answer only about as often as it does for a group where one person differs."""
    rng = random.Random(11 + n)
    alike_single, mixed_single = 0, 0
    for _ in range(ROUNDS):
        key = rng.getrandbits(32)
        alike = disclosure.protect(Sums(n, n, n, n, (n, 0, 0, 0, 0), 0, key), ("goal", 3), K)
        # Not a point, also as shown with one decimal.
        assert round(alike.estimate.low, 1) < round(alike.estimate.high, 1)
        alike_single += sum(1 for c in alike.counts if c) == 1
        mixed = disclosure.protect(
            Sums(n, n, n + 1, n + 3, (n - 1, 1, 0, 0, 0), 0, key), ("goal", 3), K
        )
        mixed_single += sum(1 for c in mixed.counts if c) == 1
    print(
        f"\nhomogeneity, n={n}: one answer shown for {alike_single / ROUNDS:.1%} of alike "
        f"groups and {mixed_single / ROUNDS:.1%} of groups where one differs"
    )
    assert alike_single / ROUNDS <= 0.05
    # Seeing one answer is no proof: it happens at least a quarter as often when one differs.
    assert mixed_single >= alike_single / 4


def respondent_scores(rng, n):
    """Scores of n respondents on a three-item goal: a level per person, items around it."""
    scores, counts = [], [0] * 5
    for _ in range(n):
        level = rng.gauss(3.0, 0.8)
        values = [min(5, max(1, round(level + rng.gauss(0, 0.7)))) for _ in range(3)]
        scores.append(sum(values) / 3)
        for value in values:
            counts[value - 1] += 1
    return scores, counts


@pytest.mark.parametrize("n", [5, 10, 30, 100])
def test_the_interval_covers_the_true_mean_ninety_five_times_in_a_hundred(n):
    rng = random.Random(95 + n)
    population = [s for _ in range(200) for s in respondent_scores(rng, 100)[0]]
    truth = sum(population) / len(population)
    rounds, covered = 3000, 0
    for _ in range(rounds):
        scores, counts = respondent_scores(rng, n)
        sums = Sums(
            n, n, sum(scores), sum(s * s for s in scores), tuple(counts), 0, rng.getrandbits(32)
        )
        estimate = disclosure.protect(sums, ("goal", 5), K).estimate
        covered += estimate.low <= truth <= estimate.high
    print(f"\ncoverage at n={n}: {covered / rounds:.1%}")
    assert 0.93 <= covered / rounds <= 0.97


def test_an_area_minus_its_shown_goals_does_not_yield_the_hidden_goal():
    """Across units: one rater on a goal (four said "don't know"), so that goal is hidden;
    the area's counts minus its three shown goals' counts leave the hidden goal's answers
    plus the noise of four cells, not its answers."""
    rng = random.Random(3)
    exact = 0
    for _ in range(ROUNDS):
        keys = [rng.getrandbits(32) for _ in range(5)]
        hidden_answer = rng.randint(1, 5)
        shown_goals = []
        area_counts = [0] * 5
        area_counts[hidden_answer - 1] += 1
        for goal in range(3):
            counts = [0] * 5
            for _ in range(5):
                counts[rng.randint(1, 5) - 1] += 1
            shown_goals.append(
                disclosure.protect(
                    Sums(5, 5, 15.0, 50.0, tuple(counts), 0, sum(keys)), ("goal", goal), K
                ).counts
            )
            area_counts = [a + c for a, c in zip(area_counts, counts, strict=True)]
        area = disclosure.protect(
            Sums(5, 5, 15.0, 50.0, tuple(area_counts), 4, sum(keys)), ("area", 1), K
        ).counts
        remainder = [area[v] - sum(goal[v] for goal in shown_goals) for v in range(5)]
        exact += remainder == [1 if v + 1 == hidden_answer else 0 for v in range(5)]
    print(f"\nacross units: the hidden goal's answers recovered exactly on {exact} of {ROUNDS}")
    assert exact / ROUNDS <= 0.02


def test_the_same_respondents_get_the_same_noise_and_one_more_gets_other_noise():
    sums = Sums(6, 6, 18.0, 56.0, (0, 2, 2, 2, 0), 1, 123456)
    first = disclosure.protect(sums, ("goal", 9), K)
    assert disclosure.protect(sums, ("goal", 9), K) == first  # pages, files, API, republish
    assert disclosure.protect(sums, ("goal", 10), K) != first  # another unit, other noise
    one_more = sums + Sums(1, 1, 3.0, 9.0, (0, 0, 1, 0, 0), 0, 987654)
    assert disclosure.protect(one_more, ("goal", 9), K).estimate.mean != first.estimate.mean
