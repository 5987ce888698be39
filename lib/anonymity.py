"""The anonymity threshold, which apps on every floor need (the round page's hint, webinar and
workshop evaluations), read from the one setting. The rules built on it — cell suppression,
complementary suppression, linked tables — live in ``results.anonymity``."""

from django.conf import settings


def threshold() -> int:
    """The least number of respondents any shown figure may rest on (default 5)."""
    return settings.DIGILYFT_ANONYMITY_THRESHOLD


def answers_short(submitted: int, k: int | None = None) -> int:
    """How many more submitted answers a group needs before its own figures can be
    published: 0 once ``submitted`` reaches the threshold. Read from the submitted count
    alone, which the round page already shows, so it tells nothing more; an answer without
    any rating counts nowhere (rule 3 of ``docs/privacy-model.md``), and complementary
    suppression may still hide a group that passes, so it is a lower bound."""
    k = threshold() if k is None else k
    return max(0, k - submitted)
