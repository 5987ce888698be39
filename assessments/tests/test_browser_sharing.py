"""In a real Chromium, phone and desktop, with axe: the coordinator copies a shared link's
invitation text with the button (announced politely), opens the screen page with the big QR
code, and the short address leads a respondent to the link."""

import pytest
from playwright.sync_api import expect

from core.tests.browser import LANGUAGES, assert_accessible, assert_fits_the_screen, log_in


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_a_coordinator_shares_an_open_link(
    live_server, new_context, coordinator_a, open_round, viewport, language
):
    base = live_server.url
    context = new_context(viewport)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base)
    page = context.new_page()
    log_in(page, base, "coord-a")
    page.goto(f"{base}/coordinator/rounds/{open_round.pk}/")
    politician = open_round.links.get(target_group__key="politician")
    expect(page.locator(f"#link-{politician.pk}")).to_have_attribute(
        "href", f"{base}/s/{politician.token}/"
    )
    expect(page.locator(".share-qr svg[role=img]")).to_have_count(3)
    expect(page.locator("td.publishable").first).to_be_visible()
    assert_accessible(page)
    assert_fits_the_screen(page)

    # The text in the page's language comes first, with its button (the other is folded away).
    button = page.locator(f"button[data-copy='text-{politician.pk}-{language}']")
    expect(button).to_be_visible()  # the script showed it
    button.click()
    status = button.locator("xpath=following-sibling::*[@role='status']")
    expect(status).not_to_be_empty()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == page.locator(f"#text-{politician.pk}-{language}").input_value()
    assert f"{base}/s/{politician.token}/" in copied
    assert_accessible(page)

    page.locator(f"a[href$='/links/{politician.pk}/screen/']").click()
    expect(page.locator(".screen-qr svg[role=img]")).to_be_visible()
    short = page.locator(".screen-url a")
    expect(short).to_have_text(f"{base}/k/{politician.short_code}/")
    box = page.locator(".screen-qr svg").bounding_box()
    assert box["width"] >= 300  # big enough to scan from the back of a room
    assert_accessible(page)
    assert_fits_the_screen(page)

    respondent = new_context(viewport).new_page()
    respondent.goto(f"{base}/k/{politician.short_code}/")
    expect(respondent).to_have_url(f"{base}/s/{politician.token}/")
    expect(respondent.locator("main h1")).to_contain_text("Trelleborgs kommun")


@pytest.mark.browser
def test_without_javascript_the_text_is_there_to_copy_by_hand(
    live_server, new_context, coordinator_a, open_round
):
    base = live_server.url
    page = new_context("phone", java_script_enabled=False).new_page()
    log_in(page, base, "coord-a")
    page.goto(f"{base}/coordinator/rounds/{open_round.pk}/")
    expect(page.locator("button[data-copy]").first).to_be_hidden()
    expect(page.locator("textarea.invitation-text").first).to_be_visible()
    assert_fits_the_screen(page)
