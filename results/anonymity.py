"""The anonymity rule, in one place for pages, exports and any endpoint.

1. A cell is shown only if at least ``threshold`` respondents are in it, and its mean only if
   at least ``threshold`` of them gave a rating.
2. Complementary suppression: when a total is shown beside its parts (target groups, genders),
   the hidden parts together must also cover 0 or at least ``threshold`` respondents (and
   ratings); otherwise the next-smallest parts are hidden too. So "total minus the shown parts"
   never isolates fewer than ``threshold`` people.
3. Organisations enter comparison figures (national, county, kommungrupp) only when their own
   round has at least ``threshold`` respondents, so subtracting one filter's figure from an
   overlapping one's only ever yields whole organisations that pass the threshold themselves.
"""

from collections.abc import Hashable, Mapping

from lib.anonymity import answers_short, threshold

from .statistics import Sums

__all__ = ["answers_short", "threshold"]  # the threshold itself lives in lib, for every floor


def passes(sums: Sums, k: int | None = None) -> bool:
    k = threshold() if k is None else k
    return sums.respondents >= k and sums.rated >= k


def _uncovered(hidden: list[Sums], k: int) -> bool:
    respondents = sum(s.respondents for s in hidden)
    rated = sum(s.rated for s in hidden)
    return 0 < respondents < k or 0 < rated < k


def suppressed_parts(parts: Mapping[Hashable, Sums], k: int | None = None) -> set:
    """Keys of the parts of a partition that must be hidden when the total is shown."""
    k = threshold() if k is None else k
    hidden = {key for key, sums in parts.items() if sums.respondents and not passes(sums, k)}
    shown = sorted(
        (key for key, sums in parts.items() if key not in hidden and sums.respondents),
        key=lambda key: (parts[key].respondents, parts[key].rated, str(key)),
    )
    while shown and _uncovered([parts[key] for key in hidden], k):
        hidden.add(shown.pop(0))
    return hidden
