"""The pages every visitor can reach, in a real Chromium on a phone: axe finds no WCAG 2.1 A/AA
violation, in Swedish (the default) and in English (chosen with the header's language button,
whose cookie ``new_context`` sets for an English test), and <html lang> always names the
language the page is served in."""

import pytest
from playwright.sync_api import expect

from core.tests.browser import assert_accessible, assert_fits_the_screen

PUBLIC_PAGES = [
    ("home", "/", 200),
    ("login", "/accounts/login/", 200),
    ("password-reset", "/accounts/password_reset/", 200),
    ("accessibility", "/accessibility/", 200),
    ("privacy", "/privacy/", 200),
    ("not-found", "/s/not-a-real-token/", 404),
]


def switch_to_english(page, base_url):
    page.goto(base_url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    button = page.locator("form.language-form button")
    expect(button).to_have_attribute("value", "en")
    button.click()
    # The form posts to set_language and comes back to the same page, now in English.
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(base_url + "/")


@pytest.mark.browser
@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize(
    ("path", "status"), [p[1:] for p in PUBLIC_PAGES], ids=[p[0] for p in PUBLIC_PAGES]
)
def test_public_page_is_accessible_on_a_phone(live_server, new_context, language, path, status):
    page = new_context("phone").new_page()  # in ``language`` (the language cookie set)

    response = page.goto(live_server.url + path)

    assert response.status == status
    expect(page.locator("html")).to_have_attribute("lang", language)
    assert_accessible(page)
    assert_fits_the_screen(page)
    # The page is drawn in the product's own layout (not a template of another app), with
    # a skip link, one h1, and the language button offering the other language, marked up
    # in that language.
    expect(page.locator("header.site-header")).to_have_count(1)
    expect(page.locator("a.skip-link[href='#main']")).to_have_count(1)
    expect(page.locator("main#main h1")).to_have_count(1)
    other = "sv" if language == "en" else "en"
    button = page.locator("form.language-form button")
    expect(button).to_have_attribute("value", other)
    expect(button).to_have_attribute("lang", other)


@pytest.mark.browser
def test_swedish_is_the_default_for_a_browser_asking_for_neither_language(live_server, new_context):
    page = new_context("phone", locale="de-DE").new_page()
    page.goto(live_server.url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    assert_accessible(page)


@pytest.mark.browser
def test_chosen_language_sticks_and_can_be_switched_back(live_server, new_context):
    page = new_context("phone").new_page()
    switch_to_english(page, live_server.url)

    page.goto(live_server.url + "/privacy/")
    expect(page.locator("html")).to_have_attribute("lang", "en")

    page.locator("form.language-form button").click()
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    expect(page).to_have_url(live_server.url + "/privacy/")
    assert_accessible(page)
