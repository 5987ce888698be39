"""On a later round's results page: for each goal of the organisation's action plans, the
change since the plan's round and where the new figure stands against the target."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch

from results.figures import FALSE_DISCOVERY_RATE, Figure, UnitRow, round_results
from results.statistics import Difference, Verdict, difference, verdicts

from .models import ActionPlan, PlanGoal


@dataclass
class GoalProgress:
    goal_name: str
    target: Decimal | None
    before: Figure | None
    now: Figure
    change: Difference | None
    change_verdict: Verdict | None = None

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
        .prefetch_related(Prefetch("goals", queryset=PlanGoal.objects.with_names()))
    )
    if not plans:
        return []
    rows: dict[str, UnitRow] = {row.unit.key: row for row in results.goals}
    judged_cache = {}
    progress = []
    for plan in plans:
        if plan.round_id not in judged_cache:
            judged_cache[plan.round_id] = _changes_since(plan.round, rows)
        judged = judged_cache[plan.round_id]
        goals = []
        for goal in plan.goals.all():
            row = rows.get(goal.goal_key)
            if row is None:
                continue
            before_figure, change, said = judged.get(goal.goal_key, (None, None, None))
            goals.append(
                GoalProgress(goal.name, goal.target, before_figure, row.total, change, said)
            )
        progress.append({"plan": plan, "goals": goals})
    return progress


def _changes_since(earlier_round, rows: dict[str, UnitRow]) -> dict:
    """{goal key: (figure then, change, verdict)} for every goal of the round against the
    plan's round: the verdicts hold the false discovery rate across all the round's goals, as
    the results page does, not only across the plan's few."""
    earlier = {row.unit.key: row.total for row in round_results(earlier_round).goals}
    found = {}
    for key, row in rows.items():
        before = earlier.get(key)
        change = None
        if before and before.estimate and row.total.estimate:
            change = difference(row.total.estimate, before.estimate)
        found[key] = (before, change)
    keys = list(found)
    said = verdicts([found[key][1] for key in keys], FALSE_DISCOVERY_RATE)
    return {key: (*found[key], verdict) for key, verdict in zip(keys, said, strict=True)}
