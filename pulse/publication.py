"""Publishing a pulse's figures: computed once, when it closes, under the results' rules.

``publish_pulse`` is the one action that writes ``PulseFigure`` s. The answers are aggregated
in one SQL query into cross cells (statement × age band × gender); every figure is a sum of
those small tables, decided here with the rules of ``results.anonymity`` (the threshold, cell
by cell; complementary suppression of age bands and genders; the gender breakdown only where
every cross cell of the shown age bands and genders, hidden ones merged, is 0 or at least the
threshold) and perturbed by the
cell-key method of ``results.disclosure``. Cross cells are never stored.

The published figure of a statement is the share who agree (4 or 5 on the scale) among those
who rated it, read from the perturbed answer counts, in whole percent: so padding a pulse with
one's own answers reads the one real answer only through the noise of the counts
(``pulse/tests/test_disclosure.py``).
"""

from collections import defaultdict

from django.db import transaction
from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from results import anonymity
from results.disclosure import KEY_MODULUS, protect
from results.statistics import Sums

from .models import Pulse, PulseAnswer, PulseFigure, PulsePublication

GENDERS = ("woman", "man")  # shown; "other" and "not stated" are one hidden part
OTHER = "other"
NOT_STATED = ""

_COUNTS = {f"c{v}": Count("pk", filter=Q(value=v)) for v in range(1, 6)}


def due_pulses(today=None):
    """Closed pulses (closing date passed, or closed early) not yet published."""
    today = today or timezone.localdate()
    return Pulse.objects.filter(
        Q(closes_on__lt=today) | Q(closed_early_on__isnull=False), publication__isnull=True
    )


def publish_due(today=None) -> int:
    pulses = list(due_pulses(today))
    for pulse in pulses:
        publish_pulse(pulse)
    return len(pulses)


def unit(statement_id: int) -> tuple:
    """The cell-key unit of a statement: the same respondents in it always get the same noise."""
    return ("pulse", statement_id)


def cross_cells(pulse: Pulse) -> dict[int, dict[tuple[str, str], Sums]]:
    """{statement id: {(age band, gender): Sums}} in one aggregate query. "Don't know" counts
    as an answer but not as a rating; gender is "woman", "man" or "other" (also not stated)."""
    rows = (
        PulseAnswer.objects.filter(response__pulse=pulse)
        .values("statement_id", "response__age_band", "response__gender")
        .annotate(
            respondents=Count("pk"),
            rated=Count("value"),
            score_sum=Sum("value"),
            score_sq_sum=Sum(F("value") * F("value")),
            dont_know=Count("pk", filter=Q(value__isnull=True)),
            key=Sum("response__record_key"),
            **_COUNTS,
        )
    )
    cells: dict[int, dict[tuple[str, str], Sums]] = defaultdict(dict)
    for row in rows:
        gender = row["response__gender"]
        gender = gender if gender in GENDERS else OTHER
        cell = (row["response__age_band"] or NOT_STATED, gender)
        sums = Sums(
            respondents=row["respondents"],
            rated=row["rated"],
            score_sum=float(row["score_sum"] or 0),
            score_sq_sum=float(row["score_sq_sum"] or 0),
            counts=tuple(row[f"c{v}"] for v in range(1, 6)),
            dont_know=row["dont_know"],
            key=int(row["key"] or 0) % KEY_MODULUS,
        )
        previous = cells[row["statement_id"]].get(cell)
        cells[row["statement_id"]][cell] = sums if previous is None else previous + sums
    return cells


def shown_share(sums: Sums, statement_id: int, k: int) -> tuple[int, int]:
    """(respondents, percent agreeing) as published for a cell that passes the threshold:
    both from the cell-key-perturbed counts of ``results.disclosure.protect``. The percent is
    whole, 0–100, of the perturbed ratings; the respondent count is never below ``k``."""
    protected = protect(sums, unit(statement_id), threshold=k)
    rated = sum(protected.counts)
    agreeing = protected.counts[3] + protected.counts[4]
    percent = round(100 * agreeing / rated) if rated else 0
    return protected.respondents, percent


def _total(cells) -> Sums:
    total = Sums()
    for sums in cells:
        total = total + sums
    return total


