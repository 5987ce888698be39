"""How often the effect page says "clear" when the programme did nothing, simulated with the
product's own functions (``plans.effect.goal_effect`` and ``judge``, which ``national_effect``
uses): per goal, the organisations that worked on it and the others change alike on average,
with different spreads, and the page must say "clear" for at most 5 % of goals — and, with
the false discovery rate across the 16 goals, for any goal in at most 5 % of programmes."""

import numpy as np
import pytest

from plans import effect

GOALS = 16
PROGRAMMES = 500  # x 16 goals: the per-goal rate's standard error is about 0.2 points


def simulate_effects(worked_n, others_n, worked_sd, others_sd, seed, programmes=PROGRAMMES):
    """(share of goals called clear, share of programmes with any goal called clear, share of
    goals given a verdict at all) when nothing works."""
    rng = np.random.default_rng(seed)
    clear_goals = any_clear = judged = 0
    for _ in range(programmes):
        effects = [
            effect.goal_effect(
                f"g{g}",
                f"g{g}",
                list(rng.normal(0.1, worked_sd, worked_n)),
                list(rng.normal(0.1, others_sd, others_n)),
            )
            for g in range(GOALS)
        ]
        said = [e.verdict for e in effect.judge(effects)]
        clear_goals += sum(v.is_clear for v in said)
        any_clear += any(v.is_clear for v in said)
        judged += sum(not v.too_few for v in said)
    goals = programmes * GOALS
    return clear_goals / goals, any_clear / programmes, judged / goals


@pytest.mark.parametrize(
    "worked_n, others_n, worked_sd, others_sd",
    [
        (5, 176, 0.3, 0.3),
        (5, 176, 0.5, 0.2),  # the few are more spread out
        (5, 176, 0.15, 0.4),  # the few are less spread out
        (10, 10, 0.3, 0.3),
        (10, 10, 0.5, 0.2),
    ],
)
def test_no_effect_is_rarely_called_clear(worked_n, others_n, worked_sd, others_sd, settings):
    settings.DIGILYFT_EFFECT_MIN_ORGANISATIONS = 5
    per_goal, per_programme, judged = simulate_effects(
        worked_n, others_n, worked_sd, others_sd, seed=worked_n * 1000 + others_n
    )
    assert judged == 1.0  # every goal had enough organisations to be judged
    assert per_goal <= 0.05
    assert per_programme <= 0.05


def test_below_the_minimum_there_is_no_verdict(settings):
    settings.DIGILYFT_EFFECT_MIN_ORGANISATIONS = 5
    _per_goal, per_programme, judged = simulate_effects(4, 176, 0.3, 0.3, seed=1, programmes=20)
    assert judged == 0.0 and per_programme == 0.0


def test_the_default_minimum_is_five(settings):
    del settings.DIGILYFT_EFFECT_MIN_ORGANISATIONS
    assert effect.minimum_organisations() == 5


def test_a_real_effect_is_still_found(settings):
    settings.DIGILYFT_EFFECT_MIN_ORGANISATIONS = 5
    rng = np.random.default_rng(3)
    found = 0
    for _ in range(100):
        worked = list(rng.normal(0.6, 0.3, 10))
        others = list(rng.normal(0.0, 0.3, 10))
        (result,) = effect.judge([effect.goal_effect("g", "g", worked, others)])
        found += result.is_clear
    assert found > 80
