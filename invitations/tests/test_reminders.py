from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone, translation

from assessments.tests.helpers import answer_everything
from invitations.models import Invitation, ReminderDay
from invitations.sending import queue_invitations, set_reminder_days
from invitations.tasks import send_reminders

from .conftest import personal_urls
from .helpers import invite, run_worker

pytestmark = pytest.mark.django_db(transaction=True)


def closing_in(round_, days):
    round_.closes_on = timezone.localdate() + timedelta(days=days)
    round_.save()


@pytest.fixture
def three_invited(open_round, politician_link):
    invite(politician_link, "a@example.org", "b@example.org", "c@example.org")
    queue_invitations(open_round)
    run_worker()
    urls = dict(zip([m.to[0] for m in mail.outbox], personal_urls(mail.outbox), strict=True))
    mail.outbox.clear()
    return urls


def test_a_reminder_goes_once_to_those_not_submitted_even_when_duplicated(
    open_round, politician_link, three_invited
):
    submitter = Client()
    submitter.post(three_invited["a@example.org"] + "begin/")
    answer_everything(submitter, politician_link)
    Client().post(three_invited["b@example.org"] + "begin/")  # started, not submitted
    closing_in(open_round, 7)
    ReminderDay.objects.create(round=open_round, days_before=7)
    send_reminders.enqueue(open_round.pk, 7)
    send_reminders.enqueue(open_round.pk, 7)  # a duplicate, as after a restart
    run_worker()
    assert sorted(m.to[0] for m in mail.outbox) == ["b@example.org", "c@example.org"]
    with translation.override("sv"):
        subject = translation.gettext("Reminder: self-assessment for %(organisation)s")
    assert {m.subject for m in mail.outbox} == {subject % {"organisation": "Trelleborgs kommun"}}
    assert send_reminders.call(open_round.pk, 7) == 0


def test_each_scheduled_reminder_goes_once_and_a_late_one_gives_way(open_round, three_invited):
    set_reminder_days(open_round, [7, 2])
    closing_in(open_round, 2)
    # The 7-day reminder's worker was down; on the 2-day reminder's day only that one goes.
    assert send_reminders.call(open_round.pk, 7) == 0
    assert send_reminders.call(open_round.pk, 2) == 3
    assert send_reminders.call(open_round.pk, 2) == 0
    assert set(Invitation.objects.values_list("reminded_days_before", flat=True)) == {2}


def test_a_worker_restarting_mid_run_reminds_nobody_twice(open_round, three_invited):
    ReminderDay.objects.create(round=open_round, days_before=7)
    closing_in(open_round, 6)
    first = Invitation.objects.get(email="a@example.org")
    Invitation.objects.filter(pk=first.pk).update(reminded_days_before=7)  # claimed, then died
    assert send_reminders.call(open_round.pk, 7) == 2
    assert "a@example.org" not in [m.to[0] for m in mail.outbox]


def test_one_click_stops_the_reminders(client, open_round, three_invited):
    url = three_invited["c@example.org"] + "reminders/"
    page = client.get(url)
    assert page.status_code == 200 and not Invitation.objects.filter(opted_out=True).exists()
    # A mail client's RFC 8058 one-click POST carries no CSRF token.
    csrf_client = Client(enforce_csrf_checks=True)
    assert csrf_client.post(url, {"List-Unsubscribe": "One-Click"}).status_code == 200
    assert Invitation.objects.get(email="c@example.org").opted_out
    ReminderDay.objects.create(round=open_round, days_before=7)
    closing_in(open_round, 7)
    send_reminders.call(open_round.pk, 7)
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.org", "b@example.org"]


def test_a_failed_send_is_marked_bounced_and_listed(
    client_a, open_round, politician_link, settings
):
    settings.EMAIL_BACKEND = "invitations.tests.failing_backend.EmailBackend"
    invite(politician_link, "x@example.org", "fail@example.org")
    queue_invitations(open_round)
    run_worker()
    statuses = dict(Invitation.objects.values_list("email", "status"))
    assert statuses == {"x@example.org": "sent", "fail@example.org": "bounced"}
    from django.urls import reverse

    page = client_a.get(reverse("invitations:round_invitations", args=[open_round.pk]))
    assert "fail@example.org" in page.content.decode()
    assert "x@example.org" not in page.content.decode()


def test_addresses_are_erased_when_the_round_closes(open_round, three_invited):
    from assessments.rounds import close_early

    close_early(open_round)
    assert set(Invitation.objects.values_list("email", flat=True)) == {""}
    assert Invitation.objects.count() == 3


def test_the_daily_command_erases_addresses_of_rounds_past_their_closing_date(
    open_round, three_invited
):
    from django.core.management import call_command

    call_command("erase_invitation_addresses", stdout=None)
    assert Invitation.objects.exclude(email="").count() == 3  # still open
    closing_in(open_round, -1)
    call_command("erase_invitation_addresses")
    assert set(Invitation.objects.values_list("email", flat=True)) == {""}
