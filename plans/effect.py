"""The effect of the programme: a difference in differences, organisation by organisation.

For each organisation with a published baseline and a later published follow-up round, and
for each goal where both rounds show a figure, its change is the follow-up's published mean
minus the baseline's. Per goal, the organisations that worked on the goal (it was among a
held workshop's picked goals or in an action plan) are compared with those that did not:
the difference of the two groups' mean changes, with a Welch interval over organisations.
It is an observational comparison: organisations chose what to work on, so it is no proof of
cause. Nothing here writes.
"""

import math
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db.models import F
from django.utils.translation import get_language

from assessments.models import Round
from frameworks.models import Goal
from learning.models import RequestedGoal, WorkshopRequest
from results.models import PublishedFigure, UnitKind
from results.statistics import Estimate, PairedChange, difference, paired_change, t_quantile

from .models import PlanGoal

HELD = (WorkshopRequest.Status.HELD, WorkshopRequest.Status.EVALUATED)


def minimum_organisations() -> int:
    return max(2, getattr(settings, "DIGILYFT_EFFECT_MIN_ORGANISATIONS", 2))


@dataclass
class GoalEffect:
    key: str
    name: str
    worked: PairedChange | None
    others: PairedChange | None
    value: float | None = None
    low: float | None = None
    high: float | None = None
    df: float | None = None

    @property
    def worked_n(self) -> int:
        return self.worked.n if self.worked else 0

    @property
    def others_n(self) -> int:
        return self.others.n if self.others else 0

    @property
    def too_few(self) -> bool:
        return self.value is None

    @property
    def bounded(self) -> bool:
        return self.low is not None and math.isfinite(self.low) and math.isfinite(self.high)

    @property
    def is_clear(self) -> bool:
        return self.bounded and (self.low > 0 or self.high < 0)


def round_pairs() -> dict[int, tuple[int, int]]:
    """{organisation id: (baseline round id, follow-up round id)}: its earliest published
    baseline and its latest published follow-up after it, on the same framework."""
    rounds = (
        Round.objects.filter(
            publication__isnull=False, kind__in=[Round.Kind.BASELINE, Round.Kind.FOLLOW_UP]
        )
        .order_by("organisation_id", "opens_on", "id")
        .values("pk", "organisation_id", "kind", "opens_on", framework=F("version__framework_id"))
    )
    baselines, pairs = {}, {}
    for r in rounds:
        org = r["organisation_id"]
        if r["kind"] == Round.Kind.BASELINE:
            baselines.setdefault(org, r)
        elif org in baselines:
            base = baselines[org]
            if base["framework"] == r["framework"] and r["opens_on"] > base["opens_on"]:
                pairs[org] = (base["pk"], r["pk"])
    return pairs


def goal_means(round_ids) -> dict[int, dict[str, float]]:
    """{round id: {goal key: published mean}}, shown whole-round figures only."""
    rows = PublishedFigure.objects.filter(
        round_id__in=round_ids,
        unit_kind=UnitKind.GOAL,
        target_group_id__isnull=True,
        gender="",
        status=PublishedFigure.Status.SHOWN,
        respondents__gt=0,
    ).values_list("round_id", "unit_id", "score_sum", "respondents")
    rows = list(rows)
    keys = dict(Goal.objects.filter(pk__in={r[1] for r in rows}).values_list("pk", "key"))
    means = defaultdict(dict)
    for round_id, unit_id, score_sum, respondents in rows:
        means[round_id][keys[unit_id]] = score_sum / respondents
    return means


def worked_goals(org_ids) -> dict[int, set[str]]:
    """{organisation id: goal keys it worked on}: a held workshop's picks or an action plan."""
    worked = defaultdict(set)
    for org, key in RequestedGoal.objects.filter(
        request__organisation_id__in=org_ids, request__status__in=HELD
    ).values_list("request__organisation_id", "goal_key"):
        worked[org].add(key)
    for org, key in PlanGoal.objects.filter(plan__organisation_id__in=org_ids).values_list(
        "plan__organisation_id", "goal_key"
    ):
        worked[org].add(key)
    return worked


def changes_by_goal() -> dict[str, tuple[list[float], list[float]]]:
    """{goal key: (changes of organisations that worked on it, changes of the others)}."""
    pairs = round_pairs()
    means = goal_means([pk for pair in pairs.values() for pk in pair])
    worked = worked_goals(list(pairs))
    changes = defaultdict(lambda: ([], []))
    for org, (base, follow) in sorted(pairs.items()):
        before, after = means.get(base, {}), means.get(follow, {})
        for key in sorted(before.keys() & after.keys()):
            side = 0 if key in worked[org] else 1
            changes[key][side].append(after[key] - before[key])
    return changes


def _as_estimate(change: PairedChange) -> Estimate:
    return Estimate(change.mean, change.low, change.high, change.n, change.se)


def goal_effect(key: str, name: str, worked: list[float], others: list[float]) -> GoalEffect:
    effect = GoalEffect(key, name, paired_change(worked), paired_change(others))
    least = minimum_organisations()
    if len(worked) < least or len(others) < least:
        return effect
    did = difference(_as_estimate(effect.worked), _as_estimate(effect.others))
    effect.value = did.value
    effect.df = did.df
    if math.isfinite(did.df) and did.se > 0:
        half = t_quantile(0.975, did.df) * did.se
        effect.low, effect.high = did.value - half, did.value + half
    else:  # no spread on either side: no honest interval
        effect.low, effect.high = -math.inf, math.inf
    return effect


def programme_effect() -> list[GoalEffect]:
    """Per goal (in framework order, by key), the effect estimate or "too few"."""
    changes = changes_by_goal()
    names = {}
    for key, name_sv, name_en in Goal.objects.filter(key__in=changes).values_list(
        "key", "name_sv", "name_en"
    ):
        names.setdefault(key, (name_sv, name_en))
    english = (get_language() or "").startswith("en")
    effects = []
    for key in sorted(changes):
        sv, en = names.get(key, (key, ""))
        worked, others = changes[key]
        effects.append(goal_effect(key, (en if english and en else sv), worked, others))
    return effects


def organisation_count() -> int:
    return len(round_pairs())
