"""Sending invitations: marked sent only once the mail server accepted them, resumed after a
dead worker, and followed on the invitation page (issue 23 and 24). The kill of a real worker
process is in ``test_sending_resumes``."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from invitations.models import Invitation, SendingRun
from invitations.sending import queue_invitations
from invitations.tasks import send_invitations

from .helpers import invite, run_worker

pytestmark = pytest.mark.django_db(transaction=True)


def statuses():
    return dict(Invitation.objects.values_list("email", "status"))


def test_an_unreachable_mail_server_leaves_the_invitations_waiting_not_sent(
    open_round, politician_link, settings
):
    invite(politician_link, "a@example.org", "b@example.org")
    queue_invitations(open_round)
    settings.EMAIL_BACKEND = "invitations.tests.failing_backend.UnreachableBackend"
    assert send_invitations.call(open_round.pk) == 0
    assert statuses() == {"a@example.org": "queued", "b@example.org": "queued"}
    assert not Invitation.objects.filter(claimed_by__isnull=False).exists()
    assert not SendingRun.objects.exists()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert send_invitations.call(open_round.pk) == 2
    assert statuses() == {"a@example.org": "sent", "b@example.org": "sent"}


def test_try_later_and_our_own_failures_wait_for_the_next_run_and_only_5xx_bounces(
    open_round, politician_link, settings
):
    invite(politician_link, "fail@example.org", "later@example.org", "broken@example.org")
    invite(politician_link, "ok@example.org")
    queue_invitations(open_round)
    settings.EMAIL_BACKEND = "invitations.tests.failing_backend.EmailBackend"
    assert send_invitations.call(open_round.pk) == 1
    assert statuses() == {
        "fail@example.org": "bounced",
        "later@example.org": "queued",
        "broken@example.org": "queued",
        "ok@example.org": "sent",
    }
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert send_invitations.call(open_round.pk) == 2  # the next run: the server takes them now
    assert set(statuses().values()) == {"bounced", "sent"}
    assert [m.to for m in mail.outbox if m.to[0].startswith(("later", "broken"))] == [
        ["later@example.org"],
        ["broken@example.org"],
    ]


def test_the_invitations_of_a_dead_run_are_sent_by_the_next_and_a_live_runs_are_not(
    open_round, politician_link
):
    invite(politician_link, "dead@example.org", "alive@example.org", "free@example.org")
    queue_invitations(open_round)
    now = timezone.now()
    dead = SendingRun.objects.create(round=open_round, until=now - timedelta(seconds=1))
    alive = SendingRun.objects.create(round=open_round, until=now + timedelta(minutes=5))
    Invitation.objects.filter(email="dead@example.org").update(claimed_by=dead.pk)
    Invitation.objects.filter(email="alive@example.org").update(claimed_by=alive.pk)
    assert send_invitations.call(open_round.pk) == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["dead@example.org", "free@example.org"]
    assert statuses()["alive@example.org"] == "queued"  # its run may still be sending it
    assert not SendingRun.objects.filter(pk=dead.pk).exists()


def test_a_killed_runs_row_goes_even_when_its_lease_ran_out_only_after_the_next_run_began(
    open_round, politician_link
):
    """What one CI run met: the worker was killed and restarted at once, so the next run began
    while the killed run's lease was still ahead, and sent everything once the lease ran out. The
    killed run's row must not stay behind (the run after that finds nothing to send)."""
    invite(politician_link, "a@example.org")
    queue_invitations(open_round)
    killed = SendingRun.objects.create(
        round=open_round, until=timezone.now() + timedelta(minutes=5)
    )
    Invitation.objects.update(claimed_by=killed.pk)
    assert send_invitations.call(open_round.pk) == 0  # its claim is still alive: left alone
    assert SendingRun.objects.filter(pk=killed.pk).exists()
    SendingRun.objects.filter(pk=killed.pk).update(until=timezone.now() - timedelta(seconds=1))
    assert send_invitations.call(open_round.pk) == 1
    assert not SendingRun.objects.exists()
    # And a last run that finds nothing queued clears a dead row too.
    SendingRun.objects.create(round=open_round, until=timezone.now() - timedelta(seconds=1))
    assert send_invitations.call(open_round.pk) == 0
    assert not SendingRun.objects.exists()


def test_each_run_queues_the_next_for_when_its_lease_would_run_out_and_the_last_stops(
    open_round, politician_link, settings
):
    settings.DIGILYFT_INVITATION_CLAIM_SECONDS = 60
    invite(politician_link, "a@example.org")
    queue_invitations(open_round)  # queues the first run
    run_worker()
    assert statuses() == {"a@example.org": "sent"}
    follow_up = DBTaskResult.objects.get(status="READY")
    assert follow_up.run_after > timezone.now() + timedelta(seconds=50)
    DBTaskResult.objects.filter(pk=follow_up.pk).update(run_after=timezone.now())
    run_worker()
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 2
    assert not DBTaskResult.objects.filter(status="READY").exists()
    assert len(mail.outbox) == 1


def test_every_copy_of_an_invitation_carries_the_same_message_id(open_round, politician_link):
    invite(politician_link, "a@example.org", "b@example.org")
    queue_invitations(open_round)
    send_invitations.call(open_round.pk)
    first = {m.to[0]: m.extra_headers["Message-ID"] for m in mail.outbox}
    # A resend after a crash: the same invitations, queued again.
    Invitation.objects.update(status=Invitation.Status.QUEUED)
    send_invitations.call(open_round.pk)
    again = {m.to[0]: m.extra_headers["Message-ID"] for m in mail.outbox[2:]}
    assert first == again
    assert len(set(first.values())) == 2


def test_an_invitation_sent_before_the_round_opens_says_when_it_opens(open_round, politician_link):
    open_round.opens_on = timezone.localdate() + timedelta(days=3)
    open_round.save()
    invite(politician_link, "a@example.org")
    queue_invitations(open_round)
    send_invitations.call(open_round.pk)
    assert open_round.opens_on.isoformat() in mail.outbox[0].body
    assert "öppnar" in mail.outbox[0].body


def test_after_sending_the_page_shows_the_sending_and_then_that_all_went(
    client_a, open_round, politician_link
):
    invite(politician_link, "a@example.org", "b@example.org")
    page_url = reverse("invitations:round_invitations", args=[open_round.pk])
    before = client_a.get(page_url).content.decode()
    assert "Skicka 2 inbjudningar" in before
    sending = client_a.post(reverse("invitations:send", args=[open_round.pk]), follow=True)
    page = sending.content.decode()
    assert "Skicka 2 inbjudningar" not in page
    assert "Skickar …" in page and "Skickas nu: 2" in page
    assert f'href="{page_url}"' in page  # the way to the latest counts without JavaScript
    progress_url = reverse("invitations:sending_progress", args=[open_round.pk])
    run_worker()
    fragment = client_a.get(progress_url)
    assert fragment.status_code == 200
    assert "no-cache" in fragment["Cache-Control"]
    text = fragment.content.decode()
    assert "Skickade: 2" in text and "Alla inbjudningar har skickats" in text
    assert "data-sending" not in text


def test_invitations_still_waiting_when_the_round_closes_go_back_to_not_sent(
    open_round, politician_link
):
    from invitations.lists import erase_addresses_of_closed_round

    invite(politician_link, "a@example.org")
    queue_invitations(open_round)
    erase_addresses_of_closed_round(sender=None, round_id=open_round.pk)
    assert list(Invitation.objects.values_list("email", "status", "claimed_by")) == [
        ("", "pending", None)
    ]
