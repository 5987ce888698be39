"""Results pages and the national dashboard in a real Chromium, axe-checked, on a phone and a
desktop: a coordinator reads their round and downloads both exports; staff filter the nation."""

import pytest
from django.utils import translation
from playwright.sync_api import expect

from core.tests.browser import (
    LANGUAGES,
    assert_accessible,
    assert_charts_readable,
    assert_fits_the_screen,
    assert_no_hidden_columns,
    chart_problems,
    log_in,
)
from results import charts
from results.tests.test_charts import ROWS, TOTAL, row, shown

from .factories import link, make_round, publish, submit


@pytest.fixture
def answered_round(transactional_db, org_a, org_b, version):
    before = make_round(org_a, version, name="Nollmätning", days_ago=400)
    submit(link(before, "official"), 6, value=2)
    round_ = make_round(org_a, version, name="Uppföljning")
    submit(link(round_, "politician"), 6, value=lambda i, item: 3 + i % 3, gender="woman")
    submit(link(round_, "official"), 7, value=lambda i, item: 1 + i % 4, gender="man")
    submit(link(round_, "key_person"), 2, value=5)
    other = make_round(org_b, version, name="Linköping")
    submit(link(other, "official"), 9, value=3)
    for published in (before, other, round_):
        publish(published)
    return round_


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_a_coordinator_reads_the_results_and_downloads_them(
    live_server, new_context, coordinator_a, answered_round, viewport, language
):
    page = new_context(viewport, accept_downloads=True).new_page()
    log_in(page, live_server.url, coordinator_a.username)
    page.goto(f"{live_server.url}/coordinator/rounds/{answered_round.pk}/")
    page.locator(f"a[href$='/rounds/{answered_round.pk}/results/']").click()
    expect(page.locator("main h1")).to_contain_text("Uppföljning")
    # Every chart has its data table, and is drawn at the width that suits the screen; the
    # small key-person group is never shown as a number.
    expect(page.locator("figure.chart svg:visible")).to_have_count(2)
    assert page.locator("figure.chart svg").count() == 4
    assert (
        page.locator("figure.chart svg").count()
        == page.locator("figure.chart [aria-hidden=true] svg").count()
    )
    assert page.locator("table caption").count() >= 8
    with translation.override(language):
        suppressed = translation.gettext("suppressed: too few respondents")
    expect(page.get_by_text(suppressed).first).to_be_attached()
    assert_accessible(page)
    assert_fits_the_screen(page)
    assert_no_hidden_columns(page)
    assert_charts_readable(page)
    # the page opens with the brief, the details after it
    expect(page.locator("main #brief li").first).to_be_visible()
    brief_top = page.locator("#brief").bounding_box()["y"]
    assert brief_top < page.locator("#details-heading").bounding_box()["y"]
    assert brief_top < page.locator("figure.chart").first.bounding_box()["y"]
    with page.expect_download() as pdf:
        page.locator("a[href$='results.pdf']").click()
    assert pdf.value.suggested_filename.endswith(".pdf")
    with open(pdf.value.path(), "rb") as handle:
        assert handle.read(4) == b"%PDF"
    # The workbook through the same logged-in browser session.
    href = page.locator("a[href$='results.xlsx']").get_attribute("href")
    xlsx = page.request.get(live_server.url + href)
    assert xlsx.status == 200
    assert xlsx.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert xlsx.body()[:2] == b"PK"


@pytest.mark.browser
def test_too_few_responses_reads_as_a_clear_message(
    live_server, new_context, coordinator_a, version
):
    round_ = make_round(coordinator_a.coordinator.organisation, version, name="Liten")
    submit(link(round_, "official"), 3, value=4)
    publish(round_)
    page = new_context("phone").new_page()
    log_in(page, live_server.url, coordinator_a.username)
    page.goto(f"{live_server.url}/coordinator/rounds/{round_.pk}/results/")
    expect(page.locator("main .error-box")).to_be_visible()
    expect(page.locator("figure.chart")).to_have_count(0)
    # What it would be compared with, instead of its own hidden figures.
    expect(page.locator("#compared-with")).to_be_visible()
    assert_accessible(page)


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_staff_filter_the_national_picture(
    live_server, new_context, staff_user, answered_round, viewport, language
):
    page = new_context(viewport).new_page()
    log_in(page, live_server.url, staff_user.username)
    page.goto(live_server.url + "/programme/national/")
    expect(page.locator("main h1")).to_be_visible()
    assert_accessible(page)
    assert_fits_the_screen(page)
    assert_no_hidden_columns(page)
    assert_charts_readable(page)
    # sorting is a link in the column heading, and keeps working without JavaScript
    page.locator("table.heat-map thead a.sort-link").nth(1).click()
    expect(page.locator("table.heat-map thead th[aria-sort=ascending]").first).to_be_attached()
    assert_accessible(page)
    rows = page.locator("section[aria-labelledby=participation-heading] tbody tr")
    expect(rows).to_have_count(2)
    page.select_option("#id_county", "05")
    page.locator("form.filters button[type=submit]").click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Linköpings kommun")
    assert_accessible(page)


