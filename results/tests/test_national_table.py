"""The programme office's national organisation table: goals named in words, sorted and paged
on the server, exported to Excel and CSV with no cell that can turn into a formula."""

import csv
from io import BytesIO, StringIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from conftest import make_org
from frameworks.models import Goal

from .factories import link, make_round, publish, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_organisations(org_a, version):
    """Trelleborg (mean 2), an organisation named like a formula (mean 4) and a small one
    (3 respondents: never in the figures)."""
    formula = make_org("1281", '=HYPERLINK("http://x")')
    small = make_org("1282", "Litenkommun")
    for org, value, n in ((org_a, 2, 6), (formula, 4, 6), (small, 5, 3)):
        round_ = make_round(org, version, name=f"Omgång {org.code}")
        submit(link(round_, "official"), n, value=value)
        publish(round_)
    return org_a, formula, small


def _page(staff_client, **params):
    response = staff_client.get(reverse("results:national"), params)
    return response, response.content.decode()


def test_goals_are_named_in_words_not_keys(staff_client, three_organisations, version):
    response, body = _page(staff_client)
    assert response.status_code == 200
    goals = list(Goal.objects.filter(area__version=version))
    for goal in goals:
        assert goal.name_sv in body
        assert f">{goal.key}<" not in body
        assert f'title="{goal.name_sv}"' not in body  # not hover-only


def _organisations_in_first_table(body):
    table = body.split('class="heat-map"', 1)[1].split("</table>", 1)[0]
    rows = table.split("<tbody>", 1)[1]
    return [part.split("</th>", 1)[0] for part in rows.split('<th scope="row">')[1:]]


def test_staff_sort_by_a_goal_both_ways(staff_client, three_organisations, version):
    goal = Goal.objects.filter(area__version=version).first()
    _, body = _page(staff_client, sort=f"goal-{goal.pk}", order="desc")
    assert _organisations_in_first_table(body) == [
        "=HYPERLINK(&quot;http://x&quot;)",
        "Trelleborgs kommun",
    ]
    assert 'aria-sort="descending"' in body
    _, body = _page(staff_client, sort=f"goal-{goal.pk}", order="asc")
    assert _organisations_in_first_table(body) == [
        "Trelleborgs kommun",
        "=HYPERLINK(&quot;http://x&quot;)",
    ]
    # the small organisation is never in the figures, whatever the order
    assert "Litenkommun" not in body.split('id="participation-heading"')[0]


def test_staff_page_through_the_organisations(staff_client, three_organisations, monkeypatch):
    monkeypatch.setattr("results.views.PAGE_SIZE", 1)
    _, first = _page(staff_client, sort="name")
    _, second = _page(staff_client, sort="name", page=2)
    assert _organisations_in_first_table(first) == ["=HYPERLINK(&quot;http://x&quot;)"]
    assert _organisations_in_first_table(second) == ["Trelleborgs kommun"]
    assert (
        'rel="next"' in first and "sort=name" in first.split('rel="next"')[0].rsplit("href=", 1)[1]
    )
    # a page past the end shows the last one
    _, beyond = _page(staff_client, sort="name", page=99)
    assert _organisations_in_first_table(beyond) == ["Trelleborgs kommun"]


@pytest.mark.parametrize("params", [{"sort": "ledning-1"}, {"order": "up"}, {"page": "0"}])
def test_a_bad_sort_or_page_gets_a_message_and_a_400(staff_client, three_organisations, params):
    response, body = _page(staff_client, **params)
    assert response.status_code == 400
    assert 'class="error-box"' in body


def test_the_excel_export_has_every_organisation_and_no_formula(
    staff_client, three_organisations, version
):
    response = staff_client.get(reverse("results:national_xlsx"))
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.values)
    goals = list(Goal.objects.filter(area__version=version))
    assert list(rows[0][7:]) == [goal.name_sv for goal in goals]
    by_code = {row[0]: row for row in rows[1:]}
    assert set(by_code) == {"1287", "1281", "1282"}
    assert by_code["1281"][1] == '\'=HYPERLINK("http://x")'
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    shown = _first_goal_mean(version, "1287")
    assert abs(shown - 2.0) < 1.7  # six answers of 2, with the deliberate noise of the figures
    assert by_code["1287"][7] == pytest.approx(shown)
    assert by_code["1282"][6] == "nej" and by_code["1282"][7:] == (None,) * len(goals)


def _first_goal_mean(version, code):
    from results.national import Filters, national_picture

    picture = national_picture(version, Filters())
    participation, figures = next(
        pair for pair in picture.standings if pair[0].organisation.code == code
    )
    return figures[picture.goals[0].pk].mean


def test_the_csv_export_is_what_swedish_excel_opens(staff_client, three_organisations, version):
    response = staff_client.get(reverse("results:national_csv"), {"county": "12"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(StringIO(text[1:]), delimiter=";"))
    by_code = {row[0]: row for row in rows[1:]}
    assert by_code["1287"][7] == f"{_first_goal_mean(version, '1287'):.1f}".replace(".", ",")
    assert by_code["1281"][1].startswith("'=")


def test_the_exports_follow_the_filters(staff_client, three_organisations):
    response = staff_client.get(reverse("results:national_csv"), {"kind": "region"})
    rows = list(csv.reader(StringIO(response.content.decode("utf-8")[1:]), delimiter=";"))
    assert len(rows) == 1  # the header only: there is no region in the selection


def test_only_staff_export(client_a, three_organisations):
    for name in ("results:national_xlsx", "results:national_csv"):
        assert client_a.get(reverse(name)).status_code in (403, 404)


def test_staff_land_on_the_overview_and_coordinators_on_their_rounds(
    client, staff_user, coordinator_a
):
    from conftest import PASSWORD

    for user, target in (
        (staff_user, "programme:overview"),
        (coordinator_a, "assessments:coordinator_home"),
    ):
        response = client.post(
            reverse("login"), {"username": user.username, "password": PASSWORD}, follow=True
        )
        assert response.redirect_chain[-1][0] == reverse(target)
        client.logout()
