"""Means, 95% confidence intervals and honest comparisons from additive sums.

A unit's score for one respondent is the mean of their ratings (1–5) on the unit's items;
"don't know" is left out. Figures are over respondents, not answers, because one person's
answers are not independent of each other.

Student's t distribution is written out here rather than taken from scipy: scipy (with
numpy) is a heavy dependency to install and deploy for a handful of functions, so it is a
test dependency only, and the tests check these functions against it.

Comparisons are Welch t-tests at 5 % two-sided. Many comparisons on one page should be
screened with `benjamini_hochberg`, which keeps the share of false "clear" findings near q.
"""

import functools
import math
import sys
from collections.abc import Sequence
from dataclasses import dataclass

# The normal distribution's 97.5 % quantile (the limit of t_quantile_975 as df grows).
Z_975 = 1.959963984540054

_EPS = 1e-15  # relative precision the series and iterations aim for
_TINY = 1e-300  # guards the continued fraction against division by zero
_HALF_LOG_2PI = 0.5 * math.log(2 * math.pi)
# From this many degrees of freedom on (and for math.inf), t is the normal corrected to
# first order in 1/df: P(T ≤ x) = Φ(x) − φ(x)·(x³ + x)/(4·df) + O(1/df²), off by less
# than 1e-13. The continued fraction loses digits there (its value nearly cancels, ~x²/df).
_LARGE_DF = 1e7


def _log_gamma_ratio(a: float, b: float) -> float:
    """log Γ(a + b) − log Γ(a) for a > 0, 0 < b ≤ 1, without the cancellation that
    subtracting two huge lgamma values suffers when a is large (large df)."""
    if a < 50:
        return math.lgamma(a + b) - math.lgamma(a)

    # Stirling: lgamma(z) = (z − ½)·log z − z + ½·log 2π + S(z), with S the Bernoulli series.
    def series(z: float) -> float:
        z2 = z * z
        return (1 / 12 - (1 / 360 - (1 / 1260 - 1 / (1680 * z2)) / z2) / z2) / z

    c = a + b
    return (a - 0.5) * math.log1p(b / a) + b * math.log(c) - b + series(c) - series(a)


def _log_beta(a: float, b: float) -> float:
    """log B(a, b) = log Γ(a) + log Γ(b) − log Γ(a + b)."""
    big, small = max(a, b), min(a, b)
    if small <= 1:  # always so for t, where one of them is ½
        return math.lgamma(small) - _log_gamma_ratio(big, small)
    return math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b)


def _beta_fraction(a: float, b: float, x: float) -> float:
    """The continued fraction 1 + d1/(1 + d2/(1 + …)) of the incomplete beta function, where
    d(2m+1) = −(a+m)(a+b+m)x / ((a+2m)(a+2m+1)) and d(2m) = m(b−m)x / ((a+2m−1)(a+2m)),
    evaluated by the modified Lentz method. It converges quickly for x < (a+1)/(a+b+2)."""
    value, c, d, pair = 1.0, 1.0, 0.0, 1.0
    for j in range(1, 100_000):
        m = j // 2
        if j % 2:
            coef = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
        else:
            coef = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
        d = 1.0 + coef * d
        d = 1.0 / (d if abs(d) > _TINY else _TINY)
        c = 1.0 + coef / c
        c = c if abs(c) > _TINY else _TINY
        step = c * d
        value *= step
        # Judge convergence over a whole pair of terms: an even term can be negligible on
        # its own (large a) long before the fraction has converged.
        pair *= step
        if j % 2:
            if abs(pair - 1.0) < _EPS:
                return value
            pair = 1.0
    raise ArithmeticError("incomplete beta continued fraction did not converge")


def _beta_inc(
    a: float, b: float, x: float, y: float, log_x: float, log_y: float, swapped: bool = False
) -> float:
    """Regularized incomplete beta I_x(a, b). y = 1 − x and both logarithms come from the
    caller, computed directly, so that nothing loses precision near 0 or 1 or underflows."""
    if log_x == -math.inf:
        return 0.0
    if log_y == -math.inf:
        return 1.0
    if not swapped and x > (a + 1) / (a + b + 2):  # I_x(a, b) = 1 − I_y(b, a)
        return 1.0 - _beta_inc(b, a, y, x, log_y, log_x, swapped=True)
    log_front = a * log_x + b * log_y - math.log(a) - _log_beta(a, b)
    return math.exp(log_front) / _beta_fraction(a, b, x)


