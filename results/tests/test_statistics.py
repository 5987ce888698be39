"""results.statistics against scipy (a test-only dependency): Student's t, the intervals and
the tests built on it, and the false discovery rate."""

import math

import numpy as np
import pytest
from scipy import stats

from results.statistics import (
    Sums,
    benjamini_hochberg,
    difference,
    estimate,
    paired_change,
    t_cdf,
    t_quantile,
    t_quantile_975,
    t_sf,
)

DFS = [0.5, 1, 1.5, 2, 3, 4.7, 10, 29.3, 100, 1000]
# Beyond the brief's grid: where the continued fraction works hardest, and the normal limit.
MORE_DFS = [1e4, 1e5, 1e6, 1e7, 1e9, math.inf]
XS = [0.0, 1e-6, 0.01, 0.1, 0.5, 1.0, 1.5, 1.96, 2.0, 2.5, 3.0, 4.0, 6.0, 10.0, 30.0, 1e3, 1e6]
PS = [1e-10, 1e-6, 1e-4, 0.001, 0.01, 0.025, 0.05, 0.1, 0.25, 0.4, 0.49, 0.5]
PS = PS + [1 - p for p in PS[:-1]]


def sums_of(scores):
    """Sums from respondent scores (each the mean of that person's ratings)."""
    counts = [0] * 5
    for score in scores:
        counts[min(4, max(0, round(score) - 1))] += 1
    return Sums(
        respondents=len(scores),
        rated=len(scores),
        score_sum=float(sum(scores)),
        score_sq_sum=float(sum(s * s for s in scores)),
        counts=tuple(counts),
        dont_know=0,
    )


def respondent_scores(rng, n, items=6, p=(0.1, 0.2, 0.3, 0.25, 0.15)):
    """n respondents, each scored as the mean of `items` ratings 1–5."""
    return rng.choice(np.arange(1, 6), size=(n, items), p=p).mean(axis=1).tolist()


# Student's t


@pytest.mark.parametrize("df", DFS + MORE_DFS)
def test_t_cdf_matches_scipy(df):
    for x in XS:
        for signed in (x, -x):
            assert t_cdf(signed, df) == pytest.approx(stats.t.cdf(signed, df), rel=0, abs=1e-9)


@pytest.mark.parametrize("df", DFS + [1e4, 1e5, 1e6])
def test_t_tail_is_precise_far_out(df):
    """Relative accuracy in the upper tail, where p-values live."""
    for x in XS[1:]:
        expected = stats.t.sf(x, df)
        if expected > 1e-250:
            assert t_sf(x, df) == pytest.approx(expected, rel=1e-9)
            assert t_cdf(-x, df) == pytest.approx(expected, rel=1e-9)


def test_t_cdf_is_exact_where_closed_forms_exist():
    # Cauchy (df 1) and df 2. scipy itself is off by ~1.6e-9 at the Cauchy's centre.
    for x in [-50, -3, -1e-8, 1e-3, 0.3, 3, 1e8]:
        assert t_cdf(x, 1) == pytest.approx(0.5 + math.atan(x) / math.pi, rel=1e-14)
        assert t_cdf(x, 2) == pytest.approx(0.5 + x / (2 * math.sqrt(2 + x * x)), rel=1e-13)


@pytest.mark.parametrize("df", DFS + MORE_DFS)
def test_t_quantile_matches_scipy(df):
    for p in PS:
        expected = stats.t.ppf(p, df)
        assert t_quantile(p, df) == pytest.approx(expected, rel=1e-9, abs=1e-12)
        # and it inverts t_cdf
        assert t_cdf(t_quantile(p, df), df) == pytest.approx(p, rel=1e-9)


