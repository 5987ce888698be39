"""Shares in the Excel files are percentages to Excel, not bare fractions: a cell holding
0.196 reads "20 %", and no decimal number is left in Excel's General format."""

from io import BytesIO

import pytest
from openpyxl import load_workbook

from results.exports import build_workbook
from results.figures import round_results

from .factories import link, make_round, publish, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def workbook(org_a, version):
    round_ = make_round(org_a, version)
    round_.links.filter(target_group__key="politician").update(invited_count=9)
    submit(link(round_, "politician"), 6, value=lambda i, item: None if i == 0 else 1 + i % 5)
    submit(link(round_, "official"), 6, value=lambda i, item: 1 + (item.pk + i) % 5)
    publish(round_)
    return load_workbook(BytesIO(build_workbook(round_results(round_))))


def _floats(workbook):
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, float):
                    yield sheet, cell


def test_no_decimal_number_is_in_the_general_format(workbook):
    cells = list(_floats(workbook))
    assert cells
    general = [
        f"{sheet.title}!{cell.coordinate}"
        for sheet, cell in cells
        if cell.number_format == "General"
    ]
    assert general == []


def test_shares_are_percentages(workbook):
    shares = [
        cell
        for sheet, cell in _floats(workbook)
        # The distribution sheet, and the "don't know" share (column F) of the unit sheets.
        if sheet.title in ("Fördelning", "Distribution") or (cell.column == 6 and cell.value < 1)
    ]
    assert shares and all(cell.number_format == "0%" for cell in shares)
    summary = workbook.worksheets[0]
    rates = [row[3] for row in summary.iter_rows() if isinstance(row[3].value, float)]
    assert rates and all(cell.number_format == "0%" for cell in rates)
