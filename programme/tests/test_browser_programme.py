"""Every programme office page in a real Chromium with axe, and the two changes that matter
most done through the browser: a cost over the grant, and a manual selection with a reason."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from core.tests.browser import LANGUAGES, assert_accessible, assert_fits_the_screen, log_in
from programme.models import Cost, SelectionOverride

PAGES = [
    "/programme/",
    "/programme/budget/",
    "/programme/reach/",
    "/programme/pulse/",
    "/programme/partners/",
    "/programme/selection/",
    "/programme/report/",
    "/programme/audit/",
]


@pytest.fixture
def office(transactional_db, version):
    call_command("import_organisations", verbosity=0)
    call_command("load_programme_defaults", verbosity=0)


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_every_programme_page_is_accessible(
    live_server, new_context, staff_user, office, viewport, language
):
    page = new_context(viewport).new_page()
    log_in(page, live_server.url, staff_user.username)
    for path in PAGES:
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        assert_accessible(page)
        assert_fits_the_screen(page)


@pytest.mark.browser
def test_a_cost_over_the_grant_is_confirmed_before_it_is_added(
    live_server, new_context, staff_user, office
):
    page = new_context("desktop").new_page()
    log_in(page, live_server.url, staff_user.username)
    page.goto(live_server.url + "/programme/budget/")
    page.select_option("#id_activity", "workshops")
    page.fill("#id_date", "2018-11-01")
    page.fill("#id_amount", "2500000")
    page.locator("form:has(input[name=form][value=cost]) button[type=submit]").click()
    expect(page.locator(".notice[role=alert]")).to_be_visible()
    assert_accessible(page)
    assert not Cost.objects.exists()
    page.check("#id_accept_overrun")
    page.locator("form:has(input[name=form][value=cost]) button[type=submit]").click()
    expect(page.locator("tr.over")).to_have_count(1)
    assert Cost.objects.count() == 1


@pytest.mark.browser
def test_a_manual_selection_needs_a_reason(live_server, new_context, staff_user, office):
    page = new_context("phone").new_page()
    log_in(page, live_server.url, staff_user.username)
    page.goto(live_server.url + "/programme/selection/")
    page.select_option("#id_organisation", label="Ljusdal")
    page.locator("label:has(input[name=include][value='1'])").click()
    page.locator("form:has(input[name=form][value=override]) button[type=submit]").click()
    expect(page.locator(".error-box")).to_be_visible()
    assert_accessible(page)
    page.fill("#id_reason", "Landsbygdskommun utan egen digitaliseringsfunktion.")
    page.locator("form:has(input[name=form][value=override]) button[type=submit]").click()
    expect(page.locator("main li", has_text="Landsbygdskommun utan egen")).to_be_visible()
    assert SelectionOverride.objects.get().reason.startswith("Landsbygdskommun")
