"""Importing attendance from the streaming platform's CSV export: all rows or none.

Columns (header row, UTF-8): ``email``, ``join_time``, ``leave_time``, separated by commas or
by semicolons (what Swedish Excel writes, since the comma is its decimal sign) — times as
``YYYY-MM-DD HH:MM[:SS]`` in Swedish time, or ISO 8601 with an offset. Several rows for one
email (someone who rejoined) add up. Rows whose email matches no registration are listed,
never dropped silently. Importing the same file again gives the same result.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _

from lib.importing import ImportRejected, RowError, RowInvalid, validate_csv, write_all

from .models import Registration

COLUMNS = ("email", "join_time", "leave_time")
# One row is one stay in one webinar: a longer one is a broken export (and absurd durations
# would overflow the minutes column). Far more rows than any webinar has participants:
MAX_DURATION = timedelta(hours=24)
MAX_ROWS = 50_000


class AttendanceTooEarly(Exception):
    """The webinar has not ended, so no attendance can be known yet."""


@dataclass
class AttendanceResult:
    matched: int = 0
    unmatched: list[tuple[int, str]] = field(default_factory=list)  # (line, email)


def _parse_time(value: str) -> datetime:
    """Swedish local time unless the value carries its own offset; ValueError otherwise."""
    value = value.strip()
    try:
        moment = datetime.fromisoformat(value)
        if not 2000 <= moment.year <= 2100:  # no webinar then; keeps arithmetic in range
            raise ValueError(value)
        return timezone.make_aware(moment) if timezone.is_naive(moment) else moment
    except (ValueError, OverflowError):  # not a time, or one at the end of the calendar
        raise ValueError(value) from None


def _clean(line: int, row: dict) -> tuple[int, str, datetime, datetime]:
    email = (row["email"] or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise RowInvalid(_("“%(value)s” is not an email address") % {"value": email[:80]}) from None
    try:
        joined, left = _parse_time(row["join_time"] or ""), _parse_time(row["leave_time"] or "")
    except ValueError as exc:
        raise RowInvalid(
            _("“%(value)s” is not a time (YYYY-MM-DD HH:MM)") % {"value": str(exc)[:40]}
        ) from None
    if left < joined:
        raise RowInvalid(_("the leave time is before the join time"))
    if left - joined > MAX_DURATION:
        raise RowInvalid(_("the attendance lasts more than %(hours)s hours") % {"hours": 24})
    return line, email, joined, left


def parse(text: str) -> list[tuple[int, str, datetime, datetime]]:
    """Every row as (line, email, joined, left); ``ImportRejected`` names every bad line."""
    if text.count("\n") > MAX_ROWS:
        raise ImportRejected(
            [RowError(MAX_ROWS + 2, _("the file has more than %(max)s rows") % {"max": MAX_ROWS})]
        )
    return validate_csv(
        text,
        required=COLUMNS,
        clean=_clean,
        empty_reason=_("the file holds no attendance rows"),
        lower_headers=True,
    )


def import_attendance(session, text: str) -> AttendanceResult:
    """Replace the session's attendance with the file's, in one transaction; on any bad line
    raise ``lib.importing.ImportRejected`` and change nothing. Refused before the webinar has
    ended (``AttendanceTooEarly``): there is no attendance to know yet."""
    if session.ends_at > timezone.now():
        raise AttendanceTooEarly()
    return write_all(parse(text), lambda rows: _write(session, rows))


def _write(session, rows) -> AttendanceResult:
    registrations = {
        r.email: r
        for r in session.registrations.exclude(email="").exclude(
            status=Registration.Status.CANCELLED
        )
    }
    minutes: dict[int, int] = {}
    result = AttendanceResult()
    for line, email, joined, left in rows:
        registration = registrations.get(email)
        if registration is None:
            result.unmatched.append((line, email))
            continue
        minutes[registration.pk] = minutes.get(registration.pk, 0) + round(
            (left - joined).total_seconds() / 60
        )
    # Erased registrations keep the attendance they had: the file cannot match them any more.
    session.registrations.filter(erased_at__isnull=True).update(attended=False, attended_minutes=0)
    for pk, total in minutes.items():
        Registration.objects.filter(pk=pk).update(attended=True, attended_minutes=total)
    result.matched = len(minutes)
    return result
