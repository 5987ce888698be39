"""The whole assessment in a real Chromium: a coordinator starts a round, a respondent answers
through the link (autosave, resume on the same device, submit), the coordinator sees the
counts. axe checks every page on the way, on a phone and on a desktop.

Buttons are found by their form, name and value rather than by their text, so the tests do
not depend on whether the Swedish catalogue has been compiled.
"""

import re
from collections import defaultdict
from statistics import mean

import pytest
from django.template.defaultfilters import floatformat
from django.utils import translation
from playwright.sync_api import expect

from assessments.models import Answer, Response, Round
from conftest import PASSWORD
from core.tests.browser import LANGUAGES, assert_accessible, open_menu
from frameworks.models import TargetGroup

# The answers given, item after item: every scale step and "don't know".
ANSWER_CYCLE = ["1", "2", "3", "4", "5", "dk", "4", "5"]

AUTOSAVE_PATH = re.compile(r"/s/[^/]+/answer/$")


def is_autosave(request):
    return request.method == "POST" and AUTOSAVE_PATH.search(request.url) is not None


class Respondent:
    """Drives the questionnaire pages and remembers what was answered."""

    def __init__(self, page):
        self.page = page
        self.given = {}  # radio name -> value
        self.area_values = defaultdict(list)  # area name -> rated values
        self.counter = 0

    def items(self):
        """The radio-group names of the items on the current page, in order."""
        names = self.page.locator("fieldset.item input[type=radio][value='dk']")
        return [names.nth(i).get_attribute("name") for i in range(names.count())]

    def next_value(self):
        value = ANSWER_CYCLE[self.counter % len(ANSWER_CYCLE)]
        self.counter += 1
        return value

    def answer(self, name, value, autosave=True):
        page = self.page
        label = page.locator(f"label:has(input[name='{name}'][value='{value}'])")
        if autosave:
            with page.expect_response(lambda r: is_autosave(r.request)) as saved:
                label.click()
            assert saved.value.ok, saved.value.text()
            assert saved.value.json() == {"saved": True}
            status = page.locator("#save-status")
            expect(status).to_have_text(page.evaluate("window.DIGILYFT.saved"))
            expect(status).not_to_have_class(re.compile(r"\berror\b"))
        else:
            label.click()
        expect(page.locator(f"input[name='{name}'][value='{value}']")).to_be_checked()
        self.given[name] = value
        if name.startswith("item-") and value != "dk":
            self.area_values[self.page.locator("main h1").inner_text().strip()].append(int(value))

    def answer_items(self, names, autosave=True):
        for name in names:
            self.answer(name, self.next_value(), autosave=autosave)

    def assert_kept(self, names):
        """The radios show the answers given before (they came from the server)."""
        for name in names:
            checked = self.page.locator(f"input[name='{name}']:checked")
            expect(checked).to_have_count(1)
            expect(checked).to_have_attribute("value", self.given[name])

    def press(self, action, expected_url):
        self.page.locator(f"#questionnaire button[name=action][value={action}]").click()
        expect(self.page).to_have_url(expected_url)


def resume_cookies(context):
    """The device's keys to its responses (the CSRF cookie is no such key)."""
    return [c for c in context.cookies() if c["name"].startswith("digilyft_r")]


def log_in(page, base_url, username):
    page.goto(base_url + "/accounts/login/")
    assert_accessible(page)
    form = page.locator("main form[action$='/accounts/login/']")
    form.locator("input[name=username]").fill(username)
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(base_url + "/coordinator/")
    # Logged in: the header offers "log out" instead of "log in".
    expect(page.locator("header form[action$='/accounts/logout/']")).to_have_count(1)


