"""The one definition of the programme's organisation counts, used by every page and document:
the overview and the loop, the national page, the effect page, the report to the government
(PDF and DOCX) and the Excel exports. ``docs/counts.md`` says the same in words.

An organisation is

- **reached** when it has a submitted self-assessment response, a participant who attended a
  webinar, or a workshop that was held;
- **took part** when one of its rounds was published (closed) with at least one respondent who
  rated something (``Publication.respondents`` ≥ 1);
- **assessed** when one of its rounds published figures: at least the anonymity threshold of
  respondents who rated (``Publication.respondents`` ≥ ``lib.anonymity.threshold()``);
- **followed up** when it has an assessed baseline and a later assessed follow-up on the same
  framework, opened after the baseline's last day (the day it was closed early, else its
  closing day) — the pair of rounds the effect of the programme is measured on.

For a period (start, end), a round counts when it opened in the period (for "followed up", the
follow-up), a response when it was submitted in it, a webinar or a workshop when it was held in
it. Without a period, everything so far counts. Nothing here writes.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import F, QuerySet
from django.utils import timezone

from assessments.models import Response, Round
from learning.models import WorkshopRequest
from lib.anonymity import threshold
from registry.models import Organisation
from webinars.models import Registration

HELD = [WorkshopRequest.Status.HELD, WorkshopRequest.Status.EVALUATED]


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


def reached_ids(start=None, end=None) -> set[int]:
    """Organisations reached by at least one activity (in the period)."""
    responses = Response.objects.filter(submitted_on__isnull=False)
    webinars = Registration.objects.filter(attended=True)
    workshops = WorkshopRequest.objects.filter(status__in=HELD)
    if start and end:
        responses = responses.filter(submitted_on__range=(start, end))
        webinars = webinars.filter(session__starts_at__date__range=(start, end))
        workshops = workshops.filter(scheduled_start__date__range=(start, end))
    ids = set(responses.values_list("round__organisation_id", flat=True).distinct())
    ids |= set(webinars.values_list("organisation_id", flat=True).distinct())
    ids |= set(workshops.values_list("organisation_id", flat=True).distinct())
    return ids


@dataclass(frozen=True)
class Counts:
    """How many organisations of all were reached, took part, were assessed and followed up."""

    organisations: int
    reached: int
    took_part: int
    assessed: int
    followed_up: int
    start: date | None = None
    end: date | None = None

    @property
    def rows(self) -> list[tuple[str, str, int]]:
        """[(key, label, count)] in the order pages and documents show them."""
        return [(key, str(label), getattr(self, key)) for key, label in labels()]


def labels() -> list[tuple[str, str]]:
    """The counts' names and one-line definitions, translated (one place for every page)."""
    from django.utils.translation import gettext as _

    k = threshold()
    return [
        ("reached", _("Reached: a response, a webinar attended or a workshop held")),
        ("took_part", _("Took part: a closed round with at least one respondent who rated")),
        (
            "assessed",
            _("Assessed: a closed round with at least %(k)s respondents who rated") % {"k": k},
        ),
        (
            "followed_up",
            _("Followed up: an assessed baseline and a later assessed follow-up"),
        ),
    ]


def counts(start=None, end=None) -> Counts:
    """Every count, for a period or (without one) so far."""
    return Counts(
        organisations=Organisation.objects.count(),
        reached=len(reached_ids(start, end)),
        took_part=len(took_part_ids(start, end)),
        assessed=len(assessed_ids(start, end)),
        followed_up=len(followed_up_ids(start, end)),
        start=start,
        end=end,
    )
