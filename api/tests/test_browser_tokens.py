"""In a real Chromium, phone and desktop, with axe: a coordinator creates an API token on
their page, copies it (shown once), reads their round counts with it, and revokes it."""

import pytest
from django.test import Client
from playwright.sync_api import expect

from api.models import ApiToken
from core.tests.browser import assert_accessible, assert_fits_the_screen, log_in


@pytest.mark.browser
@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_a_coordinator_creates_uses_and_revokes_a_token(
    live_server, new_context, coordinator_a, open_round, viewport
):
    base = live_server.url
    context = new_context(viewport)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base)
    page = context.new_page()
    log_in(page, base, "coord-a")
    page.goto(f"{base}/coordinator/")
    page.locator("#api-tokens").click()
    expect(page.locator("main h1")).to_be_visible()
    assert_accessible(page)
    assert_fits_the_screen(page)

    page.locator("main form[action$='/new/'] button[type=submit]").click()  # no name
    expect(page.locator("#form-errors")).to_be_visible()
    assert not ApiToken.objects.exists()
    assert_accessible(page)

    page.locator("input[name=name]").fill("Vår instrumentpanel")
    page.locator("main form[action$='/new/'] button[type=submit]").click()
    token = page.locator("#token-value").input_value()
    assert token.startswith("dl_")
    page.locator("button[data-copy='token-value']").click()
    expect(page.locator("#new-token [role=status]")).not_to_be_empty()
    assert page.evaluate("navigator.clipboard.readText()") == token
    assert_accessible(page)
    assert_fits_the_screen(page)

    answer = Client().get("/api/v1/x_rounds", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert answer.status_code == 200 and answer.json()["count"] == 1

    page.goto(f"{base}/coordinator/api-tokens/")
    expect(page.locator("#token-value")).to_have_count(0)  # shown once only
    page.locator("main .token-list form button[type=submit]").click()
    expect(page.locator(".messages .message-success")).to_have_count(1)
    assert_accessible(page)
    assert not ApiToken.objects.exists()
    assert Client().get("/api/v1/x_rounds", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401
