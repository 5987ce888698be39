from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from conftest import make_user
from webinars.models import Registration, Series, Session
from webinars.tasks import send_reminders

from .factories import make_session, run_worker

# The worker closes database connections between tasks, as it should in production; a test
# that runs it needs real transactions rather than one wrapping transaction.
pytestmark = pytest.mark.django_db(transaction=True)


def confirmed(session, org, email, status="confirmed"):
    return Registration.objects.create(
        session=session,
        name="X",
        email=email,
        organisation=org,
        target_group="official",
        status=status,
    )


def test_the_24_hour_reminder_goes_once_to_each_confirmed_participant(org_a):
    session = make_session(hours_ahead=23)
    confirmed(session, org_a, "a@example.org")
    confirmed(session, org_a, "b@example.org")
    confirmed(session, org_a, "c@example.org", status="waiting")
    send_reminders.enqueue(session.pk, "24h")
    send_reminders.enqueue(session.pk, "24h")  # a duplicate, as after a restart
    run_worker()
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.org", "b@example.org"]
    assert all(m.attachments for m in mail.outbox)
    assert Registration.objects.filter(reminded_24h_at__isnull=False).count() == 2


def test_a_worker_restarting_mid_run_sends_nothing_twice(org_a):
    session = make_session(hours_ahead=0.5)
    first = confirmed(session, org_a, "a@example.org")
    confirmed(session, org_a, "b@example.org")
    # The worker died after claiming and sending the first reminder.
    Registration.objects.filter(pk=first.pk).update(reminded_1h_at=timezone.now())
    send_reminders.enqueue(session.pk, "1h")
    run_worker()
    assert [m.to[0] for m in mail.outbox] == ["b@example.org"]


def test_a_reminder_that_runs_too_early_waits(org_a):
    session = make_session(hours_ahead=30)
    confirmed(session, org_a, "a@example.org")
    assert send_reminders.call(session.pk, "24h") == 0
    assert not mail.outbox
    assert Registration.objects.get().reminded_24h_at is None


def test_no_reminder_after_the_start(org_a):
    session = make_session(hours_ahead=-0.1)
    confirmed(session, org_a, "a@example.org")
    assert send_reminders.call(session.pk, "1h") == 0


def test_the_periodic_command_sends_what_is_due_once(org_a):
    soon = make_session(hours_ahead=0.5)  # both the 24-hour and the 1-hour reminder are due
    later = make_session(hours_ahead=20)  # only the 24-hour one
    far = make_session(hours_ahead=72)  # none yet
    confirmed(soon, org_a, "soon@example.org")
    confirmed(later, org_a, "later@example.org")
    confirmed(far, org_a, "far@example.org")
    call_command("send_webinar_reminders", verbosity=0)
    call_command("send_webinar_reminders", verbosity=0)  # the next run, minutes later
    assert sorted(m.to[0] for m in mail.outbox) == [
        "later@example.org",
        "soon@example.org",
        "soon@example.org",
    ]
    assert Registration.objects.get(email="far@example.org").reminded_24h_at is None


def test_a_session_added_in_the_series_admin_inline_gets_its_reminders(client, org_a):
    staff = make_user("staff-inline", is_staff=True, is_superuser=True)
    client.force_login(staff)
    series = Series.objects.create(title_sv="Serie", title_en="Series", is_published=True)
    start = timezone.localtime() + timedelta(hours=23)
    fmt = "%Y-%m-%d %H:%M:%S"
    response = client.post(
        reverse("admin:webinars_series_change", args=[series.pk]),
        {
            "title_sv": "Serie",
            "title_en": "Series",
            "description_sv": "",
            "description_en": "",
            "target_groups": '["official"]',
            "is_published": "on",
            "sessions-TOTAL_FORMS": "1",
            "sessions-INITIAL_FORMS": "0",
            "sessions-MIN_NUM_FORMS": "0",
            "sessions-MAX_NUM_FORMS": "1000",
            "sessions-0-title_sv": "Tillagt i serien",
            "sessions-0-starts_at_0": start.strftime(fmt).split()[0],
            "sessions-0-starts_at_1": start.strftime(fmt).split()[1],
            "sessions-0-ends_at_0": (start + timedelta(hours=1)).strftime(fmt).split()[0],
            "sessions-0-ends_at_1": (start + timedelta(hours=1)).strftime(fmt).split()[1],
            "sessions-0-capacity": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    session = Session.objects.get(title_sv="Tillagt i serien")
    confirmed(session, org_a, "inline@example.org")
    call_command("send_webinar_reminders", verbosity=0)
    assert [m.to[0] for m in mail.outbox] == ["inline@example.org"]
