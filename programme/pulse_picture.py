"""The resident pulse seen from the programme office: the national picture for its page and
the same figures for the report to the funder (``report.gather``), so the two cannot differ.

Who counts: an organisation *ran* a pulse when one of its pulses was open in the period (or
ever, without one); it is *in the figures* with its latest published pulse that closed in the
period (its closing day, or the day it was closed early), on the questionnaire version of the
picture (the newest one with a published pulse, so that a statement is one statement).

Only published figures are read, never an answer. A pooled share of a statement is the
organisations' published shares weighted by their published respondents — the sum of their
published (noisy) agreeing over the sum of their published respondents — over the
organisations whose own figure is shown (``docs/privacy-model.md``, rule 6: whole
organisations in comparisons). By gender likewise, over the organisations whose figure for
that gender is shown. A pooled share is thus made of published figures alone: it, and the
difference of any two of them (two groups, two periods, the nation and a county), says
nothing that the organisations' own pages do not. A group of fewer than ``MIN_ORGANISATIONS``
organisations shows no figure: it would be one or two organisations' own figures under a
group's name. The SQL sums per statement, gender and group are one query each.

The gap per goal starts from each organisation's own gap as its pages show it
(``pulse.gap.expectation_gaps``: its pulse against its gap round, both published, each with
its noise), over the organisations where both sides are shown. The residents' and the
leadership's shares are pooled as above. The test is over organisations: the mean of the
organisations' own differences (residents − leadership, in points) with its t-interval
(``results.statistics.paired_change``), the false discovery rate across the goals held at
5 % (Benjamini–Hochberg), worded by ``results.statistics.verdict`` in whole points, "too few
to tell" below the effect page's minimum of organisations (``plans.effect``). Residents are
self-selected and answer within their organisation: counting each one as an independent draw
would make any difference look certain.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from plans.effect import FALSE_DISCOVERY_RATE, minimum_organisations
from pulse.figures import weighted_percent
from pulse.gap import expectation_gaps
from pulse.models import Pulse, PulseFigure, PulseResponse, PulseStatement
from registry.models import Organisation
from results.statistics import (
    TOO_FEW,
    PairedChange,
    Verdict,
    benjamini_hochberg,
    interval_of,
    paired_change,
    shown,
    testable,
    verdict,
)

MIN_ORGANISATIONS = 3  # in a pooled figure; fewer: no figure
GENDERS = (("woman", gettext_lazy("Women")), ("man", gettext_lazy("Men")))
# The statements the group tables show: the seeds' two figures (positive to digital service,
# and lives up to expectations), each the first statement of its topic.
HEADLINES = {
    PulseStatement.Topic.ATTITUDE: gettext_lazy("Positive to digital service"),
    PulseStatement.Topic.LIVES_UP: gettext_lazy("Think it lives up to expectations"),
}
SELF_SELECTED = gettext_lazy(
    "The residents who answered chose to do so themselves: they are not a random sample of "
    "the residents, so the figures describe those who answered, not all residents."
)
MINUS = "\u2212"
NO_BREAK = "\u00a0"


def _whole(value: float) -> int:
    """Rounded as the verdict reads an interval (``results.statistics.shown``, half away from
    zero), so that a "clear" never stands beside an interval printed as including zero."""
    return int(shown(value, 0))


def signed_points(points: int | None) -> str:
    """Whole percentage points with their sign (+, − or ±), as the page and the report print
    them."""
    if points is None:
        return "–"
    sign = "+" if points > 0 else (MINUS if points < 0 else "±")
    return f"{sign}{abs(points)}"


@dataclass(frozen=True)
class Pooled:
    """A share who agree pooled over whole organisations, or nothing when they are too few.

    ``respondents`` is the sum of their published respondents; ``percent`` the pooled share in
    whole percent (half up). Below ``MIN_ORGANISATIONS`` only the number of organisations is
    kept."""

    organisations: int = 0
    respondents: int = 0
    percent: int | None = None

    @property
    def shown(self) -> bool:
        return self.percent is not None

    @property
    def share(self) -> float | None:
        """The share as printed (whole percent), for the workbook's percent cells."""
        return None if self.percent is None else self.percent / 100

    @property
    def text(self) -> str:
        return f"{self.percent}{NO_BREAK}%" if self.shown else "–"

    @property
    def organisations_text(self) -> str:
        """How many organisations the figure rests on, short ("39 org.")."""
        return (_("%(n)s org.") % {"n": self.organisations}).replace(" ", NO_BREAK)


def pooled(organisations: int, respondents: int | None, weighted: int | None) -> Pooled:
    """From SQL sums: ``respondents`` the published respondents, ``weighted`` the sum of each
    organisation's published percent times its published respondents."""
    if organisations < MIN_ORGANISATIONS or not respondents:
        return Pooled(organisations)
    return Pooled(organisations, respondents, weighted_percent(weighted or 0, respondents))


