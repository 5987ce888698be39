"""What a respondent could learn next, shown on their own one-time summary: for their two
weakest goal areas, the upcoming webinars for their target group, recordings and published
library cases on those areas' goals.

Computed on the page from the respondent's own scores (already on that page) and the public
catalogue; nothing is stored, logged or sent, and the links carry no parameter that could
tell where a visitor came from. Four queries whatever the number of areas.
"""

from dataclasses import dataclass, field

from django.utils import timezone

from frameworks.models import Goal, GoalArea
from webinars.models import Session

from .models import Case, CaseGoal

AREAS = 2  # the respondent's weakest areas that get suggestions
PER_KIND = 3  # at most this many webinars, recordings and cases per area


@dataclass
class AreaSuggestions:
    area: GoalArea
    mean: float
    webinars: list = field(default_factory=list)  # upcoming sessions, soonest first
    recordings: list = field(default_factory=list)  # held sessions with a recording, newest first
    cases: list = field(default_factory=list)  # published library cases

    @property
    def empty(self) -> bool:
        return not (self.webinars or self.recordings or self.cases)


def weakest_areas(scores: list[dict], count: int = AREAS) -> list[dict]:
    """The ``count`` areas with the lowest own mean (areas without rated answers left out);
    a tie goes to the area that comes first in the framework."""
    rated = [(score["mean"], index, score) for index, score in enumerate(scores)]
    rated = [row for row in rated if row[0] is not None]
    return [score for _mean, _index, score in sorted(rated, key=lambda row: row[:2])[:count]]


def _overlaps(session: Session, keys: set[str]) -> bool:
    return bool(keys.intersection(session.goal_keys or []))


def suggestions(scores: list[dict], target_group_key: str) -> list[AreaSuggestions]:
    """For the two weakest areas in ``scores`` (``assessments.questionnaire.own_scores``):
    upcoming webinars of a published series for ``target_group_key`` on one of the area's
    goals, held sessions with a recording on them, and published cases on them."""
    weakest = weakest_areas(scores)
    if not weakest:
        return []
    area_keys = {score["area"].pk: set() for score in weakest}
    for area_id, key in Goal.objects.filter(area_id__in=area_keys).values_list("area_id", "key"):
        area_keys[area_id].add(key)
    every_key = set().union(*area_keys.values())
    now = timezone.now()
    published = Session.objects.filter(series__is_published=True)
    upcoming = [
        session
        for session in published.filter(starts_at__gt=now).select_related("series")
        if target_group_key in (session.series.target_groups or [])
        and _overlaps(session, every_key)
    ]
    recorded = [
        session
        for session in published.filter(ends_at__lt=now)
        .exclude(recording_link="")
        .order_by("-starts_at")
        if _overlaps(session, every_key)
    ]
    cases_by_key = {}
    for link in (
        CaseGoal.objects.filter(goal_key__in=every_key, case__status=Case.Status.PUBLISHED)
        .select_related("case__organisation")
        .order_by("case__title_sv", "case_id")
    ):
        cases_by_key.setdefault(link.goal_key, []).append(link.case)
    found = []
    for score in weakest:
        keys = area_keys[score["area"].pk]
        cases = []
        for key in sorted(keys):
            cases.extend(case for case in cases_by_key.get(key, []) if case not in cases)
        found.append(
            AreaSuggestions(
                area=score["area"],
                mean=score["mean"],
                webinars=[s for s in upcoming if _overlaps(s, keys)][:PER_KIND],
                recordings=[s for s in recorded if _overlaps(s, keys)][:PER_KIND],
                cases=cases[:PER_KIND],
            )
        )
    return found
