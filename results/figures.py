"""Reading published figures into what a page, a PDF, a workbook or an endpoint shows.

Only published results of closed rounds are read here (``results.publication`` wrote them
with suppression applied): a suppressed figure carries no numbers at all, only the fact that
it is suppressed and why. Nothing here writes.
"""

from dataclasses import dataclass, field

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from assessments.models import Round
from assessments.rounds import link_counts
from frameworks.models import Goal, GoalArea, Prerequisite, TargetGroup

from . import anonymity, disclosure
from .models import PoolCell, Publication, PublishedFigure, UnitKind
from .statistics import (
    Difference,
    Estimate,
    Sums,
    Verdict,
    benjamini_hochberg,
    difference,
    distribution_shares,
    dont_know_share,
    verdicts,
)

GENDER_BUCKETS = [("woman", _("Women")), ("man", _("Men")), ("other", _("Other or not stated"))]
LARGE_GAP = 0.5  # points on the 1–5 scale; a gap is flagged when at least this and clear
FALSE_DISCOVERY_RATE = 0.05

SHOWN = PublishedFigure.Status.SHOWN


def sums_of(row) -> Sums:
    """The exact sums of a shown published figure or a pool cell (never shown as they are)."""
    return Sums(
        row.respondents,
        row.respondents,
        row.score_sum,
        row.score_sq_sum,
        (row.count_1, row.count_2, row.count_3, row.count_4, row.count_5),
        row.count_dk,
        (row.cell_key or 0) % disclosure.KEY_MODULUS,
    )


def pool_cells(round_ids, **cell):
    """The pool cells of these rounds (``results.models.PoolCell``), filtered by ``cell``."""
    return PoolCell.objects.filter(round_id__in=list(round_ids), **cell)


def pooled(cells, *group_by) -> dict:
    """SUM pool cells in SQL, grouped by ``group_by`` fields: a comparison figure (national,
    county, kommungrupp) over whole organisations that pass on their own for the unit, pooled
    over their respondents. The cell keys add up like every other sum, so the pooled figure
    gets the noise of exactly its respondents. Show it only through ``Figure.of``."""
    rows = (
        cells.values(*group_by)
        .annotate(
            s_n=Sum("respondents"),
            s_sum=Sum("score_sum"),
            s_sq=Sum("score_sq_sum"),
            s_1=Sum("count_1"),
            s_2=Sum("count_2"),
            s_3=Sum("count_3"),
            s_4=Sum("count_4"),
            s_5=Sum("count_5"),
            s_dk=Sum("count_dk"),
            s_key=Sum("cell_key"),
        )
        .order_by(*group_by)
    )
    result = {}
    for row in rows:
        key = tuple(row[name] for name in group_by)
        result[key if len(key) > 1 else key[0]] = Sums(
            row["s_n"],
            row["s_n"],
            float(row["s_sum"]),
            float(row["s_sq"]),
            (row["s_1"], row["s_2"], row["s_3"], row["s_4"], row["s_5"]),
            row["s_dk"],
            int(row["s_key"]) % disclosure.KEY_MODULUS,
        )
    return result


def totals(figures):
    """Figures for whole rounds (all target groups, all genders)."""
    return figures.filter(target_group_id__isnull=True, gender="")


@dataclass
class Figure:
    """One figure as shown: either the numbers, or ``suppressed`` and nothing else.

    Every number is perturbed by the cell key (``results.disclosure``) and the interval
    includes the noise. Numbers are held at full precision for the statistics, and read at
    the precision every output shows: ``mean``, ``low`` and ``high`` with one decimal, shares
    in whole percent."""

    suppressed: bool
    respondents: int | None = None
    estimate: Estimate | None = None
    dont_know: float | None = None
    distribution: list[float] = field(default_factory=list)
    linked: bool = False  # hidden because it would reveal a small target group × gender cell

    @classmethod
    def of(cls, sums: Sums | None, unit: tuple) -> "Figure":
        """The figure of exact ``sums`` for ``unit`` (kind, id): hidden under the threshold,
        else perturbed."""
        if sums is None or sums.respondents == 0:
            return cls(suppressed=False, respondents=0)
        k = anonymity.threshold()
        if not anonymity.passes(sums, k):
            return cls(suppressed=True)
        shown = disclosure.protect(sums, unit, k)
        noisy = Sums(counts=shown.counts, dont_know=shown.dont_know)
        return cls(
            suppressed=False,
            respondents=shown.respondents,
            estimate=shown.estimate,
            dont_know=round(dont_know_share(noisy), 2) if noisy.answers else None,
            distribution=[round(share, 2) for share in distribution_shares(noisy)],
        )

    @classmethod
    def published(cls, row: PublishedFigure | None) -> "Figure":
        if row is None:
            return cls(suppressed=False, respondents=0)
        if row.status == SHOWN:
            return cls.of(sums_of(row), (row.unit_kind, row.unit_id))
        return cls(suppressed=True, linked=row.status == PublishedFigure.Status.LINKED)

    @property
    def empty(self) -> bool:
        return not self.suppressed and not self.respondents

    @property
    def mean(self) -> float | None:
        return round(self.estimate.mean, 1) if self.estimate else None

    @property
    def low(self) -> float | None:
        return round(self.estimate.low, 1) if self.estimate else None

    @property
    def high(self) -> float | None:
        return round(self.estimate.high, 1) if self.estimate else None


