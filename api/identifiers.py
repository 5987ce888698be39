"""Ids as the API writes them, in the shape Kolada uses, and their parsing.

- KPI: ``DL{version}{kind}{unit}`` for all respondents, ``DL{version}{kind}{unit}T{group}``
  for one target group; kind ``A`` (goal area), ``G`` (goal) or ``P`` (prerequisite), the
  numbers database ids. Example: ``DL1G12``, ``DL1G12T3``. A statement of the resident pulse
  is ``DL{pulse version}R{statement}`` (``DL1R4``): its version is a pulse questionnaire's,
  not a framework's, and it has no target groups.
- Municipality: ``0000`` the whole country; four digits an organisation — a municipality by
  its SCB code (``1287``), a region by its two-digit county code padded with ``00``
  (``0012``).
- Group: ``GK`` and a kommungrupp code (``GKB3``); ``GL`` and a county code (``GL12``, every
  organisation in the county).

A segment holds at most ``MAX_IDS`` ids, separated by commas. Every parser raises
``BadIds`` with a message that says what was wrong; nothing here reads the database.
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from results.models import UnitKind

MAX_IDS = 25
# Years are few and cheap (a row exists only where a round was published), so a list of years
# may be longer: a client's habit of asking for every year since 1970 still works.
MAX_YEARS = 100
NATION = "0000"

# The resident pulse's statements (``pulse.models.PulseStatement``): a KPI kind of their own.
STATEMENT = "statement"
KIND_LETTERS = {
    UnitKind.AREA: "A",
    UnitKind.GOAL: "G",
    UnitKind.PREREQUISITE: "P",
    STATEMENT: "R",
}
LETTER_KINDS = {letter: kind for kind, letter in KIND_LETTERS.items()}

# At most 18 digits, so that every number fits the database's 64-bit integers.
_NUMBER = "[0-9]{1,18}"
KPI_ID = f"DL{_NUMBER}[AGPR]{_NUMBER}(?:T{_NUMBER})?"
MUNICIPALITY_ID = "(?:[0-9]{4}|G[KL][A-Z0-9]{1,4})"
GROUP_ID = "G[KL][A-Z0-9]{1,4}"
# A KPI group: a goal area's (GDL1A3: the area, its goals, per target group too), a
# framework version's foundational prerequisites (GDL1P) or a pulse version's statements (GDL1R).
KPI_GROUP_ID = f"GDL{_NUMBER}(?:A{_NUMBER}|P|R)"
# Kolada's organisational units (schools, care homes…); Digilyft has none.
OU_ID = "[A-Z0-9]{1,20}"
YEAR = "[0-9]{4}"
_KPI_PARTS = re.compile(f"DL({_NUMBER})([AGPR])({_NUMBER})(?:T({_NUMBER}))?")


def list_pattern(one: str, most: int = MAX_IDS) -> str:
    """A JSON-schema pattern for a comma-separated list of 1 to ``most`` ids."""
    return f"^{one}(,{one}){{0,{most - 1}}}$"


class BadIds(ValueError):
    pass


@dataclass(frozen=True)
class KpiId:
    version_id: int
    kind: str
    unit_id: int
    target_group_id: int | None = None

    def __str__(self) -> str:
        group = f"T{self.target_group_id}" if self.target_group_id is not None else ""
        return f"DL{self.version_id}{KIND_LETTERS[self.kind]}{self.unit_id}{group}"


def municipality_id(code: str) -> str:
    """The API id of an organisation's SCB code: regions' two digits padded to four."""
    return code.zfill(4)


def kommungrupp_group_id(code: str) -> str:
    return f"GK{code}"


def county_group_id(county_code: str) -> str:
    return f"GL{county_code}"


def _split(segment: str, label: str, most: int = MAX_IDS) -> list[str]:
    parts = segment.split(",")
    if len(parts) > most:
        raise BadIds(
            _("%(label)s: at most %(max)d ids per request, got %(count)d.")
            % {"label": label, "max": most, "count": len(parts)}
        )
    seen = []
    for part in parts:
        if part not in seen:
            seen.append(part)
    return seen


def _malformed(label: str, part: str, example: str) -> BadIds:
    return BadIds(
        _("%(label)s: %(id)s is not a valid id (for example %(example)s).")
        % {"label": label, "id": repr(part)[:40], "example": example}
    )


def parse_kpis(segment: str) -> list[KpiId]:
    ids = []
    for part in _split(segment, "kpi"):
        match = _KPI_PARTS.fullmatch(part)
        if not match:
            raise _malformed("kpi", part, "DL1G12")
        version, letter, unit, group = match.groups()
        ids.append(
            KpiId(int(version), LETTER_KINDS[letter], int(unit), int(group) if group else None)
        )
    return ids


def parse_municipalities(segment: str) -> list[str]:
    ids = _split(segment, "municipality")
    for part in ids:
        if not re.fullmatch(MUNICIPALITY_ID, part):
            example = _("%(municipality)s, %(country)s or %(group)s") % {
                "municipality": "1287",
                "country": NATION,
                "group": "GKB3",
            }
            raise _malformed("municipality", part, example)
    return ids


def parse_years(segment: str) -> list[int]:
    years = []
    for part in _split(segment, "year", MAX_YEARS):
        if not re.fullmatch(YEAR, part):
            raise _malformed("year", part, "2026")
        years.append(int(part))
    return sorted(years)


def parse_pattern(segment: str, label: str, pattern: str, example: str) -> list[str]:
    """Ids of a simple shape (groups, organisational units), checked against ``pattern``."""
    ids = _split(segment, label)
    for part in ids:
        if not re.fullmatch(pattern, part):
            raise _malformed(label, part, example)
    return ids


def parse_groups(segment: str) -> list[str]:
    return parse_pattern(segment, "municipality_groups", GROUP_ID, "GKB3")


def parse_kpi_groups(segment: str) -> list[str]:
    return parse_pattern(segment, "kpi_groups", KPI_GROUP_ID, "GDL1A3")


def parse_ous(segment: str) -> list[str]:
    return parse_pattern(segment, "ou", OU_ID, "V15E144001101")