def test_t_quantile_edges():
    assert t_quantile(0.0, 3) == -math.inf
    assert t_quantile(1.0, 3) == math.inf
    assert t_quantile(0.5, 3) == 0.0
    assert t_cdf(math.inf, 2.5) == 1.0 and t_cdf(-math.inf, 2.5) == 0.0
    assert math.isnan(t_cdf(math.nan, 4))
    for bad_p in (-0.1, 1.1, math.nan):
        with pytest.raises(ValueError):
            t_quantile(bad_p, 3)
    for bad_df in (0, -1, math.nan):
        with pytest.raises(ValueError):
            t_cdf(1.0, bad_df)
        with pytest.raises(ValueError):
            t_quantile(0.9, bad_df)
    # A tiny df has a tail so heavy that the quantile is past the largest float.
    assert t_quantile(1e-10, 0.01) == -math.inf


def test_t_quantiles_approach_the_normal():
    assert t_quantile_975(1) == pytest.approx(12.706204736174703, rel=1e-12)
    assert t_quantile_975(35) == pytest.approx(stats.t.ppf(0.975, 35), rel=1e-12)  # 2.0301
    assert t_quantile_975(4.7) == pytest.approx(stats.t.ppf(0.975, 4.7), rel=1e-12)
    assert t_quantile_975(10_000) == pytest.approx(1.96, abs=1e-3)
    assert t_quantile_975(math.inf) == pytest.approx(1.959963984540054, rel=1e-15)
    with pytest.raises(ValueError):
        t_quantile_975(0)


# Estimates


def test_the_interval_uses_students_t():
    result = estimate(sums_of([1, 2, 3, 4, 5]))
    assert result.mean == pytest.approx(3.0)
    # sd = 1.5811, se = 0.7071, t(0.975, 4) = 2.776
    assert result.se == pytest.approx(0.70711, abs=1e-4)
    assert result.low == pytest.approx(3 - 2.776 * 0.70711, abs=1e-3)
    assert result.high == pytest.approx(3 + 2.776 * 0.70711, abs=1e-3)


def test_estimates_match_scipys_t_interval():
    rng = np.random.default_rng(7)
    for n in list(range(2, 31)) + [57, 200, 1500]:
        for _ in range(5):
            scores = respondent_scores(rng, n, items=int(rng.integers(1, 12)))
            result = estimate(sums_of(scores))
            mean, se = np.mean(scores), stats.sem(scores)
            assert result.n == n
            assert result.mean == pytest.approx(mean, rel=1e-12)
            assert result.se == pytest.approx(se, rel=1e-9, abs=1e-12)
            low, high = stats.t.interval(0.95, n - 1, loc=mean, scale=se) if se else (mean, mean)
            assert result.low == pytest.approx(max(1.0, low), rel=1e-9)
            assert result.high == pytest.approx(min(5.0, high), rel=1e-9)


def test_the_interval_is_clipped_to_the_scale():
    result = estimate(sums_of([1, 5]))
    assert result.low == 1.0 and result.high == 5.0


def test_identical_scores_give_a_zero_width_interval():
    result = estimate(sums_of([4, 4, 4, 4, 4, 4]))
    assert result.low == result.high == 4.0
    # also when the sums do not cancel exactly in binary
    result = estimate(sums_of([3.7] * 7))
    assert result.se == 0.0
    assert result.low == result.high == pytest.approx(3.7)


def test_one_respondent_spans_the_scale():
    result = estimate(sums_of([4]))
    assert (result.low, result.high, result.n) == (1.0, 5.0, 1)
    assert math.isinf(result.se)


def test_no_ratings_give_no_estimate():
    assert estimate(Sums(respondents=3, rated=0)) is None


def test_sums_add_up_to_the_union():
    a, b = sums_of([1, 2]), sums_of([3, 4, 5])
    assert estimate(a + b).mean == pytest.approx(3.0)
    assert (a + b).respondents == 5


# Differences: Welch's t-test


# scipy warns about its own precision when one sample has zero spread.
SCIPY_ZERO_SPREAD = "ignore:Precision loss occurred:RuntimeWarning"


