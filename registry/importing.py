"""Import a registry of organisations from CSV: all rows or none.

Expected columns (UTF-8, header row): code, name, kind, county_code, county_name,
and optionally kommungrupp, kommungrupp_name, population. ``kind`` is
``municipality`` or ``region``.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from lib.importing import RowInvalid, validate_csv, write_all

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
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def _row_cleaner():
    """A ``clean(line, row)`` for ``lib.importing.validate_csv`` that remembers which line
    each code came from, so a repeated code names the line of its first appearance."""
    seen: dict[str, int] = {}

    def clean(line: int, row: dict) -> dict:
        reasons = []
        values = {key: (row.get(key) or "").strip() for key in REQUIRED_COLUMNS + OPTIONAL_COLUMNS}
        for key in REQUIRED_COLUMNS:
            if not values[key]:
                reasons.append(_("the column %(col)s is empty") % {"col": key})
        for key, value in values.items():
            if any(ord(char) < 32 or ord(char) == 127 for char in value):
                reasons.append(
                    _("the column %(col)s holds a control character (such as a NUL byte)")
                    % {"col": key}
                )
            elif key != "population" and len(value) > _max_length(key):
                reasons.append(
                    _("the column %(col)s is longer than %(max)s characters")
                    % {"col": key, "max": _max_length(key)}
                )
        code = values["code"]
        if code and not (code.isascii() and code.isdigit()):
            reasons.append(
                _("the code %(code)s is not made of digits only") % {"code": _shown(code)}
            )
        if code in seen:
            reasons.append(
                _("the code %(code)s already appears on line %(other)s")
                % {"code": _shown(code), "other": seen[code]}
            )
        if values["kind"] and values["kind"] not in Organisation.Kind.values:
            reasons.append(
                _("unknown kind %(kind)s (municipality or region)")
                % {"kind": _shown(values["kind"])}
            )
        population = None
        if values["population"]:
            if values["population"].isascii() and values["population"].isdigit():
                population = int(values["population"])
                if population > MAX_POPULATION:
                    reasons.append(
                        _("the population %(value)s is larger than %(max)s")
                        % {"value": _shown(values["population"]), "max": MAX_POPULATION}
                    )
            else:
                reasons.append(
                    _("the population %(value)s is not a whole number")
                    % {"value": _shown(values["population"])}
                )
        if reasons:
            raise RowInvalid(*reasons)
        seen[code] = line
        values["population"] = population
        return values

    return clean


def parse_registry(text: str) -> list[dict]:
    """Parse and validate the whole file; raise ``ImportRejected`` listing every bad row."""
    return validate_csv(
        text,
        required=REQUIRED_COLUMNS,
        clean=_row_cleaner(),
        empty_reason=_("the file holds no organisations"),
    )


def import_registry(text: str) -> ImportResult:
    """Create or update organisations by code, in one transaction; change nothing on error."""
    return write_all(parse_registry(text), _write)


def _write(rows: list[dict]) -> ImportResult:
    result = ImportResult()
    existing = {org.code: org for org in Organisation.objects.all()}
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
