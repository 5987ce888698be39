"""The brief at the top of a round's results (page and PDF): what a politician reads in a minute.

It says nothing the details below do not: every figure is a published one (cell-key perturbed,
suppressed where needed) as the tables print it, and a gap or a change is named only where the
page's own verdict does (``UnitRow.gap_is_large``, ``UnitRow.change_verdict`` from
``results.statistics``): never "clear" where the table beside it says "may be chance"."""

from dataclasses import dataclass, field

from .figures import RoundResults, UnitRow

MOST = 3  # names per line: a brief, not a list


@dataclass(frozen=True)
class Brief:
    strongest_area: UnitRow | None
    weakest_area: UnitRow | None
    gaps_tested: bool  # politicians and officials both shown for some goal
    gaps_higher: list = field(default_factory=list)  # large gaps, politicians' view higher
    gaps_lower: list = field(default_factory=list)  # large gaps, politicians' view lower
    changes_tested: bool = False  # a previous round to compare with, on some goal
    clearly_up: list = field(default_factory=list)
    clearly_down: list = field(default_factory=list)
    weakest_goals: list = field(default_factory=list)


def _ranked_areas(results: RoundResults) -> list[UnitRow]:
    shown = [row for row in results.areas if row.total.estimate]
    return sorted(shown, key=lambda row: (-row.total.estimate.mean, row.unit.order))


def brief(results: RoundResults) -> Brief | None:
    """The brief of published results with enough respondents; None otherwise."""
    if not (results.published and results.enough):
        return None
    areas = _ranked_areas(results)
    two_or_more = len(areas) >= 2
    gaps = [row for row in results.goals if row.gap is not None]
    large = sorted((row for row in gaps if row.gap_is_large), key=lambda row: -abs(row.gap.value))[
        :MOST
    ]
    changed = [row for row in results.goals if row.change_verdict is not None]
    clear = [row for row in changed if row.change_verdict.is_clear]
    by_size = sorted(clear, key=lambda row: -abs(row.change.value))
    return Brief(
        strongest_area=areas[0] if two_or_more else None,
        weakest_area=areas[-1] if two_or_more else None,
        gaps_tested=bool(gaps),
        gaps_higher=[row for row in large if row.gap.value > 0],
        gaps_lower=[row for row in large if row.gap.value < 0],
        changes_tested=bool(changed),
        clearly_up=[row for row in by_size if row.change.value > 0][:MOST],
        clearly_down=[row for row in by_size if row.change.value < 0][:MOST],
        weakest_goals=results.weakest[:MOST],
    )
