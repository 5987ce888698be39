"""Reading result cells into the figures a page, a PDF, a workbook or an endpoint shows.

Everything a reader gets from here has already passed ``results.anonymity``: a suppressed
figure carries no numbers at all, only the fact that it is suppressed.
"""

from dataclasses import dataclass, field

from django.db.models import Case, CharField, Sum, Value, When
from django.utils.translation import gettext_lazy as _

from assessments.models import Round
from frameworks.models import Goal, GoalArea, Prerequisite, TargetGroup

from . import anonymity
from .aggregation import ensure_fresh
from .models import ResultCell, RoundResultState, UnitKind
from .statistics import Difference, Estimate, Sums, difference, distribution_shares, dont_know_share
from .statistics import estimate as estimate_of

GENDER_BUCKETS = [("woman", _("Women")), ("man", _("Men")), ("other", _("Other or not stated"))]
LARGE_GAP = 0.5  # points on the 1–5 scale; a gap is flagged when at least this and clear


def _gender_bucket():
    return Case(
        When(gender="woman", then=Value("woman")),
        When(gender="man", then=Value("man")),
        default=Value("other"),
        output_field=CharField(),
    )


def sum_cells(cells, *group_by) -> dict:
    """SUM the additive columns of ``cells`` in SQL, grouped by ``group_by`` fields."""
    rows = cells.values(*group_by).annotate(
        s_respondents=Sum("respondents"),
        s_rated=Sum("rated"),
        s_sum=Sum("score_sum"),
        s_sq=Sum("score_sq_sum"),
        s_1=Sum("count_1"),
        s_2=Sum("count_2"),
        s_3=Sum("count_3"),
        s_4=Sum("count_4"),
        s_5=Sum("count_5"),
        s_dk=Sum("count_dk"),
    )
    result = {}
    for row in rows.order_by(*group_by):
        key = tuple(row[name] for name in group_by)
        result[key if len(key) > 1 else key[0]] = Sums(
            row["s_respondents"],
            row["s_rated"],
            float(row["s_sum"]),
            float(row["s_sq"]),
            (row["s_1"], row["s_2"], row["s_3"], row["s_4"], row["s_5"]),
            row["s_dk"],
        )
    return result


@dataclass
class Figure:
    """One cell as shown: either the numbers, or ``suppressed`` and nothing else."""

    suppressed: bool
    respondents: int | None = None
    estimate: Estimate | None = None
    dont_know: float | None = None
    distribution: list[float] = field(default_factory=list)

    @classmethod
    def of(cls, sums: Sums | None, hidden: bool = False) -> "Figure":
        if sums is None or sums.respondents == 0:
            return cls(suppressed=False, respondents=0)
        if hidden or not anonymity.passes(sums):
            return cls(suppressed=True)
        return cls(
            suppressed=False,
            respondents=sums.respondents,
            estimate=estimate_of(sums),
            dont_know=dont_know_share(sums),
            distribution=distribution_shares(sums),
        )

    @property
    def empty(self) -> bool:
        return not self.suppressed and not self.respondents

    @property
    def mean(self) -> float | None:
        return self.estimate.mean if self.estimate else None


def partition(parts: dict, keys) -> dict:
    """Figures for a partition of the total, with complementary suppression applied."""
    hidden = anonymity.suppressed_parts(parts)
    return {key: Figure.of(parts.get(key), key in hidden) for key in keys}


@dataclass
class UnitRow:
    unit: object
    total: Figure
    by_group: dict
    by_gender: dict
    gap: Difference | None = None
    change: Difference | None = None
    previous: Figure | None = None
    comparisons: dict = field(default_factory=dict)

    @property
    def gap_is_large(self) -> bool:
        return bool(self.gap and self.gap.is_clear and abs(self.gap.value) >= LARGE_GAP)


def _rows(round_, kind, units, groups) -> list[UnitRow]:
    cells = ResultCell.objects.filter(round=round_, unit_kind=kind)
    totals = sum_cells(cells, "unit_id")
    by_group = sum_cells(cells, "unit_id", "target_group_id")
    by_gender = sum_cells(cells.annotate(bucket=_gender_bucket()), "unit_id", "bucket")
    rows = []
    for unit in units:
        group_parts = {
            g.pk: s
            for (u, g_id), s in by_group.items()
            if u == unit.pk
            for g in groups
            if g.pk == g_id
        }
        gender_parts = {b: s for (u, b), s in by_gender.items() if u == unit.pk}
        rows.append(
            UnitRow(
                unit=unit,
                total=Figure.of(totals.get(unit.pk)),
                by_group=partition(group_parts, [g.pk for g in groups]),
                by_gender=partition(gender_parts, [key for key, _ in GENDER_BUCKETS]),
            )
        )
    return rows


