from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import make_user
from learning.models import StatusChange, WorkshopModule, WorkshopRequest
from results.tests.factories import link, make_round, submit
from webinars.tests.factories import run_worker

from .factories import make_module

pytestmark = pytest.mark.django_db


def request_data(chosen, **overrides):
    data = {
        "format": "half_day",
        "modules": [m.pk for m in chosen],
        "wished_date_1": (timezone.localdate() + timedelta(days=30)).isoformat(),
        "wished_date_2": "",
        "expected_politicians": "8",
        "expected_officials": "12",
        "expected_key_persons": "0",
        "message": "",
    }
    data.update(overrides)
    return data


def propose_url(round_):
    return reverse("learning:propose", args=[round_.pk])


def test_the_proposal_page_preselects_the_proposed_modules(client_a, answered):
    page = client_a.get(propose_url(answered))
    assert page.status_code == 200
    proposal = page.context["proposal"]
    assert proposal.picks and proposal.modules
    assert page.context["form"].initial["modules"] == [m.pk for m in proposal.modules]


# Runs the real worker, which closes database connections between tasks: real transactions.
@pytest.mark.django_db(transaction=True)
def test_a_coordinator_sends_an_edited_request(
    client_a, coordinator_a, answered, django_capture_on_commit_callbacks
):
    extra = make_module("extra", ["ledning-1"], minutes=30)
    chosen = list(WorkshopModule.objects.exclude(pk=extra.pk)[:2]) + [extra]
    with django_capture_on_commit_callbacks(execute=True):
        result = client_a.post(propose_url(answered), request_data(chosen))
    assert result.status_code == 302
    workshop = WorkshopRequest.objects.get()
    assert workshop.organisation == answered.organisation
    assert {rm.module for rm in workshop.modules.all()} == set(chosen)
    assert workshop.expected_total == 20
    assert workshop.goals.exists()
    assert not mail.outbox  # the web request only queued the mail
    run_worker()
    assert len(mail.outbox) == 1 and coordinator_a.email in mail.outbox[0].to
    run_worker()
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    "overrides, expected",
    [
        ({"wished_date_1": "2020-01-01"}, "wished_date_1"),
        ({"modules": []}, "modules"),
        ({"modules": ["999999"]}, "modules"),
        ({"expected_officials": "-2"}, "expected_officials"),
        ({"expected_politicians": "0", "expected_officials": "0"}, None),
        ({"format": "week"}, "format"),
    ],
)
def test_bad_input_is_explained_and_nothing_is_stored(client_a, answered, overrides, expected):
    modules = list(WorkshopModule.objects.all()[:2])
    result = client_a.post(propose_url(answered), request_data(modules, **overrides))
    assert result.status_code == 400
    assert 'class="error-box"' in result.content.decode()
    if expected:
        assert expected in result.context["form"].errors
    assert not WorkshopRequest.objects.exists()


def test_modules_that_do_not_fit_the_format_are_refused(client_a, answered):
    long = [make_module(f"long-{i}", ["ledning-1"], minutes=90) for i in range(3)]
    result = client_a.post(propose_url(answered), request_data(long))
    assert result.status_code == 400
    assert "270" in result.content.decode()
    assert not WorkshopRequest.objects.exists()


def test_a_module_retired_while_the_form_was_open_is_refused(client_a, answered):
    modules = list(WorkshopModule.objects.all()[:2])
    WorkshopModule.objects.filter(pk=modules[0].pk).update(is_active=False)
    result = client_a.post(propose_url(answered), request_data(modules))
    assert result.status_code == 400
    assert not WorkshopRequest.objects.exists()


def test_a_second_request_while_one_is_open_is_refused(client_a, answered):
    modules = list(WorkshopModule.objects.all()[:2])
    assert client_a.post(propose_url(answered), request_data(modules)).status_code == 302
    again = client_a.post(propose_url(answered), request_data(modules))
    assert again.status_code == 400
    assert WorkshopRequest.objects.count() == 1


def test_a_request_for_another_organisation_is_impossible(client_b, answered):
    modules = list(WorkshopModule.objects.all()[:2])
    assert client_b.get(propose_url(answered)).status_code == 404
    assert client_b.post(propose_url(answered), request_data(modules)).status_code == 404
    assert not WorkshopRequest.objects.exists()