def _check_df(df: float) -> None:
    if not df > 0:  # also rejects nan
        raise ValueError("Student's t needs degrees of freedom > 0")


def _upper_tail(t: float, df: float) -> float:
    """P(T > t) for t ≥ 0: ½·I_{df/(df+t²)}(df/2, ½), precise even far out in the tail."""
    if df >= _LARGE_DF:
        if t > 40:  # below 1e-300
            return 0.0
        return 0.5 * math.erfc(t / math.sqrt(2)) + _normal_density(t) * (t**3 + t) / (4 * df)
    if t == 0.0:
        return 0.5
    if math.isinf(t):
        return 0.0
    # x = df/(df+t²) and y = 1 − x = t²/(df+t²) through r, the smaller of t²/df and df/t²,
    # and in logarithms, so that neither rounds to 0 or 1 nor overflows for huge t.
    log_ratio = 2 * math.log(t) - math.log(df)  # log(t²/df)
    if log_ratio < 0:
        r = math.exp(log_ratio)
        x, y = 1.0 / (1.0 + r), r / (1.0 + r)
        log_x, log_y = -math.log1p(r), log_ratio - math.log1p(r)
    else:
        r = math.exp(-log_ratio)
        x, y = r / (1.0 + r), 1.0 / (1.0 + r)
        log_x, log_y = -log_ratio - math.log1p(r), -math.log1p(r)
    return 0.5 * _beta_inc(df / 2, 0.5, x, y, log_x, log_y)


def _normal_density(t: float) -> float:
    return math.exp(-0.5 * t * t - _HALF_LOG_2PI)


def _density(t: float, df: float) -> float:
    """The density of t at t ≥ 0."""
    if df >= _LARGE_DF:  # the derivative of the expansion that _upper_tail uses
        if t > 40:  # φ(t) < 1e-300
            return 0.0
        t2 = t * t
        return _normal_density(t) * (1 + (t2 * t2 - 2 * t2 - 1) / (4 * df))
    log_norm = _log_gamma_ratio(df / 2, 0.5) - 0.5 * math.log(df * math.pi)
    if t < 1e100:
        log_kernel = math.log1p(t * t / df)
    else:  # log(1 + t²/df) without overflowing t²
        log_ratio = 2 * math.log(t) - math.log(df)
        log_kernel = log_ratio + math.log1p(math.exp(-log_ratio))
    return math.exp(log_norm - (df + 1) / 2 * log_kernel)


def t_cdf(x: float, df: float) -> float:
    """P(T ≤ x) for Student's t with df > 0 degrees of freedom (df may be fractional, as
    Welch's df is, or math.inf for the normal)."""
    _check_df(df)
    if math.isnan(x):
        return math.nan
    tail = _upper_tail(abs(x), df)
    return 1.0 - tail if x > 0 else tail


def t_sf(x: float, df: float) -> float:
    """P(T > x), without the loss of precision of 1 − t_cdf(x, df) far in the upper tail."""
    _check_df(df)
    if math.isnan(x):
        return math.nan
    tail = _upper_tail(abs(x), df)
    return tail if x >= 0 else 1.0 - tail


def _upper_quantile(q: float, df: float) -> float:
    """The t ≥ 0 with P(T > t) = q, for 0 < q ≤ ½: a bracket by squaring, geometric
    bisection down to a factor 2, then Newton's method (safeguarded by the bracket)."""
    if q == 0.5:
        return 0.0
    lo, hi = 0.0, 1.0
    if _upper_tail(1.0, df) > q:
        lo, hi = 1.0, 2.0
        while _upper_tail(hi, df) > q:
            if hi == sys.float_info.max:
                return math.inf
            lo, hi = hi, min(hi * hi, sys.float_info.max)
        while hi > 2 * lo:
            mid = math.sqrt(lo) * math.sqrt(hi)  # lo·hi may overflow
            if _upper_tail(mid, df) > q:
                lo = mid
            else:
                hi = mid
    # Newton's method on log P(T > t) = log q, which is nearly linear for heavy tails and
    # nearly quadratic for light ones, so it converges quickly either way; a step that
    # leaves the bracket is replaced by bisection.
    log_q = math.log(q)
    t = lo
    for _ in range(200):
        tail = _upper_tail(t, df)
        if tail > q:
            lo = max(lo, t)
        elif tail < q:
            hi = min(hi, t)
        else:
            return t
        density = _density(t, df)
        new = math.nan
        if density > 0 and tail > 0:
            new = t + (math.log(tail) - log_q) * tail / density
        if not lo <= new <= hi:  # also when new is nan
            new = 0.5 * (lo + hi)
        if abs(new - t) <= 4 * _EPS * abs(new) or hi - lo <= 4 * _EPS * hi:
            return new
        t = new
    return t


