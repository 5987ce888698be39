"""A workshop proposal built from a round's own results.

Goals are picked for four reasons, each stated with its figures: the lowest scores, a large
perception gap between politicians and officials, a high share of "don't know", and a large,
clear expectation gap between the residents (the organisation's resident pulse) and the
organisation's own answers (``pulse.gap``). Modules
covering the picked goals fill a half or a full day around fixed opening, break and closing
slots; two or three published cases that illustrate the same goals are suggested. With too few
respondents to know, the proposal says so and picks nothing.

The catalogue is offered under the goals its modules serve, the proposal's goals first
(``offered_modules``); that order is the agenda's everywhere — the proposal, the request as
stored, the workshop's page and the mail to the programme office (``in_offered_order``).
"""

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.template.defaultfilters import floatformat
from django.utils import timezone
from django.utils.translation import gettext as _

from frameworks.models import Goal
from pulse.gap import gap_for_round
from results.figures import RoundResults, UnitRow
from webinars.models import Session

from .models import Case, WorkshopModule, WorkshopRequest

HIGH_DONT_KNOW = 0.20
DAY_START = time(9, 0)
# Minutes available for modules, and the fixed slots around them.
BUDGET = {WorkshopRequest.Format.HALF_DAY: 180, WorkshopRequest.Format.FULL_DAY: 330}
MAX_GOALS = {WorkshopRequest.Format.HALF_DAY: 3, WorkshopRequest.Format.FULL_DAY: 5}
OPENING, BREAK, LUNCH, CLOSING = 15, 15, 45, 20


@dataclass
class Reason:
    kind: str  # "weak", "gap", "dont_know" or "resident_gap"
    text: str


@dataclass
class GoalPick:
    row: UnitRow
    reasons: list[Reason] = field(default_factory=list)

    @property
    def goal(self):
        return self.row.unit


@dataclass
class Slot:
    start: time
    minutes: int
    title: str
    module: WorkshopModule | None = None

    @property
    def end(self) -> time:
        return _plus(self.start, self.minutes)


@dataclass
class ModuleGroup:
    """The modules offered under one goal (``goal`` None: modules for none of the round's
    goals); ``chosen`` when the goal is one the proposal picked."""

    goal: Goal | None
    chosen: bool
    modules: list[WorkshopModule]


@dataclass
class Proposal:
    format: str
    enough: bool
    picks: list[GoalPick]
    modules: list[WorkshopModule]
    agenda: list[Slot]
    cases: list[Case]
    webinars: list = field(default_factory=list)
    groups: list[ModuleGroup] = field(default_factory=list)

    @property
    def module_minutes(self) -> int:
        return sum(module.duration_minutes for module in self.modules)


def _plus(start: time, minutes: int) -> time:
    return (datetime.combine(datetime.min, start) + timedelta(minutes=minutes)).time()


def _num(value) -> str:
    return floatformat(value, 1)


def _reasons(results: RoundResults) -> dict[int, GoalPick]:
    picks: dict[int, GoalPick] = {}

    def add(row, kind, text):
        picks.setdefault(row.unit.pk, GoalPick(row)).reasons.append(Reason(kind, text))

    for row in results.weakest:
        national = row.comparisons.get("national")
        text = _("Among the lowest scores: mean %(mean)s (95%% CI %(low)s–%(high)s, n=%(n)s)") % {
            "mean": _num(row.total.mean),
            "low": _num(row.total.estimate.low),
            "high": _num(row.total.estimate.high),
            "n": row.total.respondents,
        }
        if national and national.estimate:
            text += _("; national %(mean)s") % {"mean": _num(national.mean)}
        add(row, "weak", text)
    groups = {group.key: group.pk for group in results.groups}
    for row in results.goals:
        if row.gap_is_large:
            add(
                row,
                "gap",
                _("Politicians %(pol)s, officials %(off)s: a gap of %(gap)s beyond the uncertainty")
                % {
                    "pol": _num(row.by_group[groups["politician"]].mean),
                    "off": _num(row.by_group[groups["official"]].mean),
                    "gap": _num(abs(row.gap.value)),
                },
            )
        share = row.total.dont_know
        if not row.total.suppressed and share is not None and share >= HIGH_DONT_KNOW:
            add(
                row,
                "dont_know",
                _("%(share)s %% answered “Don't know”") % {"share": floatformat(100 * share, 0)},
            )
    _add_resident_gaps(results, add)
    return picks


def _add_resident_gaps(results: RoundResults, add):
    """A large, clear expectation gap (``pulse.gap``) is a reason for its goal."""
    gap = gap_for_round(results.round)
    if gap is None:
        return
    rows = {row.unit.key: row for row in results.goals}
    for goal_gap in gap.large:
        row = rows.get(goal_gap.goal.key)
        if row is None:
            continue
        # The figures as the gap's table on the results page prints them (share, n and the
        # difference in points), so that the reason can be found there.
        figures = {
            "res": goal_gap.residents.percent,
            "res_n": goal_gap.residents.respondents,
            "you": goal_gap.leaders.percent,
            "you_n": goal_gap.leaders.respondents,
            "day": f"{gap.pulse.opens_on:%Y-%m-%d}",
            "gap": abs(goal_gap.points),
        }
        if goal_gap.direction == "lower":
            text = _(
                "Resident pulse of %(day)s: %(res)s %% of the residents agree (n=%(res_n)s), "
                "%(you)s %% of your answers (n=%(you_n)s): the residents rate the goal clearly "
                "lower, by %(gap)s points"
            )
        else:
            text = _(
                "Resident pulse of %(day)s: %(res)s %% of the residents agree (n=%(res_n)s), "
                "%(you)s %% of your answers (n=%(you_n)s): the residents rate the goal clearly "
                "higher, by %(gap)s points"
            )
        add(row, "resident_gap", text % figures)