def counts_row(page, group_name):
    row = page.locator("tbody tr", has=page.get_by_role("rowheader", name=group_name, exact=True))
    expect(row).to_have_count(1)
    return row.locator("td.num")


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_whole_assessment_flow(
    live_server, new_context, version, coordinator_a, viewport, language
):
    base = live_server.url
    with translation.override(language):
        group_name = TargetGroup.objects.get(version=version, key="politician").name

    # --- The coordinator logs in and starts a round. -------------------------------------
    coordinator = new_context(viewport).new_page()
    log_in(coordinator, base, coordinator_a.username)

    open_menu(coordinator)
    coordinator.locator("header nav a[href='/coordinator/']").click()
    expect(coordinator).to_have_url(base + "/coordinator/")
    expect(coordinator.locator("main h1")).to_have_text("Trelleborgs kommun")
    assert_accessible(coordinator)

    coordinator.locator("main a[href='/coordinator/rounds/new/']").click()
    expect(coordinator).to_have_url(base + "/coordinator/rounds/new/")
    assert_accessible(coordinator)
    coordinator.locator("input[name=name]").fill("Webbläsartest 2026")
    coordinator.locator("main form button[type=submit]").click()

    expect(coordinator).to_have_url(re.compile(re.escape(base) + r"/coordinator/rounds/\d+/$"))
    round_ = Round.objects.get(name="Webbläsartest 2026")
    assert coordinator.url == f"{base}/coordinator/rounds/{round_.pk}/"
    assert round_.organisation == coordinator_a.coordinator.organisation
    assert round_.version == version and round_.is_open()
    expect(coordinator.locator("main h1")).to_have_text("Webbläsartest 2026")
    expect(coordinator.locator(".messages .message-success")).to_have_count(1)
    assert_accessible(coordinator)

    politician = round_.links.get(target_group__key="politician")
    link = coordinator.locator(f"main a#link-{politician.pk}")
    link_url = link.get_attribute("href")
    expect(link).to_have_text(link_url)
    assert link_url == f"{base}/s/{politician.token}/"
    expect(counts_row(coordinator, group_name)).to_have_text(["0", "0", "–", "–"])

    # --- A respondent on another device opens the link and starts. ------------------------
    device = new_context(viewport)
    page = device.new_page()
    page.goto(link_url)
    expect(page.locator("main h1")).to_contain_text("Trelleborgs kommun")
    expect(page.locator("main .lead strong")).to_have_text(group_name)
    assert_accessible(page)
    page.locator(f"form[action='/s/{politician.token}/begin/'] button").click()
    expect(page).to_have_url(link_url + "page/1/")
    page_count = int(page.locator("progress").get_attribute("max"))
    assert page_count >= 3  # goal areas, then the background page

    respondent = Respondent(page)
    page_1 = respondent.items()
    assert page_1
    respondent.answer_items(page_1)
    assert_accessible(page)
    # Autosave already stored every answer on the server, before any page was submitted.
    response = Response.objects.get(link=politician)
    assert Answer.objects.filter(response=response).count() == len(page_1)
    respondent.press("next", link_url + "page/2/")

    page_2 = respondent.items()
    assert len(page_2) >= 2
    half = len(page_2) // 2
    respondent.answer_items(page_2[:half])

    # --- The respondent closes the page and comes back later on the same device. ---------
    page.close()
    page = device.new_page()
    respondent.page = page
    page.goto(link_url)
    # The draft is offered (continue, or "not you?"), and none of its answers is shown.
    expect(page.locator("#continue-draft")).to_be_visible()
    expect(page.locator("#start-new")).to_be_visible()
    expect(page.locator("input[type=radio]")).to_have_count(0)
    assert_accessible(page)
    page.locator("#continue-draft").click()
    # Continue opens the first page with a statement left: page 2, half answered.
    expect(page).to_have_url(link_url + "page/2/")
    page.goto(link_url + "page/1/")
    respondent.assert_kept(page_1)
    respondent.press("next", link_url + "page/2/")
    # Only autosave could have kept these: page 2 was never submitted.
    respondent.assert_kept(page_2[:half])
    for name in page_2[half:]:
        expect(page.locator(f"input[name='{name}']:checked")).to_have_count(0)
    respondent.answer_items(page_2[half:])
    assert_accessible(page)

    for number in range(3, page_count):
        respondent.press("next", link_url + f"page/{number}/")
        names = respondent.items()
        assert names
        respondent.answer_items(names)
        assert_accessible(page)

    # --- The background page, then review and submit. -------------------------------------
    respondent.press("next", link_url + f"page/{page_count}/")
    expect(page.locator("fieldset.item input[name=gender]")).to_have_count(
        len(Response.Gender.values)
    )
    respondent.answer("gender", Response.Gender.WOMAN.value)
    assert_accessible(page)
    respondent.press("submit", link_url + "submit/")
    assert_accessible(page)
    total = Answer.objects.filter(response=response).count()
    assert total == len([name for name in respondent.given if name.startswith("item-")])
    expect(page.locator("main .lead")).to_contain_text(f"{total} ")

    page.locator("main form button[data-submit-once]").click()
    # The summary is the answer to the submitting POST: no address of its own to reopen.
    expect(page.locator("#own-scores")).to_be_visible()
    expect(page).to_have_url(link_url + "submit/")
    expect(page.locator("#print-summary")).to_be_visible()
    assert_accessible(page)

    response.refresh_from_db()
    assert response.is_submitted
    assert response.gender == Response.Gender.WOMAN
    # One score per goal area, in the order of the pages, each the mean of the rated answers.
    assert response.secret is None
    assert resume_cookies(device) == []
    scores = page.locator("main ul.score-list > li")
    expect(scores).to_have_count(len(respondent.area_values))
    expect(scores.locator("strong")).to_have_text(list(respondent.area_values))
    with translation.override(language):
        expected = [floatformat(mean(values), 1) for values in respondent.area_values.values()]
    for i, text in enumerate(expected):
        expect(scores.nth(i)).to_contain_text(f"{text} ")
        expect(scores.nth(i).locator(".bar")).to_have_count(1)

    # --- The coordinator sees one started and one submitted response. ----------------------
    coordinator.reload()
    expect(counts_row(coordinator, group_name)).to_have_text(["1", "1", "–", "–"])
    expect(coordinator.locator("tfoot td.num")).to_have_text(["1", "1"])
    assert_accessible(coordinator)


