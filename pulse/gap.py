"""The expectation gap: for each goal the resident pulse speaks to, the residents' published
figure beside the leadership's published figure from the organisation's own self-assessment.

Which round: the organisation's latest published self-assessment round on a framework with the
pulse's goals that opened no later than the day the pulse closed (``gap_round``). The page says
which round it is.

The comparable scale is the share who agree, 4 or 5 of 5, as both publish it:

- residents: a statement's published share (``PulseFigure.shown_percent`` of its
  ``shown_respondents``, both perturbed at publication). A goal's figure is the mean of the
  shown shares of its statements weighted by their shown respondents, and its count the
  smallest of those (the same residents answer every statement: counting them once per
  statement would overstate what is known). Statements on being left outside are left out:
  agreeing with them is a bad sign, not a judgement of the goal.
- the leadership: the goal's published whole-round figure (``results.figures.Figure``, the
  perturbed answer distribution and respondents), its shares of 4 and 5.

A hidden figure on either side stays hidden: its goal shows no gap. Nothing here reads an
answer: only published figures, which carry their suppression and their noise.

The test is ``results.statistics``' Welch test on the two shares with the Agresti–Caffo
adjustment (one agreeing and one disagreeing added on each side, so that 0 % or 100 % among a
few is not certainty), screened across the goals with Benjamini–Hochberg and worded by
``results.statistics.verdict``: "clear" only when the interval as printed, in whole percent,
lies wholly on one side of zero; "too few to tell" when either side has fewer than
``MIN_RESPONDENTS``.
"""

import math
from collections import defaultdict
from dataclasses import dataclass

from django.utils.translation import gettext as _

from assessments.models import Round
from frameworks.models import Goal
from results.figures import FALSE_DISCOVERY_RATE, Figure
from results.models import PublishedFigure, UnitKind
from results.statistics import (
    CHANCE,
    TOO_FEW,
    Difference,
    Estimate,
    Verdict,
    benjamini_hochberg,
    difference,
    interval_of,
    testable,
    verdict,
)

from .models import Pulse, PulseFigure, PulseStatement

# Statements that are no judgement of how the organisation does on a goal: agreeing to being
# left outside is a bad sign, and the attitude statements say how much a resident wants digital
# service (seven in ten do), not whether the organisation delivers it. Averaged into a goal they
# would make the residents look pleased with whatever the organisation does.
LEFT_OUT_TOPICS = {PulseStatement.Topic.LEFT_OUTSIDE, PulseStatement.Topic.ATTITUDE}
MIN_RESPONDENTS = 10  # on either side; fewer: "too few to tell"
LARGE_GAP = 20  # percentage points; a clear gap this large is a reason for a workshop goal


@dataclass
class Side:
    """One side's published figure for a goal: the share who agree, or hidden."""

    hidden: bool
    percent: int | None = None
    respondents: int | None = None
    share: float | None = None  # unrounded, for the test

    @property
    def shown(self) -> bool:
        return not self.hidden and self.respondents is not None


@dataclass
class GoalGap:
    goal: Goal
    residents: Side
    leaders: Side
    test: Difference | None = None
    verdict: Verdict | None = None

    @property
    def shown(self) -> bool:
        return self.residents.shown and self.leaders.shown

    @property
    def points(self) -> int | None:
        """Residents minus the leadership, in percentage points as the page prints them."""
        return self.residents.percent - self.leaders.percent if self.shown else None

    @property
    def signed_points(self) -> str:
        """``points`` with its sign (+, − or ±), as the difference columns print them."""
        if self.points is None:
            return ""
        sign = "+" if self.points > 0 else ("\u2212" if self.points < 0 else "±")
        return f"{sign}{abs(self.points)}"

    @property
    def direction(self) -> str:
        """ "lower" or "higher" (the residents against the leadership) when clear, else ""."""
        if not (self.verdict and self.verdict.is_clear):
            return ""
        return "lower" if self.test.value < 0 else "higher"

    @property
    def is_large(self) -> bool:
        return bool(self.direction) and abs(self.points) >= LARGE_GAP

    @property
    def reading(self) -> str:
        name = self.goal.name
        if not self.shown:
            return _("Cannot be shown: a figure is hidden because too few answered.")
        if self.verdict.too_few:
            return _("Too few answers to tell whether the residents see “%(goal)s” otherwise.") % {
                "goal": name
            }
        if self.direction == "lower":
            return _("The residents rate “%(goal)s” clearly lower than you do.") % {"goal": name}
        if self.direction == "higher":
            return _("The residents rate “%(goal)s” clearly higher than you do.") % {"goal": name}
        return _("No clear difference on “%(goal)s”: it may be chance.") % {"goal": name}