@functools.lru_cache(maxsize=4096)
def t_quantile(p: float, df: float) -> float:
    """The x with P(T ≤ x) = p for Student's t with df > 0 (fractional df allowed)."""
    _check_df(df)
    if not 0.0 <= p <= 1.0:
        raise ValueError("a probability lies between 0 and 1")
    if p == 0.0:
        return -math.inf
    if p == 1.0:
        return math.inf
    if p > 0.5:
        return _upper_quantile(1.0 - p, df)
    return -_upper_quantile(p, df)


def t_quantile_975(df: float) -> float:
    """t(0.975, df), the multiplier of a two-sided 95% interval."""
    return t_quantile(0.975, df)


@dataclass(frozen=True)
class Sums:
    """Additive sums over a set of respondents for one unit. Adding two gives the union."""

    respondents: int = 0
    rated: int = 0
    score_sum: float = 0.0
    score_sq_sum: float = 0.0
    counts: tuple[int, int, int, int, int] = (0, 0, 0, 0, 0)
    dont_know: int = 0
    # The cell key of ``results.disclosure``: the sum of the respondents' record keys mod 2³².
    key: int = 0

    def __add__(self, other: "Sums") -> "Sums":
        return Sums(
            self.respondents + other.respondents,
            self.rated + other.rated,
            self.score_sum + other.score_sum,
            self.score_sq_sum + other.score_sq_sum,
            tuple(a + b for a, b in zip(self.counts, other.counts, strict=True)),
            self.dont_know + other.dont_know,
            (self.key + other.key) % 2**32,
        )

    @property
    def answers(self) -> int:
        return sum(self.counts) + self.dont_know

    @classmethod
    def total(cls, parts) -> "Sums":
        """The sum of many, as ``sum(parts, Sums())`` gives it (the floats added in the same
        order, so to the same last bit), without making a Sums for every partial sum."""
        n = rated = dont_know = key = c1 = c2 = c3 = c4 = c5 = 0
        score_sum = score_sq_sum = 0.0
        for part in parts:
            n += part.respondents
            rated += part.rated
            score_sum += part.score_sum
            score_sq_sum += part.score_sq_sum
            a, b, c, d, e = part.counts
            c1, c2, c3, c4, c5 = c1 + a, c2 + b, c3 + c, c4 + d, c5 + e
            dont_know += part.dont_know
            key += part.key
        return cls(n, rated, score_sum, score_sq_sum, (c1, c2, c3, c4, c5), dont_know, key % 2**32)


@dataclass(frozen=True)
class Estimate:
    mean: float
    low: float
    high: float
    n: int
    se: float
    # Degrees of freedom of the interval and of tests on it; None means n − 1.
    df: float | None = None

    @property
    def degrees_of_freedom(self) -> float:
        return float(self.n - 1) if self.df is None else self.df


def _sample_variance(deviation_sq_sum: float, n: int, mean_square: float) -> float:
    """Σ(x − mean)² / (n − 1), with rounding noise (identical scores such as 3.7 whose sums
    do not cancel exactly in binary) taken as the zero it is, and never negative."""
    variance = deviation_sq_sum / (n - 1)
    return 0.0 if variance <= 1e-12 * mean_square else variance


def estimate(sums: Sums) -> Estimate | None:
    """Mean score with a 95% t-interval (n − 1 df), or None without ratings. The interval is
    clipped to the scale (1–5); with one respondent its width is undefined and it spans the
    scale."""
    n = sums.rated
    if n == 0:
        return None
    mean = sums.score_sum / n
    if n == 1:
        return Estimate(mean, 1.0, 5.0, 1, math.inf)
    variance = _sample_variance(sums.score_sq_sum - n * mean * mean, n, sums.score_sq_sum / n)
    se = math.sqrt(variance / n)
    half = t_quantile_975(n - 1) * se
    return Estimate(mean, max(1.0, mean - half), min(5.0, mean + half), n, se)


def dont_know_share(sums: Sums) -> float | None:
    return sums.dont_know / sums.answers if sums.answers else None


def distribution_shares(sums: Sums) -> list[float]:
    """Shares of answers 1–5 among rated answers (summing to 1), "don't know" excluded."""
    rated = sum(sums.counts)
    return [count / rated if rated else 0.0 for count in sums.counts]