def generic_text(statement: PulseStatement) -> str:
    """The statement with "my municipality or region" for the organisation's name."""
    text = statement.statement.replace("{organisation}", _("my municipality or region"))
    return text[:1].upper() + text[1:]


@dataclass
class StatementRow:
    statement: PulseStatement
    total: Pooled
    genders: dict  # {"woman" | "man": Pooled}

    @property
    def text(self) -> str:
        return generic_text(self.statement)

    @property
    def by_gender(self) -> list[tuple[str, Pooled]]:
        return [(str(label), self.genders.get(key, Pooled())) for key, label in GENDERS]


@dataclass
class GroupRow:
    """One municipality group or county: its organisations, those that ran a pulse and those
    in the figures, the residents who answered them, and the headline statements' shares."""

    code: str
    label: str
    organisations: int
    ran: int
    published: int
    residents: int | None  # None below MIN_ORGANISATIONS
    headline: list[tuple[str, Pooled]]  # (the statement's topic, its pooled share)


@dataclass
class GoalRow:
    key: str
    name: str
    organisations: int  # where both sides are shown
    residents: Pooled
    leaders: Pooled
    lower: int  # organisations whose residents rate the goal clearly lower than the leadership
    higher: int
    change: PairedChange | None = None  # residents − leadership, points, over organisations
    verdict: Verdict | None = None

    @property
    def shown(self) -> bool:
        return self.organisations >= MIN_ORGANISATIONS

    @property
    def difference(self) -> str:
        """The mean of the organisations' differences with its 95 % interval, whole points."""
        mean, low, high = self.points
        if mean is None:
            return "–"
        if low is None:
            return signed_points(mean)
        return f"{signed_points(mean)} ({signed_points(low)} – {signed_points(high)})"

    @property
    def points(self) -> tuple[int | None, int | None, int | None]:
        """(mean, low, high) of ``difference`` as whole points; None where not printed."""
        if not self.shown or self.change is None:
            return None, None, None
        mean = _whole(self.change.mean)
        if (self.verdict and self.verdict.too_few) or not testable(self.change):
            return mean, None, None
        low, high = interval_of(self.change)
        return mean, _whole(low), _whole(high)

    @property
    def direction(self) -> str:
        """ "lower" or "higher" (the residents against the leadership) when clear, else ""."""
        if not (self.verdict and self.verdict.is_clear):
            return ""
        return "lower" if self.change.mean < 0 else "higher"


@dataclass
class PulsePicture:
    start: date | None
    end: date | None
    scope: str  # "" for the whole country, else the county's or group's name
    organisations: int  # in the scope
    ran: int
    published: int
    residents: int | None  # the responses to the pulses in the figures; None below the minimum
    statements: list[StatementRow] = field(default_factory=list)
    groups: list[GroupRow] = field(default_factory=list)
    counties: list[GroupRow] = field(default_factory=list)
    headline_labels: list[str] = field(default_factory=list)
    goals: list[GoalRow] = field(default_factory=list)
    minimum: int = MIN_ORGANISATIONS
    verdict_minimum: int = 0

    @property
    def any(self) -> bool:
        return self.published > 0

    @property
    def enough(self) -> bool:
        return self.published >= MIN_ORGANISATIONS

    def statement_of(self, topic) -> StatementRow | None:
        return next((row for row in self.statements if row.statement.topic == topic), None)

    @property
    def compared(self) -> int:
        """Organisations with at least one goal compared (both sides shown)."""
        return max((row.organisations for row in self.goals), default=0)

    @property
    def most_above(self) -> GoalRow | None:
        """The goal the leadership rates clearly higher than its residents in most
        organisations (at least one), when the goal's figures are shown."""
        rows = [row for row in self.goals if row.shown and row.lower]
        return max(rows, key=lambda row: row.lower, default=None)

    @property
    def sentence(self) -> str:
        """What the office can write as it stands; "" when no pulse is published."""
        if not self.any:
            return ""
        counts = {"ran": self.ran, "total": self.organisations, "published": self.published}
        if not self.enough:
            return _(
                "%(ran)s of %(total)s organisations ran a resident pulse and %(published)s had "
                "it published: too few to show figures (at least %(k)s organisations are "
                "needed)."
            ) % {**counts, "k": self.minimum}
        parts = [
            _(
                "%(ran)s of %(total)s organisations ran a resident pulse and %(published)s had "
                "it published; %(residents)s residents answered."
            )
            % {**counts, "residents": self.residents}
        ]
        lives_up = self.statement_of(PulseStatement.Topic.LIVES_UP)
        if lives_up is not None and lives_up.total.shown:
            values = {"percent": lives_up.total.percent, "scope": self.scope}
            if self.scope:
                text = _(
                    "In %(scope)s %(percent)s %% of them think their municipality or region "
                    "lives up to their expectations of digital service."
                )
            else:
                text = _(
                    "Nationally %(percent)s %% of them think their municipality or region lives "
                    "up to their expectations of digital service."
                )
            parts.append(text % values)
        above = self.most_above
        if above is not None:
            parts.append(
                _(
                    "The leadership rates “%(goal)s” clearly higher than its residents do in "
                    "%(m)s of the %(n)s organisations compared."
                )
                % {"goal": above.name, "m": above.lower, "n": above.organisations}
            )
        elif any(row.shown for row in self.goals):
            parts.append(
                _(
                    "In no organisation compared does the leadership rate a goal clearly higher "
                    "than its residents do."
                )
            )
        return " ".join(parts)