@dataclass
class UnitRow:
    unit: object
    total: Figure
    by_group: dict
    by_gender: dict
    gap: Difference | None = None
    gap_flagged: bool = False  # large, and a discovery across the round's goals
    change: Difference | None = None
    change_verdict: Verdict | None = None  # across the round's goals (``_add_change``)
    previous: Figure | None = None
    comparisons: dict = field(default_factory=dict)

    @property
    def gap_is_large(self) -> bool:
        return self.gap_flagged

    @property
    def gender_linked(self) -> bool:
        return any(figure.linked for figure in self.by_gender.values())


def _published_rows(round_) -> dict:
    """{(kind, unit id, target group id, gender): PublishedFigure} of one round, one query."""
    return {
        (row.unit_kind, row.unit_id, row.target_group_id, row.gender): row
        for row in PublishedFigure.objects.filter(round=round_)
    }


def _rows(published: dict, kind, units, groups) -> list[UnitRow]:
    return [
        UnitRow(
            unit=unit,
            total=Figure.published(published.get((kind, unit.pk, None, ""))),
            by_group={
                g.pk: Figure.published(published.get((kind, unit.pk, g.pk, ""))) for g in groups
            },
            by_gender={
                key: Figure.published(published.get((kind, unit.pk, None, key)))
                for key, _label in GENDER_BUCKETS
            },
        )
        for unit in units
    ]


def _add_gaps(rows: list[UnitRow], groups):
    """Welch tests of politicians against officials per goal; across the round's goals the
    flags control the false discovery rate (Benjamini–Hochberg), so a round of 16 goals does
    not get false "large gaps" by chance."""
    keys = {g.key: g.pk for g in groups}
    if "politician" not in keys or "official" not in keys:
        return
    tested = []
    for row in rows:
        a, b = row.by_group[keys["politician"]], row.by_group[keys["official"]]
        if a.estimate and b.estimate and a.estimate.n > 1 and b.estimate.n > 1:
            row.gap = difference(a.estimate, b.estimate)
            tested.append(row)
    discoveries = benjamini_hochberg([row.gap.p_value for row in tested], FALSE_DISCOVERY_RATE)
    for row, discovered in zip(tested, discoveries, strict=True):
        row.gap_flagged = discovered and abs(row.gap.value) >= LARGE_GAP


def published_rounds():
    return Round.objects.filter(publication__isnull=False)


def previous_round(round_: Round) -> Round | None:
    """The organisation's latest earlier published round on the same framework (any version)."""
    return (
        published_rounds()
        .filter(
            organisation_id=round_.organisation_id,
            version__framework_id=round_.version.framework_id,
            opens_on__lt=round_.opens_on,
        )
        .exclude(pk=round_.pk)
        .select_related("version")
        .order_by("-opens_on", "-id")
        .first()
    )


def _add_change(rows: list[UnitRow], previous: Round):
    """Welch tests of each goal against the previous round, matched by key so that a later
    framework version stays comparable. A change is called clear only under control of the
    false discovery rate across the round's goals (Benjamini–Hochberg, ``verdicts``), as the
    perception gap is, so a round of 16 goals does not get false "clear" changes by chance."""
    goals = {g.key: g.pk for g in Goal.objects.filter(area__version=previous.version)}
    earlier = {
        row.unit_id: row
        for row in totals(PublishedFigure.objects.filter(round=previous, unit_kind=UnitKind.GOAL))
    }
    for row in rows:
        old_id = goals.get(row.unit.key)
        if old_id is None:
            continue
        row.previous = Figure.published(earlier.get(old_id))
        if row.previous.estimate and row.total.estimate:
            row.change = difference(row.total.estimate, row.previous.estimate)
    tested = [row for row in rows if row.change is not None]
    for row, said in zip(
        tested, verdicts([row.change for row in tested], FALSE_DISCOVERY_RATE), strict=True
    ):
        row.change_verdict = said


