"""Workshop and library pages in a real Chromium, axe-checked: a coordinator gets a proposal
from their results, adjusts and sends it; staff confirm it; a participant evaluates on a phone;
anyone searches the library."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from core.tests.browser import (
    LANGUAGES,
    assert_accessible,
    assert_fits_the_screen,
    log_in,
    screenshot,
)
from learning.catalogue import load_example_cases
from learning.models import Evaluation, WorkshopRequest
from results.tests.factories import link, make_round, publish, submit


@pytest.fixture
def catalogue(transactional_db, version):
    call_command("import_organisations", verbosity=0)
    call_command("load_learning_catalogue", verbosity=0)


@pytest.fixture
def answered_round(catalogue, org_a, version):
    load_example_cases()  # as in the demo: proposals may suggest made-up examples
    round_ = make_round(org_a, version, name="Baslinje")
    submit(link(round_, "politician"), 6, value=lambda i, item: 1 + (item.pk + i) % 5)
    submit(link(round_, "official"), 6, value=lambda i, item: 1 + (item.pk * 7 + i) % 5)
    return publish(round_)


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_from_results_to_a_held_and_evaluated_workshop(
    live_server, new_context, coordinator_a, staff_user, answered_round, viewport, language
):
    page = new_context(viewport).new_page()
    log_in(page, live_server.url, coordinator_a.username)
    page.goto(f"{live_server.url}/coordinator/rounds/{answered_round.pk}/results/")
    # the brief at the top links to the same page as the weakest-goals section
    page.locator(f"a[href$='/rounds/{answered_round.pk}/workshop/']").first.click()
    expect(page.locator("main ol > li").first).to_be_visible()  # goals, each with its reasons
    assert_accessible(page)
    if viewport == "phone":
        assert_fits_the_screen(page)
    # Every suggested example that is made up says so next to its made-up organisation.
    suggested = page.locator("main li", has=page.locator("a[href*='/library/exempel-']"))
    for index in range(suggested.count()):
        expect(suggested.nth(index).locator(".made-up")).to_be_visible()
    screenshot(page, "proposal")
    # Adjust: drop the first proposed module, then send with a wished date and participants.
    checked = page.locator("input[name=modules]:checked")
    before = checked.count()
    assert before >= 1
    checked.first.uncheck()
    page.fill("#id_wished_date_1", (timezone.localdate() + timedelta(days=40)).isoformat())
    page.fill("#id_expected_politicians", "6")
    page.fill("#id_expected_officials", "9")
    page.locator("main form button[type=submit]").click()
    if before == 1:  # dropping the only module must be refused with a message
        expect(page.locator(".error-box")).to_be_visible()
        page.locator("input[name=modules]").first.check()
        page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(f"{live_server.url}/workshops/{WorkshopRequest.objects.get().pk}/")
    assert_accessible(page)
    # Register a participant.
    page.fill("#id_count_politician_woman", "1")
    page.locator("form[action$='/participants/'] button[type=submit]").click()
    expect(page.locator(".message-success")).to_be_visible()
    assert_accessible(page)
    if viewport == "phone":
        assert_fits_the_screen(page)
    screenshot(page, "workshop-coordinator")
    # A wrong count is explained and what was typed stays.
    page.fill("#id_count_official_man", "-2")
    page.fill("#id_count_official_woman", "4")
    page.locator("form[action$='/participants/'] button[type=submit]").click()
    expect(page.locator("#participant-errors")).to_be_visible()
    expect(page.locator("#id_count_official_woman")).to_have_value("4")
    assert_accessible(page)
    screenshot(page, "workshop-participant-error")

    staff = new_context("desktop").new_page()
    log_in(staff, live_server.url, staff_user.username)
    workshop = WorkshopRequest.objects.get()
    staff.goto(f"{live_server.url}/workshops/{workshop.pk}/")
    assert_accessible(staff)
    screenshot(staff, "workshop-office")
    start = timezone.localtime() + timedelta(days=30)
    staff.fill("#id_scheduled_start", start.strftime("%Y-%m-%dT%H:%M"))
    staff.fill("#id_facilitator", "Programkontoret")
    staff.fill("#id_video_link", "https://video.example/abc")
    staff.locator("form[action$='/move/confirmed/'] button").click()
    staff.locator("form[action$='/move/held/'] button").click()
    expect(staff.locator("#open-evaluation")).to_be_visible()
    assert_accessible(staff)
    # Open the evaluation: one single-use link per registered participant, on a page to print.
    staff.locator("#open-evaluation button[type=submit]").click()
    expect(staff.locator("#evaluation-links a")).to_have_count(1)
    assert_accessible(staff)
    evaluation_url = staff.locator("#evaluation-links a").first.get_attribute("href")
    staff.goto(f"{live_server.url}/workshops/{workshop.pk}/")
    expect(staff.locator("#evaluation-count")).to_be_visible()
    assert_accessible(staff)

    participant = new_context("phone").new_page()
    participant.goto(evaluation_url)
    assert_accessible(participant)
    for name in ("relevance", "usefulness", "facilitation", "overall"):
        participant.locator(f"label:has(input[name={name}][value='4'])").click()
    participant.locator("main form button[type=submit]").click()
    expect(participant.locator("main h1")).to_be_visible()
    assert_accessible(participant)
    assert Evaluation.objects.count() == 1
    # The link is spent: loading it again says so.
    participant.goto(evaluation_url)
    expect(participant.locator("#evaluation-refused")).to_be_visible()
    assert_accessible(participant)
    if viewport == "phone":
        assert_fits_the_screen(participant)
    assert Evaluation.objects.count() == 1

    # The coordinator closes the evaluation; with one answer only the count is shown.
    page.goto(f"{live_server.url}/workshops/{workshop.pk}/")
    page.locator("#close-evaluation button[type=submit]").click()
    expect(page.locator("#evaluation-count")).to_be_visible()
    expect(page.locator("#evaluation-means")).to_have_count(0)
    assert_accessible(page)


@pytest.fixture
def demo_catalogue(catalogue):
    load_example_cases()


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
def test_anyone_searches_the_library_on_a_phone(live_server, new_context, demo_catalogue, language):
    page = new_context("phone").new_page()
    page.goto(live_server.url + "/library/")
    assert_accessible(page)
    assert_fits_the_screen(page)
    # Typed without the ring of "bistånd": found, and the page says it widened the search.
    page.fill("#id_q", "bistand")
    page.locator("form[role=search] button[type=submit]").click()
    cards = page.locator("ul.cards > li.card")
    expect(page.locator("#widened")).to_be_visible()
    expect(cards.first.locator("a")).to_have_attribute(
        "href", "/library/trelleborg-e-tjanster-ekonomiskt-bistand/"
    )
    assert_accessible(page)
    page.fill("#id_q", "stroke")
    page.locator("form[role=search] button[type=submit]").click()
    expect(cards).to_have_count(1)
    expect(page.locator("#widened")).to_have_count(0)
    cards.first.locator("a").click()
    expect(page.locator("main h1")).to_contain_text("stroke")
    assert_accessible(page)
    page.goto(live_server.url + "/library/?welfare_area=school")
    assert page.locator("ul.cards > li.card").count() >= 1
    # The school examples are made up: each card says so, and so does the case's own page.
    expect(page.locator("ul.cards > li.card .made-up").first).to_be_visible()
    assert page.locator("ul.cards > li.card .made-up").count() == cards.count()
    assert_accessible(page)
    screenshot(page, "library-made-up")
    cards.first.locator("a").click()
    expect(page.locator("#made-up .made-up")).to_be_visible()
    assert_accessible(page)
    assert_fits_the_screen(page)
    screenshot(page, "case-made-up")


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_the_library_labels_made_up_examples(
    live_server, new_context, demo_catalogue, viewport, language
):
    page = new_context(viewport).new_page()
    page.goto(live_server.url + "/library/")
    expect(page.locator(".made-up").first).to_be_visible()
    # True cases first: no card without the label comes after one with it.
    labels = page.locator("ul.cards > li.card").evaluate_all(
        "cards => cards.map(card => card.querySelector('.made-up') !== null)"
    )
    assert labels == sorted(labels) and False in labels
    assert_accessible(page)
    assert_fits_the_screen(page)
    screenshot(page, "library")


@pytest.mark.browser
def test_a_coordinator_proposes_a_case(live_server, new_context, coordinator_a, catalogue):
    page = new_context("desktop").new_page()
    log_in(page, live_server.url, coordinator_a.username)
    page.goto(live_server.url + "/library/propose/")
    assert_accessible(page)
    page.locator("main form button[type=submit]").click()  # empty: explained
    expect(page.locator(".error-box")).to_be_visible()
    assert_accessible(page)
