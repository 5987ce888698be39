"""After a webinar, in a real Chromium on a phone and a desktop with axe: the recording page
with its caption warning, the anonymous evaluation through a mailed link, the registrant's
certificate link, and the office's page with evaluation and certificate sections."""

import re

import pytest
from django.core import mail
from django.core.management import call_command
from playwright.sync_api import expect

from core.tests.browser import (
    LANGUAGES,
    assert_accessible,
    assert_fits_the_screen,
    log_in,
    screenshot,
)
from registry.models import Organisation
from webinars import evaluations
from webinars.models import Evaluation, Registration

from .factories import make_session, run_worker


@pytest.fixture
def held(transactional_db):
    call_command("import_organisations", verbosity=0)
    session = make_session(
        hours_ahead=-3,
        recording_link="https://video.example/rec-1",
        caption_status="automatic",
    )
    session.series.certificate_min_minutes = 30
    session.series.save()
    registration = Registration.objects.create(
        session=session,
        name="Kim Andersson",
        email="kim@example.org",
        organisation=Organisation.objects.get(code="1287"),
        target_group="politician",
        status="confirmed",
        attended=True,
        attended_minutes=55,
    )
    return session, registration


def check(page, viewport):
    assert_accessible(page)
    if viewport == "phone":
        assert_fits_the_screen(page)


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_after_the_webinar(live_server, new_context, staff_user, held, viewport, language):
    session, registration = held
    page = new_context(viewport).new_page()
    page.goto(f"{live_server.url}/webinars/")
    page.locator(f"a[href$='/webinars/{session.pk}/recording/']").click()
    expect(page.locator(".caption-warning")).to_be_visible()
    check(page, viewport)
    screenshot(page, f"recording-{language}")

    page.goto(f"{live_server.url}/webinars/r/{registration.token}/")
    expect(page.locator("#certificate")).to_be_visible()
    check(page, viewport)

    evaluations.open_evaluation(session)
    run_worker()
    link = re.search(r"http\S+/webinars/e/\S+/", mail.outbox[-1].body).group(0)
    page.goto(link.replace("http://127.0.0.1:8000", live_server.url))
    check(page, viewport)
    page.locator("main form button[type=submit]").click()  # nothing chosen: explained
    expect(page.locator(".error-box")).to_be_visible()
    check(page, viewport)
    for name, value in (("relevance", "4"), ("usefulness", "5"), ("overall", "3")):
        page.locator(f"label:has(input[name={name}][value='{value}'])").click()
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/thanks/$"))
    check(page, viewport)
    assert Evaluation.objects.count() == 1

    office = new_context(viewport).new_page()
    log_in(office, live_server.url, staff_user.username)
    office.goto(f"{live_server.url}/programme/webinars/")
    expect(office.locator("#captions-unchecked")).to_be_visible()
    assert_accessible(office)
    office.goto(f"{live_server.url}/programme/webinars/{session.pk}/attendance/")
    expect(office.locator("#evaluation-count")).to_be_visible()
    expect(office.locator("#certified-count")).to_be_visible()
    check(office, viewport)
    office.screenshot(path=f"/tmp/hF/office-attendance-{viewport}.png", full_page=True)