@dataclass
class ExpectationGap:
    pulse: Pulse
    round: Round | None
    rows: list[GoalGap]
    min_respondents: int = MIN_RESPONDENTS

    @property
    def shown_rows(self) -> list[GoalGap]:
        return [row for row in self.rows if row.shown]

    @property
    def large(self) -> list[GoalGap]:
        return [row for row in self.rows if row.is_large]

    # The sentences around the figures, worded once here for the pages (``_gap.html``), the
    # round's PDF (the same template) and its workbook (``pulse.exports``).

    @property
    def pulse_period(self) -> str:
        """Which pulse: its first and last day."""
        return f"{self.pulse.opens_on:%Y-%m-%d} – {_last_day(self.pulse):%Y-%m-%d}"

    @property
    def about(self) -> str:
        """What is compared with what (only with a round to compare with)."""
        return _(
            "For each goal the pulse speaks to: the share of the residents who agree "
            "(pulse of %(pulse_day)s) beside the share of your own answers that agree, 4 "
            "or 5 of 5, in the self-assessment “%(name)s” (opened %(day)s), the "
            "organisation's latest published round from before the pulse closed. Only "
            "published figures are compared, each with its deliberate noise; a hidden "
            "figure leaves its goal without a comparison."
        ) % {
            "pulse_day": f"{self.pulse.opens_on:%Y-%m-%d}",
            "name": self.round.name,
            "day": f"{self.round.opens_on:%Y-%m-%d}",
        }

    @property
    def sample_note(self) -> str:
        return _(
            "The residents who answered chose to do so themselves: they are not a random "
            "sample of the residents, so a gap describes those who answered, not all residents."
        )

    @property
    def test_note(self) -> str:
        return _(
            "A difference is called clear only when it is unlikely to be chance, with the "
            "false discovery rate across the goals held at 5 %% (Benjamini–Hochberg). "
            "With fewer than %(n)s answers on either side it is too few to tell."
        ) % {"n": self.min_respondents}


def _goal_keys(pulse: Pulse) -> list[str]:
    keys: list[str] = []
    for statement in pulse.version.statements.exclude(topic__in=LEFT_OUT_TOPICS):
        keys += [key for key in statement.goal_keys if key not in keys]
    return keys


def _last_day(pulse: Pulse):
    return pulse.closed_early_on or pulse.closes_on


def gap_round(pulse: Pulse, keys: list[str] | None = None) -> Round | None:
    """The organisation's latest published round, on a framework version with any of the
    pulse's goals, that opened no later than the day the pulse closed."""
    keys = _goal_keys(pulse) if keys is None else keys
    versions = Goal.objects.filter(key__in=keys).values("area__version_id")
    return (
        Round.objects.filter(
            organisation_id=pulse.organisation_id,
            publication__isnull=False,
            version_id__in=versions,
            opens_on__lte=_last_day(pulse),
        )
        .select_related("version", "organisation")
        .order_by("-opens_on", "-id")
        .first()
    )


def _residents(pulse: Pulse, keys: list[str]) -> dict[str, Side]:
    """{goal key: Side} from the pulse's published whole-pulse statement figures."""
    figures = PulseFigure.objects.filter(
        publication__pulse=pulse, breakdown="", group=""
    ).select_related("statement")
    return _residents_of(figures, keys)