# --- which pulses


def _last_day():
    return Coalesce("closed_early_on", "closes_on")


def scope_organisations(county: str = "", kommungrupp: str = ""):
    organisations = Organisation.objects.all()
    if county:
        organisations = organisations.filter(county_code=county)
    if kommungrupp:
        organisations = organisations.filter(kommungrupp=kommungrupp)
    return organisations


def ran_pulses(organisations, start=None, end=None):
    """Pulses open at some time in the period (every pulse, without one)."""
    pulses = Pulse.objects.filter(organisation__in=organisations)
    if start and end:
        pulses = pulses.annotate(last_day=_last_day()).filter(
            opens_on__lte=end, last_day__gte=start
        )
    return pulses


def counted_pulses(organisations, start=None, end=None) -> list[Pulse]:
    """Each organisation's latest published pulse that closed in the period, on the newest
    questionnaire version with a published pulse: one per organisation. One query."""
    pulses = (
        Pulse.objects.filter(organisation__in=organisations, publication__isnull=False)
        .annotate(last_day=_last_day())
        .select_related("organisation", "version", "publication")
        .order_by("-last_day", "-opens_on", "-id")
    )
    if start and end:
        pulses = pulses.filter(last_day__range=(start, end))
    pulses = list(pulses)
    if not pulses:
        return []
    newest = max(pulses, key=lambda pulse: (pulse.version.number, pulse.version_id)).version_id
    chosen: dict[int, Pulse] = {}
    for pulse in pulses:
        if pulse.version_id == newest and pulse.organisation_id not in chosen:
            chosen[pulse.organisation_id] = pulse
    return list(chosen.values())


# --- the statements, pooled in SQL


def _figure_sums(pulse_ids, *group_by, **only):
    """Shown whole-pulse and gender figures of these pulses summed per statement, breakdown,
    group and ``group_by``: organisations (one pulse each), published respondents, and the
    published percent times the published respondents."""
    return (
        PulseFigure.objects.filter(
            publication__pulse_id__in=pulse_ids, status=PulseFigure.Status.SHOWN, **only
        )
        .filter(Q(breakdown="") | Q(breakdown="gender"))
        .values("statement_id", "breakdown", "group", *group_by)
        .annotate(
            organisations=Count("pk"),
            respondents=Sum("shown_respondents"),
            weighted=Sum(F("shown_percent") * F("shown_respondents")),
        )
        .order_by()
    )


def _statements(pulses: list[Pulse]) -> list[StatementRow]:
    if not pulses:
        return []
    sums = {
        (row["statement_id"], row["breakdown"], row["group"]): pooled(
            row["organisations"], row["respondents"], row["weighted"]
        )
        for row in _figure_sums([pulse.pk for pulse in pulses])
    }
    return [
        StatementRow(
            statement,
            sums.get((statement.pk, "", ""), Pooled()),
            {key: sums.get((statement.pk, "gender", key), Pooled()) for key, _label in GENDERS},
        )
        for statement in PulseStatement.objects.filter(version_id=pulses[0].version_id)
    ]


def _headline(statements: list[StatementRow]) -> list[StatementRow]:
    found = []
    for topic in HEADLINES:
        row = next((row for row in statements if row.statement.topic == topic), None)
        if row is not None:
            found.append(row)
    return found


