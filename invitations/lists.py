"""Invitation lists: reading a pasted or uploaded list, and adding it to a round all or nothing.

A list is one address per line, optionally followed by the invitee's language (``sv``/``en``),
separated by a semicolon, a comma or a tab — as Swedish Excel saves CSV (semicolons,
Windows-1252), as UTF-8 with commas, or as cells pasted from a sheet; a header line is recognised
and skipped. An ``.xlsx`` file is read from its first sheet: the address in the first column, the
language in the second. Every line is checked through the one importer skeleton
(``lib.importing.validate_rows``), so a list is refused whole with every line and reason.
"""

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import RoundLink
from lib.importing import ImportRejected, RowInvalid, delimiter, validate_rows

from .models import Invitation

MAX_LINES = 10_000
# An address is at most 254 characters; a longer line is no address and language (and the csv
# module refuses a field over 131,072 characters with an exception of its own).
MAX_LINE_CHARS = 1_000
HEADER_WORDS = {"e-post", "epost", "e-postadress", "email", "e-mail", "adress", "address", "mail"}
LANGUAGES = {
    "": None,
    "sv": "sv",
    "svenska": "sv",
    "swedish": "sv",
    "en": "en",
    "engelska": "en",
    "english": "en",
}


@dataclass
class LineError:
    number: int
    reason: str


@dataclass
class ParsedList:
    entries: dict[str, str] = field(default_factory=dict)  # address -> language
    errors: list[LineError] = field(default_factory=list)
    duplicates: int = 0


class ListRejected(Exception):
    def __init__(self, errors: list[LineError]):
        super().__init__(errors)
        self.errors = errors


def decode(data: bytes) -> str:
    """UTF-8 (with or without a byte-order mark), else Windows-1252 as Excel saves it."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def rows_from_text(text: str) -> list[tuple[int, list[str]]]:
    """(line number, cells) for each line; cells split at the line's own separator. Raises
    ``ListRejected`` naming every line too long to be an address (or that the csv module
    cannot read), before anything else is checked."""
    rows, errors = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        if len(line) > MAX_LINE_CHARS:
            errors.append(LineError(number, _too_long()))
            continue
        try:
            cells = next(csv.reader([line], delimiter=delimiter(line)), [])
        except csv.Error:
            errors.append(LineError(number, _too_long()))
            continue
        rows.append((number, [cell.strip() for cell in cells]))
    if errors:
        raise ListRejected(errors[:50])
    return rows


def _too_long() -> str:
    return _(
        "The line is longer than %(max)s characters, so it cannot be an address and a language."
    ) % {"max": MAX_LINE_CHARS}


def rows_from_xlsx(data: bytes) -> list[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise ListRejected([LineError(0, _("The file is not an Excel workbook (.xlsx)."))]) from exc
    sheet = workbook.worksheets[0]
    rows = []
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        rows.append((number, ["" if v is None else str(v).strip() for v in values[:3]]))
    workbook.close()
    return rows


def _is_header(cells: list[str]) -> bool:
    return bool(cells) and cells[0].lower() in HEADER_WORDS


def parse_rows(rows, default_language: str) -> ParsedList:
    """Validate every line; addresses are compared and stored in lower case."""
    if len(rows) > MAX_LINES:
        reason = _("At most %(max)s lines can be added at a time.") % {"max": MAX_LINES}
        return ParsedList(errors=[LineError(0, reason)])
    first = rows[0][0] if rows else None
    parsed = ParsedList()

    def clean(number, cells):
        cells = list(cells) + ["", ""]
        if not any(cells) or (number == first and _is_header(cells)):
            return None
        error = _line_error(cells)
        if error:
            raise RowInvalid(error)
        address = cells[0].lower()
        if address in parsed.entries:
            parsed.duplicates += 1
        else:
            parsed.entries[address] = LANGUAGES[cells[1].lower()] or default_language
        return address

    try:
        validate_rows(rows, clean=clean, empty_reason=_("The list has no addresses."))
    except ImportRejected as rejected:
        parsed.errors = [LineError(e.line, e.reason) for e in rejected.errors]
    return parsed


def _line_error(cells: list[str]) -> str | None:
    address, language = cells[0], cells[1]
    if not address:
        return _("The address is missing.")
    try:
        validate_email(address)
    except ValidationError:
        return _("“%(value)s” is not an email address.") % {"value": address[:80]}
    if language.lower() not in LANGUAGES:
        return _("The language “%(value)s” is unknown: write sv or en, or leave it blank.") % {
            "value": language[:20]
        }
    if any(cells[2:]):
        return _("The line has more than an address and a language.")
    return None


def read_list(*, text: str = "", upload=None, default_language: str = "sv") -> ParsedList:
    try:
        if upload is None:
            rows = rows_from_text(text)
        elif upload.name.lower().endswith(".xlsx"):
            rows = rows_from_xlsx(upload.read())
        else:
            rows = rows_from_text(decode(upload.read()))
    except ListRejected as exc:
        return ParsedList(errors=exc.errors)
    return parse_rows(rows, default_language)


@dataclass
class Added:
    added: int
    already_listed: int


@transaction.atomic
def add_to_list(link: RoundLink, parsed: ParsedList) -> Added:
    """Add the new addresses of a valid list to the link's invitations, all or nothing.

    Addresses already invited in this group are merged; an address already invited in another
    group of the same round is an error (one person answers a round once)."""
    if parsed.errors:
        raise ListRejected(parsed.errors)
    existing = dict(
        Invitation.objects.filter(round_id=link.round_id, email__in=list(parsed.entries))
        .values_list("email", "link_id")
        .iterator()
    )
    elsewhere = sorted(address for address, link_id in existing.items() if link_id != link.pk)
    if elsewhere:
        raise ListRejected(
            [
                LineError(
                    0,
                    _("%(address)s is already invited in another target group of this round.")
                    % {"address": address},
                )
                for address in elsewhere[:50]
            ]
        )
    new = [(address, lang) for address, lang in parsed.entries.items() if address not in existing]
    Invitation.objects.bulk_create(
        (Invitation(link=link, round_id=link.round_id, email=a, language=lang) for a, lang in new),
        batch_size=1000,
    )
    return Added(added=len(new), already_listed=len(existing) + parsed.duplicates)


def erase_addresses_of_closed_round(sender, round_id, **kwargs):
    """Receiver of ``round_closed``: the addresses go, the counts stay."""
    _erase(Invitation.objects.filter(round_id=round_id))


def _erase(invitations) -> int:
    """Erase the addresses; an invitation still waiting to be sent never will be, so it goes
    back to "not sent" (the page stops saying it is being sent)."""
    waiting = Invitation.Status.QUEUED
    return invitations.exclude(email="").update(
        email="",
        claimed_by=None,
        status=Case(
            When(status=waiting, then=Value(Invitation.Status.PENDING)), default=F("status")
        ),
    )


def erase_addresses_of_closed_rounds(today=None) -> int:
    """Erase the addresses of every round whose closing date has passed; returns how many."""
    today = today or timezone.localdate()
    closed = Q(round__closes_on__lt=today) | Q(round__closed_early_at__isnull=False)
    return _erase(Invitation.objects.filter(closed))
