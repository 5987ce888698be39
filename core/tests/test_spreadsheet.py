from datetime import date
from io import BytesIO

import pytest
from openpyxl import Workbook, load_workbook

from lib.spreadsheet import safe_cell, safe_row


@pytest.mark.parametrize(
    "text",
    ['=HYPERLINK("http://x","Klicka")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"],
)
def test_a_text_that_a_spreadsheet_would_evaluate_gets_an_apostrophe(text):
    assert safe_cell(text) == "'" + text


def test_other_values_pass_unchanged():
    assert safe_row(["Trelleborgs kommun", 42, -3, 1.5, None, date(2026, 1, 1)]) == [
        "Trelleborgs kommun",
        42,
        -3,
        1.5,
        None,
        date(2026, 1, 1),
    ]


def test_control_characters_a_workbook_cannot_hold_are_dropped():
    assert safe_cell("Nul\x00l\x1fkommun") == "Nullkommun"
    assert safe_cell("\x00=1") == "'=1"


def test_a_formula_written_through_safe_cell_is_text_in_the_workbook():
    workbook = Workbook()
    workbook.active.append(safe_row(['=HYPERLINK("http://x","Klicka")', "\x00Ok", 7]))
    buffer = BytesIO()
    workbook.save(buffer)
    cell, plain, number = next(load_workbook(BytesIO(buffer.getvalue())).active.iter_rows())
    assert cell.data_type == "s"
    assert cell.value == '\'=HYPERLINK("http://x","Klicka")'
    assert plain.value == "Ok"
    assert number.value == 7
