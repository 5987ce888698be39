"""The results of a round as a PDF (WeasyPrint) and an Excel workbook (openpyxl).

Both are built from the same ``RoundResults`` as the page, so every figure matches the page
and the same suppression applies: a suppressed cell is written as "–", never as a number.
"""

from io import BytesIO

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from lib.spreadsheet import safe_cell, safe_row

from .figures import GENDER_BUCKETS, Figure, RoundResults
from .workbook_hooks import ExtraSheet, extra_sheets

SUPPRESSED = "–"


def linked_note():
    return _(
        "The gender breakdown is hidden where, together with the target groups, it would "
        "reveal a group smaller than the anonymity threshold."
    )


def render_pdf(context: dict, base_url: str) -> bytes:
    """The results as a tagged PDF (PDF/UA-1): a structure tree for screen readers, the
    document's language (from ``<html lang>``) and its title (from ``<title>``)."""
    from weasyprint import HTML  # imported here: it loads Pango, which only exports need

    html = render_to_string("results/round_results_pdf.html", context)
    return HTML(string=html, base_url=base_url).write_pdf(pdf_variant="pdf/ua-1")


def _mean(figure: Figure | None):
    if figure is None or figure.empty:
        return None
    if figure.suppressed:
        return SUPPRESSED
    return figure.mean


def _ci(figure: Figure | None):
    if figure is None or figure.suppressed or not figure.estimate:
        return None, None
    return figure.low, figure.high


def _n(figure: Figure | None):
    if figure is None or figure.suppressed:
        return SUPPRESSED if figure else None
    return figure.respondents


def _share(value):
    """A share as the page shows it: whole percent (0.43 formatted as 43 %)."""
    return round(value, 2) if value is not None else None


def _append(sheet, values):
    """Names from the registry or a coordinator (a round called ``=HYPERLINK(…)``) are text,
    never formulas."""
    sheet.append(safe_row(values))


