"""Cell-key perturbation: the deliberate noise every published figure carries.

The method is the one statistics offices use for flexible tables (the cell-key method of the
Australian Bureau of Statistics' TableBuilder, the ONS for Census 2021 and SCB; chapter 5 of
the SDC handbook for counts, Giessing & Tent 2019 for magnitudes such as our score sums):

- every submitted response carries a random *record key* (``Response.record_key``, drawn
  when the response is created; it means nothing and links to nothing);
- a cell's key is the sum of its respondents' record keys modulo 2³² — additive, so a pooled
  figure's key is the sum of its parts' keys, computed in SQL like every other sum;
- each statistic of a cell (its score sum, its centred sum of squares, its respondent count,
  each answer count) draws its noise from a uniform number hashed from the cell key, the unit
  (goal area, goal or prerequisite) and the statistic's name.

So the same respondents in the same unit always get the same noise: on the page, in PDF and
Excel, in the API and the bulk files, after a republish without change, and also when the
same people make up two cells (politicians and the whole round, when only politicians
answered) — averaging such copies gains nothing. Two cells that differ by one person have
unrelated keys, so subtracting them gives that person's answer plus the noise of two cells.

Why written here and not taken from a library: ONS's ``cell-key-perturbation`` package
perturbs frequency tables of microdata with a p-table (counts only, pandas), and sdcMicro's
``ck_*`` functions are R. Our figures are means of scores with intervals, computed from sums
in SQL, and the count part needs a p-table of six lines; the magnitude part (noise on a sum,
Giessing & Tent) has no maintained Python implementation.

The parameters below were set from the attack simulations in
``results/tests/test_disclosure.py`` (padding, homogeneity, coverage); ``docs/privacy-model.md``
quotes their figures. Noise is not a reason to show figures below the threshold: a cell is
shown only when at least the threshold of respondents rated (``results.anonymity``).
"""

import math
from dataclasses import dataclass

from lib.cellkey import KEY_MODULUS, SUM_SD, noisy_mean, normal_noise, uniform

from .statistics import Estimate, Sums, t_quantile_975

__all__ = ["KEY_MODULUS", "SUM_SD", "protect", "uniform"]

# Noise on the centred sum of squares Σ(x − mean)², which the interval's width rests on.
SQUARES_SD = 3.0


# The p-table for counts (respondents, answers 1–5, "don't know"): the deviation d from the
# true count c, with these weights for d = −5 … +5 (variance 5.8), published as |c + d·s|.
# An empty category can so show answers and a full one lose some; no distribution is exact.
# s is the square root of the answers per respondent in the cell (1 for the respondent
# count): a distribution over many items (a goal area of twelve) otherwise tells a padder
# the one real person's overall level better than the means do.
@dataclass(frozen=True)
class PTable:
    """Deviations and their weights; ``draw`` turns a uniform number into one deviation."""

    deviations: tuple[int, ...]
    weights: tuple[int, ...]

    def draw(self, u: float) -> int:
        total, cumulative = sum(self.weights), 0
        for deviation, weight in zip(self.deviations, self.weights, strict=True):
            cumulative += weight
            if u <= cumulative / total:
                return deviation
        return self.deviations[-1]

    @property
    def variance(self) -> float:
        pairs = zip(self.deviations, self.weights, strict=True)
        return sum(w * d * d for d, w in pairs) / sum(self.weights)


COUNTS = PTable(tuple(range(-5, 6)), (1, 2, 3, 4, 5, 6, 5, 4, 3, 2, 1))
# The respondent count has a narrower p-table of its own (−2 … +2, variance 1.3): it says how
# many rated the unit, which the round's response counts nearly say anyway.
RESPONDENTS = PTable((-2, -1, 0, 1, 2), (1, 2, 3, 2, 1))


def perturbed_count(
    count: int, cell_key: int, unit: tuple, statistic: str, scale: float = 1.0
) -> int:
    deviation = COUNTS.draw(uniform(cell_key, unit, statistic))
    return abs(count + round(deviation * scale))


@dataclass(frozen=True)
class Protected:
    """A cell as it may be published: every number perturbed, the interval honest about it."""

    respondents: int
    estimate: Estimate
    counts: tuple[int, int, int, int, int]
    dont_know: int


def mean_estimate(n: int, mean: float, sample_variance: float) -> Estimate:
    """Mean with a 95 % interval whose variance adds the noise's, s²/n + SUM_SD²/n², on t with
    n − 1 degrees of freedom (conservative: the noise's own variance is known exactly; the
    coverage simulation settled it), or the normal when the sample shows no spread. Mean and
    interval are kept on the scale (1–5)."""
    sampling = sample_variance / n
    noise = SUM_SD * SUM_SD / (n * n)
    variance = sampling + noise
    df = math.inf if sampling == 0 else float(n - 1)
    se = math.sqrt(variance)
    half = t_quantile_975(df) * se
    # Centred on the mean as shown, so that an interval never shrinks to a point at an end
    # of the scale (which would say that everyone gave the same answer).
    shown = min(5.0, max(1.0, mean))
    return Estimate(shown, max(1.0, shown - half), min(5.0, shown + half), n, se, df)


def protect(sums: Sums, unit: tuple, threshold: int = 1) -> Protected:
    """The perturbed figure of a cell with ``sums.rated`` ≥ 1 respondents who rated. The
    respondent count shown is never below ``threshold`` (a shown cell has at least that many,
    which is known anyway)."""
    n, key = sums.rated, sums.key
    mean = noisy_mean(sums.score_sum, n, key, unit)
    if n > 1:
        centred = max(0.0, sums.score_sq_sum - sums.score_sum * sums.score_sum / n)
        centred = max(0.0, centred + normal_noise(key, unit, "squares", SQUARES_SD))
        estimate = mean_estimate(n, mean, centred / (n - 1))
    else:
        estimate = Estimate(mean, 1.0, 5.0, 1, math.inf, math.nan)
    scale = math.sqrt(max(1.0, sums.answers / max(1, sums.respondents)))
    counts = tuple(
        perturbed_count(count, key, unit, f"count_{value}", scale)
        for value, count in enumerate(sums.counts, start=1)
    )
    return Protected(
        respondents=max(
            threshold, sums.respondents + RESPONDENTS.draw(uniform(key, unit, "respondents"))
        ),
        estimate=estimate,
        counts=counts,
        dont_know=perturbed_count(sums.dont_know, key, unit, "dont_know", scale),
    )
