"""The effect of the programme: a difference in differences, organisation by organisation.

For each organisation followed up (``results.counts``: an assessed baseline and a later
assessed follow-up round), and for each goal where both rounds show a figure, its change is the
follow-up's published mean minus the baseline's. Per goal, the organisations that worked on
the goal between the two rounds are compared with those that did not: the difference of the
two groups' mean changes, with a Welch interval over organisations.

"Worked on" counts only work inside the window of the pair: strictly after the baseline
closed (the day it was closed early, else its closing day) and strictly before the follow-up
opened. Work is a held workshop whose picked goals include the goal (held on its scheduled
day, else the day it was marked held), or an action-plan activity on the goal set to
"under way" or "done" on a day in the window. Work before the baseline or from the
follow-up's first day on cannot have moved the change, so it does not count.

It is an observational comparison: organisations chose what to work on, so it is no proof of
cause. Nothing here writes. ``national_effect()`` is the one entry point for pages and the
report to the government.
"""

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.db.models import Min, Q
from django.utils import timezone
from django.utils.translation import get_language

from frameworks.models import Goal
from learning.models import RequestedGoal, WorkshopRequest
from results.counts import RoundPair, follow_up_pairs
from results.figures import Figure
from results.models import PublishedFigure, UnitKind
from results.statistics import (
    TOO_FEW,
    Difference,
    PairedChange,
    Verdict,
    interval_of,
    organisation_difference,
    paired_change,
    verdicts,
)

from .models import Activity, PlanEvent

HELD = (WorkshopRequest.Status.HELD, WorkshopRequest.Status.EVALUATED)


FALSE_DISCOVERY_RATE = 0.05


def minimum_organisations() -> int:
    """Organisations needed on each side of a goal before the page gives a verdict (the
    setting, default 5; never fewer than 2, the least that has a spread)."""
    return max(2, getattr(settings, "DIGILYFT_EFFECT_MIN_ORGANISATIONS", 5))


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
    test: Difference | None = None
    verdict: Verdict = TOO_FEW  # set across the goals by ``programme_effect``

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
        return self.verdict.is_clear


def _day(moment: datetime | None) -> date | None:
    return None if moment is None else timezone.localdate(moment)


def round_pairs(start=None, end=None) -> dict[int, RoundPair]:
    """{organisation id: RoundPair}: the organisations *followed up* (``results.counts``):
    an assessed baseline and a later assessed follow-up on the same framework."""
    return follow_up_pairs(start, end)


def goal_means(round_ids) -> dict[int, dict[str, float]]:
    """{round id: {goal key: published mean}}, shown whole-round figures only, as published
    (perturbed by their cell keys, ``results.disclosure``)."""
    rows = list(
        PublishedFigure.objects.filter(
            round_id__in=round_ids,
            unit_kind=UnitKind.GOAL,
            target_group_id__isnull=True,
            gender="",
            status=PublishedFigure.Status.SHOWN,
            respondents__gt=0,
        )
    )
    keys = dict(Goal.objects.filter(pk__in={r.unit_id for r in rows}).values_list("pk", "key"))
    means = defaultdict(dict)
    for row in rows:
        means[row.round_id][keys[row.unit_id]] = Figure.published(row).estimate.mean
    return means


def held_workshop_days(org_ids) -> list[tuple[int, str, date | None]]:
    """[(organisation id, goal key, day held)] for held workshops' picked goals: the
    scheduled day, else the day it was marked held. Two queries."""
    held = {
        pk: (org, _day(start) or _day(marked))
        for pk, org, start, marked in WorkshopRequest.objects.filter(
            organisation_id__in=org_ids, status__in=HELD
        )
        .annotate(marked=Min("history__at", filter=Q(history__to_status=HELD[0])))
        .values_list("pk", "organisation_id", "scheduled_start", "marked")
    }
    goals = RequestedGoal.objects.filter(request_id__in=held).values_list("request_id", "goal_key")
    return [(held[pk][0], key, held[pk][1]) for pk, key in goals]