@pytest.mark.browser
def test_answers_are_kept_without_javascript(live_server, new_context, politician_link):
    link_url = f"{live_server.url}/s/{politician_link.token}/"
    device = new_context("desktop", java_script_enabled=False)
    page = device.new_page()
    autosaves = []
    page.on("request", lambda request: autosaves.append(request) if is_autosave(request) else None)

    page.goto(link_url)
    page.locator(f"form[action='/s/{politician_link.token}/begin/'] button").click()
    expect(page).to_have_url(link_url + "page/1/")
    respondent = Respondent(page)
    page_1 = respondent.items()
    respondent.answer_items(page_1, autosave=False)
    # (No axe here: axe needs scripts to run, and this context has them off. The whole-flow
    # test checks these same pages.)
    response = Response.objects.get(link=politician_link)
    assert not Answer.objects.filter(response=response).exists()

    respondent.press("next", link_url + "page/2/")

    # The Next button alone stored the page; no script ran.
    assert autosaves == []
    stored = dict(Answer.objects.filter(response=response).values_list("item_id", "value"))
    assert stored == {
        int(name.removeprefix("item-")): None if value == "dk" else int(value)
        for name, value in respondent.given.items()
    }

    page.goto(link_url)
    page.locator(f"form[action='/s/{politician_link.token}/begin/'] button").click()
    expect(page).to_have_url(link_url + "page/2/")
    page.goto(link_url + "page/1/")
    respondent.assert_kept(page_1)
    assert Response.objects.count() == 1


