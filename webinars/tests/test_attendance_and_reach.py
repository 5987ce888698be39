from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from conftest import make_org
from webinars.models import Registration

from .factories import make_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def past(org_a):
    session = make_session(hours_ahead=-3)
    region = make_org(
        "05",
        "Region Östergötland",
        kind="region",
        county_code="05",
        county_name="Östergötlands län",
    )
    people = [
        ("anna@example.org", org_a, "politician", "woman"),
        ("bo@example.org", org_a, "official", "man"),
        ("cy@example.org", region, "official", ""),
    ]
    for email, org, group, gender in people:
        Registration.objects.create(
            session=session,
            name="X",
            email=email,
            organisation=org,
            target_group=group,
            gender=gender,
            status="confirmed",
        )
    return session


def upload(client, session, text, name="attendance.csv"):
    return client.post(
        reverse("webinars:office_attendance", args=[session.pk]),
        {"file": SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")},
    )


GOOD = (
    "email,join_time,leave_time\n"
    "Anna@example.org,2026-11-24 10:00,2026-11-24 10:40\n"
    "anna@example.org,2026-11-24 10:45,2026-11-24 11:00\n"
    "cy@example.org,2026-11-24T10:05:00+01:00,2026-11-24T11:00:00+01:00\n"
    "stranger@example.org,2026-11-24 10:00,2026-11-24 10:10\n"
)


def test_attendance_is_matched_and_unmatched_rows_are_listed(staff_client, past):
    result = upload(staff_client, past, GOOD)
    assert result.status_code == 200
    assert result.context["result"].unmatched == [(5, "stranger@example.org")]
    attended = dict(
        Registration.objects.filter(attended=True).values_list("email", "attended_minutes")
    )
    assert attended == {"anna@example.org": 55, "cy@example.org": 55}
    assert "stranger@example.org" in result.content.decode()
    again = upload(staff_client, past, GOOD)
    assert again.status_code == 200
    assert Registration.objects.filter(attended=True).count() == 2


@pytest.mark.parametrize(
    "text, line",
    [
        ("email,join_time,leave_time\nanna@example.org,yesterday,2026-11-24 11:00\n", 2),
        (
            "email,join_time,leave_time\nanna@example.org,2026-11-24 10:00,2026-11-24 11:00\nnot-mail,2026-11-24 10:00,2026-11-24 11:00\n",  # noqa: E501
            3,
        ),
        ("email,join_time,leave_time\nanna@example.org,2026-11-24 11:00,2026-11-24 10:00\n", 2),
        ("mail,start\nanna@example.org,2026-11-24 10:00\n", 1),
        ("email,join_time,leave_time\n", 2),
    ],
)
def test_a_malformed_file_is_rejected_whole_with_line_and_reason(staff_client, past, text, line):
    Registration.objects.filter(email="bo@example.org").update(attended=True, attended_minutes=30)
    result = upload(staff_client, past, text)
    assert result.status_code == 400
    body = result.content.decode()
    assert f"{'Rad' if 'Rad' in body else 'Line'} {line}" in body
    assert list(Registration.objects.filter(attended=True).values_list("email", flat=True)) == [
        "bo@example.org"
    ]


def test_a_file_that_is_not_utf8_is_rejected(staff_client, past):
    result = staff_client.post(
        reverse("webinars:office_attendance", args=[past.pk]),
        {
            "file": SimpleUploadedFile(
                "a.csv", "email,join_time,leave_time\nå@x.se,1,2\n".encode("latin-1")
            )
        },
    )
    assert result.status_code == 400
    assert not Registration.objects.filter(attended=True).exists()


def test_reach_counts_by_group_gender_kind_and_county(staff_client, past):
    upload(staff_client, past, GOOD)
    page = staff_client.get(reverse("webinars:office_reach"))
    assert page.status_code == 200
    tables = dict(page.context["tables"])
    by_kind = {
        row["value"]: (row["registered"], row["attended"])
        for rows in [list(tables.values())[2]]
        for row in rows
    }
    assert by_kind == {"Kommun": (2, 1), "Region": (1, 1)}
    assert page.context["organisations"]["reached"] == 2
    workbook = load_workbook(
        BytesIO(staff_client.get(reverse("webinars:office_reach"), {"format": "xlsx"}).content)
    )
    sessions = list(workbook.worksheets[0].iter_rows(min_row=2, values_only=True))
    assert sessions[0][2:] == (3, 0, 2)


def test_the_office_pages_are_for_staff_only(client_a, past):
    for url in (
        reverse("webinars:office_sessions"),
        reverse("webinars:office_reach"),
        reverse("webinars:office_attendance", args=[past.pk]),
    ):
        assert client_a.get(url).status_code == 403, url
        assert Client().get(url).status_code == 302, url


def test_the_reach_export_writes_typed_and_imported_names_as_text_never_formulas(staff_client):
    """A session title (typed by staff) and a county name (from the registry import) that look
    like formulas come out as text."""
    attack = '=HYPERLINK("http://x","Klicka")'
    session = make_session(hours_ahead=-3, title_sv=attack)
    county = make_org("9999", "Testkommun", county_code="99", county_name="+cmd|' /C calc'!A0")
    Registration.objects.create(
        session=session,
        name="X",
        email="x@example.org",
        organisation=county,
        target_group="politician",
        status=Registration.Status.CONFIRMED,
    )
    result = staff_client.get(reverse("webinars:office_reach"), {"format": "xlsx"})
    assert result.status_code == 200
    workbook = load_workbook(BytesIO(result.content))
    cells = [
        cell
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(min_row=2)
        for cell in row
        if isinstance(cell.value, str) and ("HYPERLINK" in cell.value or "cmd" in cell.value)
    ]
    assert any("HYPERLINK" in c.value for c in cells)
    assert any("cmd" in c.value for c in cells)
    for cell in cells:
        assert cell.data_type == "s", (cell.coordinate, cell.value)
        assert cell.value.startswith("'"), cell.value


SWEDISH_EXCEL = (
    "\ufeffemail;join_time;leave_time\r\n"
    "anna@example.org;2026-11-24 10:00;2026-11-24 10:40\r\n"
    "bo@example.org;2026-11-24 10:05;2026-11-24 11:00\r\n"
)


def test_a_semicolon_separated_file_from_swedish_excel_is_imported(staff_client, past):
    result = upload(staff_client, past, SWEDISH_EXCEL)
    assert result.status_code == 200
    attended = dict(
        Registration.objects.filter(attended=True).values_list("email", "attended_minutes")
    )
    assert attended == {"anna@example.org": 40, "bo@example.org": 55}


def test_a_header_without_the_columns_says_what_it_found(staff_client, past):
    staff_client.cookies["django_language"] = "en"
    result = upload(staff_client, past, "namn;start;slut\nanna@example.org;10:00;11:00\n")
    assert result.status_code == 400
    body = result.content.decode()
    assert "email, join_time, leave_time" in body and "namn, start, slut" in body
    assert not Registration.objects.filter(attended=True).exists()


def test_attendance_is_refused_for_a_webinar_that_has_not_ended(staff_client, org_a):
    coming = make_session(hours_ahead=24)
    Registration.objects.create(
        session=coming,
        name="X",
        email="anna@example.org",
        organisation=org_a,
        target_group="politician",
        status="confirmed",
    )
    page = staff_client.get(reverse("webinars:office_attendance", args=[coming.pk]))
    assert 'id="not-ended"' in page.content.decode()
    result = upload(staff_client, coming, GOOD)
    assert result.status_code == 400
    assert not Registration.objects.filter(attended=True).exists()