def _residents_of(figures, keys: list[str]) -> dict[str, Side]:
    """{goal key: Side} from one pulse's whole-pulse figures (with their statements)."""
    shown: dict[str, list[PulseFigure]] = {key: [] for key in keys}
    for figure in figures:
        if figure.statement.topic in LEFT_OUT_TOPICS:
            continue
        for key in figure.statement.goal_keys:
            if key in shown and figure.status == PulseFigure.Status.SHOWN:
                shown[key].append(figure)
    sides = {}
    for key, parts in shown.items():
        if not parts:
            sides[key] = Side(hidden=True)
            continue
        weight = sum(f.shown_respondents for f in parts)
        share = sum(f.shown_percent * f.shown_respondents for f in parts) / weight / 100
        n = min(f.shown_respondents for f in parts)
        sides[key] = Side(False, round(100 * share), n, share)
    return sides


def _leaders(round_: Round, goals: list[Goal]) -> dict[str, Side]:
    rows = {
        row.unit_id: row
        for row in PublishedFigure.objects.filter(
            round=round_,
            unit_kind=UnitKind.GOAL,
            unit_id__in=[g.pk for g in goals],
            target_group_id__isnull=True,
            gender="",
        )
    }
    return _leaders_of(rows, goals)


def _leaders_of(rows: dict, goals: list[Goal]) -> dict[str, Side]:
    """{goal key: Side} from one round's whole-round goal figures ({goal id: row})."""
    sides = {}
    for goal in goals:
        figure = Figure.published(rows.get(goal.pk))
        if figure.suppressed or figure.empty or not figure.distribution:
            sides[goal.key] = Side(hidden=True)
            continue
        share = figure.distribution[3] + figure.distribution[4]
        sides[goal.key] = Side(False, round(100 * share), figure.respondents, share)
    return sides


def _estimate(side: Side) -> Estimate:
    """The share as an estimate with the Agresti–Caffo adjustment."""
    n = side.respondents + 2
    share = (side.share * side.respondents + 1) / n
    se = math.sqrt(share * (1 - share) / n)
    return Estimate(share, max(0.0, share - 1.96 * se), min(1.0, share + 1.96 * se), n, se)


def _judge(rows: list[GoalGap]):
    tested = [row for row in rows if row.shown]
    for row in tested:
        row.test = difference(_estimate(row.residents), _estimate(row.leaders))
    p_values = [row.test.p_value if testable(row.test) else None for row in tested]
    discoveries = benjamini_hochberg(p_values, FALSE_DISCOVERY_RATE)
    for row, discovered in zip(tested, discoveries, strict=True):
        enough = min(row.residents.respondents, row.leaders.respondents) >= MIN_RESPONDENTS
        if not enough:
            row.verdict = TOO_FEW
        elif not testable(row.test):
            row.verdict = CHANCE
        else:
            low, high = interval_of(row.test)
            row.verdict = verdict(low, high, discovered=discovered, places=2)


def expectation_gap(pulse: Pulse) -> ExpectationGap | None:
    """The gap for a published pulse, or None before publication."""
    if not hasattr(pulse, "publication"):
        return None
    keys = _goal_keys(pulse)
    round_ = gap_round(pulse, keys)
    if round_ is None:
        return ExpectationGap(pulse, None, [])
    goals = list(
        Goal.objects.filter(area__version_id=round_.version_id, key__in=keys).select_related("area")
    )
    residents = _residents(pulse, keys)
    leaders = _leaders(round_, goals)
    rows = [GoalGap(goal, residents[goal.key], leaders[goal.key]) for goal in goals]
    _judge(rows)
    return ExpectationGap(pulse, round_, rows)


def gap_for_results(results) -> ExpectationGap | None:
    """The gap wherever a round's results are shown (``results.figures.RoundResults``): on
    the page, in the PDF and in the workbook alike, and only while the round's own figures
    are shown (published, with enough respondents) — else nothing of it."""
    if not (results.published and results.enough):
        return None
    return gap_for_round(results.round)


