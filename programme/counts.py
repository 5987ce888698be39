"""The one definition of the programme's organisation counts, used by every page and document:
the overview and the loop, the reach page and its workbook, the report to the government (PDF
and DOCX). ``docs/counts.md`` says the same in words.

*Took part*, *assessed* and *followed up* are defined in ``results.counts`` (the national and
effect pages read them there); this adds *reached*: an organisation with a submitted
self-assessment response, a participant who attended a webinar, or a workshop that was held.
For a period, a response counts when it was submitted in it, a webinar or a workshop when it
was held in it. Nothing here writes.
"""

from dataclasses import dataclass
from datetime import date

from assessments.models import Response
from learning.models import WorkshopRequest
from lib.anonymity import threshold
from registry.models import Organisation
from results.counts import (
    RoundPair,
    assessed_ids,
    assessed_rounds,
    follow_up_pairs,
    followed_up_ids,
    took_part_ids,
    took_part_rounds,
)
from webinars.models import Registration

__all__ = [
    "RoundPair",
    "assessed_ids",
    "assessed_rounds",
    "follow_up_pairs",
    "followed_up_ids",
    "took_part_ids",
    "took_part_rounds",
]

HELD = [WorkshopRequest.Status.HELD, WorkshopRequest.Status.EVALUATED]


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