def pick_goals(results: RoundResults, fmt: str) -> list[GoalPick]:
    if not results.enough:
        return []
    picks = list(_reasons(results).values())
    # More reasons first, then the lower score.
    picks.sort(key=lambda pick: (-len(pick.reasons), pick.row.total.mean or 5, pick.goal.order))
    return picks[: MAX_GOALS[fmt]]


def modules_for(picks: list[GoalPick], fmt: str) -> list[WorkshopModule]:
    """For each picked goal in turn, the shortest active module covering it that still fits."""
    budget, chosen = BUDGET[fmt], []
    for pick in picks:
        candidates = (
            WorkshopModule.objects.filter(is_active=True, goal_links__goal_key=pick.goal.key)
            .exclude(pk__in=[m.pk for m in chosen])
            .order_by("duration_minutes", "key")
        )
        for module in candidates:
            if module.duration_minutes <= budget - sum(m.duration_minutes for m in chosen):
                chosen.append(module)
                break
    return chosen


def offered_modules(version, picks: list[GoalPick], proposed=()) -> list[ModuleGroup]:
    """Every module in the catalogue once, under the first goal it serves: the proposal's
    goals first, in the proposal's order, then the framework's other goals in theirs, then
    the modules for none of them. Under a goal the proposed module comes first, then the
    others by title. Three queries, whatever the size of the catalogue."""
    chosen = [pick.goal.key for pick in picks]
    goals = sorted(
        Goal.objects.filter(area__version=version).select_related("area"),
        key=lambda goal: chosen.index(goal.key) if goal.key in chosen else len(chosen),
    )  # sorted() is stable: the other goals keep the framework's order
    proposed_ids = [module.pk for module in proposed]
    modules = sorted(
        WorkshopModule.objects.filter(is_active=True).prefetch_related("goal_links"),
        key=lambda module: (
            proposed_ids.index(module.pk) if module.pk in proposed_ids else len(proposed_ids),
            str(module.title).casefold(),
        ),
    )
    groups = [ModuleGroup(goal, goal.key in chosen, []) for goal in goals]
    rest = ModuleGroup(None, False, [])
    for module in modules:
        keys = {link.goal_key for link in module.goal_links.all()}
        home = next((group for group in groups if group.goal.key in keys), rest)
        home.modules.append(module)
    return [group for group in [*groups, rest] if group.modules]


def in_offered_order(modules, groups: list[ModuleGroup]) -> list[WorkshopModule]:
    """``modules`` in the order the catalogue offers them (``offered_modules``)."""
    position = {
        module.pk: index for index, module in enumerate(m for g in groups for m in g.modules)
    }
    return sorted(modules, key=lambda module: position.get(module.pk, len(position)))


def agenda(modules: list[WorkshopModule], fmt: str, start: time | None = None) -> list[Slot]:
    """Time boxes from ``start`` (09:00 until a time is confirmed): opening, the modules with
    a break (and lunch on a full day) half-way, and a closing slot on next steps."""
    slots, clock = [], start or DAY_START

    def add(minutes, title, module=None):
        nonlocal clock
        slots.append(Slot(clock, minutes, title, module))
        clock = _plus(clock, minutes)

    add(OPENING, _("Welcome, aims of the day and your own results"))
    half = (len(modules) + 1) // 2
    for index, module in enumerate(modules):
        if index == half and index:
            if fmt == WorkshopRequest.Format.FULL_DAY:
                add(LUNCH, _("Lunch"))
            else:
                add(BREAK, _("Break"))
        add(module.duration_minutes, module.title, module)
    add(CLOSING, _("Next steps: who does what, and by when"))
    return slots


def matching_cases(goal_keys: list[str], organisation, limit: int = 3) -> list[Case]:
    """Published cases illustrating the goals, those from the same kind of organisation first."""
    cases = list(
        Case.objects.filter(status=Case.Status.PUBLISHED, goal_links__goal_key__in=goal_keys)
        .exclude(organisation=organisation)
        .select_related("organisation")
        .distinct()
    )
    cases.sort(key=lambda case: (case.organisation_kind != organisation.kind, case.title_sv))
    return cases[:limit]


def matching_webinars(goal_keys: list[str], limit: int = 3) -> list:
    """Upcoming webinars, then recordings, that deal with the goals. Sessions are few, so the
    goal keys (a JSON list) are compared here rather than in SQL, which SQLite cannot do."""
    wanted = set(goal_keys)
    now = timezone.now()
    sessions = Session.objects.filter(series__is_published=True).select_related("series")
    fitting = [s for s in sessions if wanted & set(s.goal_keys or [])]
    upcoming = sorted((s for s in fitting if s.starts_at > now), key=lambda s: s.starts_at)
    recorded = sorted(
        (s for s in fitting if s.ends_at <= now and s.recording_link),
        key=lambda s: s.starts_at,
        reverse=True,
    )
    return (upcoming + recorded)[:limit]


def propose(results: RoundResults, fmt: str = WorkshopRequest.Format.HALF_DAY) -> Proposal:
    picks = pick_goals(results, fmt)
    chosen = modules_for(picks, fmt)
    groups = offered_modules(results.round.version_id, picks, chosen)
    modules = in_offered_order(chosen, groups)
    keys = [pick.goal.key for pick in picks]
    return Proposal(
        format=fmt,
        enough=results.enough,
        picks=picks,
        modules=modules,
        agenda=agenda(modules, fmt),
        cases=matching_cases(keys, results.round.organisation) if picks else [],
        webinars=matching_webinars(keys) if picks else [],
        groups=groups,
    )
