"""Every published figure of every closed round as CSV or JSON, streamed.

The rows are read with ``iterator()`` and written one at a time, so memory stays constant
however many rounds are published. A row is one organisation's own published figure (all
respondents by gender T/K/M, and per target group), as the data endpoint serves it; a
suppressed figure is there with status ``".."`` and no numbers. Figures of respondents who
gave another gender or none are in T but have no column of their own, as in Kolada.
"""

import csv
import json

from django.conf import settings

from results.figures import Figure
from results.models import PublishedFigure

from .catalogue import closing_day
from .data import SUPPRESSED
from .identifiers import KpiId, municipality_id

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


def _figures():
    return (
        PublishedFigure.objects.filter(gender__in=list(_LETTERS))
        .select_related("round__organisation", "round__version__framework")
        .order_by("round_id", "unit_kind", "unit_id", "target_group_id", "gender")
    )


def records():
    """One dict per published figure, in the bulk files' columns."""
    for row in _figures().iterator(chunk_size=2000):
        round_ = row.round
        closed = closing_day(round_.closes_on, round_.closed_early_at)
        kpi = KpiId(round_.version_id, row.unit_kind, row.unit_id, row.target_group_id)
        figure = Figure.published(row)
        shown = figure.estimate is not None
        yield {
            "kpi": str(kpi),
            "municipality": municipality_id(round_.organisation.code),
            "period": closed.year,
            "gender": _LETTERS[row.gender],
            "status": None if shown else (SUPPRESSED if figure.suppressed else "-"),
            "value": figure.mean,
            "count": 1 if shown else 0,
            "x_n": figure.respondents if shown else None,
            "x_ci95_low": figure.low,
            "x_ci95_high": figure.high,
            "x_framework_version": f"{round_.version.framework.key}:{round_.version.number}",
            "x_round_kind": round_.kind,
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
    head = json.dumps(licence(), ensure_ascii=False)[:-1]
    yield head + ', "columns": ' + json.dumps(COLUMNS) + ', "values": ['
    first = True
    for record in records():
        yield ("" if first else ",") + "\n" + json.dumps(record, ensure_ascii=False)
        first = False
    yield "\n]}\n"
