"""The respondent's own summary with its learning suggestions, in a real Chromium on a phone
and a desktop: axe finds nothing and the page fits the screen."""

import pytest
from django.utils import translation
from playwright.sync_api import expect

from assessments.tests.test_browser_flow import Respondent
from core.tests.browser import LANGUAGES, assert_accessible, assert_fits_the_screen, screenshot

from .test_personal import catalogue  # noqa: F401


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_the_summary_suggests_what_to_learn(
    live_server,
    new_context,
    politician_link,
    catalogue,  # noqa: F811
    viewport,
    language,
):
    page = new_context(viewport).new_page()
    link_url = f"{live_server.url}/s/{politician_link.token}/"
    page.goto(link_url)
    page.locator(f"form[action='/s/{politician_link.token}/begin/'] button").click()
    page_count = int(page.locator("progress").get_attribute("max"))
    respondent = Respondent(page)
    for number in range(1, page_count):
        if number <= 2:
            for name in respondent.items():
                respondent.answer(name, str(number), autosave=False)
        respondent.press("next", link_url + f"page/{number + 1}/")
    respondent.press("submit", link_url + "submit/")
    page.locator("main form button[data-submit-once]").click()
    expect(page.locator("#learn-more")).to_be_visible()
    # The webinar on the weakest area, by its address (the factory's English titles are alike).
    webinar = page.locator(f"#learn-more a[href='/webinars/{catalogue['webinar'].pk}/register/']")
    expect(webinar).to_be_visible()
    with translation.override(language):
        expect(webinar).to_have_text(catalogue["webinar"].title)
    assert_accessible(page)
    if viewport == "phone":
        assert_fits_the_screen(page)
    screenshot(page, f"summary-{language}")
