"""The pages every visitor can reach, in a real Chromium on a phone: axe finds no WCAG 2.1 A/AA
violation, in Swedish (the default) and in English (chosen with the header's language button,
whose cookie ``new_context`` sets for an English test), and <html lang> always names the
language the page is served in."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from core.tests.browser import assert_accessible, assert_fits_the_screen, log_in
from pulse.pulses import close_early, start_pulse, store_answers
from results.tests.factories import link, make_round, publish, submit

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


@pytest.mark.browser
@pytest.mark.parametrize("language", ["sv", "en"])
def test_resident_pulse_pages_are_accessible_on_a_phone(
    live_server, new_context, language, coordinator_a, org_a, version, settings
):
    """Every page of the resident pulse (issue 27): the resident's (answer, thank-you, already
    answered, not open, results before and after publication) and the coordinator's."""
    settings.DIGILYFT_PULSE_MIN_SECONDS = 0
    today = timezone.localdate()

    def pulse(opens, closes):
        return start_pulse(
            organisation=org_a,
            user=coordinator_a,
            opens_on=today + timedelta(days=opens),
            closes_on=today + timedelta(days=closes),
        )

    open_pulse, later, published = pulse(-1, 20), pulse(5, 20), pulse(-30, 20)
    statements = list(published.version.statements.all())
    for i in range(12):
        values = {s.pk: 1 + (i + s.pk) % 5 for s in statements}
        store_answers(published, values, "45-64", ("woman", "man")[i % 2])
    close_early(published)
    # A published self-assessment before the pulse closed: the expectation gap shows to the
    # organisation on the pulse's and the round's results pages.
    round_ = make_round(org_a, version, name="Självskattning")
    submit(link(round_, "politician"), 6, value=5)
    submit(link(round_, "official"), 6, value=4)
    publish(round_)

    page = new_context("phone").new_page()
    base = live_server.url

    def check(path, status=200):
        response = page.goto(base + path)
        assert response.status == status, path
        expect(page.locator("main#main h1")).to_have_count(1)
        assert_accessible(page)
        assert_fits_the_screen(page)

    check(f"/p/{open_pulse.token}/")
    page.locator("fieldset.item").first.locator("input[type=radio]").first.check()
    page.locator("#send").click()
    expect(page.locator("#thanks")).to_be_visible()
    assert_accessible(page)
    check(f"/p/{open_pulse.token}/")
    expect(page.locator("#already-answered")).to_be_visible()
    check(f"/p/{later.token}/", 410)
    check(f"/pulses/{open_pulse.pk}/")
    check(f"/pulses/{published.pk}/")
    expect(page.locator("#pulse-figures")).to_be_visible()

    log_in(page, base, coordinator_a.username)
    for path in (
        "/coordinator/pulses/",
        "/coordinator/pulses/new/",
        f"/coordinator/pulses/{open_pulse.pk}/",
        f"/coordinator/pulses/{open_pulse.pk}/close/",
    ):
        check(path)
    for path in (f"/pulses/{published.pk}/", f"/coordinator/rounds/{round_.pk}/results/"):
        check(path)
        expect(page.locator("#expectation-gap")).to_be_visible()
