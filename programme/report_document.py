"""One description of the report to the government, from which the preview page, the PDF and
the DOCX are all written, so that they cannot differ: a title page and a list of blocks
(headings, paragraphs, tables, and charts that carry their own data table).

Every text and figure is formatted here, once, in the active language (decimal comma in
Swedish); the writers only lay the blocks out. ``describe`` takes ``report.gather``'s
dictionary; the programme's effect comes from ``plans.effect``, the same function as the
effect page.
"""

import math
from dataclasses import dataclass, field

from django.template.defaultfilters import floatformat
from django.utils.safestring import SafeString
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from lib import numbers
from plans import effect as programme_effect
from results.statistics import shown

from . import charts, pulse_picture
from .models import Activity

LANGUAGE_TAGS = {"sv": "sv-SE", "en": "en-GB"}
DASH = "–"


def language_tag() -> str:
    return LANGUAGE_TAGS.get((get_language() or "sv")[:2], "sv-SE")


@dataclass(frozen=True)
class Heading:
    text: str
    anchor: str
    kind = "heading"


@dataclass(frozen=True)
class Paragraph:
    text: str
    note: bool = False  # a caveat or explanation, set smaller
    kind = "paragraph"


@dataclass(frozen=True)
class Table:
    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    # a column of figures (right-aligned); the first column is each row's label
    numeric: tuple[bool, ...] = ()
    total: tuple[str, ...] | None = None  # a footer row
    # Soft hyphens in the rows' labels (``hyphenate``); off for labels that are sentences, which
    # wrap between words anyway (with soft hyphens in them WeasyPrint sizes the label column to
    # its whole length and pushes the figures off the page).
    hyphenate_labels: bool = True
    kind = "table"

    def is_numeric(self, index: int) -> bool:
        return index < len(self.numeric) and self.numeric[index]

    @property
    def columns(self):
        return [(text, self.is_numeric(i)) for i, text in enumerate(self.header)]

    @property
    def body(self):
        """Rows as [(text, numeric, column heading)] for the writers."""
        return [
            [(text, self.is_numeric(i), self.header[i]) for i, text in enumerate(row)]
            for row in self.rows
        ]

    @property
    def footer(self):
        if self.total is None:
            return None
        return [(text, self.is_numeric(i), self.header[i]) for i, text in enumerate(self.total)]


@dataclass(frozen=True)
class Chart:
    """A chart and the table with its figures (printed right under it)."""

    title: str
    svg: SafeString  # the wide rendering (laptop, PDF, DOCX)
    table: Table
    description: str  # the image's alternative text in the DOCX
    narrow: SafeString = ""  # the phone's rendering
    key: tuple = ()  # (label, colour) per series, when the drawing has no legend of its own
    kind = "chart"


@dataclass
class ReportDocument:
    title: str
    sender: str
    recipient: str
    reference: str
    date: str
    period: str
    language: str
    blocks: list = field(default_factory=list)

    @property
    def headings(self) -> list[Heading]:
        return [block for block in self.blocks if isinstance(block, Heading)]

    def tables(self) -> list[Table]:
        return [
            block.table if isinstance(block, Chart) else block
            for block in self.blocks
            if isinstance(block, Table | Chart)
        ]


# Formatting: one place for every number in the report.


def number(value, places=1) -> str:
    return DASH if value is None else floatformat(value, places)


def signed(value) -> str:
    """One decimal with its sign, rounded as the verdicts read it (``statistics.shown``)."""
    if value is None:
        return DASH
    printed = shown(value)
    sign = "+" if printed > 0 else ("−" if printed < 0 else "±")
    return f"{sign}{floatformat(abs(printed), 1)}"


def pct(share) -> str:
    return DASH if share is None else f"{floatformat(100 * share, 0)}{numbers.NO_BREAK}%"


def sek(value) -> str:
    """Exact SEK with öre, Swedish style, unbreakable: 1 234 567,50 kr (``lib.numbers.sek``)."""
    return numbers.sek(value)


def msek(value) -> float:
    return float(value) / 1_000_000


def _chart(title, drawn, table, description) -> Chart:
    """A chart from its (wide, narrow, key) renderings."""
    wide, narrow, key = drawn
    return Chart(title, wide, table, description, narrow=narrow, key=key)


class _Builder:
    def __init__(self):
        self.blocks = []

    def heading(self, text):
        self.blocks.append(Heading(str(text), f"section-{len(self.blocks) + 1}"))

    def text(self, body, note=False):
        for part in str(body).split("\n\n"):
            if part.strip():
                self.blocks.append(Paragraph(part.strip(), note))

    def add(self, block):
        self.blocks.append(block)


