"""The loop on the programme overview and the per-organisation page, in a real Chromium on a
phone and a desktop: axe finds nothing, the stacked tables show every column on a phone."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from core.tests.browser import (
    assert_accessible,
    assert_fits_the_screen,
    assert_no_hidden_columns,
    log_in,
)
from plans.models import Activity
from registry.models import Organisation

from .test_loop import plan_with_activity, published, workshop


@pytest.fixture
def national(transactional_db, version):
    call_command("import_organisations", verbosity=0)
    call_command("load_programme_defaults", verbosity=0)
    for org in Organisation.objects.order_by("code")[:12]:
        published(org, version)
        if org.code < "0120":
            workshop(org)
            plan_with_activity(org, Activity.Status.DONE)


@pytest.mark.browser
@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_the_loop_reads_on_a_phone_and_a_desktop(
    live_server, new_context, staff_user, national, viewport
):
    page = new_context(viewport).new_page()
    log_in(page, live_server.url, staff_user.username)
    page.goto(f"{live_server.url}/programme/")
    expect(page.locator("#loop-counties")).to_be_visible()
    assert_accessible(page)
    assert_no_hidden_columns(page)
    if viewport == "phone":
        assert_fits_the_screen(page)
    page.screenshot(path=f"/tmp/hF/overview-{viewport}.png", full_page=True)
    page.locator("#loop-counties a").first.click()
    expect(page.locator("#loop-organisations")).to_be_visible()
    assert_accessible(page)
    assert_no_hidden_columns(page)
    if viewport == "phone":
        assert_fits_the_screen(page)
    page.screenshot(path=f"/tmp/hF/loop-{viewport}.png", full_page=True)
