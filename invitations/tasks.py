"""Invitation and reminder mails, sent by the database-backed worker (`manage.py db_worker`).

Invitations are sent so that a worker may die at any moment (kill -9, a lost machine):

- The coordinator's click marks the invitations *queued*; a run of ``send_invitations`` claims
  them for itself a few at a time (a conditional UPDATE of ``claimed_by``; the run's lease of
  ``DIGILYFT_INVITATION_CLAIM_SECONDS``, a ``SendingRun``, moves on as it sends), hands each
  mail to the mail server, and marks it *sent* only after the server accepted it (or
  *bounced* when the server refused it). So nothing is marked sent that the server did not
  take, and two runs never hold the same invitation.
- Before it sends anything, a run queues the next run for when its claims would have run out.
  If the worker dies, that run (on a restarted or another worker) sends what was left: the
  queued invitations nobody holds, and the one held by the dead run, whose lease ran out. If
  the first run finished, the next finds nothing queued and stops. Nothing depends on the
  task's own state, which the task library leaves "running" for a killed worker.
- What SMTP cannot give: the server accepts a mail with its reply to the end of the message,
  and the worker can record that only after. A worker killed between the two (one mail per
  killed worker at most) leaves a mail that arrived but is not marked sent, and the next run
  sends it again. Resending is chosen over possibly never sending; the second copy is the same
  message with the same ``Message-ID`` (``invitation.<id>@<site>``), by which mailboxes and
  Sieve's ``duplicate`` test (RFC 7352) recognise and drop a copy.

Reminders are claimed before they are sent (a lowered ``reminded_days_before``): a worker
killed between the claim and the send loses that one reminder, never doubles it.
"""

import logging
import smtplib
from datetime import datetime, time, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db.models import Case, F, Q, Value, When
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from assessments.models import Round
from lib.urls import absolute_url

from .models import Invitation, SendingRun
from .tokens import hash_token, token_for

S = Invitation.Status
BATCH = 500
# Invitations a run claims at a time: fewer writes than one by one. (Each is still marked sent
# on its own, as soon as the mail server accepted it.)
CLAIM_BATCH = 25
logger = logging.getLogger(__name__)
# Reminders go in the morning of their day.
REMINDER_TIME = time(8, 0)
# Who a reminder is for: everyone who got the invitation and has not submitted.
REMINDABLE = [Invitation.Status.SENT, Invitation.Status.STARTED]


def site_url(path: str) -> str:
    return absolute_url(path)


def message_id(invitation: Invitation) -> str:
    """The same for every copy of one invitation, so that a copy sent twice is recognised."""
    host = urlsplit(site_url("/")).hostname or "digilyft.invalid"
    return f"<invitation.{invitation.pk}@{host}>"