def _sheet(workbook, title, header, rows, percent_columns=()):
    """One table per sheet. Numbers carry the precision the page shows: means one decimal,
    shares whole percent (``percent_columns``, 1-based)."""
    sheet = workbook.create_sheet(title[:31])
    _append(sheet, header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        _append(sheet, row)
    for values in sheet.iter_rows(min_row=2):
        for cell in values:
            if isinstance(cell.value, float):
                cell.number_format = "0%" if cell.column in percent_columns else "0.0"
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
    _append(summary, [_("Organisation"), str(results.round.organisation)])
    _append(summary, [_("Round"), results.round.name])
    _append(summary, [_("Framework"), str(results.round.version)])
    _append(summary, [_("Published"), results.publication.published_on.isoformat()])
    _append(summary, [_("Respondents with at least one rating"), results.respondents])
    _append(summary, [_("Anonymity threshold"), results.threshold])
    _append(summary, [])
    _append(summary, [_("Target group"), _("Submitted"), _("Number invited"), _("Response rate")])
    for rate in results.response_rates:
        _append(
            summary,
            [str(rate["group"].name), rate["submitted"], rate["invited"], _share(rate["rate"])],
        )
        summary.cell(summary.max_row, 4).number_format = "0%"
    _append(summary, [])
    _append(summary, [_("“–” means suppressed: too few respondents.")])
    if results.gender_linked:
        _append(summary, [linked_note()])
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
        workbook,
        _("Goal areas"),
        [_("Goal area"), *unit_header],
        _unit_rows(results.areas, groups),
        percent_columns={6},
    )
    goal_rows = list(_unit_rows(results.goals, groups))
    for values, row in zip(goal_rows, results.goals, strict=True):
        values.extend(
            [
                round(row.gap.value, 1) if row.gap else None,
                _("large") if row.gap_is_large else None,
                round(row.change.value, 1) if row.change else None,
                str(row.change_verdict) if row.change_verdict else None,
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
        percent_columns={6},
    )
    _sheet(
        workbook,
        _("Prerequisites"),
        [_("Prerequisite"), *unit_header],
        _unit_rows(results.prerequisites, groups),
        percent_columns={6},
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
        percent_columns={2, 3, 4, 5, 6},
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
    # What the apps above results add (the resident pulse's expectation gap): workbook_hooks.
    for extra in extra_sheets(results):
        _extra_sheet(workbook, extra)
    return _save(workbook)


def _extra_sheet(workbook, extra: ExtraSheet):
    """A registered sheet (``workbook_hooks``): its lines, then its table under its caption,
    every value through ``safe_row`` like the workbook's own."""
    sheet = workbook.create_sheet(extra.title[:31])
    for line in extra.lines:
        _append(sheet, line)
    sheet.cell(1, 1).font = Font(bold=True)
    _append(sheet, [])
    _append(sheet, [extra.caption])
    sheet.cell(sheet.max_row, 1).font = Font(bold=True)
    _append(sheet, extra.header)
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
    for row in extra.rows:
        _append(sheet, row)
    for values in sheet.iter_rows(min_row=header_row + 1):
        for cell in values:
            number_format = extra.number_formats.get(cell.column)
            if number_format and isinstance(cell.value, int | float):
                cell.number_format = number_format
    sheet.column_dimensions["A"].width = 60
    return sheet


def _save(workbook) -> bytes:
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- the national organisation table (programme office), as Excel and CSV


def national_table(picture) -> tuple[list, list[list]]:
    """The header and one row per organisation in the selection: its registry facts, its latest
    round, and its published mean per goal (one decimal) where it is in the figures; "–" where
    its own figure is suppressed, empty where it is not in the figures at all."""
    header = [
        _("SCB code"),
        _("Organisation"),
        _("County"),
        _("Municipality group"),
        _("Latest round"),
        _("Submitted"),
        _("In the figures"),
        *[str(goal.name) for goal in picture.goals],
    ]
    standings = {row.organisation.pk: figures for row, figures in picture.standings}
    rows = []
    for row in picture.participation:
        figures = standings.get(row.organisation.pk)
        rows.append(
            [
                row.organisation.code,
                row.organisation.name,
                row.organisation.county_name,
                row.organisation.kommungrupp_name or row.organisation.kommungrupp,
                row.round.name if row.round else "",
                row.respondents,
                _("yes") if row.included else _("no"),
                *[_mean(figures[goal.pk]) if figures else None for goal in picture.goals],
            ]
        )
    return header, [[safe_cell(value) for value in values] for values in rows]


def national_workbook(picture) -> bytes:
    header, rows = national_table(picture)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Organisations")[:31]
    sheet.append([safe_cell(value) for value in header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for values in rows:
        sheet.append(values)
    for values in sheet.iter_rows(min_row=2):
        for cell in values:
            if isinstance(cell.value, float):
                cell.number_format = "0.0"
    sheet.column_dimensions["B"].width = 32
    sheet.freeze_panes = "C2"
    notes = workbook.create_sheet(_("About")[:31])
    notes.append([_("Framework"), str(picture.version)])
    notes.append([_("Anonymity threshold"), picture.threshold])
    notes.append([_("“–” means suppressed: too few respondents.")])
    return _save(workbook)


def national_csv(picture) -> str:
    """Semicolon-separated with decimal commas in Swedish (what Swedish Excel opens as
    columns), comma-separated with decimal points in English; a BOM so Excel reads UTF-8."""
    import csv
    from io import StringIO

    from django.utils import formats

    header, rows = national_table(picture)
    swedish = formats.get_format("DECIMAL_SEPARATOR") == ","
    buffer = StringIO()
    writer = csv.writer(buffer, delimiter=";" if swedish else ",", lineterminator="\r\n")
    writer.writerow(header)
    for values in rows:
        writer.writerow(
            [
                formats.number_format(value, 1) if isinstance(value, float) else value
                for value in values
            ]
        )
    return "\ufeff" + buffer.getvalue()