def _parts(cells: dict[tuple[str, str], Sums], index: int) -> dict[str, Sums]:
    parts: dict[str, Sums] = defaultdict(Sums)
    for key, sums in cells.items():
        parts[key[index]] = parts[key[index]] + sums
    return dict(parts)


def _hidden(parts: dict[str, Sums], never_shown: set[str], k: int) -> set[str]:
    """Parts to hide beside the total: ``results.anonymity.suppressed_parts``, and the parts
    that are never shown on their own (not stated, other). Adding a part that passes, or one
    already hidden, keeps the hidden parts together at 0 or at least ``k``."""
    return anonymity.suppressed_parts(parts, k) | (never_shown & parts.keys())


def _linked(
    cells: dict[tuple[str, str], Sums], hidden_ages: set[str], hidden_genders: set[str], k: int
) -> bool:
    """The linked-table rule (``docs/privacy-model.md``, rule 5): genders beside age bands only
    when every cross cell of what is shown is 0 or at least ``k`` (respondents and ratings).
    Hidden bands and hidden genders are never shown one by one, so each side's hidden parts
    are merged into one: every figure made by adding and subtracting shown figures is then a
    union of those merged cross cells."""
    merged: dict[tuple[str, str], Sums] = defaultdict(Sums)
    for (band, gender), sums in cells.items():
        key = (
            "hidden" if band in hidden_ages else band,
            "hidden" if gender in hidden_genders else gender,
        )
        merged[key] = merged[key] + sums
    return any(0 < s.respondents < k or 0 < s.rated < k for s in merged.values())


def figures_for(statement_id: int, cells: dict[tuple[str, str], Sums], k: int):
    """Every figure of one statement, as (breakdown, group, status, sums or None).

    Where women and men beside the age bands would single out a group smaller than ``k``
    (the linked-table rule), one of the two breakdowns has to go. The genders are kept and the
    age bands held back (status "linked"): the programme follows gender balance, and a gender
    breakdown alone is as safe as an age breakdown alone."""
    total = _total(cells.values())
    if not anonymity.passes(total, k):
        yield "", "", PulseFigure.Status.SUPPRESSED, None
        return
    yield "", "", PulseFigure.Status.SHOWN, total
    ages = _parts(cells, 0)
    hidden_ages = _hidden(ages, {NOT_STATED}, k)
    genders = _parts(cells, 1)
    hidden_genders = _hidden(genders, {OTHER}, k)
    ages_held_back = _linked(cells, hidden_ages, hidden_genders, k)
    for band, sums in sorted(ages.items()):
        if band == NOT_STATED:
            continue
        if band in hidden_ages:
            yield "age", band, PulseFigure.Status.SUPPRESSED, None
        elif ages_held_back:
            yield "age", band, PulseFigure.Status.LINKED, None
        else:
            yield "age", band, PulseFigure.Status.SHOWN, sums
    for gender in GENDERS:
        sums = genders.get(gender)
        if sums is None:
            continue
        if gender in hidden_genders:
            yield "gender", gender, PulseFigure.Status.SUPPRESSED, None
        else:
            yield "gender", gender, PulseFigure.Status.SHOWN, sums


@transaction.atomic
def publish_pulse(pulse: Pulse, today=None) -> PulsePublication:
    """Publish a closed pulse's figures once; a published pulse is left as it is."""
    existing = PulsePublication.objects.filter(pulse=pulse).first()
    if existing is not None:
        return existing
    k = anonymity.threshold()
    publication = PulsePublication.objects.create(
        pulse=pulse, published_on=today or timezone.localdate()
    )
    rows, all_cells = [], cross_cells(pulse)
    for statement in pulse.version.statements.all():
        cells = all_cells.get(statement.pk, {})
        for breakdown, group, status, sums in figures_for(statement.pk, cells, k):
            figure = PulseFigure(
                publication=publication,
                statement=statement,
                breakdown=breakdown,
                group=group,
                status=status,
            )
            if sums is not None:
                figure.shown_respondents, figure.shown_percent = shown_share(sums, statement.pk, k)
                figure.rated = sums.rated
                figure.agreeing = sums.counts[3] + sums.counts[4]
                figure.cell_key = sums.key
            rows.append(figure)
    PulseFigure.objects.bulk_create(rows)
    return publication
