"""On a later round's results page: for each goal of the organisation's action plans, the
change since the plan's round and where the new figure stands against the target."""

from dataclasses import dataclass
from decimal import Decimal

from results.figures import Figure, UnitRow, round_results
from results.statistics import Difference, difference

from .models import ActionPlan


@dataclass
class GoalProgress:
    goal_name: str
    target: Decimal | None
    before: Figure | None
    now: Figure
    change: Difference | None

    @property
    def verdict(self) -> str:
        """ "reached" when the whole interval is at or above the target, "below" when it lies
        wholly under it, else "unclear" — or "" without a target or a figure."""
        if self.target is None or not self.now.estimate:
            return ""
        target = float(self.target)
        if self.now.low >= target:
            return "reached"
        if self.now.high < target:
            return "below"
        return "unclear"


def plan_progress(round_, results) -> list[dict]:
    """[{"plan": plan, "goals": [GoalProgress]}] for the plans made from an earlier round of
    this organisation, compared with this round. Reads published figures only."""
    plans = list(
        ActionPlan.objects.filter(
            organisation_id=round_.organisation_id,
            round__publication__isnull=False,
            round__opens_on__lt=round_.opens_on,
            round__version__framework_id=round_.version.framework_id,
        )
        .select_related("round")
        .prefetch_related("goals")
    )
    if not plans:
        return []
    rows: dict[str, UnitRow] = {row.unit.key: row for row in results.goals}
    earlier_cache = {}
    progress = []
    for plan in plans:
        if plan.round_id not in earlier_cache:
            earlier_cache[plan.round_id] = {
                row.unit.key: row for row in round_results(plan.round).goals
            }
        earlier = earlier_cache[plan.round_id]
        goals = []
        for goal in plan.goals.all():
            row = rows.get(goal.goal_key)
            if row is None:
                continue
            before = earlier.get(goal.goal_key)
            before_figure = before.total if before else None
            change = None
            if before_figure and before_figure.estimate and row.total.estimate:
                change = difference(row.total.estimate, before_figure.estimate)
            goals.append(
                GoalProgress(goal.goal_name, goal.target, before_figure, row.total, change)
            )
        progress.append({"plan": plan, "goals": goals})
    return progress
