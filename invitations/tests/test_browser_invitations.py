"""In a real Chromium, on a phone and a desktop, with axe on every page: the coordinator adds
an invitation list (a bad line first), switches the shared links off, sets reminders and
sends; an invitee answers through the personal link once, and the link then refuses. Walked
in Swedish and in English."""

import pytest
from django.core import mail
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from assessments.models import Response
from core.tests.browser import LANGUAGES, assert_accessible, assert_fits_the_screen, log_in
from invitations.models import Invitation, ReminderDay

from .conftest import personal_urls
from .helpers import run_worker


def _progress(language, sent=0, queued=0, pending=0, failed=0) -> str:
    """The sending counts as the page says them in ``language``."""
    with translation.override(language):
        return gettext(
            "Sent: %(sent)s. Being sent: %(queued)s. Not sent yet: %(pending)s. Failed: %(failed)s."
        ) % {"sent": sent, "queued": queued, "pending": pending, "failed": failed}


def _says(language, text) -> str:
    with translation.override(language):
        return gettext(text)


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_invitations_from_the_list_to_one_submission(
    live_server, new_context, coordinator_a, open_round, politician_link, viewport, language
):
    base = live_server.url
    page = new_context(viewport).new_page()
    log_in(page, base, "coord-a")
    page.goto(f"{base}/coordinator/rounds/{open_round.pk}/")
    page.locator("#invitations").click()
    expect(page.locator("#invitation-counts")).to_be_visible()
    assert_accessible(page)
    assert_fits_the_screen(page)

    form = page.locator("form[action$='/invitations/add/']")
    form.locator("select[name=link]").select_option(str(politician_link.pk))
    form.locator("textarea[name=addresses]").fill(
        "anna@example.org\nnot-an-address\nben@example.org;en"
    )
    form.locator("button[type=submit]").click()
    expect(page.locator("#list-errors li")).to_have_count(1)
    expect(page.locator("#list-errors")).to_contain_text("not-an-address")
    assert not Invitation.objects.exists()
    assert_accessible(page)
    assert_fits_the_screen(page)

    form = page.locator("form[action$='/invitations/add/']")
    form.locator("textarea[name=addresses]").fill("anna@example.org\nben@example.org;en")
    form.locator("button[type=submit]").click()
    expect(page.locator("#list-errors")).to_have_count(0)
    assert Invitation.objects.count() == 2

    page.locator("form[action$='/open-links/'] input[name=open_links]").uncheck()
    page.locator("form[action$='/open-links/'] button[type=submit]").click()
    page.locator("form[action$='/reminders/'] input[name=days]").fill("7, 2")
    page.locator("form[action$='/reminders/'] button[type=submit]").click()
    assert list(ReminderDay.objects.values_list("days_before", flat=True)) == [7, 2]

    page.locator("form[action$='/invitations/send/'] button[type=submit]").click()
    expect(page.locator("#send-progress")).to_have_text(_progress(language, queued=2))
    expect(page.locator("#send")).to_be_disabled()
    expect(page.locator("#send")).to_have_text(_says(language, "Sending…"))
    assert_accessible(page)
    run_worker()
    # The page follows the sending by itself: no reload.
    expect(page.locator("#send-progress")).to_have_text(_progress(language, sent=2))
    expect(page.locator("#send")).to_have_text(_says(language, "Every invitation has been sent"))
    expect(page.locator("#sending-note")).to_have_count(0)
    assert_accessible(page)
    assert {m.to[0] for m in mail.outbox} >= {"anna@example.org", "ben@example.org"}

    # --- The invitee, on their own device. -------------------------------------------------
    anna = next(m for m in mail.outbox if m.to[0] == "anna@example.org")
    url = base + personal_urls([anna])[0]
    invitee = new_context(viewport).new_page()
    invitee.goto(url)
    assert_accessible(invitee)
    assert_fits_the_screen(invitee)
    invitee.locator("main form[action$='/begin/'] button").click()
    expect(invitee).to_have_url(f"{base}/s/{politician_link.token}/page/1/")
    invitee.goto(f"{base}/s/{politician_link.token}/submit/")
    invitee.locator("main form button[data-submit-once]").click()
    expect(invitee.locator("#own-scores")).to_be_attached()
    assert Response.objects.filter(submitted_on__isnull=False).count() == 1
    assert Invitation.objects.get(email="anna@example.org").status == "submitted"

    # The link again: refused with a clear message, and nothing more is stored.
    invitee.goto(url)
    expect(invitee.locator("main [role=alert]")).to_be_visible()
    assert_accessible(invitee)
    assert Response.objects.count() == 1

    # The other invitee stops the reminders with one click.
    ben = next(m for m in mail.outbox if m.to[0] == "ben@example.org")
    other = new_context(viewport, locale="en-GB").new_page()
    other.goto(base + personal_urls([ben])[0] + "reminders/")
    assert_accessible(other)
    other.locator("#stop").click()
    expect(other.locator("main [role=status]")).to_be_visible()
    assert_accessible(other)
    assert Invitation.objects.get(email="ben@example.org").opted_out
