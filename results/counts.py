"""The one definition of the round-based organisation counts — *took part*, *assessed*,
*followed up* — that every page and document uses: the national page here, the effect page,
and through ``programme.counts`` (which adds *reached*) the overview, the loop, the report to
the government and the Excel exports. ``docs/counts.md`` says the same in words.

An organisation

- **took part** when one of its rounds was published (closed) with at least one respondent who
  rated something (``Publication.respondents`` ≥ 1);
- is **assessed** when one of its rounds published figures: at least the anonymity threshold of
  respondents who rated (``Publication.respondents`` ≥ ``lib.anonymity.threshold()``);
- is **followed up** when it has an assessed baseline and a later assessed follow-up on the same
  framework, opened after the baseline's last day (the day it was closed early, else its
  closing day) — the pair of rounds the effect of the programme is measured on.

For a period (start, end), a round counts when it opened in the period (for "followed up", the
follow-up). Without a period, everything so far counts. Nothing here writes.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import F, QuerySet
from django.utils import timezone

from assessments.models import Round
from lib.anonymity import threshold


def _in_period(rounds: QuerySet, start=None, end=None) -> QuerySet:
    if start and end:
        return rounds.filter(opens_on__range=(start, end))
    return rounds


def took_part_rounds(start=None, end=None) -> QuerySet:
    """Closed rounds published with at least one respondent who rated."""
    return _in_period(Round.objects.filter(publication__respondents__gte=1), start, end)


def assessed_rounds(start=None, end=None) -> QuerySet:
    """Rounds that published figures: at least the threshold of respondents who rated."""
    return _in_period(Round.objects.filter(publication__respondents__gte=threshold()), start, end)


def took_part_ids(start=None, end=None) -> set[int]:
    return set(took_part_rounds(start, end).values_list("organisation_id", flat=True))


def assessed_ids(start=None, end=None) -> set[int]:
    return set(assessed_rounds(start, end).values_list("organisation_id", flat=True))


@dataclass(frozen=True)
class RoundPair:
    """An organisation's assessed baseline and follow-up, and the window between them in
    which work counts: ``after`` < day < ``before``."""

    baseline: int
    follow_up: int
    after: date  # the baseline's last day (closed early, else its closing day)
    before: date  # the follow-up's first day

    def __iter__(self):  # unpacks as (baseline, follow-up)
        return iter((self.baseline, self.follow_up))

    def contains(self, day: date | None) -> bool:
        return day is not None and self.after < day < self.before


def _day(moment: datetime | None) -> date | None:
    return None if moment is None else timezone.localdate(moment)


def follow_up_pairs(start=None, end=None) -> dict[int, RoundPair]:
    """{organisation id: RoundPair}: its earliest assessed baseline and its latest assessed
    follow-up on the same framework opening after the baseline's last day (for a period: the
    latest such follow-up that opened in it)."""
    rounds = (
        assessed_rounds()
        .filter(kind__in=[Round.Kind.BASELINE, Round.Kind.FOLLOW_UP])
        .order_by("organisation_id", "opens_on", "id")
        .values(
            "pk",
            "organisation_id",
            "kind",
            "opens_on",
            "closes_on",
            "closed_early_at",
            framework=F("version__framework_id"),
        )
    )
    baselines, pairs = {}, {}
    for r in rounds:
        org = r["organisation_id"]
        if r["kind"] == Round.Kind.BASELINE:
            baselines.setdefault(org, r)
        elif org in baselines:
            if start and end and not start <= r["opens_on"] <= end:
                continue
            base = baselines[org]
            last_day = _day(base["closed_early_at"]) or base["closes_on"]
            if base["framework"] == r["framework"] and r["opens_on"] > last_day:
                pairs[org] = RoundPair(base["pk"], r["pk"], last_day, r["opens_on"])
    return pairs


def followed_up_ids(start=None, end=None) -> set[int]:
    return set(follow_up_pairs(start, end))