def _add_gaps(rows: list[UnitRow], groups):
    keys = {g.key: g.pk for g in groups}
    if "politician" not in keys or "official" not in keys:
        return
    for row in rows:
        a, b = row.by_group[keys["politician"]], row.by_group[keys["official"]]
        if a.estimate and b.estimate and a.estimate.n > 1 and b.estimate.n > 1:
            row.gap = difference(a.estimate, b.estimate)


def previous_round(round_: Round) -> Round | None:
    """The organisation's latest earlier round on the same framework (any version)."""
    return (
        Round.objects.filter(
            organisation_id=round_.organisation_id,
            version__framework_id=round_.version.framework_id,
            opens_on__lt=round_.opens_on,
        )
        .exclude(pk=round_.pk)
        .select_related("version")
        .order_by("-opens_on", "-id")
        .first()
    )


def _add_change(rows: list[UnitRow], round_: Round, previous: Round):
    """Goals are matched by key, so a later framework version stays comparable."""
    goals = {g.key: g.pk for g in Goal.objects.filter(area__version=previous.version)}
    earlier = sum_cells(
        ResultCell.objects.filter(round=previous, unit_kind=UnitKind.GOAL), "unit_id"
    )
    for row in rows:
        old_id = goals.get(row.unit.key)
        if old_id is None:
            continue
        row.previous = Figure.of(earlier.get(old_id))
        if row.previous.estimate and row.total.estimate:
            row.change = difference(row.total.estimate, row.previous.estimate)


def comparison_rounds(version_id: int) -> dict[int, int]:
    """Each organisation's latest round on this version that passes the threshold on its own:
    {round id: organisation id}."""
    candidates = (
        RoundResultState.objects.filter(
            round__version_id=version_id, respondents__gte=anonymity.threshold()
        )
        .order_by("round__organisation_id", "-round__opens_on", "-round_id")
        .values_list("round_id", "round__organisation_id")
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
    goal_cells = ResultCell.objects.filter(round_id__in=included, unit_kind=UnitKind.GOAL)
    scopes = {
        "national": goal_cells,
        "county": goal_cells.filter(round__organisation__county_code=org.county_code),
    }
    if org.kommungrupp:
        scopes["kommungrupp"] = goal_cells.filter(round__organisation__kommungrupp=org.kommungrupp)
    for scope, cells in scopes.items():
        sums = sum_cells(cells, "unit_id")
        for row in rows:
            row.comparisons[scope] = Figure.of(sums.get(row.unit.pk))


@dataclass
class RoundResults:
    round: Round
    threshold: int
    respondents: int
    groups: list
    areas: list[UnitRow]
    goals: list[UnitRow]
    prerequisites: list[UnitRow]
    response_rates: list[dict]
    previous: Round | None
    enough: bool

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

    def goals_of(self, area) -> list[UnitRow]:
        return [row for row in self.goals if row.unit.area_id == area.pk]


def round_results(round_: Round) -> RoundResults:
    """Every figure of one round's results page, exports included, suppressed as needed."""
    ensure_fresh(Round.objects.filter(pk=round_.pk))
    version = round_.version
    groups = list(TargetGroup.objects.filter(version=version))
    state = RoundResultState.objects.filter(round=round_).first()
    respondents = state.respondents if state else 0
    areas = list(GoalArea.objects.filter(version=version))
    goals = list(Goal.objects.filter(area__version=version).select_related("area"))
    prereqs = list(Prerequisite.objects.filter(version=version))
    goal_rows = _rows(round_, UnitKind.GOAL, goals, groups)
    _add_gaps(goal_rows, groups)
    previous = previous_round(round_)
    if previous:
        ensure_fresh(Round.objects.filter(pk=previous.pk))
        _add_change(goal_rows, round_, previous)
    _add_comparisons(goal_rows, round_)
    return RoundResults(
        round=round_,
        threshold=anonymity.threshold(),
        respondents=respondents,
        groups=groups,
        areas=_rows(round_, UnitKind.AREA, areas, groups),
        goals=goal_rows,
        prerequisites=_rows(round_, UnitKind.PREREQUISITE, prereqs, groups),
        response_rates=response_rates(round_),
        previous=previous,
        enough=respondents >= anonymity.threshold(),
    )


def response_rates(round_: Round) -> list[dict]:
    from assessments.rounds import link_counts

    rates = []
    for link in link_counts(round_):
        invited = link.invited_count
        rates.append(
            {
                "group": link.target_group,
                "submitted": link.submitted,
                "invited": invited,
                "rate": (link.submitted / invited) if invited else None,
            }
        )
    return rates
