"""The report page and the pages that export to Excel, in a real Chromium on a phone and a
laptop: axe finds nothing, no page is wider than the screen, no table hides a column, the
report's charts are readable (text at least 12 px, no labels overlapping, the key lists what is
drawn), and the Excel link downloads a workbook."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from core.tests.browser import (
    LANGUAGES,
    assert_accessible,
    assert_charts_readable,
    assert_fits_the_screen,
    assert_no_hidden_columns,
    log_in,
)
from learning.models import Participant, WorkshopRequest
from programme.models import Cost, ReferenceShare
from registry.models import Organisation

PAGES = ["/programme/report/", "/programme/reach/", "/programme/budget/", "/programme/selection/"]


@pytest.fixture
def office(transactional_db, version):
    call_command("import_organisations", verbosity=0)
    call_command("load_programme_defaults", verbosity=0)
    Cost.objects.create(activity="workshops", date=date(2019, 11, 20), amount=Decimal("950000"))
    ReferenceShare.objects.create(target_group="politician", share_women=Decimal("0.43"))
    workshop = WorkshopRequest.objects.create(
        organisation=Organisation.objects.get(code="1287"),
        format="half_day",
        status="held",
        wished_date_1=date(2019, 11, 20),
        scheduled_start=timezone.make_aware(timezone.datetime(2019, 11, 20, 9)),
    )
    Participant.objects.bulk_create(
        Participant(request=workshop, target_group=group, gender=gender)
        for group in ("politician", "official")
        for gender in ("woman", "man", "woman")
    )
    return workshop


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_report_and_export_pages_read_whole_on_every_screen(
    live_server, new_context, staff_user, office, viewport, language
):
    page = new_context(viewport).new_page()
    log_in(page, live_server.url, staff_user.username)
    for path in PAGES:
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        assert_accessible(page)
        assert_fits_the_screen(page)
        assert_no_hidden_columns(page)
    page.goto(live_server.url + "/programme/report/")
    # every chart kind of the report (bars of shares, bars of amounts, means): text >= 12 px,
    # no two labels overlapping, a key of what is drawn, its table under it
    assert page.locator("figure.report-chart").count() >= 3
    assert_charts_readable(page)


@pytest.mark.browser
def test_the_budget_downloads_as_excel(live_server, new_context, staff_user, office):
    page = new_context("desktop").new_page()
    log_in(page, live_server.url, staff_user.username)
    page.goto(live_server.url + "/programme/budget/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Ladda ner som Excel").click()
    assert download.value.suggested_filename == "digilyft-budget.xlsx"
