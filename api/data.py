"""The ``data`` rows: one per (KPI, municipality, period), each with its values by gender.

Every value comes from published figures only (``results.figures``), at the precision the
pages show (means and interval bounds with one decimal):

- an organisation's value is its own published figure: shown, or ``null`` with status
  ``".."`` when suppressed or hidden by the linked-table rule; ``count`` is 1 when shown;
- ``0000`` (the whole country) and a group (``GK…`` kommungrupp, ``GL…`` county) pool the
  respondents of their members' rounds of that version and year, as the national page and
  the comparisons on a results page do (``results.figures.pooled``); ``count`` is the number
  of members that contributed. (Kolada's own group values are unweighted means of members;
  ours pool respondents, so that women and men get a figure even where no single member's
  gender breakdown can be shown.)

An organisation enters a pooled figure only for the units where its own whole-round figure is
shown, so the difference between two of them is always a set of whole organisations that each
pass the threshold on their own — and every figure is perturbed by its cell key
(``results.disclosure``), so that difference is their figure plus noise. As in Kolada, data
that does not exist has no row (and a gender with nothing published no value); a value has
status ``""``, a suppressed one ``".."`` and no numbers.

The resident pulse's KPIs (``DL{version}R{statement}``) serve its published share who agree
(``pulse.models.PulseFigure``, whole percent, with its perturbed respondents and no interval),
for the whole pulse (T) and by gender (K, M) as published; a hidden figure is ``".."``. Their
``0000`` and groups are made from the members' *published* shares only — the mean of the shown
shares weighted by the shown respondents, over the members whose own figure is shown — so they
tell nothing that the organisations' own rows do not (``pulse.figures.pooled_share``).
"""

from dataclasses import dataclass, field

from django.db.models import Count, Q

from pulse.figures import pooled_share
from pulse.models import PulseFigure
from results.figures import Figure, pool_cells, pooled
from results.models import PublishedFigure

from .catalogue import Entity, Kpi, ServedRound

GENDERS = (("T", ""), ("K", "woman"), ("M", "man"))
SHOWN = ""
SUPPRESSED = ".."
_CELL = ("unit_kind", "unit_id", "target_group_id", "gender")
_BATCH = 500


@dataclass(frozen=True)
class Key:
    kpi: Kpi
    entity: Entity
    year: int


class Periods:
    """The published rounds (or pulses) of one kind, indexed: by version, year and
    organisation; the years of each organisation and version; the latest day and period of
    each version. Plain dicts, so that the catalogue pickles into any cache."""

    def __init__(self, served: dict):
        self.by_version = {}  # version id -> year -> organisation id -> ServedRound/ServedPulse
        self.years_of = {}  # (organisation id, version id) -> years
        self.latest = {}  # version id -> (latest publication day, latest period)
        for (org_id, version_id, year), item in sorted(served.items(), key=lambda i: i[0]):
            self.by_version.setdefault(version_id, {}).setdefault(year, {})[org_id] = item
            self.years_of.setdefault((org_id, version_id), []).append(year)
            day, period = self.latest.get(version_id, (item.published_on, year))
            self.latest[version_id] = (max(day, item.published_on), max(period, year))

    def members(self, entity: Entity, version_id: int, year: int) -> list:
        served = self.by_version.get(version_id, {}).get(year, {})
        return [served[m] for m in entity.members if m in served]

    def years(self, entity: Entity, version_id: int) -> list[int]:
        if entity.is_organisation:
            return self.years_of.get((entity.members[0], version_id), [])
        members = set(entity.members)
        return sorted(
            year
            for year, served in self.by_version.get(version_id, {}).items()
            if members.intersection(served)
        )


@dataclass
class Catalogue:
    kpis: dict  # id string -> Kpi
    entities: dict  # id -> Entity
    served: dict  # (org id, version id, year) -> ServedRound
    pulses: dict = field(default_factory=dict)  # (org id, pulse version id, year) -> ServedPulse

    def __post_init__(self):
        self.rounds_index = Periods(self.served)
        self.pulses_index = Periods(self.pulses)

    def periods(self, kpi: Kpi) -> Periods:
        """Where the KPI's figures come from: resident pulses or rounds."""
        return self.pulses_index if kpi.is_pulse else self.rounds_index

    def latest(self, kpi: Kpi) -> tuple:
        """(the day its latest figures were published, its latest period), or Nones."""
        return self.periods(kpi).latest.get(kpi.id.version_id, (None, None))

    def member_rounds(self, entity: Entity, version_id: int, year: int) -> list[ServedRound]:
        return self.rounds_index.members(entity, version_id, year)

    def published_since(self, entity: Entity, kpi: Kpi, year: int, since) -> bool:
        """Whether a round or pulse behind the row was published (or corrected) on ``since``
        or later."""
        served = self.periods(kpi).members(entity, kpi.id.version_id, year)
        return any(item.published_on >= since for item in served)

    def years(self, entity: Entity, kpi: Kpi) -> list[int]:
        return self.periods(kpi).years(entity, kpi.id.version_id)