@pytest.mark.filterwarnings(SCIPY_ZERO_SPREAD)
def test_differences_match_scipys_welch_test():
    rng = np.random.default_rng(11)
    checked = 0
    for _ in range(600):
        n_a, n_b = (int(n) for n in rng.integers(2, 31, size=2))
        a = respondent_scores(rng, n_a, items=int(rng.integers(1, 10)))
        b = respondent_scores(
            rng, n_b, items=int(rng.integers(1, 10)), p=(0.05, 0.15, 0.3, 0.3, 0.2)
        )
        result = difference(estimate(sums_of(a)), estimate(sums_of(b)))
        if np.var(a) == 0 and np.var(b) == 0:
            continue  # the documented degenerate case, tested below
        expected = stats.ttest_ind(a, b, equal_var=False)
        assert result.value == pytest.approx(np.mean(a) - np.mean(b), rel=1e-9, abs=1e-12)
        assert result.se == pytest.approx(math.hypot(stats.sem(a), stats.sem(b)), rel=1e-9)
        assert result.df == pytest.approx(expected.df, rel=1e-9)
        assert result.p_value == pytest.approx(expected.pvalue, rel=1e-7, abs=1e-12)
        assert result.is_clear == (expected.pvalue < 0.05)
        checked += 1
    assert checked > 550


@pytest.mark.filterwarnings(SCIPY_ZERO_SPREAD)
def test_a_zero_spread_on_one_side_is_still_a_welch_test():
    a, b = [4.0] * 6, [2.0, 3.0, 3.5, 2.5, 3.0]
    result = difference(estimate(sums_of(a)), estimate(sums_of(b)))
    expected = stats.ttest_ind(a, b, equal_var=False)
    assert result.df == pytest.approx(expected.df) == 4
    assert result.p_value == pytest.approx(expected.pvalue, rel=1e-9)
    assert result.is_clear


def test_a_difference_is_clear_only_beyond_its_uncertainty():
    low = estimate(sums_of([2, 2, 3, 2, 2, 3, 2, 2]))
    high = estimate(sums_of([4, 4, 5, 4, 4, 5, 4, 4]))
    assert difference(high, low).is_clear
    noisy_a = estimate(sums_of([1, 5, 1, 5, 3]))
    noisy_b = estimate(sums_of([2, 5, 1, 5, 3]))
    assert not difference(noisy_b, noisy_a).is_clear


def test_the_old_196_rule_called_this_clear_and_welch_does_not():
    a, b = [3, 4, 4, 5], [2, 3, 4, 3, 2]
    result = difference(estimate(sums_of(a)), estimate(sums_of(b)))
    assert abs(result.value) > 1.96 * result.se  # the old rule: "clear" (t = 2.17)
    assert result.p_value == pytest.approx(stats.ttest_ind(a, b, equal_var=False).pvalue)
    assert result.p_value > 0.05 and not result.is_clear  # t(0.975, 6.6 df) = 2.40


def test_a_single_respondent_never_makes_a_clear_difference():
    one = estimate(sums_of([5]))
    many = estimate(sums_of([1, 1, 1, 1, 2]))
    assert math.isinf(one.se)
    for result in (difference(one, many), difference(many, one)):
        assert math.isinf(result.se) and result.p_value == 1.0
        assert not result.is_clear


def test_agreement_in_both_groups_is_not_certainty():
    """Zero spread in both small groups: t would be infinite, but five people who agree do
    not prove a difference, so the p-value is 1 and it is not called clear."""
    fives, ones = estimate(sums_of([5] * 5)), estimate(sums_of([1] * 5))
    result = difference(fives, ones)
    assert result.value == 4.0 and result.se == 0.0
    assert result.p_value == 1.0 and not result.is_clear
    same = difference(fives, fives)
    assert same.value == 0.0 and same.p_value == 1.0 and not same.is_clear


def test_is_clear_refuses_undefined_tests():
    from results.statistics import Difference

    assert Difference(1.0, 0.1, 10.0, 0.01).is_clear
    assert not Difference(1.0, 0.1, 10.0, 0.05).is_clear
    assert not Difference(1.0, 0.0, 10.0, 0.01).is_clear
    assert not Difference(1.0, math.inf, 10.0, 0.01).is_clear
    assert not Difference(1.0, 0.1, math.nan, 0.01).is_clear
    # Infinite degrees of freedom are the normal limit (a perturbed figure whose spread is
    # all the noise's, which is known exactly), not an undefined test.
    assert Difference(1.0, 0.1, math.inf, 0.01).is_clear
    assert not Difference(1.0, 0.1, 10.0, math.nan).is_clear


