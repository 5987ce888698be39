"""The workshop proposal in a real Chromium on a phone and a laptop, with and without
JavaScript: the catalogue's modules stand under the goals they serve, the proposal's goals
first; a module added from a later goal keeps its place in the agenda of the sent request.
axe checks the pages (where JavaScript runs); no word or number is broken across lines."""

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from core.tests.browser import assert_accessible, assert_fits_the_screen, broken_text, log_in
from learning.models import WorkshopRequest
from results.tests.factories import link, make_round, publish, submit


@pytest.fixture
def proposed_round(transactional_db, org_a, version):
    """A published round and the real catalogue of 28 modules."""
    call_command("import_organisations", verbosity=0)  # the true cases' organisations
    call_command("load_learning_catalogue", verbosity=0)
    round_ = make_round(org_a, version, name="Baslinje")
    submit(link(round_, "politician"), 6, value=lambda i, item: 1 + (item.pk + i) % 5)
    submit(link(round_, "official"), 6, value=lambda i, item: 1 + (item.pk * 7 + i) % 5)
    return publish(round_)


def module_titles(locator) -> list[str]:
    """The module titles of checkbox labels, without their "(45 min)"."""
    return [text.rsplit(" (", 1)[0].strip() for text in locator.all_inner_texts()]


@pytest.mark.browser
@pytest.mark.parametrize(
    "viewport, javascript", [("phone", True), ("desktop", True), ("phone", False)]
)
def test_modules_under_their_goals_and_the_agenda_in_the_order_seen(
    live_server, new_context, coordinator_a, proposed_round, viewport, javascript
):
    page = new_context(viewport, java_script_enabled=javascript).new_page()
    log_in(page, live_server.url, coordinator_a.username)
    page.goto(f"{live_server.url}/coordinator/rounds/{proposed_round.pk}/workshop/")

    groups = page.locator("fieldset.module-group")
    legends = groups.locator("legend").all_inner_texts()
    picked = page.locator("main ol > li > strong").all_inner_texts()  # the proposal's goals
    assert picked and legends[: len(picked)] == [f"{goal} – ett mål i förslaget" for goal in picked]
    # every ticked module stands under one of the proposal's goals
    for index in range(len(picked), groups.count()):
        expect(groups.nth(index).locator("input:checked")).to_have_count(0)
    if javascript:
        assert_accessible(page)
    if viewport == "phone":
        assert_fits_the_screen(page)
    assert broken_text(page) == []

    # Add the first module of the last goal: a module the proposal did not choose.
    groups.last.locator("input[name=modules]").first.check()
    seen = module_titles(page.locator("fieldset.module-group div:has(input:checked) label"))
    page.fill("#id_wished_date_1", (timezone.localdate() + timezone.timedelta(days=40)).isoformat())
    page.fill("#id_expected_politicians", "6")
    page.locator("main form button[type=submit]").click()
    if not WorkshopRequest.objects.exists():  # too long for a half day: make it a full day
        page.locator("input[name=format][value=full_day]").check()
        page.locator("main form button[type=submit]").click()
    expect(page.locator("main h1")).not_to_contain_text("förslag")
    workshop = WorkshopRequest.objects.get()
    assert [row.module.title for row in workshop.modules.all()] == seen
    agenda = page.locator("main table:has(caption) tbody td strong").all_inner_texts()
    assert agenda == seen
    if javascript:
        assert_accessible(page)
    assert broken_text(page) == []
