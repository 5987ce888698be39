"""Importing a file all or nothing — the one skeleton every import follows.

1. ``validate_csv`` reads the whole text (checking the header row, over-long rows and broken
   quoting) and validates every row with the import's own ``clean`` function, collecting every
   problem as a ``RowError`` (line and reason) instead of stopping at the first; if there is
   any, it raises ``ImportRejected`` listing them all, and nothing has been written.
2. The import writes the cleaned rows inside one transaction (``write_all``): all of them, or
   none if anything fails half-way.

Rows already read some other way (pasted lines without a header, an Excel sheet) are validated
the same way by ``validate_rows``.

An import module (``registry.importing``, ``webinars.attendance``, ``invitations.lists``) supplies
the columns, the ``clean`` function and the writing; the shape is the same everywhere.
"""

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _


@dataclass
class RowError:
    line: int
    reason: str

    def __str__(self):
        return _("line %(line)s: %(reason)s") % {"line": self.line, "reason": self.reason}


class ImportRejected(Exception):
    """The file was refused; ``errors`` names every line and reason. Nothing was written."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__("; ".join(str(e) for e in errors))


class RowInvalid(ValueError):
    """Raised by a ``clean`` function: the row is refused for these reasons."""

    def __init__(self, *reasons: str):
        self.reasons = reasons
        super().__init__("; ".join(str(r) for r in reasons))


def delimiter(text: str) -> str:
    """The separator the header row uses: a semicolon (what Swedish Excel writes, the comma
    being its decimal sign) or a tab if the header has more of them than commas, else a comma."""
    first = text.split("\n", 1)[0]
    counts = {sep: first.count(sep) for sep in (",", ";", "\t")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def validate_csv(
    text: str,
    *,
    required: tuple[str, ...],
    clean: Callable[[int, dict], object],
    empty_reason: str,
    lower_headers: bool = False,
) -> list:
    """Read a CSV text with a header row whole and ``clean(line, row)`` every data row.

    Returns the cleaned rows, or raises ``ImportRejected`` naming every problem: a missing
    column (line 1), a row with more fields than the header row, a row ``clean`` refuses
    (it raises ``RowInvalid``), broken quoting, or no rows at all (``empty_reason``).
    """
    text = text.lstrip("\ufeff")
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter(text))
    headers = list(reader.fieldnames or [])
    if lower_headers:
        headers = [header.strip().lower() for header in headers]
        reader.fieldnames = headers
    missing = [column for column in required if column not in headers]
    if missing:
        found = ", ".join(h for h in headers if h)[:120] or _("nothing")
        reason = _(
            "the header row lacks the columns %(cols)s (columns separated by commas or "
            "semicolons); it has %(found)s"
        ) % {"cols": ", ".join(missing), "found": found}
        raise ImportRejected([RowError(1, reason)])
    cleaned, errors = [], []
    try:
        for row in reader:
            line = reader.line_num
            if None in row:
                errors.append(RowError(line, _("the row has more fields than the header row")))
                continue
            try:
                cleaned.append(clean(line, row))
            except RowInvalid as invalid:
                errors.extend(RowError(line, reason) for reason in invalid.reasons)
    except csv.Error as exc:
        errors.append(RowError(reader.line_num, _("broken CSV: %(error)s") % {"error": exc}))
    if errors:
        raise ImportRejected(errors)
    if not cleaned:
        raise ImportRejected([RowError(2, empty_reason)])
    return cleaned


def validate_rows(
    rows: Iterable[tuple[int, object]],
    *,
    clean: Callable[[int, object], object],
    empty_reason: str,
    empty_line: int = 0,
) -> list:
    """``clean(line, row)`` every (line, row) pair already read, as ``validate_csv`` does for
    a CSV file: every refused row is collected (``RowInvalid``) and ``ImportRejected`` lists
    them all. A ``clean`` that returns None skips the row (a blank line, a header); if no row
    is left, the import is refused with ``empty_reason`` on ``empty_line``."""
    cleaned, errors = [], []
    for line, row in rows:
        try:
            value = clean(line, row)
        except RowInvalid as invalid:
            errors.extend(RowError(line, reason) for reason in invalid.reasons)
            continue
        if value is not None:
            cleaned.append(value)
    if errors:
        raise ImportRejected(errors)
    if not cleaned:
        raise ImportRejected([RowError(empty_line, empty_reason)])
    return cleaned


def write_all(rows: list, write: Callable[[list], object]):
    """``write(rows)`` in one transaction: every row is written, or none."""
    with transaction.atomic():
        return write(rows)
