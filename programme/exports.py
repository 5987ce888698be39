"""The programme office's budget, reach and selection pages as Excel workbooks (openpyxl): the
same figures as the pages, from the same functions, one table per sheet. Money is exact SEK
with a currency format, shares are fractions with a percent format (Excel shows 20 %, not
0,196), and every text passes ``lib.spreadsheet.safe_cell``."""

from decimal import Decimal
from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from lib.spreadsheet import safe_row

from . import pulse_picture
from .models import Activity

MONEY = '#,##0.00 "kr"'
SHARE = "0%"
SCORE = "0.00"
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _sheet(workbook, title, header, rows, formats=None):
    """One table per sheet; ``formats`` {1-based column: number format}."""
    sheet = workbook.create_sheet(title[:31])
    sheet.append(safe_row(header))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(safe_row(row))
    for column, number_format in (formats or {}).items():
        for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
            if isinstance(cell.value, int | float | Decimal):
                cell.number_format = number_format
    sheet.freeze_panes = "B2"
    for index, text in enumerate(header, start=1):
        width = max([len(str(text))] + [len(str(r[index - 1] or "")) for r in rows] or [10])
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = min(60, width + 2)
    return sheet


def _save(workbook) -> bytes:
    del workbook[workbook.sheetnames[0]]  # the empty default sheet
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def budget_workbook(years, total, activities, costs) -> bytes:
    workbook = Workbook()
    money = dict.fromkeys(range(2, 6), MONEY)
    _sheet(
        workbook,
        _("Budget per year"),
        [_("Year"), _("Grant"), _("Spent"), _("Committed"), _("Remaining")],
        [[y.year, y.grant, y.spent, y.committed, y.remaining] for y in years]
        + [[_("Total"), total.grant, total.spent, total.committed, total.remaining]],
        money,
    )
    labels = dict(Activity.choices)
    _sheet(
        workbook,
        _("By activity"),
        [_("Activity"), _("Amount")],
        [[str(labels.get(a["activity"], a["activity"])), a["amount"]] for a in activities],
        {2: MONEY},
    )
    _sheet(
        workbook,
        _("Costs"),
        [_("Date"), _("Activity"), _("Status"), _("Amount"), _("Note")],
        [
            [c.date, str(c.get_activity_display()), str(c.get_status_display()), c.amount, c.note]
            for c in costs
        ],
        {1: "yyyy-mm-dd", 4: MONEY},
    )
    return _save(workbook)


def _reach_rows(rows):
    return [[r.label, r.reached, r.total, r.share] for r in rows]


def reach_workbook(context) -> bytes:
    workbook = Workbook()
    header = [_("Reached"), _("Of all"), _("Share")]
    for title, label, rows in (
        (_("By kind"), _("Kind"), context["by_kind"]),
        (_("By municipality group"), _("Municipality group"), context["by_group"]),
        (_("By county"), _("County"), context["by_county"]),
    ):
        _sheet(workbook, title, [label, *header], _reach_rows(rows), {4: SHARE})
    counted = context["counts"]
    _sheet(
        workbook,
        _("Counts"),
        [_("Count"), _("Organisations"), _("Of all"), _("Share")],
        [
            [label, n, counted.organisations, n / counted.organisations]
            if counted.organisations
            else [label, n, 0, None]
            for _key, label, n in counted.rows
        ],
        {4: SHARE},
    )
    threshold = context["threshold"]
    _sheet(
        workbook,
        _("Gender analysis"),
        [
            _("Target group"),
            _("Women"),
            _("Men"),
            _("Other or not stated"),
            _("Share of women"),
            _("In the population"),
        ],
        [
            [g.label, *[_("fewer than %(k)s: not shown") % {"k": threshold}] * 4, g.reference]
            if g.hidden
            else [g.label, g.women, g.men, g.other, g.share_women, g.reference]
            for g in context["gender"]
        ],
        {5: SHARE, 6: SHARE},
    )
    return _save(workbook)


