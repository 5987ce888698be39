"""Every table on every page, on a phone (390 px): none is clipped without the one mechanism of
the base template (``core/static/core/tables.js``): a table wider than the screen scrolls in
its box, with a visible line above it that says so, and its first column stays in view.

"Every page" is found, not listed: the walk starts at the home page as a coordinator and as the
programme office and follows every link to a page of the product (downloads, the API, the
admin and logging out left aside), each kind of page (its URL name) at most twice."""

from collections import deque
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.urls import Resolver404, resolve
from django.utils import timezone
from playwright.sync_api import expect

from core.tests.browser import hidden_columns, log_in
from frameworks.models import Goal
from learning.models import RequestedGoal, WorkshopRequest
from learning.tests.factories import make_module
from plans import actions
from results.tests.factories import link, make_round, publish, submit

NOT_PAGES = (".pdf", ".xlsx", ".csv", ".ics", ".docx", ".json")
NOT_WALKED = ("/admin/", "/api/v1/", "/accounts/logout", "/i18n/", "/static/", "/media/")
SAME_KIND = 2  # pages of one URL name that are visited (another round, another sort order)


@pytest.fixture
def a_programme_under_way(transactional_db, org_a, org_b, version, coordinator_a):
    """Published rounds with a previous one, the office's registry and defaults, a workshop
    held and the action plan made from it: enough for every kind of page to have its tables."""
    call_command("import_organisations", verbosity=0)
    call_command("load_programme_defaults", verbosity=0)
    before = make_round(org_a, version, name="Nollmätning", days_ago=400)
    submit(link(before, "official"), 6, value=2)
    round_ = make_round(org_a, version, name="Uppföljning med ett långt namn")
    submit(link(round_, "politician"), 6, value=lambda i, item: 3 + i % 3, gender="woman")
    submit(link(round_, "official"), 7, value=lambda i, item: 1 + i % 4, gender="man")
    other = make_round(org_b, version, name="Linköping")
    submit(link(other, "official"), 9, value=3)
    for published in (before, other, round_):
        publish(published)
    goal = Goal.objects.filter(area__version=version).first()
    make_module("styrning", [goal.key])
    workshop = WorkshopRequest.objects.create(
        organisation=org_a,
        format=WorkshopRequest.Format.HALF_DAY,
        status=WorkshopRequest.Status.HELD,
        wished_date_1=timezone.localdate() - timedelta(days=1),
    )
    RequestedGoal.objects.create(
        request=workshop, goal_key=goal.key, goal_name=goal.name_sv, reasons="Medel 2,1"
    )
    actions.plan_from_workshop(workshop, coordinator_a)
    return round_


def _kind(path: str, query: str) -> str | None:
    """The URL name of a page of the product worth walking, None for anything else."""
    if path.endswith(NOT_PAGES) or path.startswith(NOT_WALKED) or "format=" in query:
        return None
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name


def walk(page, base_url) -> dict:
    """{url: problems} for every page reached from the home page by links."""
    seen, kinds, found = set(), {}, {}
    queue = deque([base_url + "/"])
    while queue:
        url = queue.popleft()
        parts = urlsplit(url)
        kind = _kind(parts.path, parts.query)
        if url in seen or kind is None or kinds.get(kind, 0) >= SAME_KIND:
            continue
        seen.add(url)
        kinds[kind] = kinds.get(kind, 0) + 1
        response = page.goto(url)
        if response is None or "text/html" not in response.headers.get("content-type", ""):
            continue
        # a closed round's respondent link answers 410 Gone, with its page: walked too
        assert response.status < 500, f"{url} answered {response.status}"
        page.wait_for_load_state("load")
        found[url] = (kind, page.locator("main table").count(), hidden_columns(page))
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"):
            target = urlsplit(href)
            if target.netloc == parts.netloc and target.scheme == parts.scheme:
                queue.append(href.split("#")[0])
    return found


@pytest.mark.browser
@pytest.mark.parametrize(
    ("persona", "must_reach"),
    [
        (
            "coordinator_a",
            {
                "assessments:coordinator_home",
                "assessments:round_detail",
                "results:round_results",
                "plans:detail",
                "learning:workshop_list",
            },
        ),
        (
            "staff_user",
            {
                "programme:overview",
                "programme:loop",
                "programme:budget",
                "programme:reach",
                "programme:selection",
                "programme:report",
                "results:national",
                "webinars:office_sessions",
            },
        ),
    ],
)
def test_no_table_on_any_page_is_clipped_on_a_phone(
    request, live_server, new_context, a_programme_under_way, persona, must_reach
):
    user = request.getfixturevalue(persona)
    page = new_context("phone").new_page()
    log_in(page, live_server.url, user.username)

    found = walk(page, live_server.url)

    reached = {kind for kind, _tables, _problems in found.values()}
    assert must_reach <= reached, f"the walk did not reach {must_reach - reached}"
    assert sum(tables for _kind, tables, _problems in found.values()) >= 10
    problems = {url: p for url, (_kind, _tables, p) in found.items() if p}
    assert problems == {}, "tables clipped on a phone:\n" + "\n".join(
        f"{url}\n  " + "\n  ".join(p) for url, p in problems.items()
    )


WIDE_TABLE = """(boxed) => {
  const table = document.createElement('table');
  table.innerHTML = '<caption>Bred</caption><tr>' +
    Array.from({length: 12}, (_, i) => `<th>Kolumn nummer ${i}</th>`).join('') + '</tr><tr>' +
    Array.from({length: 12}, (_, i) => `<td>${i * 1000}</td>`).join('') + '</tr>';
  table.id = 'wide';
  if (boxed) {
    const box = document.createElement('div');
    box.className = 'table-scroll';
    box.append(table);
    document.querySelector('main').append(box);
  } else {
    document.querySelector('main').append(table);
  }
}"""


@pytest.mark.browser
def test_a_wide_table_without_the_mechanism_fails_and_the_base_template_gives_it(
    live_server, new_context, db
):
    page = new_context("phone").new_page()
    page.goto(live_server.url + "/accessibility/")
    assert hidden_columns(page) == []

    # A wide table added after the page's script ran: clipped, without box or cue.
    page.evaluate(WIDE_TABLE, False)
    assert any("no scroll box" in problem for problem in hidden_columns(page))
    page.evaluate("document.getElementById('wide').remove()")
    # In a scroll box but with no cue above it: still reported.
    page.evaluate(WIDE_TABLE, True)
    assert any("cue shown: false" in problem for problem in hidden_columns(page))
    page.evaluate("document.getElementById('wide').parentElement.remove()")

    # The base template's script gives a bare table its box, its cue and its first column.
    page.evaluate(WIDE_TABLE, False)
    page.add_script_tag(url=live_server.url + "/static/core/tables.js")
    expect(page.locator(".table-scroll > #wide")).to_have_count(1)
    expect(page.locator(".scroll-cue:visible")).to_have_count(1)
    assert hidden_columns(page) == []
    first = page.locator("#wide th").first
    before = first.bounding_box()["x"]
    page.locator(".table-scroll:has(#wide)").evaluate("box => box.scrollLeft = 400")
    assert first.bounding_box()["x"] == pytest.approx(before, abs=1)
    assert page.locator("#wide th").nth(3).bounding_box()["x"] < 390