def _is_clear(se: float, df: float, p_value: float) -> bool:
    return 0.0 < se < math.inf and df > 0 and p_value < 0.05  # nan compares False


@dataclass(frozen=True)
class Difference:
    """a − b with its standard error, Welch–Satterthwaite degrees of freedom and two-sided
    p-value (df is nan where the test is undefined)."""

    value: float
    se: float
    df: float
    p_value: float

    @property
    def is_clear(self) -> bool:
        """True when a Welch t-test rejects "no difference" at 5 % two-sided."""
        return _is_clear(self.se, self.df, self.p_value)


def difference(a: Estimate, b: Estimate) -> Difference:
    """a − b for two independent groups: Welch's t-test, which does not assume equal spreads.

    Degenerate cases never raise and are never clear: with fewer than two respondents on
    either side the spread is unknown (se inf, p 1). When both groups have zero spread the
    standard error is 0 and t is undefined or infinite; a handful of people who happen to
    agree is not certainty, so p is 1 then too, even when the means differ."""
    value = a.mean - b.mean
    if a.n < 2 or b.n < 2 or not (math.isfinite(a.se) and math.isfinite(b.se)):
        return Difference(value, math.inf, math.nan, 1.0)
    var_a, var_b = a.se * a.se, b.se * b.se
    variance = var_a + var_b
    if variance == 0.0:
        return Difference(value, 0.0, math.nan, 1.0)
    se = math.sqrt(variance)
    # Each side's own degrees of freedom: n − 1 for a plain mean, more for a perturbed one
    # whose variance is partly the noise's, known exactly (``results.disclosure``).
    spread = var_a * var_a / a.degrees_of_freedom + var_b * var_b / b.degrees_of_freedom
    df = variance * variance / spread if spread > 0 else math.inf
    p_value = min(1.0, 2.0 * t_sf(abs(value) / se, df))
    return Difference(value, se, df, p_value)


def benjamini_hochberg(p_values: Sequence[float | None], q: float = 0.05) -> list[bool]:
    """Which of many tests are discoveries with the false discovery rate held at q
    (Benjamini–Hochberg step-up): with the m valid p-values sorted, p(1) ≤ … ≤ p(m), the
    largest k with p(k)·m/k ≤ q makes the k smallest discoveries. Returned in input order.
    None and nan are tests that could not be made: never discoveries, and not counted in m."""
    if not 0.0 < q <= 1.0:
        raise ValueError("q is a rate between 0 and 1")
    valid = [(p, i) for i, p in enumerate(p_values) if p is not None and not math.isnan(p)]
    if any(not 0.0 <= p <= 1.0 for p, _ in valid):
        raise ValueError("a p-value lies between 0 and 1")
    valid.sort()
    m = len(valid)
    cutoff = 0
    for rank, (p, _) in enumerate(valid, start=1):
        if p * m / rank <= q:
            cutoff = rank
    discoveries = [False] * len(p_values)
    for _, i in valid[:cutoff]:
        discoveries[i] = True
    return discoveries


@dataclass(frozen=True)
class PairedChange:
    """The mean of per-unit changes (e.g. each organisation's follow-up minus baseline) with a
    95% t-interval and the one-sample t-test of "no change" (df = n − 1)."""

    mean: float
    low: float
    high: float
    n: int
    se: float
    df: float
    p_value: float

    @property
    def is_clear(self) -> bool:
        """True when the t-test rejects "no change" at 5 % two-sided."""
        return _is_clear(self.se, self.df, self.p_value)


def paired_change(differences: Sequence[float]) -> PairedChange | None:
    """Paired comparison from per-unit differences, or None without any. One difference has
    no spread (se inf, interval unbounded); identical differences have zero spread and, as in
    `difference`, are not called clear (p 1) — agreement among a few is not certainty."""
    m = len(differences)
    if m == 0:
        return None
    mean = math.fsum(differences) / m
    if m == 1:
        return PairedChange(mean, -math.inf, math.inf, 1, math.inf, 0.0, 1.0)
    deviations = math.fsum((d - mean) ** 2 for d in differences)
    mean_square = math.fsum(d * d for d in differences) / m
    se = math.sqrt(_sample_variance(deviations, m, mean_square) / m)
    df = float(m - 1)
    if se == 0.0:
        return PairedChange(mean, mean, mean, m, 0.0, df, 1.0)
    half = t_quantile_975(df) * se
    p_value = min(1.0, 2.0 * t_sf(abs(mean) / se, df))
    return PairedChange(mean, mean - half, mean + half, m, se, df, p_value)


