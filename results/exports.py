"""The results of a round as a PDF (WeasyPrint) and an Excel workbook (openpyxl).

Both are built from the same ``RoundResults`` as the page, so every figure matches the page
and the same suppression applies: a suppressed cell is written as "–", never as a number.
"""

from io import BytesIO

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from .figures import GENDER_BUCKETS, Figure, RoundResults

SUPPRESSED = "–"


def render_pdf(context: dict, base_url: str) -> bytes:
    from weasyprint import HTML  # imported here: it loads Pango, which only exports need

    html = render_to_string("results/round_results_pdf.html", context)
    return HTML(string=html, base_url=base_url).write_pdf()


def _mean(figure: Figure | None):
    if figure is None or figure.empty:
        return None
    if figure.suppressed:
        return SUPPRESSED
    return round(figure.estimate.mean, 2) if figure.estimate else None


def _ci(figure: Figure | None):
    if figure is None or figure.suppressed or not figure.estimate:
        return None, None
    return round(figure.estimate.low, 2), round(figure.estimate.high, 2)


def _n(figure: Figure | None):
    if figure is None or figure.suppressed:
        return SUPPRESSED if figure else None
    return figure.respondents


def _share(value):
    return round(value, 3) if value is not None else None


def _sheet(workbook, title, header, rows):
    sheet = workbook.create_sheet(title[:31])
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    sheet.column_dimensions["A"].width = 60
    sheet.freeze_panes = "B2"
    return sheet


def _unit_rows(rows, groups):
    for row in rows:
        low, high = _ci(row.total)
        yield [
            str(row.unit.name),
            _mean(row.total),
            low,
            high,
            _n(row.total),
            _share(row.total.dont_know) if not row.total.suppressed else SUPPRESSED,
            *[_mean(row.by_group.get(group.pk)) for group in groups],
        ]


def build_workbook(results: RoundResults) -> bytes:
    groups = results.groups
    workbook = Workbook()
    summary = workbook.active
    summary.title = _("Summary")[:31]
    summary.append([_("Organisation"), str(results.round.organisation)])
    summary.append([_("Round"), results.round.name])
    summary.append([_("Framework"), str(results.round.version)])
    summary.append([_("Submitted responses"), results.respondents])
    summary.append([_("Anonymity threshold"), results.threshold])
    summary.append([])
    summary.append([_("Target group"), _("Submitted"), _("Number invited"), _("Response rate")])
    for rate in results.response_rates:
        summary.append(
            [str(rate["group"].name), rate["submitted"], rate["invited"], _share(rate["rate"])]
        )
    summary.append([])
    summary.append([_("“–” means suppressed: too few respondents.")])
    summary.column_dimensions["A"].width = 40
    if not results.enough:
        return _save(workbook)
    unit_header = [
        _("Mean"),
        _("95% CI low"),
        _("95% CI high"),
        "n",
        _("Don't know (share)"),
        *[str(group.name) for group in groups],
    ]
    _sheet(
        workbook, _("Goal areas"), [_("Goal area"), *unit_header], _unit_rows(results.areas, groups)
    )
    goal_rows = list(_unit_rows(results.goals, groups))
    for values, row in zip(goal_rows, results.goals, strict=True):
        values.extend(
            [
                round(row.gap.value, 2) if row.gap else None,
                _("large") if row.gap_is_large else None,
                round(row.change.value, 2) if row.change else None,
                (_("clear") if row.change.is_clear else _("within uncertainty"))
                if row.change
                else None,
                _mean(row.comparisons.get("national")),
                _mean(row.comparisons.get("county")),
                _mean(row.comparisons.get("kommungrupp")),
            ]
        )
    _sheet(
        workbook,
        _("Goals"),
        [
            _("Goal"),
            *unit_header,
            _("Gap politicians − officials"),
            _("Gap flag"),
            _("Change"),
            _("Change vs uncertainty"),
            _("National"),
            _("County"),
            _("Municipality group"),
        ],
        goal_rows,
    )
    _sheet(
        workbook,
        _("Prerequisites"),
        [_("Prerequisite"), *unit_header],
        _unit_rows(results.prerequisites, groups),
    )
    _sheet(
        workbook,
        _("Distribution"),
        [_("Goal area"), "1", "2", "3", "4", "5"],
        (
            [str(row.unit.name), *[_share(s) for s in row.total.distribution]]
            if row.total.distribution
            else [str(row.unit.name), *([SUPPRESSED] * 5)]
            for row in results.areas
        ),
    )
    _sheet(
        workbook,
        _("Gender"),
        [_("Goal area"), *[str(label) for _key, label in GENDER_BUCKETS]],
        (
            [str(row.unit.name), *[_mean(row.by_gender.get(key)) for key, _label in GENDER_BUCKETS]]
            for row in results.areas
        ),
    )
    return _save(workbook)


def _save(workbook) -> bytes:
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