def _office_sections(builder, sections, summary: bool):
    for section in sections:
        if (section.key == "summary") == summary:
            builder.heading(section.title)
            builder.text(section.body or _("(No text written yet.)"))


def _targets(builder, context):
    settings = context["settings"]
    total = context["organisations"]
    reached = context["reached"]
    share = reached / total if total else None
    rows = []
    if settings.reach_target is not None and total:
        goal = float(settings.reach_target)
        needed = -(-int(goal * total * 1000) // 1000)  # ceil without float noise
        rows.append(
            (
                _("Municipalities and regions reached by at least one activity"),
                f"{pct(goal)} ({needed} / {total})",
                f"{pct(share)} ({reached} / {total})",
                _("met") if reached >= needed else _("not met"),
            )
        )
    budget_total = context["budget_total"]
    rows.append(
        (
            _("Spending within the government grant"),
            sek(budget_total.grant),
            sek(budget_total.used),
            _("over the grant") if budget_total.over else _("within the grant"),
        )
    )
    builder.heading(_("The programme's targets and the outcome"))
    builder.add(
        Table(
            _("The programme's own targets beside what was reached in the period"),
            (_("Target"), _("Planned"), _("Outcome"), _("Assessment")),
            tuple(rows),
            (False, True, True, False),
        )
    )


def _activities(builder, context):
    a = context["activities"]
    builder.heading(_("Activities"))
    builder.add(
        Table(
            _("Activities %(start)s – %(end)s")
            % {"start": context["start"].isoformat(), "end": context["end"].isoformat()},
            (_("Activity"), _("Number"), _("Participants")),
            (
                (_("Webinars"), str(a["webinars"]), str(a["webinar_attendees"])),
                (_("Workshops held"), str(a["workshops"]), str(a["workshop_participants"])),
                (
                    _("Self-assessment rounds with responses"),
                    str(a["rounds"]),
                    str(a["respondents"]),
                ),
            ),
            (False, True, True),
        )
    )


def _counts(builder, counts):
    """The programme's organisation counts in the period (``programme.counts``), each with its
    definition, as every page gives them."""
    total = counts.organisations
    builder.add(
        Table(
            _("Organisations in the period: reached, took part, assessed and followed up"),
            (_("Count"), _("Organisations"), _("Of all"), _("Share")),
            tuple(
                (label, str(n), str(total), pct(n / total if total else None))
                for _key, label, n in counts.rows
            ),
            (False, True, True, True),
        )
    )


def _reach(builder, context):
    settings = context["settings"]
    target = None if settings.reach_target is None else float(settings.reach_target)
    builder.heading(_("Reach"))
    builder.text(
        _("%(reached)s of %(total)s organisations reached by at least one activity.")
        % {"reached": context["reached"], "total": context["organisations"]}
    )
    _counts(builder, context["counts"])
    rows = context["reach_by_kind"]
    header = (_("Kind"), _("Reached"), _("Of all"), _("Share"))
    table = Table(
        _("Organisations reached, by kind of organisation"),
        header + ((_("Target"),) if target is not None else ()),
        tuple(
            (r.label, str(r.reached), str(r.total), pct(r.share))
            + ((pct(target),) if target is not None else ())
            for r in rows
        ),
        (False, True, True, True, True),
    )
    series = [(_("Reached"), [r.share for r in rows])]
    if target is not None:
        series.append((_("Target"), [target for _r in rows]))
    builder.add(
        _chart(
            _("Share of organisations reached, by kind, against the target"),
            charts.bars([r.label for r in rows], series, high=100, percent=True),
            table,
            _(
                "Bar chart: the share of organisations reached by kind; the figures are in the "
                "table below."
            ),
        )
    )
    builder.add(
        Table(
            _("Organisations reached, by municipality group"),
            (_("Municipality group"), _("Reached"), _("Of all"), _("Share")),
            tuple(
                (
                    _("Regions (no municipality group)") if r.label == DASH else r.label,
                    str(r.reached),
                    str(r.total),
                    pct(r.share),
                )
                for r in context["reach_by_group"]
            ),
            (False, True, True, True),
        )
    )


def _gender(builder, context):
    rows = context["gender"]
    hidden = _("fewer than %(k)s: not shown") % {"k": context["threshold"]}
    builder.heading(_("Gender analysis"))
    table = Table(
        _(
            "Participants by target group and gender, all activities, with the share of women in "
            "each target population"
        ),
        (
            _("Target group"),
            _("Women"),
            _("Men"),
            _("Other or not stated"),
            _("Share of women"),
            _("In the population"),
        ),
        tuple(
            (g.label, hidden, DASH, DASH, DASH, pct(g.reference))
            if g.hidden
            else (
                g.label,
                str(g.women),
                str(g.men),
                str(g.other),
                pct(g.share_women),
                pct(g.reference),
            )
            for g in rows
        ),
        (False, True, True, True, True, True),
    )
    builder.add(
        _chart(
            _("Share of women among participants and in each target population"),
            charts.bars(
                [g.label for g in rows],
                [
                    (
                        _("Participants"),
                        [None if g.hidden else g.share_women for g in rows],
                    ),
                    (_("In the population"), [g.reference for g in rows]),
                ],
                high=100,
                percent=True,
            ),
            table,
            _(
                "Bar chart: the share of women among participants and in the population, per "
                "target group; the figures are in the table below."
            ),
        )
    )


def _verdict(row) -> tuple[str, str]:
    """The change with its 95 % interval, and the verdict (``results.statistics.verdict``)."""
    change = row.change
    if not row.organisations or change is None:
        return DASH, DASH
    if row.verdict.too_few:
        return DASH, row.verdict.word
    bounded = change.low is not None and math.isfinite(change.low) and math.isfinite(change.high)
    interval = f" ({signed(change.low)} – {signed(change.high)})" if bounded else ""
    return signed(change.mean) + interval, row.verdict.word


def _national(builder, context):
    rows = context["national"]
    builder.heading(_("National results: baseline and follow-up"))
    table = Table(
        _(
            "Per goal area, the organisations with both a published baseline and a published "
            "follow-up (opened in the period): the mean of their own means (1–5) and the change, "
            "with a %(level)s confidence interval over organisations"
        )
        % {"level": "95\u00a0%"},
        (
            _("Goal area"),
            _("Organisations"),
            _("Baseline"),
            _("Follow-up"),
            _("Change (%(level)s interval)") % {"level": "95\u00a0%"},
            _("Against uncertainty"),
        ),
        tuple(
            (row.area.name, str(row.organisations), number(row.baseline), number(row.follow_up))
            + _verdict(row)
            for row in rows
        ),
        (False, True, True, True, True, False),
    )
    if any(row.organisations for row in rows):
        svg, narrow, key = charts.means(
            rows,
            [
                (_("Baseline"), lambda row: row.baseline),
                (_("Follow-up"), lambda row: row.follow_up),
            ],
        )
        builder.add(
            Chart(
                _("Mean per goal area (1–5), baseline and follow-up"),
                svg,
                table,
                _(
                    "Bar chart: the mean per goal area at baseline and at follow-up on the scale 1 "
                    "to 5; the figures and the change are in the table below."
                ),
                key=key,
                narrow=narrow,
            )
        )
    else:
        builder.add(table)
    builder.text(
        _(
            "Each organisation counts once, on the areas where both its rounds show a figure, so a "
            "change in which organisations took part moves nothing; the Organisations column says "
            "how many each figure rests on. An area gets a verdict only with at least %(k)s "
            "organisations. ”Clear” means a paired t-test over organisations with the false "
            "discovery rate across the areas held at %(level)s (Benjamini–Hochberg) and an "
            "interval that, to one decimal, excludes zero. It is an observational comparison, not "
            "proof of what caused the change."
        )
        % {"level": "5\u00a0%", "k": programme_effect.minimum_organisations()},
        note=True,
    )


def _effect_cell(e, minimum) -> str:
    word = e.verdict.word  # the one verdict (results.statistics.verdict)
    if e.too_few:
        needed = _("at least %(k)s organisations on each side are needed") % {"k": minimum}
        return f"{word} ({needed})"
    if not e.bounded:
        return f"{signed(e.value)} · " + _("no interval: the changes do not vary") + f" · {word}"
    return f"{signed(e.value)} ({signed(e.low)} – {signed(e.high)}) · {word}"


def _effect(builder, effects, organisations, minimum):
    builder.heading(_("The effect of the programme"))
    builder.text(
        ngettext(
            "%(n)s organisation is followed up: an assessed baseline and a later assessed "
            "follow-up round.",
            "%(n)s organisations are followed up: an assessed baseline and a later assessed "
            "follow-up round.",
            organisations,
        )
        % {"n": organisations}
    )
    builder.text(
        _(
            "Per goal: the change from baseline to follow-up in organisations that worked on the "
            "goal (it was among a held workshop's goals or in an action plan), against the change "
            "on the same goal in organisations that did not. Each organisation counts once, with "
            "its own published goal means, and only on goals where both its rounds show a figure."
        )
    )
    builder.text(
        _(
            "A goal gets a verdict only when at least %(k)s organisations on each side have "
            "figures for it. The interval is Welch's over organisations with the degrees of "
            "freedom of the smaller side, which is honest for a handful of organisations; “clear” "
            "needs the false discovery rate across the goals held at 5%% (Benjamini–Hochberg) and "
            "an interval that, to one decimal, excludes zero."
        )
        % {"k": minimum},
        note=True,
    )
    builder.text(
        _("This is an observational comparison, not proof of cause.")
        + " "
        + _(
            "Organisations chose what to work on; those that did may differ from the others in "
            "other ways too."
        ),
        note=True,
    )
    if not effects:
        builder.text(
            _(
                "Too few organisations to tell yet: no organisation has both a published baseline "
                "and a published follow-up round."
            )
        )
        return
    builder.add(
        Table(
            _(
                "Difference in differences per goal, with a %(level)s confidence interval over "
                "organisations"
            )
            % {"level": "95\u00a0%"},
            (
                _("Goal"),
                _("Change, worked on it"),
                _("Organisations"),
                _("Change, did not"),
                _("Organisations"),
                _("Difference (%(level)s interval)") % {"level": "95\u00a0%"},
            ),
            tuple(
                (
                    e.name,
                    signed(e.worked.mean) if e.worked else DASH,
                    str(e.worked_n),
                    signed(e.others.mean) if e.others else DASH,
                    str(e.others_n),
                    _effect_cell(e, minimum),
                )
                for e in effects
            ),
            (False, True, True, True, True, False),
        )
    )


def _pulse(builder, picture):
    """The resident pulse and the expectation gap, from ``programme.pulse_picture`` as the
    pulse page shows them; nothing at all when no pulse is published in the period."""
    if picture is None or not picture.any:
        return
    builder.heading(_("The residents' view: the resident pulse"))
    builder.text(picture.sentence)
    builder.text(
        str(pulse_picture.SELF_SELECTED)
        + " "
        + _(
            "Only published figures are pooled, never an answer: each organisation counts once, "
            "with its latest published pulse, and in a figure only where its own figure is "
            "shown, weighted by its published respondents. A figure needs at least %(k)s "
            "organisations."
        )
        % {"k": picture.minimum},
        note=True,
    )
    if not picture.enough:
        return
    genders = [label for label, _figure in picture.statements[0].by_gender]
    builder.add(
        Table(
            _("Share who agree (4 or 5 of 5) per statement, with women and men"),
            (_("Statement"), _("Agree"), _("Residents"), _("Organisations"), *genders),
            tuple(
                (
                    row.text,
                    row.total.text,
                    str(row.total.respondents) if row.total.shown else DASH,
                    str(row.total.organisations),
                    *[
                        f"{figure.text} ({figure.organisations_text})" if figure.shown else DASH
                        for _label, figure in row.by_gender
                    ],
                )
                for row in picture.statements
            ),
            (False, True, True, True) + (False,) * len(genders),
            hyphenate_labels=False,
        )
    )
    if picture.groups:
        builder.add(
            Table(
                _("The resident pulse by municipality group"),
                (
                    _("Municipality group"),
                    _("Organisations"),
                    _("Ran a pulse"),
                    _("In the figures"),
                    _("Residents"),
                    *picture.headline_labels,
                ),
                tuple(
                    (
                        row.label,
                        str(row.organisations),
                        str(row.ran),
                        str(row.published),
                        DASH if row.residents is None else str(row.residents),
                        *[figure.text for _label, figure in row.headline],
                    )
                    for row in picture.groups
                ),
                (False, True, True, True, True) + (True,) * len(picture.headline_labels),
                hyphenate_labels=False,
            )
        )
    if not picture.goals:
        return
    builder.add(
        Table(
            _("The expectation gap per goal: the share who agree, residents and leadership"),
            (
                _("Goal"),
                _("Organisations"),
                _("Residents"),
                _("Leadership"),
                _("Residents − leadership, points (%(level)s interval)") % {"level": "95\u00a0%"},
                _("Against uncertainty"),
                _("Residents clearly lower"),
                _("Residents clearly higher"),
            ),
            tuple(
                (
                    row.name,
                    str(row.organisations),
                    row.residents.text,
                    row.leaders.text,
                    row.difference,
                    row.verdict.word if row.verdict else DASH,
                    str(row.lower) if row.shown else DASH,
                    str(row.higher) if row.shown else DASH,
                )
                for row in picture.goals
            ),
            (False, True, True, True, False, False, True, True),
            hyphenate_labels=False,
        )
    )
    builder.text(
        _(
            "Per goal, over the organisations where both the residents' and the leadership's "
            "figures are shown. The difference is the mean of the organisations' own differences, "
            "each organisation counting once, with a 95 %% interval over organisations. "
            "“Clear” needs the false discovery rate across the goals held at 5 %% "
            "(Benjamini–Hochberg) and an interval that, in whole points, excludes zero; with fewer "
            "than %(n)s organisations it is too few to tell. The last two columns count the "
            "organisations whose own gap is clear."
        )
        % {"n": picture.verdict_minimum},
        note=True,
    )


def _budget(builder, context):
    years, total = context["budget_years"], context["budget_total"]
    builder.heading(_("Budget"))
    table = Table(
        _("Budget per year (SEK)"),
        (_("Year"), _("Grant"), _("Spent"), _("Committed"), _("Remaining")),
        tuple(
            (str(y.year), sek(y.grant), sek(y.spent), sek(y.committed), sek(y.remaining))
            for y in years
        ),
        (False, True, True, True, True),
        total=(
            _("Total"),
            sek(total.grant),
            sek(total.spent),
            sek(total.committed),
            sek(total.remaining),
        ),
    )
    if years:
        builder.add(
            _chart(
                _("Grant, spent and committed per year (million SEK)"),
                charts.bars(
                    [str(y.year) for y in years],
                    [
                        (_("Grant"), [msek(y.grant) for y in years]),
                        (_("Spent"), [msek(y.spent) for y in years]),
                        (_("Committed"), [msek(y.committed) for y in years]),
                    ],
                    horizontal=False,
                ),
                table,
                _(
                    "Bar chart: the grant, the amount spent and the amount committed per year; the "
                    "figures are in the table below."
                ),
            )
        )
    else:
        builder.add(table)
    labels = dict(Activity.choices)
    builder.add(
        Table(
            _("Costs by activity (SEK)"),
            (_("Activity"), _("Amount")),
            tuple(
                (str(labels.get(row["activity"], row["activity"])), sek(row["amount"]))
                for row in context["budget_activities"]
            ),
            (False, True),
        )
    )


def _partners(builder, context):
    builder.heading(_("Partners"))
    builder.add(
        Table(
            _("Partner agencies and what they contributed to"),
            (
                _("Partner"),
                _("Consultations in the period"),
                _("Modules"),
                _("Webinars"),
                _("Good examples"),
            ),
            tuple(
                (
                    p.name,
                    str(p.n_consultations),
                    str(p.n_modules),
                    str(p.n_sessions),
                    str(p.n_cases),
                )
                for p in context["partners"]
            ),
            (False, True, True, True, True),
        )
    )
    for c in context["consultations"]:
        builder.text(f"{c.date.isoformat()} {c.partner.name}: {c.topic}. {c.outcome}".strip())


def describe(context: dict, effects=None) -> ReportDocument:
    """The whole report, from ``report.gather``'s dictionary."""
    settings = context["settings"]
    # the effect page's one computation (plans.effect.national_effect), unless a test passes its own
    national = programme_effect.national_effect(context["start"], context["end"])
    if effects is None:
        effects = national.goals
    builder = _Builder()
    _office_sections(builder, context["sections"], summary=True)
    _targets(builder, context)
    _activities(builder, context)
    _reach(builder, context)
    _gender(builder, context)
    _national(builder, context)
    _effect(
        builder,
        effects,
        national.organisations,
        national.minimum,
    )
    _pulse(builder, context.get("pulse"))
    _budget(builder, context)
    _partners(builder, context)
    _office_sections(builder, context["sections"], summary=False)
    return ReportDocument(
        title=settings.title,
        sender=settings.sender,
        recipient=settings.recipient,
        reference=settings.reference,
        date=context["generated"].date().isoformat(),
        period=f"{context['start'].isoformat()} – {context['end'].isoformat()}",
        language=language_tag(),
        blocks=builder.blocks,
    )
