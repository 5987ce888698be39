"""Importing attendance from the streaming platform's CSV export: all rows or none.

Columns (header row, UTF-8): ``email``, ``join_time``, ``leave_time`` — times as
``YYYY-MM-DD HH:MM[:SS]`` in Swedish time, or ISO 8601 with an offset. Several rows for one
email (someone who rejoined) add up. Rows whose email matches no registration are listed,
never dropped silently. Importing the same file again gives the same result.
"""

import csv
import io
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Registration

COLUMNS = ("email", "join_time", "leave_time")
# One row is one stay in one webinar: a longer one is a broken export (and absurd durations
# would overflow the minutes column). Far more rows than any webinar has participants:
MAX_DURATION = timedelta(hours=24)
MAX_ROWS = 50_000


@dataclass
class AttendanceResult:
    matched: int = 0
    unmatched: list[tuple[int, str]] = field(default_factory=list)  # (line, email)


class AttendanceRejected(Exception):
    def __init__(self, line: int, reason: str):
        super().__init__(f"{line}: {reason}")
        self.line = line
        self.reason = reason


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


def parse(text: str) -> list[tuple[int, str, datetime, datetime]]:
    reader = csv.DictReader(io.StringIO(text))
    headers = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in COLUMNS if c not in headers]
    if missing:
        raise AttendanceRejected(
            1, _("the header row lacks the columns %(cols)s") % {"cols": ", ".join(missing)}
        )
    reader.fieldnames = headers
    rows = []
    try:
        for row in reader:
            line = reader.line_num
            if None in row:
                raise AttendanceRejected(line, _("the row has more fields than the header row"))
            email = (row["email"] or "").strip().lower()
            try:
                validate_email(email)
            except ValidationError:
                raise AttendanceRejected(
                    line, _("“%(value)s” is not an email address") % {"value": email[:80]}
                ) from None
            try:
                joined, left = (
                    _parse_time(row["join_time"] or ""),
                    _parse_time(row["leave_time"] or ""),
                )
            except ValueError as exc:
                raise AttendanceRejected(
                    line,
                    _("“%(value)s” is not a time (YYYY-MM-DD HH:MM)") % {"value": str(exc)[:40]},
                ) from None
            if left < joined:
                raise AttendanceRejected(line, _("the leave time is before the join time"))
            if left - joined > MAX_DURATION:
                raise AttendanceRejected(
                    line, _("the attendance lasts more than %(hours)s hours") % {"hours": 24}
                )
            if len(rows) >= MAX_ROWS:
                raise AttendanceRejected(
                    line, _("the file has more than %(max)s rows") % {"max": MAX_ROWS}
                )
            rows.append((line, email, joined, left))
    except csv.Error as exc:
        raise AttendanceRejected(
            reader.line_num, _("broken CSV: %(error)s") % {"error": exc}
        ) from None
    if not rows:
        raise AttendanceRejected(2, _("the file holds no attendance rows"))
    return rows


@transaction.atomic
def import_attendance(session, text: str) -> AttendanceResult:
    rows = parse(text)
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
