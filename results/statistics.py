"""Means, 95% confidence intervals and honest comparisons from additive sums.

A unit's score for one respondent is the mean of their ratings (1–5) on the unit's items;
"don't know" is left out. Figures are over respondents, not answers, because one person's
answers are not independent of each other.
"""

import math
from dataclasses import dataclass

# Two-sided 95% quantiles of Student's t by degrees of freedom (standard table values).
_T_975 = {
    1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306,
    9: 2.262, 10: 2.228, 11: 2.201, 12: 2.179, 13: 2.160, 14: 2.145, 15: 2.131, 16: 2.120,
    17: 2.110, 18: 2.101, 19: 2.093, 20: 2.086, 21: 2.080, 22: 2.074, 23: 2.069, 24: 2.064,
    25: 2.060, 26: 2.056, 27: 2.052, 28: 2.048, 29: 2.045, 30: 2.042, 40: 2.021, 60: 2.000,
    120: 1.980,
}  # fmt: skip
Z_975 = 1.960


def t_quantile_975(df: int) -> float:
    """t(0.975, df); between table rows the next smaller df is used (a slightly wider CI)."""
    if df < 1:
        raise ValueError("needs at least one degree of freedom")
    if df > 120:
        return Z_975
    return _T_975[max(key for key in _T_975 if key <= df)]


@dataclass(frozen=True)
class Sums:
    """Additive sums over a set of respondents for one unit. Adding two gives the union."""

    respondents: int = 0
    rated: int = 0
    score_sum: float = 0.0
    score_sq_sum: float = 0.0
    counts: tuple[int, int, int, int, int] = (0, 0, 0, 0, 0)
    dont_know: int = 0

    def __add__(self, other: "Sums") -> "Sums":
        return Sums(
            self.respondents + other.respondents,
            self.rated + other.rated,
            self.score_sum + other.score_sum,
            self.score_sq_sum + other.score_sq_sum,
            tuple(a + b for a, b in zip(self.counts, other.counts, strict=True)),
            self.dont_know + other.dont_know,
        )

    @property
    def answers(self) -> int:
        return sum(self.counts) + self.dont_know


@dataclass(frozen=True)
class Estimate:
    mean: float
    low: float
    high: float
    n: int
    se: float


def estimate(sums: Sums) -> Estimate | None:
    """Mean score with a 95% t-interval, or None without ratings. The interval is clipped
    to the scale (1–5); with one respondent its width is undefined and it spans the scale."""
    n = sums.rated
    if n == 0:
        return None
    mean = sums.score_sum / n
    if n == 1:
        return Estimate(mean, 1.0, 5.0, 1, math.inf)
    variance = max(0.0, (sums.score_sq_sum - n * mean * mean) / (n - 1))
    se = math.sqrt(variance / n)
    half = t_quantile_975(n - 1) * se
    return Estimate(mean, max(1.0, mean - half), min(5.0, mean + half), n, se)


def dont_know_share(sums: Sums) -> float | None:
    return sums.dont_know / sums.answers if sums.answers else None


def distribution_shares(sums: Sums) -> list[float]:
    """Shares of answers 1–5 among rated answers (summing to 1), "don't know" excluded."""
    rated = sum(sums.counts)
    return [count / rated if rated else 0.0 for count in sums.counts]


@dataclass(frozen=True)
class Difference:
    value: float
    se: float
    df: float = 1.0
    p_value: float = 1.0

    @property
    def is_clear(self) -> bool:
        """True when the difference is larger than its 95% uncertainty (|d| > 1.96·SE)."""
        return math.isfinite(self.se) and abs(self.value) > Z_975 * self.se


def difference(a: Estimate, b: Estimate) -> Difference:
    """a − b for two independent groups (Welch-style standard error)."""
    return Difference(a.mean - b.mean, math.sqrt(a.se**2 + b.se**2))


# TEMPORARY until the statistics branch lands
@dataclass(frozen=True)
class PairedChange:
    mean: float
    se: float
    df: float
    low: float
    high: float
    p_value: float
    n: int

    @property
    def is_clear(self):
        return self.p_value < 0.05


def benjamini_hochberg(p_values, q=0.05):
    return [False for _ in p_values]


def paired_change(differences):
    if not differences:
        return None
    m = len(differences)
    mean = sum(differences) / m
    return PairedChange(mean, math.inf, m - 1, -math.inf, math.inf, 1.0, m)