# --- Verdicts: the one place that decides and words "clear", "may be chance", "too few to tell"


@dataclass(frozen=True)
class Verdict:
    """What a comparison says against its uncertainty. ``key`` is "clear", "chance" or
    "too_few" (for markup and tests); ``word`` is the translated word that every page, PDF,
    DOCX, workbook and the report to the government print — from here and nowhere else."""

    key: str

    @property
    def word(self) -> str:
        from django.utils.translation import gettext

        words = {
            "clear": gettext("clear"),
            "chance": gettext("may be chance"),
            "too_few": gettext("too few to tell"),
        }
        return words[self.key]

    @property
    def is_clear(self) -> bool:
        return self.key == "clear"

    @property
    def too_few(self) -> bool:
        return self.key == "too_few"

    def __str__(self) -> str:
        return self.word


CLEAR, CHANCE, TOO_FEW = Verdict("clear"), Verdict("chance"), Verdict("too_few")


def shown(value: float, places: int = 1) -> float:
    """``value`` as the pages print it: rounded half away from zero at ``places`` decimals,
    from its shortest decimal form (what Django's ``floatformat`` does)."""
    from decimal import ROUND_HALF_UP, Decimal

    return float(Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP))


def verdict(
    low: float | None,
    high: float | None,
    *,
    enough: bool = True,
    discovered: bool = True,
    places: int = 1,
) -> Verdict:
    """The one verdict on a difference or a change with its 95 % interval (low, high).

    "too few to tell" when there is not ``enough`` to speak at all (too few organisations);
    "clear" only when the test is a discovery (``discovered``: for many tests on one page,
    under control of the false discovery rate) *and* the interval as printed, rounded at
    ``places`` decimals, lies wholly on one side of zero — so a page never says "clear" beside
    an interval that reads as including zero; "may be chance" otherwise, also when there is
    no finite interval."""
    if not enough:
        return TOO_FEW
    if low is None or high is None or not (math.isfinite(low) and math.isfinite(high)):
        return CHANCE
    if not discovered:
        return CHANCE
    if shown(low, places) > 0 or shown(high, places) < 0:
        return CLEAR
    return CHANCE


def testable(d: Difference | PairedChange | None) -> bool:
    """A test could be made: a finite, positive standard error and finite degrees of freedom."""
    return d is not None and 0.0 < d.se < math.inf and math.isfinite(d.df) and d.df > 0


def interval_of(d: Difference | PairedChange) -> tuple[float, float]:
    """The 95 % t-interval of a difference or a paired change, (−inf, inf) where no test can
    be made."""
    if not testable(d):
        return -math.inf, math.inf
    if isinstance(d, PairedChange):
        return d.low, d.high
    half = t_quantile_975(d.df) * d.se
    return d.value - half, d.value + half


def verdicts(
    tests: Sequence[Difference | PairedChange | None], q: float = 0.05
) -> list[Verdict | None]:
    """Verdicts on many differences shown together (the change of each of a round's goals),
    with the false discovery rate across them held at q (Benjamini–Hochberg): a round of 16
    goals with no true change shows any "clear" change in at most about q of rounds. Tests that
    cannot be made are not counted among the tests and read "may be chance"; None stays None."""
    p_values = [d.p_value if testable(d) else None for d in tests]
    discoveries = benjamini_hochberg(p_values, q)
    result = []
    for d, discovered in zip(tests, discoveries, strict=True):
        if d is None:
            result.append(None)
        elif not discovered:  # no interval needed (nor computed: t at Welch's df is dear)
            result.append(CHANCE)
        else:
            low, high = interval_of(d)
            result.append(verdict(low, high))
    return result


def organisation_difference(a: PairedChange, b: PairedChange) -> Difference:
    """a − b for two independent groups of organisations (each organisation one change),
    honest for few organisations: Welch's standard error with the conservative degrees of
    freedom min(n_a, n_b) − 1 (Hsu) instead of Satterthwaite's, which are never fewer and
    give intervals that are too short when one side has a handful of organisations."""
    value = a.mean - b.mean
    if a.n < 2 or b.n < 2 or not (math.isfinite(a.se) and math.isfinite(b.se)):
        return Difference(value, math.inf, math.nan, 1.0)
    se = math.sqrt(a.se * a.se + b.se * b.se)
    df = float(min(a.n, b.n) - 1)
    if se == 0.0:
        return Difference(value, 0.0, df, 1.0)
    p_value = min(1.0, 2.0 * t_sf(abs(value) / se, df))
    return Difference(value, se, df, p_value)
