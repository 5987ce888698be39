from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from webinars.models import Registration
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


def test_reminders_are_queued_for_the_session_time():
    from django_tasks_db.models import DBTaskResult

    from webinars.tasks import schedule_reminders

    session = make_session(hours_ahead=72)
    schedule_reminders(session)
    runs = sorted(DBTaskResult.objects.values_list("run_after", flat=True))
    assert runs == [session.starts_at - timedelta(hours=24), session.starts_at - timedelta(hours=1)]