def keys(catalogue: Catalogue, kpi_ids, municipality_ids, years, since=None) -> list[Key]:
    """Every row the request asks for that has a published round behind it, in order (KPI,
    municipality, year). ``None`` for a dimension means all of it (for ``municipality``: the
    nation and every organisation). Unknown but well-formed ids have no rows; with ``since``
    (a date), only rows whose rounds were published or corrected on that day or later."""
    kpis = (
        [catalogue.kpis[str(k)] for k in kpi_ids if str(k) in catalogue.kpis]
        if kpi_ids is not None
        else list(catalogue.kpis.values())
    )
    if municipality_ids is not None:
        entities = [catalogue.entities[m] for m in municipality_ids if m in catalogue.entities]
    else:
        entities = [e for e in catalogue.entities.values() if e.kind in ("nation", "organisation")]
    wanted = set(years) if years is not None else None
    result = []
    for kpi in kpis:
        for entity in entities:
            for year in catalogue.years(entity, kpi):
                if wanted is not None and year not in wanted:
                    continue
                if since is not None and not catalogue.published_since(entity, kpi, year, since):
                    continue
                result.append(Key(kpi, entity, year))
    return result


def _value(gender, value=None, status=SHOWN, count=0, n=None, ci=None) -> dict:
    return {
        "gender": gender,
        "count": count,
        "status": status,
        "value": value,
        "isdeleted": False,
        "x_n": n,
        "x_ci95": ci,
    }


def _genders(kpi: Kpi):
    return GENDERS if kpi.is_divided_by_gender else GENDERS[:1]


def _cell(kpi: Kpi, gender: str) -> tuple:
    return (kpi.id.kind, kpi.id.unit_id, kpi.id.target_group_id, gender)


def _organisation_values(kpi: Kpi, figures: dict, round_id: int) -> list[dict]:
    values = []
    for letter, gender in _genders(kpi):
        row = figures.get((round_id, *_cell(kpi, gender)))
        figure = Figure.published(row)
        if figure.suppressed:
            values.append(_value(letter, status=SUPPRESSED))
        elif figure.estimate is not None:
            values.append(
                _value(letter, figure.mean, SHOWN, 1, figure.respondents, [figure.low, figure.high])
            )
        # else: nothing published for this gender, so no value (as in Kolada)
    return values


def _aggregate_values(kpi: Kpi, aggregate: "Aggregate") -> list[dict]:
    values = []
    for letter, gender in _genders(kpi):
        cell = _cell(kpi, gender)
        figure = Figure.of(aggregate.sums.get(cell), (kpi.id.kind, kpi.id.unit_id))
        if cell not in aggregate.published:
            continue  # no member published anything here: no value
        if figure.estimate is None:
            values.append(_value(letter, status=SUPPRESSED))
        else:
            values.append(
                _value(
                    letter,
                    figure.mean,
                    SHOWN,
                    aggregate.members.get(cell, 0),
                    figure.respondents,
                    [figure.low, figure.high],
                )
            )
    return values


def _figures_of_rounds(round_ids, cells) -> dict:
    """{(round id, kind, unit, target group, gender): PublishedFigure} for the page's rounds
    and cells (kind, unit, target group) only."""
    result = {}
    if not cells:
        return result
    wanted = Q()
    for kind, unit_id, group_id in cells:
        wanted |= Q(unit_kind=kind, unit_id=unit_id, target_group_id=group_id)
    round_ids = sorted(round_ids)
    for start in range(0, len(round_ids), _BATCH):
        rows = PublishedFigure.objects.filter(
            wanted,
            round_id__in=round_ids[start : start + _BATCH],
            gender__in=[gender for _letter, gender in GENDERS],
        )
        for row in rows:
            key = (row.round_id, row.unit_kind, row.unit_id, row.target_group_id, row.gender)
            result[key] = row
    return result


@dataclass
class Aggregate:
    sums: dict  # cell -> exact pooled Sums (shown only through Figure.of)
    members: dict  # cell -> how many members' rounds contributed
    published: set  # cells any member published a figure for, shown or not