def selection_workbook(rows) -> bytes:
    workbook = Workbook()
    _sheet(
        workbook,
        _("Selection"),
        [
            _("Organisation"),
            _("Selected"),
            _("Need"),
            _("Engagement"),
            _("Spread"),
            _("Total"),
            _("Why"),
        ],
        [
            [
                c.organisation.name,
                _("yes") if c.selected else _("no"),
                c.need,
                c.engagement,
                c.spread,
                c.total,
                "; ".join(str(r) for r in c.reasons),
            ]
            for c in rows
        ],
        {3: SCORE, 4: SCORE, 5: SCORE, 6: "0.000"},
    )
    return _save(workbook)


def _pooled_cells(figure, minimum: int) -> list:
    """A pooled share as the page prints it (whole percent), or why it is not shown."""
    if figure.shown:
        return [figure.share]
    return [_("fewer than %(k)s organisations") % {"k": minimum}]


def _group_rows(rows, minimum: int) -> list[list]:
    return [
        [
            row.label,
            row.organisations,
            row.ran,
            row.published,
            row.residents,
            *[cell for _label, figure in row.headline for cell in _pooled_cells(figure, minimum)],
        ]
        for row in rows
    ]


def pulse_workbook(picture) -> bytes:
    """The resident pulse page (``programme.pulse_picture``): its sentence, the statements,
    the groups and the gap, figure for figure as the page shows them."""
    workbook = Workbook()
    k = picture.minimum
    _sheet(
        workbook,
        _("Summary"),
        [_("Resident pulse"), ""],
        [
            [_("Period"), _period(picture)],
            [_("Scope"), picture.scope or _("The whole country")],
            [_("In short"), picture.sentence or _("No resident pulse is published.")],
            [_("About the sample"), str(pulse_picture.SELF_SELECTED)],
        ],
    )
    _sheet(
        workbook,
        _("Statements"),
        [
            _("Statement"),
            _("Organisations"),
            _("Residents"),
            _("Agree"),
            _("Women"),
            _("Organisations (women)"),
            _("Men"),
            _("Organisations (men)"),
        ],
        [
            [
                row.text,
                row.total.organisations,
                row.total.respondents if row.total.shown else None,
                *_pooled_cells(row.total, k),
                *[
                    cell
                    for _label, figure in row.by_gender
                    for cell in [*_pooled_cells(figure, k), figure.organisations]
                ],
            ]
            for row in picture.statements
        ],
        {4: SHARE, 5: SHARE, 7: SHARE},
    )
    header = [
        _("Organisations"),
        _("Ran a pulse"),
        _("In the figures"),
        _("Residents"),
        *picture.headline_labels,
    ]
    shares = {6 + i: SHARE for i in range(len(picture.headline_labels))}
    if picture.groups:
        _sheet(
            workbook,
            _("By municipality group"),
            [_("Municipality group"), *header],
            _group_rows(picture.groups, k),
            shares,
        )
    if picture.counties:
        _sheet(
            workbook,
            _("By county"),
            [_("County"), *header],
            _group_rows(picture.counties, k),
            shares,
        )
    _sheet(
        workbook,
        _("Expectation gap"),
        [
            _("Goal"),
            _("Organisations"),
            _("Residents agree"),
            _("Residents"),
            _("Leadership agrees"),
            _("Respondents"),
            _("Residents − leadership, points (mean over organisations)"),
            _("%(level)s interval, from") % {"level": "95\u00a0%"},
            _("%(level)s interval, to") % {"level": "95\u00a0%"},
            _("Against uncertainty"),
            _("Residents clearly lower (organisations)"),
            _("Residents clearly higher (organisations)"),
        ],
        [
            [
                row.name,
                row.organisations,
                *_pooled_cells(row.residents, k),
                row.residents.respondents if row.residents.shown else None,
                *_pooled_cells(row.leaders, k),
                row.leaders.respondents if row.leaders.shown else None,
                *row.points,
                row.verdict.word if row.verdict else "",
                row.lower if row.shown else None,
                row.higher if row.shown else None,
            ]
            for row in picture.goals
        ],
        {3: SHARE, 5: SHARE},
    )
    return _save(workbook)


def _period(picture) -> str:
    if picture.start is None:
        return str(_("All since the start"))
    return f"{picture.start:%Y-%m-%d} – {picture.end:%Y-%m-%d}"
