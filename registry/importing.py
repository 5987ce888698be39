"""Import a registry of organisations from CSV: all rows or none.

Expected columns (UTF-8, header row): code, name, kind, county_code, county_name,
and optionally kommungrupp, kommungrupp_name, population. ``kind`` is
``municipality`` or ``region``.
"""

import csv
import io
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from .models import Organisation

REQUIRED_COLUMNS = ("code", "name", "kind", "county_code", "county_name")
OPTIONAL_COLUMNS = ("kommungrupp", "kommungrupp_name", "population")
# More people than Sweden has by far; also keeps the value inside the column's integer range.
MAX_POPULATION = 100_000_000


def _shown(value: str) -> str:
    """A value as an error message may quote it: one line, no control characters, short."""
    printable = "".join(char if char.isprintable() else "\ufffd" for char in value)
    return printable if len(printable) <= 40 else printable[:39] + "…"


def _max_length(column: str) -> int:
    return Organisation._meta.get_field(column).max_length


@dataclass
class RowError:
    line: int
    reason: str

    def __str__(self):
        return _("line %(line)s: %(reason)s") % {"line": self.line, "reason": self.reason}


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


class ImportRejected(Exception):
    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__("; ".join(str(e) for e in errors))


def _clean_row(row: dict, line: int, seen: dict[str, int]) -> tuple[dict | None, list[RowError]]:
    errors = []
    values = {key: (row.get(key) or "").strip() for key in REQUIRED_COLUMNS + OPTIONAL_COLUMNS}
    for key in REQUIRED_COLUMNS:
        if not values[key]:
            errors.append(RowError(line, _("the column %(col)s is empty") % {"col": key}))
    for key, value in values.items():
        if any(ord(char) < 32 or ord(char) == 127 for char in value):
            errors.append(
                RowError(
                    line,
                    _("the column %(col)s holds a control character (such as a NUL byte)")
                    % {"col": key},
                )
            )
        elif key != "population" and len(value) > _max_length(key):
            errors.append(
                RowError(
                    line,
                    _("the column %(col)s is longer than %(max)s characters")
                    % {"col": key, "max": _max_length(key)},
                )
            )
    code = values["code"]
    if code and not (code.isascii() and code.isdigit()):
        errors.append(
            RowError(
                line, _("the code %(code)s is not made of digits only") % {"code": _shown(code)}
            )
        )
    if code in seen:
        errors.append(
            RowError(
                line,
                _("the code %(code)s already appears on line %(other)s")
                % {"code": _shown(code), "other": seen[code]},
            )
        )
    if values["kind"] and values["kind"] not in Organisation.Kind.values:
        errors.append(
            RowError(
                line,
                _("unknown kind %(kind)s (municipality or region)")
                % {"kind": _shown(values["kind"])},
            )
        )
    population = None
    if values["population"]:
        try:
            if not (values["population"].isascii() and values["population"].isdigit()):
                raise ValueError
            population = int(values["population"])
        except ValueError:
            errors.append(
                RowError(
                    line,
                    _("the population %(value)s is not a whole number")
                    % {"value": _shown(values["population"])},
                )
            )
        else:
            if population > MAX_POPULATION:
                errors.append(
                    RowError(
                        line,
                        _("the population %(value)s is larger than %(max)s")
                        % {"value": _shown(values["population"]), "max": MAX_POPULATION},
                    )
                )
    if errors:
        return None, errors
    seen[code] = line
    values["population"] = population
    return values, []


def parse_registry(text: str) -> list[dict]:
    """Parse and validate the whole file; raise ``ImportRejected`` listing every bad row."""
    reader = csv.DictReader(io.StringIO(text))
    missing = [col for col in REQUIRED_COLUMNS if col not in (reader.fieldnames or [])]
    if missing:
        raise ImportRejected(
            [
                RowError(
                    1, _("the header row lacks the columns %(cols)s") % {"cols": ", ".join(missing)}
                )
            ]
        )
    rows, errors, seen = [], [], {}
    try:
        for row in reader:
            line = reader.line_num
            if None in row:
                errors.append(RowError(line, _("the row has more fields than the header row")))
                continue
            cleaned, row_errors = _clean_row(row, line, seen)
            errors.extend(row_errors)
            if cleaned:
                rows.append(cleaned)
    except csv.Error as exc:
        errors.append(RowError(reader.line_num, _("broken CSV: %(error)s") % {"error": exc}))
    if errors:
        raise ImportRejected(errors)
    if not rows:
        raise ImportRejected([RowError(2, _("the file holds no organisations"))])
    return rows


def import_registry(text: str) -> ImportResult:
    """Create or update organisations by code, in one transaction; change nothing on error."""
    rows = parse_registry(text)
    result = ImportResult()
    existing = {org.code: org for org in Organisation.objects.all()}
    with transaction.atomic():
        for values in rows:
            org = existing.get(values["code"])
            if org is None:
                Organisation.objects.create(**values)
                result.created += 1
                continue
            changed = [key for key, value in values.items() if getattr(org, key) != value]
            if changed:
                for key in changed:
                    setattr(org, key, values[key])
                org.save(update_fields=changed)
                result.updated += 1
            else:
                result.unchanged += 1
    return result


def read_text(path) -> str:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return handle.read()