@pytest.mark.browser
def test_an_open_round_shows_counts_and_when_results_come(
    live_server, new_context, coordinator_a, version
):
    round_ = make_round(coordinator_a.coordinator.organisation, version, name="Pågående")
    submit(link(round_, "official"), 7, value=4)
    page = new_context("phone").new_page()
    log_in(page, live_server.url, coordinator_a.username)
    page.goto(f"{live_server.url}/coordinator/rounds/{round_.pk}/results/")
    expect(page.locator("#not-published")).to_be_visible()
    expect(page.locator("figure.chart")).to_have_count(0)
    expect(page.locator("a[href$='results.xlsx']")).to_have_count(0)
    assert_accessible(page)
    assert_fits_the_screen(page)


@pytest.mark.browser
def test_staff_correct_a_published_round_with_a_reason(
    live_server, new_context, staff_user, answered_round
):
    from programme.models import AuditEntry

    page = new_context("desktop").new_page()
    log_in(page, live_server.url, staff_user.username)
    page.goto(f"{live_server.url}/coordinator/rounds/{answered_round.pk}/results/")
    page.locator(f"a[href$='/rounds/{answered_round.pk}/republish/']").click()
    assert_accessible(page)
    page.get_by_role("button", name="Publicera resultaten igen").click()
    expect(page.locator("#form-errors")).to_be_visible()  # a reason is required
    assert_accessible(page)
    page.locator("textarea").fill("Fabricerade svar togs bort efter granskning.")
    page.get_by_role("button", name="Publicera resultaten igen").click()
    expect(page.locator("main h1")).to_contain_text("Uppföljning")
    entry = AuditEntry.objects.get(action="republish")
    assert entry.after["edition"] == 2 and "Fabricerade" in entry.after["reason"]


# A4 minus the print stylesheet's margins (12 mm each side), in CSS pixels at 96 per inch.
A4_PRINT_WIDTH = round((210 - 24) / 25.4 * 96)


@pytest.mark.browser
@pytest.mark.parametrize(
    "path",
    [
        "/coordinator/rounds/{pk}/results/",
        "/programme/national/",
        "/programme/",
        "/programme/budget/",
        "/programme/reach/",
        "/programme/selection/",
        "/programme/report/",
    ],
)
def test_pages_of_figures_print_without_clipping(
    live_server, new_context, staff_user, answered_round, path
):
    page = new_context("desktop").new_page()
    log_in(page, live_server.url, staff_user.username)
    page.goto(live_server.url + path.format(pk=answered_round.pk))
    page.emulate_media(media="print")
    page.set_viewport_size({"width": A4_PRINT_WIDTH, "height": 1100})
    expect(page.locator("header.site-header")).to_be_hidden()
    assert_no_hidden_columns(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= A4_PRINT_WIDTH, f"{path} prints {width}px wide on a {A4_PRINT_WIDTH}px page"


@pytest.mark.browser
def test_the_overlap_measure_catches_axis_labels_that_run_together(new_context, db):
    """The phone chart as pygal drew it before (names beside the bars in 330 px): its axis
    labels overlap ("1,02,03,04,05,0") and three colours had no key; the chart drawn now
    for a phone has neither problem."""
    rows = ROWS[:2] + [row("Informationsförsörjning och digital infrastruktur", shown(3, 2, 4))]
    series = TOTAL + [("A", lambda r: r.total), ("B", lambda r: r.total)]
    beside = charts._means(rows, series, {"width": 330, "font": 14, "wrap": 18})
    chart = charts.means_by_group(rows, series)
    page = new_context("phone").new_page()
    key = "".join(
        f'<li><span class="swatch" style="background: {colour}"></span>{label}</li>'
        for label, colour in chart.key
    )
    for svg, overlaps in ((beside, True), (chart.narrow, False)):
        page.set_content(
            f'<main><figure class="chart" style="width: 358px">{svg}<ul class="chart-key">{key}'
            "</ul></figure><table><tr><td>1</td></tr></table></main>"
            "<style>svg { width: 100%; height: auto } .swatch { display: inline-block;"
            " width: 1rem; height: 1rem }</style>"
        )
        problems = chart_problems(page)
        assert any('"1,0" overlaps "2,0"' in p for p in problems) is overlaps, problems
        if not overlaps:
            assert problems == []
