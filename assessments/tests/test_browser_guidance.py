"""The respondent's guidance in a real Chromium, on a phone and a desktop, axe-checked: the
submit page lists what is left with links to it, and a closed round says when it closed."""

import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect

from assessments.models import Answer, Response
from assessments.questionnaire import build_pages
from core.tests.browser import LANGUAGES, assert_accessible, assert_fits_the_screen, screenshot


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_the_submit_page_links_to_each_statement_left(
    live_server, new_context, politician_link, viewport, language
):
    link_url = f"{live_server.url}/s/{politician_link.token}/"
    page = new_context(viewport).new_page()
    page.goto(link_url)
    assert_accessible(page)
    screenshot(page, "respond-start")
    page.locator(f"form[action='/s/{politician_link.token}/begin/'] button").click()
    expect(page).to_have_url(link_url + "page/1/")
    # Every statement answered but the first of page 2.
    response = Response.objects.get(link=politician_link)
    pages = build_pages(politician_link)
    left = pages[1].items[0]
    Answer.objects.bulk_create(
        Answer(response=response, item=item, value=3)
        for p in pages
        for item in p.items
        if item != left
    )
    page.goto(link_url + "submit/")
    entries = page.locator("#unanswered li a")
    expect(entries).to_have_count(1)
    with translation.override(language):
        expect(entries.first).to_have_text(left.statement)
    assert_accessible(page)
    if viewport == "phone":
        assert_fits_the_screen(page)
    screenshot(page, "respond-review")
    entries.first.click()
    expect(page).to_have_url(link_url + f"page/2/#item-{left.pk}")
    expect(page.locator(f"#item-{left.pk}")).to_be_in_viewport()


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_a_closed_round_says_when_and_whom_to_ask(
    live_server, new_context, politician_link, coordinator_a, viewport, language
):
    round_ = politician_link.round
    round_.closed_early_at = timezone.now()
    round_.save()
    page = new_context(viewport).new_page()
    page.goto(f"{live_server.url}/s/{politician_link.token}/")
    expect(page.locator("#closed-on")).to_contain_text(timezone.localdate().isoformat())
    expect(page.locator(f"#contacts a[href='mailto:{coordinator_a.email}']")).to_be_visible()
    expect(page.locator(f"main a[href='/s/{politician_link.token}/']")).to_have_count(0)
    assert_accessible(page)
    assert_fits_the_screen(page)
    screenshot(page, "respond-closed")
