"""The staff second factor in a real Chromium, on a phone and a desktop, with axe: enrolling
by the key the page shows, then logging in again with a code (a wrong one first)."""

import re
from base64 import b32decode

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from core.tests.browser import assert_accessible, assert_fits_the_screen, log_in, open_menu


@pytest.mark.browser
@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_staff_enrol_and_then_log_in_with_a_code(
    live_server, new_context, staff_user, settings, viewport
):
    settings.DIGILYFT_STAFF_OTP_REQUIRED = True
    page = new_context(viewport).new_page()
    log_in(page, live_server.url, staff_user.username)
    expect(page).to_have_url(re.compile(r"/accounts/second-factor/setup/\?next="))
    expect(page.locator("figure.qr-code svg")).to_be_visible()
    assert_accessible(page)
    assert_fits_the_screen(page)

    secret = page.locator("code.otp-secret").inner_text().replace(" ", "")
    key = b32decode(secret + "=" * (-len(secret) % 8))
    page.fill("#id_code", f"{TOTP(key).token():06d}")
    page.get_by_role("button", name="Bekräfta").click()
    expect(page).to_have_url(re.compile(r"/programme/$"))

    open_menu(page)  # a disclosure on a phone
    page.get_by_role("button", name="Logga ut").click()
    log_in(page, live_server.url, staff_user.username)
    expect(page).to_have_url(re.compile(r"/accounts/second-factor/\?next="))
    assert_accessible(page)

    device = TOTPDevice.objects.get(user=staff_user)
    later = TOTP(key)
    later.time += 30  # the enrolling code was used; the next one is accepted
    right = later.token()
    page.fill("#id_code", f"{(right + 1) % 1_000_000:06d}")
    page.get_by_role("button", name="Fortsätt").click()
    expect(page.locator(".error-box")).to_contain_text("Koden stämmer inte")
    assert_accessible(page)

    device.refresh_from_db()
    device.throttle_reset()  # instead of waiting out django-otp's one-second pause
    page.fill("#id_code", f"{right:06d}")
    page.get_by_role("button", name="Fortsätt").click()
    expect(page).to_have_url(re.compile(r"/programme/$"))
