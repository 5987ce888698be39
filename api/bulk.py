"""Every published figure of every closed round and resident pulse as CSV or JSON, streamed.

The rows are read with ``iterator()`` and written one at a time, so memory stays constant
however many rounds are published. A row is one organisation's own published figure (all
respondents by gender T/K/M, and per target group), as the data endpoint serves it: status
``""`` with its numbers, or ``".."`` suppressed with none; a cell with nobody behind it has no
row. Figures of respondents who gave another gender or none are in T but have no column of
their own, as in Kolada. After the rounds' rows come the resident pulses' (KPIs ``DL…R…``):
each statement's published share who agree in whole percent, for the whole pulse and by
gender as published, with its perturbed respondents and no interval; age bands are not in the
files (Kolada's shape has gender only), they are on the pulse's own page.

``datapackage.json`` describes both files as a Frictionless data package (fields and their
types — codes are strings, so ``0180`` stays ``0180`` —, licence and attribution); the JSON
file is a plain array of records (``pandas.read_json`` reads it as it is).
"""

import csv
import json

from django.conf import settings

from pulse.models import PulseFigure
from results.figures import Figure
from results.models import PublishedFigure
from results.statistics import Sums

from .catalogue import closing_day
from .data import SHOWN, SUPPRESSED
from .identifiers import STATEMENT, KpiId, municipality_id

LICENCES = {
    "CC-BY-4.0": "https://creativecommons.org/licenses/by/4.0/",
    "CC0-1.0": "https://creativecommons.org/publicdomain/zero/1.0/",
}
COLUMNS = [
    "kpi",
    "municipality",
    "period",
    "gender",
    "status",
    "value",
    "count",
    "x_n",
    "x_ci95_low",
    "x_ci95_high",
    "x_framework_version",
    "x_round_kind",
    "x_round_closed",
]
_LETTERS = {"": "T", "woman": "K", "man": "M"}


def licence() -> dict:
    name = settings.DIGILYFT_OPEN_DATA_LICENCE
    return {
        "licence": name,
        "licence_url": LICENCES[name],
        "attribution": settings.DIGILYFT_OPEN_DATA_ATTRIBUTION,
    }


_COLUMNS_READ = (
    "round__organisation__code",
    "round__closes_on",
    "round__closed_early_at",
    "round__kind",
    "round__version_id",
    "round__version__number",
    "round__version__framework__key",
    "unit_kind",
    "unit_id",
    "target_group_id",
    "gender",
    "status",
    "respondents",
    "score_sum",
    "score_sq_sum",
    "count_1",
    "count_2",
    "count_3",
    "count_4",
    "count_5",
    "count_dk",
    "cell_key",
)


def _figures():
    return (
        PublishedFigure.objects.filter(gender__in=list(_LETTERS))
        .order_by("round_id", "unit_kind", "unit_id", "target_group_id", "gender")
        .values_list(*_COLUMNS_READ)
    )


def _figure(status, unit, respondents, score_sum, score_sq_sum, counts, dont_know, key) -> Figure:
    """The figure as the pages read it (``results.figures.Figure``), perturbed alike."""
    if status != PublishedFigure.Status.SHOWN:
        return Figure(suppressed=True, linked=status == PublishedFigure.Status.LINKED)
    sums = Sums(respondents, respondents, score_sum, score_sq_sum, counts, dont_know, key or 0)
    return Figure.of(sums, unit)


def records():
    """One dict per published figure, in the bulk files' columns: the rounds', then the
    resident pulses'."""
    yield from round_records()
    yield from pulse_records()


_PULSE_COLUMNS_READ = (
    "publication__pulse__organisation__code",
    "publication__pulse__closes_on",
    "publication__pulse__closed_early_on",
    "publication__pulse__version_id",
    "publication__pulse__version__key",
    "publication__pulse__version__number",
    "statement_id",
    "group",
    "status",
    "shown_respondents",
    "shown_percent",
)


def pulse_records():
    """One dict per published figure of a resident pulse: the whole pulse and its genders."""
    rows = (
        PulseFigure.objects.filter(breakdown__in=["", "gender"], group__in=list(_LETTERS))
        .order_by("publication__pulse_id", "statement_id", "breakdown", "group")
        .values_list(*_PULSE_COLUMNS_READ)
    )
    for row in rows.iterator(chunk_size=5000):
        code, closes_on, closed_early_on, version_id, key, number, statement_id = row[:7]
        group, status, respondents, percent = row[7:]
        closed = closed_early_on or closes_on
        shown = status == PulseFigure.Status.SHOWN
        yield {
            "kpi": str(KpiId(version_id, STATEMENT, statement_id)),
            "municipality": municipality_id(code),
            "period": closed.year,
            "gender": _LETTERS[group],
            "status": SHOWN if shown else SUPPRESSED,
            "value": float(percent) if shown else None,
            "count": 1 if shown else 0,
            "x_n": respondents if shown else None,
            "x_ci95_low": None,
            "x_ci95_high": None,
            "x_framework_version": f"{key}:{number}",
            "x_round_kind": None,
            "x_round_closed": closed.isoformat(),
        }


