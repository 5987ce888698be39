import math

import pytest

from results.statistics import Sums, difference, estimate, t_quantile_975


def sums_of(scores):
    return Sums(
        respondents=len(scores),
        rated=len(scores),
        score_sum=sum(scores),
        score_sq_sum=sum(s * s for s in scores),
    )


def test_the_interval_uses_students_t():
    result = estimate(sums_of([1, 2, 3, 4, 5]))
    assert result.mean == pytest.approx(3.0)
    # sd = 1.5811, se = 0.7071, t(0.975, 4) = 2.776
    assert result.se == pytest.approx(0.70711, abs=1e-4)
    assert result.low == pytest.approx(3 - 2.776 * 0.70711, abs=1e-3)
    assert result.high == pytest.approx(3 + 2.776 * 0.70711, abs=1e-3)


def test_the_interval_is_clipped_to_the_scale():
    result = estimate(sums_of([1, 5]))
    assert result.low == 1.0 and result.high == 5.0


def test_identical_scores_give_a_zero_width_interval():
    result = estimate(sums_of([4, 4, 4, 4, 4, 4]))
    assert result.low == result.high == 4.0


def test_no_ratings_give_no_estimate():
    assert estimate(Sums(respondents=3, rated=0)) is None


def test_t_quantiles_approach_the_normal():
    assert t_quantile_975(1) == pytest.approx(12.706)
    assert t_quantile_975(35) == pytest.approx(2.042)  # the next smaller tabled df (30)
    assert t_quantile_975(10_000) == pytest.approx(1.96)
    with pytest.raises(ValueError):
        t_quantile_975(0)


def test_a_difference_is_clear_only_beyond_its_uncertainty():
    low = estimate(sums_of([2, 2, 3, 2, 2, 3, 2, 2]))
    high = estimate(sums_of([4, 4, 5, 4, 4, 5, 4, 4]))
    assert difference(high, low).is_clear
    noisy_a = estimate(sums_of([1, 5, 1, 5, 3]))
    noisy_b = estimate(sums_of([2, 5, 1, 5, 3]))
    assert not difference(noisy_b, noisy_a).is_clear


def test_a_single_respondent_never_makes_a_clear_difference():
    one = estimate(sums_of([5]))
    many = estimate(sums_of([1, 1, 1, 1, 2]))
    assert math.isinf(one.se)
    assert not difference(one, many).is_clear


def test_sums_add_up_to_the_union():
    a, b = sums_of([1, 2]), sums_of([3, 4, 5])
    assert estimate(a + b).mean == pytest.approx(3.0)
    assert (a + b).respondents == 5
