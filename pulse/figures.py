"""Reading a pulse's published figures for its public page. Nothing here writes or computes
from answers: the figures were decided at publication (``pulse.publication``)."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from lib.choices import Gender

from .models import AgeBand, PulseFigure, PulsePublication

GENDER_LABELS = {"woman": _("Women"), "man": _("Men")}


@dataclass
class Cell:
    shown: bool
    percent: int | None = None
    respondents: int | None = None
    linked: bool = False


@dataclass
class Row:
    text: str
    total: Cell
    ages: list[Cell]
    genders: list[Cell]


@dataclass
class PulseResults:
    rows: list[Row]
    age_labels: list[str]
    gender_labels: list[str]
    any_age: bool
    any_gender: bool
    any_linked: bool


def _cell(figure: PulseFigure | None) -> Cell:
    if figure is None or figure.status != PulseFigure.Status.SHOWN:
        return Cell(False, linked=figure is not None and figure.status == "linked")
    return Cell(True, figure.shown_percent, figure.shown_respondents)


def pulse_results(publication: PulsePublication) -> PulseResults:
    """Every statement of the pulse with its figure, its age bands and its genders (hidden
    cells as such), in one query."""
    pulse = publication.pulse
    figures = {
        (f.statement_id, f.breakdown, f.group): f
        for f in publication.figures.select_related("statement")
    }
    bands = [band for band in AgeBand.values if any(k[2] == band for k in figures)]
    genders = [g for g in ("woman", "man") if any(k[2] == g for k in figures)]
    rows = []
    for statement in pulse.version.statements.all():
        rows.append(
            Row(
                statement.text_for(pulse.organisation),
                _cell(figures.get((statement.pk, "", ""))),
                [_cell(figures.get((statement.pk, "age", band))) for band in bands],
                [_cell(figures.get((statement.pk, "gender", g))) for g in genders],
            )
        )
    return PulseResults(
        rows,
        [AgeBand(band).label for band in bands],
        [str(GENDER_LABELS[g]) for g in genders if g in Gender.values],
        any(c.shown for r in rows for c in r.ages),
        any(c.shown for r in rows for c in r.genders),
        any(c.linked for r in rows for c in r.ages),
    )


def pooled_share(parts) -> tuple[int, int]:
    """(percent, respondents) of several organisations' shown figures of one statement taken
    together, from their published numbers only: the mean of the published shares weighted by
    the published respondents, in whole percent, and the sum of those respondents. Anyone can
    compute it from the organisations' own figures, so it reveals nothing they do not — no
    second, differently perturbed look at anyone's answers. ``parts``: (percent, respondents)
    of each figure that is shown."""
    parts = list(parts)
    respondents = sum(n for _percent, n in parts)
    if not respondents:
        raise ValueError("pooled_share needs at least one shown figure")
    return weighted_percent(sum(p * n for p, n in parts), respondents), respondents


def weighted_percent(weighted: int, respondents: int) -> int:
    """The pooled percent from the sum of percent × respondents: rounded half up in integers,
    so that the open data and the programme office's page (which sums in SQL) never differ by
    one point on a half."""
    return (2 * weighted + respondents) // (2 * respondents)