def _message(invitation: Invitation, round_: Round, reminder: bool) -> EmailMessage:
    token = token_for(invitation.pk)
    link_token = invitation.link.token
    with translation.override(invitation.language):
        context = {
            "round": round_,
            "organisation": round_.organisation.name,
            "group": invitation.link.target_group.name,
            "closes_on": round_.closes_on,
            "opens_on": round_.opens_on if round_.status == "scheduled" else None,
            "personal_url": site_url(reverse("invitations:start", args=[link_token, token])),
            "privacy_url": site_url(reverse("core:privacy")),
            "stop_url": site_url(reverse("invitations:stop_reminders", args=[link_token, token])),
            "reminder": reminder,
        }
        subject = (
            _("Reminder: self-assessment for %(organisation)s")
            if reminder
            else _("Your personal link to the self-assessment for %(organisation)s")
        ) % {"organisation": round_.organisation.name}
        body = render_to_string("invitations/email_invitation.txt", context)
    headers = {
        "List-Unsubscribe": f"<{context['stop_url']}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    if not reminder:
        headers["Message-ID"] = message_id(invitation)
    return EmailMessage(subject=subject, body=body, to=[invitation.email], headers=headers)


# The server refused this mail or this address for good: the invitation bounced. Anything
# else (a dropped connection, a timeout, a 4xx "try later") leaves it waiting.
REFUSALS = (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError)


def _deliver(connection, invitation: Invitation, round_: Round, reminder: bool) -> bool:
    """Send one claimed reminder; a refused or failed send marks the invitation bounced."""
    try:
        return bool(connection.send_messages([_message(invitation, round_, reminder)]))
    except Exception:  # SMTP refusals, timeouts, broken connections: recorded, not retried
        Invitation.objects.filter(pk=invitation.pk).update(status=Invitation.Status.BOUNCED)
        return False


def _round(round_id: int) -> Round | None:
    return Round.objects.select_related("organisation").filter(pk=round_id).first()


def claim_seconds() -> int:
    return settings.DIGILYFT_INVITATION_CLAIM_SECONDS


def _queued(round_id: int):
    return Invitation.objects.filter(round_id=round_id, status=Invitation.Status.QUEUED).exclude(
        email=""
    )


class _Run:
    """This run's lease (a ``SendingRun`` row), moved on as it sends."""

    def __init__(self, round_id: int):
        now = timezone.now()
        _forget_dead_runs(round_id)
        self.row = SendingRun.objects.create(round_id=round_id, until=self._until(now))
        self.deferred: set[int] = set()

    @staticmethod
    def _until(now):
        return now + timedelta(seconds=claim_seconds())

    def keep_alive(self):
        """Move the lease on when half of it has passed."""
        now = timezone.now()
        if self.row.until - now < timedelta(seconds=claim_seconds() / 2):
            self.row.until = self._until(now)
            SendingRun.objects.filter(pk=self.row.pk).update(until=self.row.until)

    def defer(self, pk: int) -> None:
        """Leave this invitation to the next run (the server said "try later")."""
        self.deferred.add(pk)

    def end(self):
        SendingRun.objects.filter(pk=self.row.pk).delete()
        _forget_dead_runs(self.row.round_id)


def _forget_dead_runs(round_id: int) -> None:
    """Runs killed mid-send leave their rows; once their lease has run out their claims are
    free already. (A run that starts while a killed run's lease is still ahead cannot delete
    it then, so each run clears them again as it ends, and so does a run that finds nothing
    left to send.)"""
    SendingRun.objects.filter(round_id=round_id, until__lt=timezone.now()).delete()


def _unclaimed(round_id: int):
    """Queued invitations no living run holds: never claimed, or claimed by a dead run."""
    alive = SendingRun.objects.filter(round_id=round_id, until__gte=timezone.now())
    return _queued(round_id).filter(
        Q(claimed_by__isnull=True) | ~Q(claimed_by__in=alive.values("pk"))
    )


def _claim_some(round_id: int, run: _Run) -> list[Invitation]:
    """Claim the next few queued invitations for this run (none when none is left). The claim
    is a conditional UPDATE, so two runs never hold the same one; the personal links' token
    hashes are stored with it, so that a link works as soon as its mail arrives. A run that
    dies leaves its unsent claims to the next run: they never reached the mail server."""
    run.keep_alive()
    candidates = _unclaimed(round_id).order_by("pk").values_list("pk", flat=True)[:CLAIM_BATCH]
    _unclaimed(round_id).filter(pk__in=list(candidates)).update(claimed_by=run.row.pk)
    claimed = list(
        Invitation.objects.filter(claimed_by=run.row.pk, status=S.QUEUED)
        .exclude(pk__in=run.deferred)
        .select_related("link__target_group")
        .order_by("pk")
    )
    for invitation in claimed:
        invitation.token_hash = hash_token(token_for(invitation.pk))
    Invitation.objects.bulk_update(claimed, ["token_hash"])
    return claimed


def _settle(invitation: Invitation, status) -> None:
    """Record what the mail server said (an invitee who began meanwhile stays begun), and
    give the claim up."""
    Invitation.objects.filter(pk=invitation.pk).update(
        claimed_by=None,
        status=Case(When(status=Invitation.Status.QUEUED, then=Value(status)), default=F("status")),
    )


@task()
def send_invitations(round_id: int) -> int:
    """Send the round's queued invitations; returns how many the mail server accepted."""
    round_ = _round(round_id)
    if round_ is None or round_.status == "closed" or not _queued(round_id).exists():
        _forget_dead_runs(round_id)
        return 0
    # Should this worker die, the next run sends what it leaves once its claims run out.
    resume_at = timezone.now() + timedelta(seconds=claim_seconds() + 1)
    send_invitations.using(run_after=resume_at).enqueue(round_id)
    run = _Run(round_id)
    sent = 0
    try:
        with get_connection() as connection:
            while claimed := _claim_some(round_id, run):
                for invitation in claimed:
                    run.keep_alive()
                    accepted = _hand_over(connection, invitation, round_, run)
                    if accepted is None:  # the server cannot be reached: the next run retries
                        Invitation.objects.filter(claimed_by=run.row.pk).update(claimed_by=None)
                        return sent
                    sent += accepted
    finally:
        run.end()
    return sent


def _refusal_codes(exc) -> list[int]:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return [code for code, _message in exc.recipients.values()]
    return [exc.smtp_code]


UNREACHABLE = (OSError, smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError)


def _hand_over(connection, invitation: Invitation, round_: Round, run) -> bool | None:
    """Send one claimed invitation and record the server's answer: True when it accepted the
    mail, False when it refused it for good (5xx: bounced), None when it could not be asked
    (unreachable, timed out), which leaves the invitation waiting for the next run. A "try
    later" (4xx) or a failure of our own (logged) leaves it waiting too, skipped by this run."""
    try:
        accepted = bool(connection.send_messages([_message(invitation, round_, False)]))
    except REFUSALS as exc:
        if all(code >= 500 for code in _refusal_codes(exc)):
            _settle(invitation, S.BOUNCED)
            return False
        run.defer(invitation.pk)
        return False
    except UNREACHABLE:
        return None
    except Exception:
        logger.exception(
            "Invitation %s could not be sent; it waits for the next run", invitation.pk
        )
        run.defer(invitation.pk)
        return False
    _settle(invitation, S.SENT if accepted else S.BOUNCED)
    return accepted


def due_reminder(round_: Round, days_before: int, today=None) -> bool:
    """The reminder is scheduled, its day has come, and no later reminder's day has."""
    today = today or timezone.localdate()
    if round_.status != "open":
        return False
    days = set(round_.reminder_days.values_list("days_before", flat=True))
    if days_before not in days:
        return False
    days_left = (round_.closes_on - today).days
    if days_left > days_before:
        return False
    return not any(d < days_before and days_left <= d for d in days)


@task()
def send_reminders(round_id: int, days_before: int) -> int:
    """Remind, once, everyone invited who has not submitted nor asked for no more reminders."""
    round_ = _round(round_id)
    if round_ is None or not due_reminder(round_, days_before):
        return 0
    not_yet = Q(reminded_days_before__isnull=True) | Q(reminded_days_before__gt=days_before)
    remindable = Invitation.objects.filter(not_yet, status__in=REMINDABLE, opted_out=False).exclude(
        email=""
    )
    sent = 0
    connection = get_connection()
    with connection:
        last = 0
        while True:
            batch = list(
                remindable.filter(round_id=round_id, pk__gt=last)
                .select_related("link__target_group")
                .order_by("pk")[:BATCH]
            )
            if not batch:
                return sent
            for invitation in batch:
                last = invitation.pk
                claimed = remindable.filter(pk=invitation.pk).update(
                    reminded_days_before=days_before
                )
                if claimed:
                    sent += _deliver(connection, invitation, round_, reminder=True)


def schedule_reminders(round_: Round):
    """Queue each scheduled reminder for the morning of its day (at once if that has passed).
    Tasks left from an earlier schedule find themselves not due and do nothing."""
    now = timezone.now()
    for days_before in round_.reminder_days.values_list("days_before", flat=True):
        day = round_.closes_on - timedelta(days=days_before)
        run_after = timezone.make_aware(datetime.combine(day, REMINDER_TIME))
        if run_after > now:
            send_reminders.using(run_after=run_after).enqueue(round_.pk, days_before)
        elif round_.status == "open":
            send_reminders.enqueue(round_.pk, days_before)