def round_records():
    """One dict per published figure of a round."""
    closing_days = {}
    for row in _figures().iterator(chunk_size=5000):
        code, closes_on, closed_early_at, kind, version_id, number, framework = row[:7]
        unit_kind, unit_id, group_id, gender, status = row[7:12]
        respondents, score_sum, score_sq_sum, *counts, dont_know, cell_key = row[12:]
        key = (closes_on, closed_early_at)
        if key not in closing_days:
            closing_days[key] = closing_day(closes_on, closed_early_at)
        closed = closing_days[key]
        figure = _figure(
            status,
            (unit_kind, unit_id),
            respondents,
            score_sum,
            score_sq_sum,
            tuple(counts),
            dont_know,
            cell_key,
        )
        shown = figure.estimate is not None
        if not shown and not figure.suppressed:
            continue  # nobody behind it: no row, as in the API
        yield {
            "kpi": str(KpiId(version_id, unit_kind, unit_id, group_id)),
            "municipality": municipality_id(code),
            "period": closed.year,
            "gender": _LETTERS[gender],
            "status": SHOWN if shown else SUPPRESSED,
            "value": figure.mean,
            "count": 1 if shown else 0,
            "x_n": figure.respondents if shown else None,
            "x_ci95_low": figure.low,
            "x_ci95_high": figure.high,
            "x_framework_version": f"{framework}:{number}",
            "x_round_kind": kind,
            "x_round_closed": closed.isoformat(),
        }


class _Line:
    """A file-like object whose write returns the line, for csv.writer."""

    def write(self, value):
        return value


def csv_lines():
    writer = csv.writer(_Line())
    yield writer.writerow(COLUMNS)
    for record in records():
        yield writer.writerow(["" if record[c] is None else record[c] for c in COLUMNS])


def json_chunks():
    """The records as one JSON array (pandas' "records" orient); the licence and attribution
    are in ``datapackage.json`` and the ``Link`` header."""
    yield "["
    first = True
    for record in records():
        yield ("" if first else ",") + "\n" + json.dumps(record, ensure_ascii=False)
        first = False
    yield "\n]\n"


# The Frictionless Table Schema of the files: (name, type, description). Codes are strings.
FIELDS = [
    ("kpi", "string", "The indicator's id (see /api/v1/kpi)."),
    ("municipality", "string", "Four digits: a municipality's SCB code or 00 and a county code."),
    ("period", "integer", "The year the round (or resident pulse) closed."),
    ("gender", "string", "T all respondents, K women, M men."),
    ("status", "string", 'Empty: a value; "..": suppressed, with no numbers.'),
    (
        "value",
        "number",
        "Mean self-assessed level 1–5, one decimal; for the resident pulse (kpi DL…R…) the "
        "share who agree, whole percent 0–100.",
    ),
    ("count", "integer", "1 when the value is shown, else 0."),
    ("x_n", "integer", "Respondents behind the value (perturbed)."),
    (
        "x_ci95_low",
        "number",
        "Lower bound of the 95 % confidence interval (empty for the resident pulse).",
    ),
    ("x_ci95_high", "number", "Upper bound of the 95 % confidence interval."),
    (
        "x_framework_version",
        "string",
        "The framework and its version, or the resident pulse's questionnaire and its version.",
    ),
    ("x_round_kind", "string", "baseline, follow_up or other; empty for the resident pulse."),
    ("x_round_closed", "date", "The day the round (or resident pulse) closed."),
]
assert [name for name, _type, _text in FIELDS] == COLUMNS

_CONSTRAINTS = {
    "gender": {"enum": ["T", "K", "M"]},
    "status": {"enum": [SHOWN, SUPPRESSED]},
    "municipality": {"pattern": "[0-9]{4}"},
}


def datapackage(csv_name: str, json_name: str) -> dict:
    """The Frictionless data package descriptor of the two files (relative paths: it is
    served next to them)."""
    info = licence()
    schema = {
        "fields": [
            {"name": name, "type": kind, "description": text}
            | ({"constraints": _CONSTRAINTS[name]} if name in _CONSTRAINTS else {})
            # "" is a status of its own (a value shown), not a missing one
            | ({"missingValues": []} if name == "status" else {})
            for name, kind, text in FIELDS
        ],
        "missingValues": [""],
    }
    common = {"licenses": [_licence_of(info)], "schema": schema}
    return {
        "name": "digilyft-figures",
        "title": "Digilyft: published figures",
        "description": (
            "Every published figure of every closed round of Digilyft's self-assessments of "
            "digital maturity, per organisation, indicator, year and gender; and of every "
            "closed resident pulse, the share of the residents who answered that agree with "
            "each statement (a self-selected sample: residents chose to answer)."
        ),
        "licenses": [_licence_of(info)],
        "sources": [{"title": info["attribution"]}],
        "x_attribution": info["attribution"],
        "resources": [
            {
                "name": "figures-csv",
                "path": csv_name,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "dialect": {"delimiter": ",", "header": True},
                **common,
            },
            {
                "name": "figures-json",
                "path": json_name,
                "format": "json",
                "mediatype": "application/json",
                "encoding": "utf-8",
                **common,
            },
        ],
    }


def _licence_of(info: dict) -> dict:
    return {"name": info["licence"], "path": info["licence_url"], "title": info["licence"]}