@pytest.mark.browser
def test_double_click_on_submit_stores_one_submitted_response(
    live_server, new_context, politician_link
):
    link_url = f"{live_server.url}/s/{politician_link.token}/"
    page = new_context("desktop").new_page()
    page.goto(link_url)
    page.locator(f"form[action='/s/{politician_link.token}/begin/'] button").click()
    expect(page).to_have_url(link_url + "page/1/")
    respondent = Respondent(page)
    respondent.answer_items(respondent.items()[:1])

    page.goto(link_url + "submit/")
    assert_accessible(page)
    # Hold the review form's POSTs in the browser, as a slow network would, so the page stays
    # in front of the respondent while they click; let them through once the clicks are done.
    posts, held, released = [], [], []

    def hold_posts(route):
        if route.request.method != "POST":
            return route.continue_()
        posts.append(route.request)
        if released:
            return route.continue_()
        held.append(route)

    page.route(link_url + "submit/", hold_posts)
    # Two clicks, the second after the browser has run the tasks the first one queued (a
    # person's double click is never faster than that). Count the form submissions.
    clicks = page.evaluate(
        """async () => {
            let submissions = 0;
            document.addEventListener("submit", () => { submissions += 1; }, true);
            const button = document.querySelector("main form button[data-submit-once]");
            button.click();
            await new Promise((resolve) => setTimeout(resolve, 0));
            button.click();
            return {submissions, disabled: button.disabled};
        }"""
    )
    released.append(True)
    for route in held:
        route.continue_()

    expect(page.locator("#own-scores > li")).to_have_count(1)
    expect(page).to_have_url(link_url + "submit/")
    assert clicks == {"submissions": 1, "disabled": True}
    assert len(posts) == 1
    assert Response.objects.count() == 1
    assert Response.objects.filter(submitted_on__isnull=False).count() == 1


@pytest.mark.browser
@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_a_shared_device_shows_nobody_the_previous_persons_answers(
    live_server, new_context, politician_link, viewport
):
    link_url = f"{live_server.url}/s/{politician_link.token}/"
    device = new_context(viewport)
    page = device.new_page()

    # Person 1 answers a page and leaves the draft for later.
    page.goto(link_url)
    page.locator("#start").click()
    expect(page).to_have_url(link_url + "page/1/")
    first = Respondent(page)
    first.answer_items(first.items())
    first.press("later", link_url + "saved/")
    draft = Response.objects.get()
    draft_answers = sorted(draft.answers.values_list("item_id", "value"))

    # Person 2 opens the link on the same device: offered the draft, shown none of it.
    page.goto(link_url)
    expect(page.locator("#continue-draft")).to_be_visible()
    expect(page.locator("input[type=radio]")).to_have_count(0)
    assert_accessible(page)
    page.locator("#start-new").click()
    expect(page).to_have_url(link_url + "page/1/")
    expect(page.locator("input[type=radio]:checked")).to_have_count(0)
    second = Respondent(page)
    names = second.items()
    for name in names:
        second.answer(name, "5")
    assert sorted(draft.answers.values_list("item_id", "value")) == draft_answers

    # Person 2 submits and sees their summary once, with a print button.
    page.goto(link_url + "submit/")
    assert_accessible(page)
    page.locator("main form button[data-submit-once]").click()
    expect(page.locator("#own-scores > li")).to_have_count(1)
    expect(page.locator("#own-scores")).to_contain_text("5,0")
    # The print button calls the browser's print (replaced here: headless has no printer).
    page.evaluate("() => { window.printed = 0; window.print = () => { window.printed += 1; }; }")
    page.locator("#print-summary").click()
    assert page.evaluate("window.printed") == 1
    expect(page.locator("#print-hint")).to_be_visible()
    assert_accessible(page)
    assert resume_cookies(device) == []

    # Person 3 opens the link, and the old summary address: no scores anywhere.
    for address in (link_url, link_url + "summary/"):
        page.goto(address)
        expect(page.locator("#own-scores")).to_have_count(0)
        expect(page.locator("#continue-draft")).to_have_count(0)
        expect(page.locator("main")).not_to_contain_text("5,0")
        assert_accessible(page)

    assert Response.objects.filter(submitted_on__isnull=False).count() == 1
    assert Response.objects.get(submitted_on__isnull=False).secret is None
    draft.refresh_from_db()
    assert not draft.is_submitted
    assert sorted(draft.answers.values_list("item_id", "value")) == draft_answers
