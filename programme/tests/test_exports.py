"""Budget, reach and selection as Excel: staff only, the page's figures, money and shares with
number formats (a share reads 43 %, not 0,43), texts never formulas."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from conftest import make_org
from programme.defaults import load_defaults
from programme.exports import MONEY, SHARE
from programme.models import Cost, ReferenceShare
from programme.report import report_settings

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(org_a):
    load_defaults()
    Cost.objects.create(
        activity="workshops", date=date(2019, 11, 20), amount=Decimal("950000.50"), note="=1+1"
    )
    ReferenceShare.objects.create(target_group="politician", share_women=Decimal("0.43"))
    make_org("0114", '=HYPERLINK("http://x","Klicka")')


def _book(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(BytesIO(response.content))


@pytest.mark.parametrize("name", ["budget_xlsx", "reach_xlsx", "selection_xlsx"])
def test_only_staff_get_the_workbooks(client_a, name):
    from django.test import Client

    for who in (Client(), client_a):  # anonymous, then a coordinator
        response = who.get(reverse(f"programme:{name}"))
        assert response.status_code in (302, 403, 404)
        assert not response.get("Content-Type", "").startswith("application/vnd")


def test_the_budget_workbook_has_the_pages_money_in_a_currency_format(staff_client, office):
    page = staff_client.get(reverse("programme:budget")).context
    book = _book(staff_client.get(reverse("programme:budget_xlsx")))
    years = book.worksheets[0]
    total = [row for row in years.iter_rows(values_only=False) if row[0].value == "Totalt"][0]
    assert total[1].value == page["total"].grant and total[1].number_format == MONEY
    assert total[2].value == Decimal("950000.50") or total[2].value == 950000.5
    costs = book.worksheets[2]
    assert costs["E2"].value == "'=1+1"  # a note is text, never a formula


def test_the_reach_workbook_has_shares_as_percent(staff_client, office):
    html = staff_client.get(reverse("programme:reach")).content.decode()
    assert reverse("programme:reach_xlsx") in html
    book = _book(staff_client.get(reverse("programme:reach_xlsx")))
    gender = book.worksheets[-1]
    row = [c for c in next(gender.iter_rows(min_row=2, max_row=2))]
    assert row[5].value == pytest.approx(0.43) and row[5].number_format == SHARE
    kinds = book.worksheets[0]
    assert kinds["D2"].number_format == SHARE


def test_the_selection_workbook_keeps_names_as_text(staff_client, office):
    book = _book(staff_client.get(reverse("programme:selection_xlsx")))
    names = [c.value for (c,) in book.worksheets[0].iter_rows(min_row=2, max_col=1)]
    assert '\'=HYPERLINK("http://x","Klicka")' in names


def test_the_report_settings_hold_addressing_and_the_target(staff_client):
    response = staff_client.post(
        reverse("programme:report"),
        {
            "form": "settings",
            "title": "Slutrapport",
            "period_start": "2018-08-30",
            "period_end": "2020-12-31",
            "deadline": "2021-02-28",
            "sender": "Programkontoret",
            "recipient": "Finansdepartementet",
            "reference": "Fi2018/1234",
            "kickoff": "2019-05-06",
            "reach_target": "60",
        },
    )
    assert response.status_code == 302
    settings = report_settings()
    assert (settings.recipient, settings.reference) == ("Finansdepartementet", "Fi2018/1234")
    assert settings.reach_target == Decimal("0.600")
    page = staff_client.get(reverse("programme:report")).content.decode()
    assert "Fi2018/1234" in page and 'value="60' in page


def test_a_reach_target_over_100_percent_is_refused_and_changes_nothing(staff_client):
    load_defaults()
    response = staff_client.post(
        reverse("programme:report"),
        {
            "form": "settings",
            "title": "Slutrapport",
            "period_start": "2018-08-30",
            "period_end": "2020-12-31",
            "reach_target": "150",
        },
    )
    assert response.status_code == 400
    assert report_settings().reach_target == Decimal("0.500")
