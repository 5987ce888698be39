"""Sheets that apps above results add to a round's Excel workbook, without results importing
them.

The round's results page, PDF and workbook must carry the resident pulse's expectation gap, but
``pulse`` sits above ``results`` (docs/architecture.md). The page and the PDF are templates: both
include ``pulse/_round_gap.html`` and its template tag (``pulse/templatetags/pulse_gap.py``), so
they show the very same section, worked out by the same function under the same condition, and a
template name is resolved at run time, which is no import. A workbook is built in Python and has
no template to include, so it takes the house's other plug (as ``assessments/invitation_hooks.py``):
``pulse`` registers a provider here from its ``AppConfig.ready()``, and ``build_workbook`` writes
whatever the providers return after its own sheets.

A provider gets the ``RoundResults`` the page shows and returns its sheets — none when the page
would show nothing. It decides *what* to show (only the figures the page shows, as the page
rounds them); results decides *how* a sheet is written, with the same guards as its own: no text
is ever a formula (``lib.spreadsheet``), headers bold, numbers in the formats given.
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class ExtraSheet:
    title: str  # the sheet's name (Excel keeps 31 characters)
    lines: list[list]  # above the table: what it is, which sources, its caveats; one row each
    caption: str  # the table's name, in bold above its header
    header: list[str]
    rows: list[list]
    # 1-based column → Excel number format for the table's numbers ("0%" for shares)
    number_formats: dict[int, str] = field(default_factory=dict)


# name → provider(results) -> list[ExtraSheet]; by name, so a second ``ready()`` (as in some
# test runners) replaces a provider instead of writing its sheets twice.
_providers: dict[str, Callable] = {}


def register(name: str, provider: Callable) -> None:
    """Called by an app's ``AppConfig.ready()``."""
    _providers[name] = provider


def extra_sheets(results) -> list[ExtraSheet]:
    """Every registered provider's sheets for ``results``, in the order they registered."""
    return [sheet for provider in _providers.values() for sheet in provider(results)]