def gap_for_round(round_: Round) -> ExpectationGap | None:
    """On a round's results page and in its workshop proposal: the gap of the organisation's
    latest published pulse whose gap round is this round, or None."""
    pulses = (
        Pulse.objects.filter(organisation_id=round_.organisation_id, publication__isnull=False)
        .select_related("organisation", "version", "publication")
        .order_by("-opens_on", "-id")
    )
    for pulse in pulses:
        if _last_day(pulse) < round_.opens_on:
            break  # this and every earlier pulse ended before the round opened
        found = gap_round(pulse)
        if found is not None and found.pk == round_.pk:
            return expectation_gap(pulse)
    return None


def expectation_gaps(pulses) -> dict[int, ExpectationGap]:
    """``expectation_gap`` of many published pulses at once ({pulse id: gap}), in six queries
    whatever their number: the programme office's national picture
    (``programme.pulse_picture``). Each gap is the one ``expectation_gap`` gives its pulse:
    the same gap round (``gap_round``), the same published figures, the same test."""
    pulses = list(pulses)
    if not pulses:
        return {}
    keys: dict[int, list[str]] = {pulse.version_id: [] for pulse in pulses}
    statements = PulseStatement.objects.filter(version_id__in=list(keys)).exclude(
        topic__in=LEFT_OUT_TOPICS
    )
    for version_id, goal_keys in statements.values_list("version_id", "goal_keys"):
        keys[version_id] += [key for key in goal_keys if key not in keys[version_id]]
    all_keys = {key for version_keys in keys.values() for key in version_keys}
    goal_keys_of: dict[int, set[str]] = defaultdict(set)  # framework version: its goals' keys
    for version_id, key in Goal.objects.filter(key__in=all_keys).values_list(
        "area__version_id", "key"
    ):
        goal_keys_of[version_id].add(key)
    candidates: dict[int, list[Round]] = defaultdict(list)  # newest first, as ``gap_round``
    for round_ in (
        Round.objects.filter(
            organisation_id__in={pulse.organisation_id for pulse in pulses},
            publication__isnull=False,
            version_id__in=list(goal_keys_of),
        )
        .select_related("version", "organisation")
        .order_by("-opens_on", "-id")
    ):
        candidates[round_.organisation_id].append(round_)
    rounds = {
        pulse.pk: next(
            (
                round_
                for round_ in candidates[pulse.organisation_id]
                if round_.opens_on <= _last_day(pulse)
                and goal_keys_of[round_.version_id] & set(keys[pulse.version_id])
            ),
            None,
        )
        for pulse in pulses
    }
    chosen = [round_ for round_ in rounds.values() if round_ is not None]
    goals_of: dict[int, list[Goal]] = defaultdict(list)
    for goal in Goal.objects.filter(
        area__version_id__in={round_.version_id for round_ in chosen}, key__in=all_keys
    ).select_related("area"):
        goals_of[goal.area.version_id].append(goal)
    figures: dict[int, list[PulseFigure]] = defaultdict(list)
    for figure in PulseFigure.objects.filter(
        publication__pulse_id__in=[pulse.pk for pulse in pulses], breakdown="", group=""
    ).select_related("statement", "publication"):
        figures[figure.publication.pulse_id].append(figure)
    published = {
        (row.round_id, row.unit_id): row
        for row in PublishedFigure.objects.filter(
            round_id__in=[round_.pk for round_ in chosen],
            unit_kind=UnitKind.GOAL,
            unit_id__in=[goal.pk for goals in goals_of.values() for goal in goals],
            target_group_id__isnull=True,
            gender="",
        )
    }
    gaps = {}
    for pulse in pulses:
        round_ = rounds[pulse.pk]
        if round_ is None:
            gaps[pulse.pk] = ExpectationGap(pulse, None, [])
            continue
        wanted = keys[pulse.version_id]
        goals = [goal for goal in goals_of[round_.version_id] if goal.key in wanted]
        residents = _residents_of(figures[pulse.pk], wanted)
        leaders = _leaders_of(
            {goal.pk: published.get((round_.pk, goal.pk)) for goal in goals}, goals
        )
        rows = [GoalGap(goal, residents[goal.key], leaders[goal.key]) for goal in goals]
        _judge(rows)
        gaps[pulse.pk] = ExpectationGap(pulse, round_, rows)
    return gaps
