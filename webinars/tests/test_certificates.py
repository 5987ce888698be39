"""Attendance certificates: offered to a registrant whose imported attendance meets the
series' minimum (minutes, share, or both), as a PDF with their name, and to no one else."""

from io import BytesIO

import pytest
from django.urls import reverse
from pypdf import PdfReader

from webinars import certificates
from webinars.models import Registration

from .factories import make_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def session():
    return make_session(hours_ahead=-3)  # one hour long


def attended(session, org, minutes, **extra):
    return Registration.objects.create(
        session=session,
        name=extra.pop("name", "Kim Andersson"),
        email=extra.pop("email", f"k{minutes}@example.org"),
        organisation=org,
        target_group="official",
        status=extra.pop("status", "confirmed"),
        attended=minutes > 0,
        attended_minutes=minutes,
        **extra,
    )


def set_minimum(session, minutes=None, share=None):
    session.series.certificate_min_minutes = minutes
    session.series.certificate_min_share = share
    session.series.save()


@pytest.mark.parametrize(
    ("minutes", "share", "attended_minutes", "expected"),
    [
        (45, None, 45, True),
        (45, None, 44, False),
        (None, 75, 45, True),  # 45 of 60 minutes is 75 %
        (None, 75, 44, False),
        (30, 75, 40, False),  # both set: both must be met
        (None, None, 60, False),  # no minimum: no certificates
    ],
)
def test_the_minimum_decides(session, org_a, minutes, share, attended_minutes, expected):
    set_minimum(session, minutes, share)
    registration = attended(session, org_a, attended_minutes)
    assert certificates.eligible(registration) is expected


def test_an_erased_or_cancelled_registration_gets_none(session, org_a):
    set_minimum(session, minutes=10)
    erased = attended(session, org_a, 50, name="", email="", erased_at="2026-01-01T00:00Z")
    cancelled = attended(session, org_a, 50, status="cancelled")
    assert not certificates.eligible(erased) and not certificates.eligible(cancelled)


def test_the_registrant_downloads_a_pdf_with_their_name(client, session, org_a):
    set_minimum(session, minutes=30)
    registration = attended(session, org_a, 50)
    page = client.get(reverse("webinars:registration", args=[registration.token]))
    assert 'id="certificate"' in page.content.decode()
    response = client.get(reverse("webinars:certificate", args=[registration.token]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = PdfReader(BytesIO(response.content)).pages[0].extract_text()
    assert "Kim Andersson" in text and session.title_sv in text and "50" in text


def test_below_the_minimum_there_is_no_link_and_no_pdf(client, session, org_a):
    set_minimum(session, minutes=30)
    registration = attended(session, org_a, 20)
    page = client.get(reverse("webinars:registration", args=[registration.token]))
    assert 'id="certificate"' not in page.content.decode()
    assert client.get(reverse("webinars:certificate", args=[registration.token])).status_code == 404


def test_the_office_sets_the_minimum_per_series(staff_client, session, org_a):
    attended(session, org_a, 50)
    attended(session, org_a, 20)
    url = reverse("webinars:office_certificate_minimum", args=[session.pk])
    response = staff_client.post(
        url, {"certificate_min_minutes": "30", "certificate_min_share": ""}
    )
    assert response.status_code == 302
    session.series.refresh_from_db()
    assert (session.series.certificate_min_minutes, session.series.certificate_min_share) == (
        30,
        None,
    )
    page = staff_client.get(reverse("webinars:office_attendance", args=[session.pk]))
    assert (
        certificates.eligible_count(session) == 1
        and 'id="certified-count"' in page.content.decode()
    )


def test_a_share_over_100_is_refused_and_changes_nothing(staff_client, session):
    set_minimum(session, minutes=30)
    url = reverse("webinars:office_certificate_minimum", args=[session.pk])
    response = staff_client.post(
        url, {"certificate_min_minutes": "", "certificate_min_share": "150"}
    )
    assert response.status_code == 400 and 'id="form-errors"' in response.content.decode()
    session.series.refresh_from_db()
    assert (session.series.certificate_min_minutes, session.series.certificate_min_share) == (
        30,
        None,
    )


def test_only_staff_set_the_minimum(client_a, session):
    url = reverse("webinars:office_certificate_minimum", args=[session.pk])
    assert client_a.post(url, {"certificate_min_minutes": "1"}).status_code == 403
