"""Attendance certificates: a PDF for a registrant whose imported attendance meets the
minimum the programme office set for the series.

A series sets a minimum in minutes, a minimum share of the session's length, or both (then
both must be met); with neither set it offers no certificate. The certificate carries the
registrant's own name, so it is offered on their own registration page only (reached through
their personal link) and never once their data is erased.
"""

from django.template.loader import render_to_string
from django.utils import timezone

from .models import Registration


def share_attended(registration: Registration) -> int:
    """Minutes attended as a whole per cent of the session's length (at most 100)."""
    return min(100, registration.attended_minutes * 100 // registration.session.length_minutes)


def minimum_set(series) -> bool:
    return series.certificate_min_minutes is not None or series.certificate_min_share is not None


def eligible(registration: Registration) -> bool:
    series = registration.session.series
    if not (
        minimum_set(series)
        and registration.status == Registration.Status.CONFIRMED
        and registration.attended
        and registration.erased_at is None
        and registration.name
    ):
        return False
    if (
        series.certificate_min_minutes is not None
        and registration.attended_minutes < series.certificate_min_minutes
    ):
        return False
    if (
        series.certificate_min_share is not None
        and share_attended(registration) < series.certificate_min_share
    ):
        return False
    return True


def pdf(registration: Registration, base_url: str) -> bytes:
    """The certificate as a tagged PDF (PDF/UA-1) in the active language, on A4."""
    from weasyprint import HTML  # imported here: it loads Pango, which only exports need

    html = render_to_string(
        "webinars/certificate_pdf.html",
        {
            "registration": registration,
            "session": registration.session,
            "share": share_attended(registration),
            "issued_on": timezone.localdate(),
        },
    )
    return HTML(string=html, base_url=base_url).write_pdf(pdf_variant="pdf/ua-1")


def eligible_count(session) -> int:
    """How many of the session's registrants can download a certificate (one query)."""
    registrations = session.registrations.filter(
        status=Registration.Status.CONFIRMED, attended=True, erased_at__isnull=True
    ).exclude(name="")
    return sum(1 for registration in registrations if eligible(registration))