def _aggregates(catalogue: Catalogue, needed) -> dict:
    """{(entity id, version id, year): Aggregate} — three queries each."""
    result = {}
    genders = [gender for _letter, gender in GENDERS]
    for entity, version_id, year in needed:
        round_ids = [r.round_id for r in catalogue.member_rounds(entity, version_id, year)]
        cells = pool_cells(round_ids, gender__in=genders)
        members = {
            tuple(row[name] for name in _CELL): row["n"]
            for row in cells.values(*_CELL).annotate(n=Count("id")).order_by()
        }
        published = set(
            PublishedFigure.objects.filter(round_id__in=round_ids, gender__in=genders)
            .values_list(*_CELL)
            .distinct()
        )
        result[(entity.id, version_id, year)] = Aggregate(pooled(cells, *_CELL), members, published)
    return result


@dataclass(frozen=True)
class PulseCell:
    status: str
    respondents: int | None
    percent: int | None

    @property
    def shown(self) -> bool:
        return self.status == PulseFigure.Status.SHOWN


def _pulse_figures(publication_ids, statement_ids) -> dict:
    """{(publication id, statement id, gender): PulseCell} of the whole pulse ("") and its
    genders; age bands are not in the API (Kolada's data has gender only)."""
    result = {}
    publication_ids = sorted(publication_ids)
    for start in range(0, len(publication_ids), _BATCH):
        rows = PulseFigure.objects.filter(
            publication_id__in=publication_ids[start : start + _BATCH],
            statement_id__in=sorted(statement_ids),
            breakdown__in=["", "gender"],
        )
        rows = rows.order_by().values_list(
            "publication_id",
            "statement_id",
            "group",
            "status",
            "shown_respondents",
            "shown_percent",
        )
        for publication_id, statement_id, group, status, respondents, percent in rows:
            result[(publication_id, statement_id, group)] = PulseCell(status, respondents, percent)
    return result


def _pulse_values(kpi: Kpi, figures: dict, publication_ids: list[int], aggregate: bool) -> list:
    """An organisation's own published share (``publication_ids`` its one pulse), or the
    share of several organisations' together: the mean of their shown shares weighted by their
    shown respondents (``pulse.figures.pooled_share``), made from published figures only, of
    the members whose own figure is shown (rule 6). ``count`` is the members in it."""
    values = []
    for letter, gender in GENDERS:
        cells = [figures.get((p, kpi.id.unit_id, gender)) for p in publication_ids]
        cells = [cell for cell in cells if cell is not None]
        if not cells:
            continue  # nothing published for this gender: no value, as in Kolada
        shown = [cell for cell in cells if cell.shown]
        if not shown:
            values.append(_value(letter, status=SUPPRESSED))
            continue
        if aggregate:
            percent, respondents = pooled_share((c.percent, c.respondents) for c in shown)
        else:
            (cell,) = shown
            percent, respondents = cell.percent, cell.respondents
        values.append(_value(letter, float(percent), SHOWN, len(shown), respondents))
    return values


def rows(catalogue: Catalogue, page: list[Key]) -> list[dict]:
    """The data rows of one page of keys, in a bounded number of queries; a row with no
    value at all (nothing published for it) is left out."""
    served = {}
    needed = {}
    pulse_publications = {}  # key -> [publication id of the organisation or of each member]
    for key in page:
        version_id = key.kpi.id.version_id
        if key.kpi.is_pulse:
            members = catalogue.pulses_index.members(key.entity, version_id, key.year)
            pulse_publications[key] = [p.publication_id for p in members]
        elif key.entity.is_organisation:
            org_id = key.entity.members[0]
            served[key] = catalogue.served[(org_id, version_id, key.year)]
        else:
            needed[(key.entity.id, version_id, key.year)] = (key.entity, version_id, key.year)
    figures = _figures_of_rounds(
        {r.round_id for r in served.values()},
        sorted(
            {(k.kpi.id.kind, k.kpi.id.unit_id, k.kpi.id.target_group_id) for k in served},
            key=str,
        ),
    )
    pulse_figures = _pulse_figures(
        {p for ids in pulse_publications.values() for p in ids},
        {k.kpi.id.unit_id for k in pulse_publications},
    )
    aggregates = _aggregates(catalogue, needed.values())
    result = []
    for key in page:
        round_ = served.get(key)
        if key.kpi.is_pulse:
            values = _pulse_values(
                key.kpi,
                pulse_figures,
                pulse_publications[key],
                aggregate=not key.entity.is_organisation,
            )
        elif round_ is not None:
            values = _organisation_values(key.kpi, figures, round_.round_id)
        else:
            aggregate = aggregates[(key.entity.id, key.kpi.id.version_id, key.year)]
            values = _aggregate_values(key.kpi, aggregate)
        if not values:
            continue
        result.append(
            {
                "kpi": str(key.kpi.id),
                "municipality": key.entity.id,
                "period": key.year,
                "values": values,
                "x_framework_version": key.kpi.version,
                "x_round_kind": round_.kind if round_ is not None else None,
            }
        )
    return result
