"""The national picture for the programme office: participation of every organisation,
the national figures per goal, and where each organisation stands — all suppressed.

Filters (county, kind, kommungrupp) only ever select whole organisations, and an organisation
contributes figures only when its own round passes the threshold, so comparing two filtered
views never isolates a group smaller than the threshold.
"""

from dataclasses import dataclass

from django.db.models import Q

from assessments.models import Round
from frameworks.models import FrameworkVersion, Goal
from registry.models import Organisation

from . import anonymity
from .aggregation import ensure_fresh
from .figures import Figure, sum_cells
from .models import ResultCell, UnitKind


@dataclass
class Filters:
    county: str = ""
    kind: str = ""
    kommungrupp: str = ""

    def organisations(self):
        orgs = Organisation.objects.all()
        if self.county:
            orgs = orgs.filter(county_code=self.county)
        if self.kind:
            orgs = orgs.filter(kind=self.kind)
        if self.kommungrupp:
            orgs = orgs.filter(kommungrupp=self.kommungrupp)
        return orgs


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
    """Each organisation's latest round on the version: {org id: (round, submitted)}."""
    rounds = (
        Round.objects.filter(version=version, organisation__in=organisations)
        .select_related("result_state")
        .order_by("organisation_id", "-opens_on", "-id")
    )
    latest = {}
    for round_ in rounds:
        if round_.organisation_id not in latest:
            state = getattr(round_, "result_state", None)
            latest[round_.organisation_id] = (round_, state.respondents if state else 0)
    return latest


def national_picture(version: FrameworkVersion, filters: Filters) -> NationalPicture:
    ensure_fresh(Round.objects.filter(version=version))
    k = anonymity.threshold()
    organisations = list(filters.organisations().order_by("code"))
    latest = latest_rounds(version, organisations)
    participation = []
    for org in organisations:
        round_, respondents = latest.get(org.pk, (None, 0))
        participation.append(Participation(org, round_, respondents, respondents >= k))
    included = {row.round.pk: row for row in participation if row.included}
    cells = ResultCell.objects.filter(round_id__in=list(included), unit_kind=UnitKind.GOAL)
    goals = list(Goal.objects.filter(area__version=version).select_related("area"))
    national_sums = sum_cells(cells, "unit_id")
    national = {goal.pk: Figure.of(national_sums.get(goal.pk)) for goal in goals}
    per_round = sum_cells(cells, "round_id", "unit_id")
    standings = [
        (row, {goal.pk: Figure.of(per_round.get((round_id, goal.pk))) for goal in goals})
        for round_id, row in included.items()
    ]
    standings.sort(key=lambda pair: pair[0].organisation.code)
    return NationalPicture(version, filters, k, participation, goals, national, standings)


def filter_choices():
    counties = (
        Organisation.objects.values_list("county_code", "county_name")
        .distinct()
        .order_by("county_code")
    )
    groups = (
        Organisation.objects.filter(~Q(kommungrupp=""))
        .values_list("kommungrupp", "kommungrupp_name")
        .distinct()
        .order_by("kommungrupp")
    )
    return {
        "counties": list(counties),
        "kommungrupper": list(groups),
        "kinds": Organisation.Kind.choices,
    }
