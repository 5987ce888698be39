"""The national picture for the programme office: participation of every organisation,
the national figures per goal, and where each organisation stands — all suppressed.

Only published results of closed rounds are read. Filters (county, kind, kommungrupp) only
ever select whole organisations, and an organisation contributes to a goal's figure only when
its own published figure for that goal is shown, so the difference of two filtered views is
always a set of whole organisations that each pass the threshold on their own — and, as every
figure is perturbed by its cell key, their figure plus the noise of two cells.
"""

from dataclasses import dataclass

from assessments.models import Round
from frameworks.models import FrameworkVersion, Goal
from registry.models import Organisation

from . import anonymity, counts
from .figures import Figure, pool_cells, pooled, published_rounds, totals
from .filters import filtered_organisations
from .models import PublishedFigure, UnitKind


@dataclass
class Filters:
    county: str = ""
    kind: str = ""
    kommungrupp: str = ""

    def organisations(self):
        """Through ``results.filters.OrganisationFilter``, the one definition of the filters."""
        return filtered_organisations(self.county, self.kind, self.kommungrupp)


@dataclass
class Participation:
    organisation: Organisation
    round: Round | None
    respondents: int
    included: bool


@dataclass
class NationalPicture:
    version: FrameworkVersion
    filters: Filters
    threshold: int
    participation: list[Participation]
    goals: list[Goal]
    national: dict  # goal id -> Figure
    standings: list[tuple[Participation, dict]]  # (org row, goal id -> Figure)

    @property
    def organisations(self) -> int:
        return len(self.participation)

    @property
    def participating(self) -> int:
        return sum(1 for row in self.participation if row.respondents)

    @property
    def included(self) -> int:
        return sum(1 for row in self.participation if row.included)

    @property
    def respondents(self) -> int:
        return sum(row.respondents for row in self.participation)


def default_version() -> FrameworkVersion | None:
    return (
        FrameworkVersion.objects.filter(rounds__isnull=False)
        .select_related("framework")
        .order_by("-created_at", "-number")
        .first()
    )


def latest_rounds(version, organisations) -> dict[int, tuple[Round, int]]:
    """Each organisation's round on the version that the page counts: {org id: (round,
    respondents)}. Its latest *assessed* round (``results.counts``: one that published
    figures), else its latest round it *took part* in, else its latest published round — so an
    empty or small latest round does not hide an earlier assessment, and the page's "took
    part" and "in the figures" are the counts every other page gives."""
    rounds = (
        published_rounds()
        .filter(version=version, organisation__in=organisations)
        .select_related("publication")
        .order_by("organisation_id", "-opens_on", "-id")
    )
    k = counts.threshold()
    latest = {}
    for round_ in rounds:
        rank = 2 if round_.publication.respondents >= k else int(round_.publication.respondents > 0)
        best = latest.get(round_.organisation_id)
        if best is None or rank > best[2]:
            latest[round_.organisation_id] = (round_, round_.publication.respondents, rank)
    return {org: (round_, respondents) for org, (round_, respondents, _r) in latest.items()}


def national_picture(version: FrameworkVersion, filters: Filters) -> NationalPicture:
    k = anonymity.threshold()
    organisations = list(filters.organisations().order_by("code"))
    latest = latest_rounds(version, organisations)
    participation = []
    for org in organisations:
        round_, respondents = latest.get(org.pk, (None, 0))
        participation.append(Participation(org, round_, respondents, respondents >= k))
    included = {row.round.pk: row for row in participation if row.included}
    figures = totals(
        PublishedFigure.objects.filter(round_id__in=list(included), unit_kind=UnitKind.GOAL)
    )
    goals = list(Goal.objects.filter(area__version=version).select_related("area"))
    national_sums = pooled(
        pool_cells(included, unit_kind=UnitKind.GOAL, target_group_id__isnull=True, gender=""),
        "unit_id",
    )
    national = {
        goal.pk: Figure.of(national_sums.get(goal.pk), (UnitKind.GOAL, goal.pk)) for goal in goals
    }
    per_round = {(row.round_id, row.unit_id): row for row in figures}
    standings = [
        (row, {goal.pk: Figure.published(per_round.get((round_id, goal.pk))) for goal in goals})
        for round_id, row in included.items()
    ]
    standings.sort(key=lambda pair: pair[0].organisation.code)
    return NationalPicture(version, filters, k, participation, goals, national, standings)


# --- the organisation table: sorted and paged on the server, so it works without JavaScript

PAGE_SIZE = 25


def sort_keys(goals) -> list[str]:
    """Every column the organisation table can be sorted by: ``code``, ``name``,
    ``respondents`` and ``goal-<id>`` for each goal."""
    return ["code", "name", "respondents", *[f"goal-{goal.pk}" for goal in goals]]


def sorted_standings(picture: NationalPicture, sort: str = "code", descending: bool = False):
    """The standings ordered by ``sort`` (one of ``sort_keys``). An organisation whose figure
    for the goal is not shown (suppressed) always comes last, whichever the direction; ties
    keep the order of the SCB code."""
    rows = sorted(picture.standings, key=lambda pair: pair[0].organisation.code)
    if sort == "name":
        return sorted(rows, key=lambda pair: pair[0].organisation.name, reverse=descending)
    if sort == "respondents":
        return sorted(rows, key=lambda pair: pair[0].respondents, reverse=descending)
    if sort.startswith("goal-"):
        goal_id = int(sort.removeprefix("goal-"))
        shown = [pair for pair in rows if pair[1][goal_id].mean is not None]
        hidden = [pair for pair in rows if pair[1][goal_id].mean is None]
        shown.sort(key=lambda pair: pair[1][goal_id].mean, reverse=descending)
        return shown + hidden
    return list(reversed(rows)) if descending else rows


def goals_by_area(goals) -> list[tuple[object, list]]:
    """[(goal area, [its goals])] in the framework's order."""
    areas: dict = {}
    for goal in goals:
        areas.setdefault(goal.area, []).append(goal)
    return list(areas.items())