def _groups(
    field_name: str,
    label_name: str,
    organisations,
    ran_ids: set[int],
    pulses: list[Pulse],
    headline: list[StatementRow],
) -> list[GroupRow]:
    """One row per value of ``field_name`` (``kommungrupp`` or ``county_code``) among the
    organisations: four grouped queries."""
    path = f"publication__pulse__organisation__{field_name}"
    sums = {
        (row["statement_id"], row[path]): pooled(
            row["organisations"], row["respondents"], row["weighted"]
        )
        for row in _figure_sums(
            [pulse.pk for pulse in pulses],
            path,
            breakdown="",
            statement_id__in=[row.statement.pk for row in headline],
        )
    }
    residents = dict(
        PulseResponse.objects.filter(pulse__in=[pulse.pk for pulse in pulses])
        .values_list(f"pulse__organisation__{field_name}")
        .annotate(n=Count("pk"))
        .order_by()
    )
    ran = dict(
        Organisation.objects.filter(pk__in=ran_ids)
        .values_list(field_name)
        .annotate(n=Count("pk"))
        .order_by()
    )
    published: dict[str, int] = defaultdict(int)
    for pulse in pulses:
        published[getattr(pulse.organisation, field_name)] += 1
    rows = []
    for code, label, total in (
        organisations.values_list(field_name, label_name)
        .annotate(n=Count("pk"))
        .order_by(field_name, label_name)
    ):
        enough = published[code] >= MIN_ORGANISATIONS
        rows.append(
            GroupRow(
                code,
                label or code or _("Regions (no municipality group)"),
                total,
                ran.get(code, 0),
                published[code],
                residents.get(code, 0) if enough else None,
                [
                    (
                        str(HEADLINES[row.statement.topic]),
                        sums.get((row.statement.pk, code), Pooled()),
                    )
                    for row in headline
                ],
            )
        )
    return rows


# --- the gap, pooled over organisations


def _goals(pulses: list[Pulse]) -> list[GoalRow]:
    gaps = expectation_gaps(pulses)
    found: dict[str, dict] = {}
    for gap in gaps.values():
        for row in gap.rows:
            entry = found.setdefault(
                row.goal.key,
                {"goal": row.goal, "residents": [], "leaders": [], "differences": [], "dir": []},
            )
            if not row.shown:
                continue
            entry["residents"].append(row.residents)
            entry["leaders"].append(row.leaders)
            entry["differences"].append(100 * (row.residents.share - row.leaders.share))
            entry["dir"].append(row.direction)
    rows = []
    for key, entry in sorted(
        found.items(), key=lambda item: (item[1]["goal"].area.order, item[1]["goal"].order)
    ):
        n = len(entry["differences"])
        rows.append(
            GoalRow(
                key,
                entry["goal"].name,
                n,
                _pooled_sides(entry["residents"]),
                _pooled_sides(entry["leaders"]),
                lower=entry["dir"].count("lower") if n >= MIN_ORGANISATIONS else 0,
                higher=entry["dir"].count("higher") if n >= MIN_ORGANISATIONS else 0,
                change=paired_change(entry["differences"]) if n >= MIN_ORGANISATIONS else None,
            )
        )
    _judge(rows)
    return rows


def _pooled_sides(sides) -> Pooled:
    """The organisations' shares (as each one's gap reads them) weighted by their respondents."""
    if len(sides) < MIN_ORGANISATIONS:
        return Pooled(len(sides))
    n = sum(side.respondents for side in sides)
    share = sum(side.share * side.respondents for side in sides) / n
    return Pooled(len(sides), n, round(100 * share))


def _judge(rows: list[GoalRow]):
    least = minimum_organisations()
    tested = [row for row in rows if row.shown and row.organisations >= least]
    for row in rows:
        if row.shown and row.organisations < least:
            row.verdict = TOO_FEW
    p_values = [row.change.p_value if testable(row.change) else None for row in tested]
    discoveries = benjamini_hochberg(p_values, FALSE_DISCOVERY_RATE)
    for row, discovered in zip(tested, discoveries, strict=True):
        low, high = interval_of(row.change)
        row.verdict = verdict(low, high, discovered=discovered, places=0)


# --- the one entry point


def picture(start=None, end=None, county: str = "", kommungrupp: str = "", scope: str = ""):
    """The resident pulse for the page and the report: in the period (``start``–``end``, or
    all time), in the whole country or one county or municipality group (``scope`` names it)."""
    organisations = scope_organisations(county, kommungrupp)
    pulses = counted_pulses(organisations, start, end)
    ran_ids = set(ran_pulses(organisations, start, end).values_list("organisation_id", flat=True))
    statements = _statements(pulses)
    headline = _headline(statements)
    whole = not (county or kommungrupp)
    return PulsePicture(
        start=start,
        end=end,
        scope=scope,
        organisations=organisations.count(),
        ran=len(ran_ids),
        published=len(pulses),
        residents=PulseResponse.objects.filter(pulse__in=[p.pk for p in pulses]).count()
        if len(pulses) >= MIN_ORGANISATIONS
        else None,
        statements=statements,
        groups=_groups("kommungrupp", "kommungrupp_name", organisations, ran_ids, pulses, headline)
        if whole and pulses
        else [],
        counties=_groups("county_code", "county_name", organisations, ran_ids, pulses, headline)
        if whole and pulses
        else [],
        headline_labels=[str(HEADLINES[row.statement.topic]) for row in headline],
        goals=_goals(pulses) if len(pulses) >= MIN_ORGANISATIONS else [],
        verdict_minimum=minimum_organisations(),
    )