def comparison_rounds(version_id: int) -> dict[int, int]:
    """Each organisation's latest assessed round on this version (``results.counts``: at
    least the threshold of respondents who rated): {round id: organisation id}, as the
    national page counts them. It enters a comparison figure only for the units where its own
    figure is shown."""
    candidates = (
        published_rounds()
        .filter(version_id=version_id, publication__respondents__gte=anonymity.threshold())
        .order_by("organisation_id", "-opens_on", "-id")
        .values_list("pk", "organisation_id")
    )
    chosen, seen = {}, set()
    for round_id, org_id in candidates:
        if org_id not in seen:
            seen.add(org_id)
            chosen[round_id] = org_id
    return chosen


def _add_comparisons(rows: list[UnitRow], round_: Round):
    org = round_.organisation
    included = list(comparison_rounds(round_.version_id))
    goal_cells = pool_cells(
        included, unit_kind=UnitKind.GOAL, target_group_id__isnull=True, gender=""
    )
    scopes = {
        "national": goal_cells,
        "county": goal_cells.filter(round__organisation__county_code=org.county_code),
    }
    if org.kommungrupp:
        scopes["kommungrupp"] = goal_cells.filter(round__organisation__kommungrupp=org.kommungrupp)
    for scope, cells in scopes.items():
        sums = pooled(cells, "unit_id")
        for row in rows:
            row.comparisons[scope] = Figure.of(sums.get(row.unit.pk), (UnitKind.GOAL, row.unit.pk))


@dataclass
class RoundResults:
    round: Round
    threshold: int
    publication: Publication | None
    respondents: int
    groups: list
    areas: list[UnitRow]
    goals: list[UnitRow]
    prerequisites: list[UnitRow]
    response_rates: list[dict]
    previous: Round | None
    enough: bool

    @property
    def published(self) -> bool:
        return self.publication is not None

    @property
    def ranked_goals(self) -> list[UnitRow]:
        shown = [row for row in self.goals if row.total.estimate]
        return sorted(shown, key=lambda row: (-row.total.estimate.mean, row.unit.order))

    @property
    def strongest(self) -> list[UnitRow]:
        return self.ranked_goals[:3]

    @property
    def weakest(self) -> list[UnitRow]:
        ranked = self.ranked_goals
        return list(reversed(ranked[-3:])) if len(ranked) >= 6 else list(reversed(ranked[3:]))

    @property
    def gender_linked(self) -> bool:
        return any(row.gender_linked for row in self.areas + self.goals + self.prerequisites)

    def goals_of(self, area) -> list[UnitRow]:
        return [row for row in self.goals if row.unit.area_id == area.pk]


def round_results(round_: Round) -> RoundResults:
    """Every figure of one round's results page, exports included. Before the round is
    published this holds its response counts only."""
    publication = Publication.objects.filter(round=round_).first()
    groups = list(TargetGroup.objects.filter(version_id=round_.version_id))
    rates = response_rates(round_)
    if publication is None:
        return RoundResults(
            round_, anonymity.threshold(), None, 0, groups, [], [], [], rates, None, False
        )
    published = _published_rows(round_)
    version = round_.version
    areas = list(GoalArea.objects.filter(version=version))
    goals = list(Goal.objects.filter(area__version=version).select_related("area"))
    prereqs = list(Prerequisite.objects.filter(version=version))
    goal_rows = _rows(published, UnitKind.GOAL, goals, groups)
    _add_gaps(goal_rows, groups)
    previous = previous_round(round_)
    if previous:
        _add_change(goal_rows, previous)
    _add_comparisons(goal_rows, round_)
    return RoundResults(
        round=round_,
        threshold=anonymity.threshold(),
        publication=publication,
        respondents=publication.respondents,
        groups=groups,
        areas=_rows(published, UnitKind.AREA, areas, groups),
        goals=goal_rows,
        prerequisites=_rows(published, UnitKind.PREREQUISITE, prereqs, groups),
        response_rates=rates,
        previous=previous,
        enough=publication.respondents >= anonymity.threshold(),
    )


def response_rates(round_: Round) -> list[dict]:
    """Submitted responses per target group. Counts only, never answers; once published they
    come from the same moment as the figures."""
    rates = []
    for link in link_counts(round_):
        invited = link.invited
        rates.append(
            {
                "group": link.target_group,
                "submitted": link.submitted,
                "via_invitation": link.invitations_submitted,
                "invited": invited,
                "rate": round(link.submitted / invited, 2) if invited else None,
            }
        )
    return rates
