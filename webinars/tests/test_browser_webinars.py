"""Webinar pages in a real Chromium with axe: the programme and registration on a phone,
confirmation and the registration page, and the programme office's pages."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from core.tests.browser import assert_accessible, assert_fits_the_screen, log_in, screenshot
from webinars.models import Registration, Speaker

from .factories import make_session


@pytest.fixture
def registry(transactional_db):
    call_command("import_organisations", verbosity=0)


@pytest.mark.browser
def test_registering_on_a_phone(live_server, new_context, registry):
    session = make_session(hours_ahead=72, capacity=50)
    Speaker.objects.create(
        session=session, name="Anna Berg", affiliation="Myndigheten för digital förvaltning (Digg)"
    )
    Speaker.objects.create(session=session, name="Programkontoret", affiliation="Digilyft")
    page = new_context("phone").new_page()
    page.goto(live_server.url + "/webinars/")
    assert_accessible(page)
    assert_fits_the_screen(page)
    expect(page.locator("main")).to_contain_text(
        "Anna Berg, Myndigheten för digital förvaltning (Digg); Programkontoret, Digilyft"
    )
    screenshot(page, "webinars")
    page.locator(f"a[href$='/webinars/{session.pk}/register/']").click()
    assert_accessible(page)
    page.locator("main form button[type=submit]").click()  # empty form: explained, nothing stored
    expect(page.locator(".error-box")).to_be_visible()
    assert not Registration.objects.exists()
    assert_accessible(page)
    page.fill("#id_name", "Anna Andersson")
    page.fill("#id_email", "anna@example.org")
    page.select_option("#id_organisation", label="Trelleborg")
    page.locator("label:has(input[name=target_group][value=politician])").click()
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/check-email/$"))
    assert_accessible(page)
    registration = Registration.objects.get()
    page.goto(f"{live_server.url}/webinars/r/{registration.token}/confirm/")
    assert_accessible(page)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(f"{live_server.url}/webinars/r/{registration.token}/")
    expect(page.locator(f"a[href='{session.stream_link}']")).to_be_visible()
    assert_accessible(page)
    assert_fits_the_screen(page)
    registration.refresh_from_db()
    assert registration.status == "confirmed"


@pytest.mark.browser
def test_the_programme_office_imports_attendance(
    live_server, new_context, registry, staff_user, tmp_path
):
    from registry.models import Organisation

    session = make_session(hours_ahead=-2)
    Registration.objects.create(
        session=session,
        name="Bo",
        email="bo@example.org",
        organisation=Organisation.objects.get(code="1287"),
        target_group="official",
        status="confirmed",
    )
    page = new_context("desktop").new_page()
    log_in(page, live_server.url, staff_user.username)
    page.goto(live_server.url + "/programme/webinars/")
    assert_accessible(page)
    page.locator(f"a[href$='/programme/webinars/{session.pk}/attendance/']").click()
    assert_accessible(page)
    csv = tmp_path / "attendance.csv"
    # As Swedish Excel saves it: UTF-8 with a byte order mark, semicolons, CRLF.
    csv.write_text(
        "\ufeffemail;join_time;leave_time\r\nbo@example.org;2026-11-24 10:00;2026-11-24 10:50\r\nx@example.org;2026-11-24 10:00;2026-11-24 10:05\r\n",  # noqa: E501
        encoding="utf-8",
    )
    page.set_input_files("#id_file", str(csv))
    page.locator("#attendance-import button[type=submit]").click()
    expect(page.locator("main li", has_text="x@example.org")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "attendance-imported")
    coming = make_session(hours_ahead=24)
    page.goto(f"{live_server.url}/programme/webinars/{coming.pk}/attendance/")
    expect(page.locator("#not-ended")).to_be_visible()
    page.set_input_files("#id_file", str(csv))
    page.locator("#attendance-import button[type=submit]").click()
    expect(page.locator(".error-box")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "attendance-too-early")
    page.goto(live_server.url + "/programme/webinars/reach/")
    assert_accessible(page)
    assert Registration.objects.get().attended
