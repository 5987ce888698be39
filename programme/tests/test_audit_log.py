"""The audit log: paged, keeps who acted after the account is gone, and records admin edits
of what the report shows."""

from decimal import Decimal

import pytest
from django.urls import reverse

from conftest import make_user
from programme import audit
from programme.models import AuditEntry, Partner, ReferenceShare
from programme.views import AUDIT_PAGE_SIZE


def test_the_log_is_paged_and_every_entry_can_be_reached(staff_client, staff_user):
    partner = Partner.objects.create(key="myndighet", name="Myndighet", role="x")
    for n in range(AUDIT_PAGE_SIZE + 3):
        audit.record(staff_user, partner, "change", {"n": n}, {"n": n + 1})
    first = staff_client.get(reverse("programme:audit"))
    assert len(first.context["entries"]) == AUDIT_PAGE_SIZE
    last = staff_client.get(reverse("programme:audit"), {"page": 2})
    assert len(last.context["entries"]) == 3
    assert [e.before["n"] for e in last.context["entries"]] == [2, 1, 0]  # the oldest


@pytest.mark.parametrize("page", ["0", "x", "99"])
def test_a_bad_page_gets_a_400_and_a_message(staff_client, page):
    response = staff_client.get(reverse("programme:audit"), {"page": page})
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()


def test_who_acted_is_kept_after_the_account_is_deleted(staff_client):
    leaver = make_user("leaver", is_staff=True)
    partner = Partner.objects.create(key="myndighet", name="Myndighet", role="x")
    audit.record(leaver, partner, "change", {}, {})
    leaver.delete()
    entry = AuditEntry.objects.get()
    assert entry.user is None and entry.username == "leaver"
    assert "leaver" in staff_client.get(reverse("programme:audit")).content.decode()


def test_admin_edits_of_a_reference_share_are_recorded(staff_client):
    url = reverse("admin:programme_referenceshare_add")
    data = {"target_group": "politician", "share_women": "0.4300", "source": "SCB"}
    assert staff_client.post(url, data).status_code == 302
    share = ReferenceShare.objects.get()
    change = reverse("admin:programme_referenceshare_change", args=[share.pk])
    assert staff_client.post(change, {**data, "share_women": "0.4500"}).status_code == 302
    delete = reverse("admin:programme_referenceshare_delete", args=[share.pk])
    assert staff_client.post(delete, {"post": "yes"}).status_code == 302
    entries = list(AuditEntry.objects.order_by("id"))
    assert [e.action for e in entries] == ["admin add", "admin change", "admin delete"]
    assert entries[1].before["share_women"] == str(Decimal("0.4300"))
    assert entries[1].after["share_women"] == str(Decimal("0.4500"))
    assert entries[2].before["source"] == "SCB" and entries[2].after is None
    assert {e.username for e in entries} == {"staff"}


def test_an_admin_edit_of_a_partner_records_its_links_too(staff_client):
    from learning.tests.factories import make_module

    module = make_module("styrning", ["g1"])
    url = reverse("admin:programme_partner_add")
    data = {"key": "myndighet", "name": "Myndighet", "role": "Stöd", "modules": [module.pk]}
    assert staff_client.post(url, data).status_code == 302
    entry = AuditEntry.objects.get()
    assert entry.action == "admin add" and entry.after["name"] == "Myndighet"
    assert entry.after["modules"] == [module.pk]  # saved after the object, recorded too
