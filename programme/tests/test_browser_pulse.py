"""The programme office's resident pulse page in a real Chromium, on a phone and a desktop, in
Swedish and in English: axe finds nothing, the stacked tables show every column on a phone, the
menus stay short, and a municipality group's link and the county list work without
JavaScript."""

import re

import pytest
from playwright.sync_api import expect

from core.tests.browser import (
    LANGUAGES,
    assert_accessible,
    assert_fits_the_screen,
    assert_no_hidden_columns,
    log_in,
    screenshot,
)

from .test_browser_loop import assert_menus_are_short
from .test_pulse_picture import build_nation


@pytest.fixture
def nation(transactional_db, version):
    return build_nation(version)


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_the_resident_pulse_page_reads_on_a_phone_and_a_desktop(
    live_server, new_context, staff_user, nation, viewport, language
):
    page = new_context(viewport).new_page()
    log_in(page, live_server.url, staff_user.username)
    page.goto(f"{live_server.url}/programme/pulse/?period=all")
    expect(page.locator("#pulse-sentence")).to_be_visible()
    expect(page.locator("#pulse-gap-table tbody tr").first).to_be_visible()
    assert_accessible(page)
    assert_no_hidden_columns(page)
    assert_menus_are_short(page, viewport)
    if viewport == "phone":
        assert_fits_the_screen(page)
    screenshot(page, f"pulse-{language}")
    page.locator("#pulse-by-county summary").click()
    expect(page.locator("#pulse-counties")).to_be_visible()
    assert_accessible(page)
    assert_no_hidden_columns(page)
    page.locator("#pulse-groups a", has_text=re.compile("B3|Pendlingskommun")).first.click()
    expect(page).to_have_url(re.compile(r"group=B3&period=all$"))
    expect(page.locator("#pulse-statements")).to_be_visible()
    expect(page.locator("#pulse-groups")).to_have_count(0)
    assert_accessible(page)
    if viewport == "phone":
        assert_fits_the_screen(page)
