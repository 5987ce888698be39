from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from programme import budget
from programme.models import AuditEntry, Cost, Grant

pytestmark = pytest.mark.django_db


def add(client, **overrides):
    data = {
        "form": "cost",
        "activity": "webinars",
        "date": "2019-05-06",
        "amount": "0.10",
        "status": "spent",
        "note": "",
    }
    data.update(overrides)
    return client.post(reverse("programme:budget"), data)


def test_amounts_are_exact_and_summed_per_year(staff_client):
    budget.set_grant(None, 2019, Decimal("3000000.00"))
    add(staff_client, amount="0.10")
    add(staff_client, amount="0.20")
    add(staff_client, amount="1000,55", status="committed")  # the Swedish decimal comma
    (year,) = budget.by_year()
    assert (year.spent, year.committed) == (Decimal("0.30"), Decimal("1000.55"))
    assert year.remaining == Decimal("2998999.15")
    page = staff_client.get(reverse("programme:budget")).content.decode()
    assert "2\u202f998\u202f999,15\u00a0kr" in page  # thin spaces and a space that never breaks


def test_a_cost_that_takes_a_year_over_its_grant_needs_confirmation(staff_client):
    budget.set_grant(None, 2020, Decimal("5000000"))
    add(staff_client, date="2020-03-01", amount="4000000")
    result = add(staff_client, date="2020-04-01", amount="1500000")
    assert result.status_code == 400
    assert result.context["warning"].used == Decimal("5500000")
    assert Cost.objects.count() == 1
    confirmed = add(staff_client, date="2020-04-01", amount="1500000", accept_overrun="on")
    assert confirmed.status_code == 302
    assert budget.by_year()[0].over


@pytest.mark.parametrize(
    "overrides",
    [
        {"amount": "-5"},
        {"amount": "0"},
        {"amount": "12,5,0"},
        {"date": "2019-13-40"},
        {"activity": "party"},
    ],
)
def test_bad_costs_are_explained_and_change_nothing(staff_client, overrides):
    result = add(staff_client, **overrides)
    assert result.status_code == 400
    assert 'class="error-box"' in result.content.decode()
    assert not Cost.objects.exists()
    assert not AuditEntry.objects.exists()


def test_money_changes_are_in_the_audit_log(staff_client, staff_user):
    staff_client.post(
        reverse("programme:budget"),
        {"form": "grant", "year": "2019", "amount": "3000000", "note": ""},
    )
    staff_client.post(
        reverse("programme:budget"),
        {"form": "grant", "year": "2019", "amount": "3100000", "note": "Ändrat beslut"},
    )
    add(staff_client, amount="500")
    cost = Cost.objects.get()
    staff_client.post(reverse("programme:delete_cost", args=[cost.pk]))
    entries = list(AuditEntry.objects.order_by("id"))
    assert [e.action for e in entries] == ["create", "update", "create", "delete"]
    assert (
        entries[1].before["amount"] == "3000000.00" and entries[1].after["amount"] == "3100000.00"
    )
    assert entries[3].before["amount"] == "500.00" and entries[3].after is None
    assert all(e.user == staff_user for e in entries)
    assert Grant.objects.get().amount == Decimal("3100000")
    assert "3100000.00" in staff_client.get(reverse("programme:audit")).content.decode()


def test_the_defaults_hold_the_programmes_grants(db):
    from programme.defaults import load_defaults

    load_defaults()
    assert dict(Grant.objects.values_list("year", "amount")) == {
        2018: Decimal("2000000"),
        2019: Decimal("3000000"),
        2020: Decimal("5000000"),
    }
    assert budget.total(budget.by_year()).grant == Decimal("10000000")


def test_every_programme_page_needs_staff_rights(client_a):
    urls = [
        reverse(name)
        for name in (
            "programme:overview",
            "programme:budget",
            "programme:reach",
            "programme:partners",
            "programme:selection",
            "programme:report",
            "programme:report_pdf",
            "programme:report_docx",
            "programme:audit",
        )
    ]
    for url in urls:
        assert client_a.get(url).status_code == 403, url
        assert Client().get(url).status_code == 302, url
    assert (
        client_a.post(
            reverse("programme:budget"), {"form": "grant", "year": "2019", "amount": "1"}
        ).status_code
        == 403
    )
    assert not Grant.objects.exists()