def activity_work_days(org_ids) -> list[tuple[int, str, date]]:
    """[(organisation id, goal key, day)]: each day a plan's activity on the goal was set to
    "under way" or "done". One query."""
    return [
        (org, key, _day(at))
        for org, key, at in PlanEvent.objects.filter(
            plan__organisation_id__in=org_ids,
            kind=PlanEvent.Kind.STATUS,
            to_value__in=[Activity.Status.UNDER_WAY, Activity.Status.DONE],
            activity__isnull=False,
        ).values_list("plan__organisation_id", "activity__goal__goal_key", "at")
    ]


def worked_goals(pairs: dict[int, RoundPair]) -> dict[int, set[str]]:
    """{organisation id: goal keys it worked on inside its pair's window}."""
    worked = defaultdict(set)
    orgs = list(pairs)
    for org, key, day in held_workshop_days(orgs) + activity_work_days(orgs):
        if pairs[org].contains(day):
            worked[org].add(key)
    return worked


def changes_by_goal(pairs=None) -> dict[str, tuple[list[float], list[float]]]:
    """{goal key: (changes of organisations that worked on it, changes of the others)}."""
    pairs = round_pairs() if pairs is None else pairs
    means = goal_means([pk for pair in pairs.values() for pk in pair])
    worked = worked_goals(pairs)
    changes = defaultdict(lambda: ([], []))
    for org, (base, follow) in sorted(pairs.items()):
        before, after = means.get(base, {}), means.get(follow, {})
        for key in sorted(before.keys() & after.keys()):
            side = 0 if key in worked[org] else 1
            changes[key][side].append(after[key] - before[key])
    return changes


def goal_effect(key: str, name: str, worked: list[float], others: list[float]) -> GoalEffect:
    """One goal's difference in differences with its 95 % interval, or "too few" when either
    side has fewer than ``minimum_organisations()``. The interval is Welch's over
    organisations with min(n₁, n₂) − 1 degrees of freedom (``organisation_difference``),
    honest also for a handful against many. The verdict is set across the goals."""
    effect = GoalEffect(key, name, paired_change(worked), paired_change(others))
    least = minimum_organisations()
    if len(worked) < least or len(others) < least:
        return effect
    effect.test = organisation_difference(effect.worked, effect.others)
    effect.value = effect.test.value
    effect.df = effect.test.df
    effect.low, effect.high = interval_of(effect.test)  # (−inf, inf): no honest interval
    return effect


def judge(effects: list[GoalEffect]) -> list[GoalEffect]:
    """The verdict on each goal, with the false discovery rate across the goals held at 5 %
    (Benjamini–Hochberg), as for the change between rounds: "too few to tell" below the
    minimum, "clear" only for a discovery whose interval as printed excludes zero."""
    estimated = [effect for effect in effects if not effect.too_few]
    said = verdicts([effect.test for effect in estimated], FALSE_DISCOVERY_RATE)
    for effect, verdict in zip(estimated, said, strict=True):
        effect.verdict = verdict
    return effects


def programme_effect(pairs=None) -> list[GoalEffect]:
    """Per goal (in framework order, by key), the effect estimate or "too few"."""
    changes = changes_by_goal(pairs)
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
    return judge(effects)


def organisation_count() -> int:
    return len(round_pairs())


@dataclass
class NationalEffect:
    """What the effect page and the report to the government show, from one computation."""

    goals: list[GoalEffect] = field(default_factory=list)
    organisations: int = 0  # organisations followed up (``results.counts``)
    minimum: int = 5  # organisations needed on each side of a goal

    @property
    def too_few(self) -> bool:
        """True when no goal has enough organisations on both sides to tell."""
        return all(goal.too_few for goal in self.goals)

    @property
    def estimated(self) -> list[GoalEffect]:
        return [goal for goal in self.goals if not goal.too_few]


def national_effect(start=None, end=None) -> NationalEffect:
    """The programme's effect per goal (``programme_effect()``), the number of organisations
    followed up (for a period: whose follow-up opened in it), and the minimum per side. Goal
    names in the active language."""
    pairs = round_pairs(start, end)
    return NationalEffect(
        goals=programme_effect(pairs),
        organisations=len(pairs),
        minimum=minimum_organisations(),
    )