def test_welch_calls_five_percent_clear_when_nothing_differs():
    """Five per group from one distribution: the share called clear should be the test's 5 %.
    The old |d| > 1.96·SE rule ignored the few degrees of freedom and said so ~9 % of the
    time."""
    rng = np.random.default_rng(20240610)
    draws, clear, old_rule = 4000, 0, 0
    for _ in range(draws):
        a = estimate(sums_of(respondent_scores(rng, 5)))
        b = estimate(sums_of(respondent_scores(rng, 5)))
        result = difference(a, b)
        clear += result.is_clear
        old_rule += abs(result.value) > 1.96 * result.se
    assert 0.03 <= clear / draws <= 0.07
    assert 0.075 <= old_rule / draws <= 0.12


# The false discovery rate


def test_benjamini_hochberg_matches_scipy():
    rng = np.random.default_rng(3)
    for _ in range(400):
        m = int(rng.integers(1, 60))
        # a mixture of nulls (uniform) and effects (piled up near 0)
        share = rng.uniform()
        p = np.where(rng.uniform(size=m) < share, rng.uniform(size=m) ** 6, rng.uniform(size=m))
        for q in (0.05, 0.1, 0.2):
            expected = stats.false_discovery_control(p, method="bh") <= q
            assert benjamini_hochberg(p.tolist(), q) == expected.tolist()


def test_benjamini_hochberg_is_a_step_up():
    # 0.04 alone would fail 0.04·4/3 ≤ 0.05, but the largest passing rank (4) carries it.
    assert benjamini_hochberg([0.04, 0.01, 0.05, 0.02]) == [True, True, True, True]
    assert benjamini_hochberg([0.04, 0.01, 0.3, 0.02]) == [False, True, False, True]
    assert benjamini_hochberg([0.2, 0.5]) == [False, False]
    assert benjamini_hochberg([]) == []


def test_benjamini_hochberg_skips_missing_p_values():
    assert benjamini_hochberg([0.01, None, math.nan, 0.02]) == [True, False, False, True]
    # the missing ones do not count as tests: with four, 0.02 would fail (0.02·4/2 > 0.01)
    assert benjamini_hochberg([0.004, None, math.nan, 0.01], q=0.01) == [
        True,
        False,
        False,
        True,
    ]
    with pytest.raises(ValueError):
        benjamini_hochberg([1.5])
    with pytest.raises(ValueError):
        benjamini_hochberg([0.1], q=0)


# Paired changes


def test_paired_changes_match_scipys_one_sample_test():
    rng = np.random.default_rng(5)
    for m in list(range(2, 25)) + [60, 300]:
        for shift in (0.0, 0.3, -0.8):
            differences = (rng.normal(shift, 0.7, size=m)).tolist()
            result = paired_change(differences)
            expected = stats.ttest_1samp(differences, 0.0)
            interval = expected.confidence_interval(0.95)
            assert result.n == m and result.df == m - 1
            assert result.mean == pytest.approx(np.mean(differences), rel=1e-12, abs=1e-15)
            assert result.se == pytest.approx(stats.sem(differences), rel=1e-12)
            assert result.low == pytest.approx(interval.low, rel=1e-9, abs=1e-12)
            assert result.high == pytest.approx(interval.high, rel=1e-9, abs=1e-12)
            assert result.p_value == pytest.approx(expected.pvalue, rel=1e-8, abs=1e-14)
            assert result.is_clear == (expected.pvalue < 0.05)


def test_paired_change_degenerate_cases():
    assert paired_change([]) is None
    one = paired_change([0.8])
    assert (one.mean, one.low, one.high, one.n) == (0.8, -math.inf, math.inf, 1)
    assert math.isinf(one.se) and not one.is_clear
    same = paired_change([0.5, 0.5, 0.5])
    assert same.se == 0.0 and same.p_value == 1.0 and not same.is_clear
    clear = paired_change([0.9, 1.1, 1.0, 1.2, 0.8])
    assert clear.is_clear and clear.low > 0