@pytest.fixture
def workshop(client_a, answered):
    client_a.post(propose_url(answered), request_data(list(WorkshopModule.objects.all()[:2])))
    mail.outbox.clear()
    return WorkshopRequest.objects.get()


def move(client, workshop, status, **data):
    return client.post(reverse("learning:workshop_move", args=[workshop.pk, status]), data)


# Runs the real worker, which closes database connections between tasks: real transactions.
@pytest.mark.django_db(transaction=True)
def test_staff_move_it_through_the_workflow_and_the_coordinator_is_told(
    client, staff_user, coordinator_a, workshop, django_capture_on_commit_callbacks
):
    run_worker()  # the request's own mail, if its commit queued one
    mail.outbox.clear()
    client.force_login(staff_user)
    start = (timezone.localtime() + timedelta(days=20)).strftime("%Y-%m-%dT%H:%M")
    with django_capture_on_commit_callbacks(execute=True):
        move(
            client,
            workshop,
            "confirmed",
            scheduled_start=start,
            facilitator="Anna",
            video_link="https://meet.example/x",
        )
        move(client, workshop, "held")
        move(client, workshop, "evaluated")
    assert not mail.outbox
    run_worker()
    workshop.refresh_from_db()
    assert workshop.status == "evaluated"
    assert workshop.facilitator == "Anna"
    assert [c.to_status for c in StatusChange.objects.filter(request=workshop)] == [
        "requested",
        "confirmed",
        "held",
        "evaluated",
    ]
    assert len(mail.outbox) == 3
    assert all(coordinator_a.email in message.to for message in mail.outbox)
    assert "Anna" in mail.outbox[0].body
    # Each mail says the step it was sent for, although the request has moved on since.
    assert "Bekräftad" in mail.outbox[0].subject


def test_a_status_mail_goes_once_even_if_its_task_runs_twice(coordinator_a, workshop):
    from learning.tasks import send_status_mail

    change = StatusChange.objects.get(request=workshop)
    assert send_status_mail.call(change.pk) == 1
    assert send_status_mail.call(change.pk) == 0
    assert len(mail.outbox) == 1


def test_a_confirmation_needs_a_future_time_a_facilitator_and_a_place(client, staff_user, workshop):
    client.force_login(staff_user)
    move(
        client, workshop, "confirmed", scheduled_start="2020-01-01T10:00", facilitator="", place=""
    )
    workshop.refresh_from_db()
    assert workshop.status == "requested"
    assert not mail.outbox


def test_steps_cannot_be_skipped(client, staff_user, workshop):
    client.force_login(staff_user)
    move(client, workshop, "evaluated")
    workshop.refresh_from_db()
    assert workshop.status == "requested"
    assert not mail.outbox


def test_coordinators_cannot_move_a_workshop(client_a, workshop):
    result = move(client_a, workshop, "cancelled")
    assert result.status_code == 403
    workshop.refresh_from_db()
    assert workshop.status == "requested"


def test_workshop_pages_per_persona(staff_user, coordinator_a, coordinator_b, workshop):
    url = reverse("learning:workshop_detail", args=[workshop.pk])

    def as_user(user):
        browser = Client()
        browser.force_login(user)
        return browser

    assert as_user(coordinator_a).get(url).status_code == 200
    assert as_user(coordinator_b).get(url).status_code == 404
    assert as_user(staff_user).get(url).status_code == 200
    assert Client().get(url).status_code == 302
    listing_url = reverse("learning:workshop_list")
    assert url in as_user(coordinator_a).get(listing_url).content.decode()
    listing = as_user(coordinator_b).get(listing_url)
    assert url not in listing.content.decode()
    assert list(listing.context["workshops"]) == []


def test_an_account_without_organisation_cannot_request(client, answered):
    client.force_login(make_user("nobody"))
    assert client.get(propose_url(answered)).status_code == 403


def test_an_open_round_proposes_nothing_and_says_when_results_come(client_a, org_a, version):
    round_ = make_round(org_a, version)
    submit(link(round_, "official"), 8, value=1)
    page = client_a.get(reverse("learning:propose", args=[round_.pk]))
    assert page.status_code == 200
    assert 'id="not-published"' in page.content.decode()
    assert page.context["proposal"].picks == []
