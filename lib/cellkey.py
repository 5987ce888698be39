"""The cell-key method's primitives, for every floor that publishes a figure over people:
record keys, cell keys and the noise they fix. ``results.disclosure`` builds the results'
perturbation on them; webinar and workshop evaluations use ``noisy_mean`` directly.

A record key is a random number with no meaning, drawn once per answer set (a response, an
evaluation). A cell's key is the sum of its records' keys modulo 2³², so it adds up in SQL
like any other sum. The noise of a statistic is fixed by the cell key, the unit and the
statistic's name: the same people give the same noise wherever and whenever the figure is
shown, and one person more or less gives unrelated noise.
"""

import hashlib
import secrets
from statistics import NormalDist

from django.db.models import Count, Sum

KEY_MODULUS = 2**32

# Noise on a sum of 1–5 scores (points; normal, mean 0). One padded-in person's score is read
# with this error whatever the size of the cell; the mean moves by SUM_SD / n. Set from the
# padding simulation in results/tests/test_disclosure.py (docs/privacy-model.md).
SUM_SD = 2.0

_NORMAL = NormalDist()


def new_record_key() -> int:
    return secrets.randbelow(KEY_MODULUS)


def uniform(cell_key: int, unit: tuple, statistic: str) -> float:
    """A number in (0, 1), fixed by the cell's key, its unit (kind, id) and the statistic."""
    kind, unit_id = unit
    kind = getattr(kind, "value", kind)  # a choices member or the string stored for it
    text = f"{int(cell_key) % KEY_MODULUS}:{kind}:{int(unit_id)}:{statistic}".encode()
    digest = hashlib.blake2b(text, digest_size=8).digest()
    return (int.from_bytes(digest, "big") + 0.5) / 2**64


def normal_noise(cell_key: int, unit: tuple, statistic: str, sd: float) -> float:
    return sd * _NORMAL.inv_cdf(uniform(cell_key, unit, statistic))


def noisy_mean(total: float, n: int, cell_key: int, unit: tuple) -> float:
    """The mean of n scores on the 1–5 scale as it may be shown: the sum perturbed by the
    cell key, divided by n, kept on the scale."""
    mean = (total + normal_noise(cell_key, unit, "sum", SUM_SD)) / n
    return min(5.0, max(1.0, mean))


def perturbed_means(rows, questions, kind: str, owner_id: int) -> dict:
    """{question: mean as it may be shown} over ``rows`` (a queryset of answer sets with a
    ``record_key``), in one aggregate query; each question its own unit, so its own noise.
    Padding an evaluation with one's own links then reads the real participant's answer
    plus noise of SUM_SD, not the answer."""
    totals = rows.aggregate(n=Count("pk"), key=Sum("record_key"), **{q: Sum(q) for q in questions})
    n, key = totals["n"], totals["key"] or 0
    if not n:
        return {}
    return {q: noisy_mean(float(totals[q]), n, key, (f"{kind}-{q}", owner_id)) for q in questions}
