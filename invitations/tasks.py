"""Invitation and reminder mails, sent by the database-backed worker (`manage.py db_worker`).

Every mail is claimed first with a conditional UPDATE and sent after, so a duplicated task or a
restarted worker sends nothing twice (a worker killed between the claim and the send loses that
one mail, never doubles it).
"""

from datetime import datetime, time, timedelta

from django.core.mail import EmailMessage, get_connection
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from assessments.models import Round
from lib.urls import absolute_url

from .models import Invitation
from .tokens import hash_token, token_for

BATCH = 500
# Reminders go in the morning of their day.
REMINDER_TIME = time(8, 0)
# Who a reminder is for: everyone who got the invitation and has not submitted.
REMINDABLE = [Invitation.Status.SENT, Invitation.Status.STARTED]


def site_url(path: str) -> str:
    return absolute_url(path)


def _message(invitation: Invitation, round_: Round, reminder: bool) -> EmailMessage:
    token = token_for(invitation.pk)
    link_token = invitation.link.token
    with translation.override(invitation.language):
        context = {
            "round": round_,
            "organisation": round_.organisation.name,
            "group": invitation.link.target_group.name,
            "closes_on": round_.closes_on,
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
    return EmailMessage(
        subject=subject,
        body=body,
        to=[invitation.email],
        headers={
            "List-Unsubscribe": f"<{context['stop_url']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


def _deliver(connection, invitation: Invitation, round_: Round, reminder: bool) -> bool:
    """Send one claimed mail; a refused or failed send marks the invitation bounced."""
    try:
        return bool(connection.send_messages([_message(invitation, round_, reminder)]))
    except Exception:  # SMTP refusals, timeouts, broken connections: recorded, not retried
        Invitation.objects.filter(pk=invitation.pk).update(status=Invitation.Status.BOUNCED)
        return False


def _round(round_id: int) -> Round | None:
    return Round.objects.select_related("organisation").filter(pk=round_id).first()


@task()
def send_invitations(round_id: int) -> int:
    """Send every invitation of the round not sent yet; returns how many went."""
    round_ = _round(round_id)
    if round_ is None or round_.status == "closed":
        return 0
    sent = 0
    connection = get_connection()
    with connection:
        while True:
            batch = list(
                Invitation.objects.filter(round_id=round_id, status=Invitation.Status.PENDING)
                .exclude(email="")
                .select_related("link__target_group")
                .order_by("pk")[:BATCH]
            )
            if not batch:
                return sent
            for invitation in batch:
                claimed = Invitation.objects.filter(
                    pk=invitation.pk, status=Invitation.Status.PENDING
                ).update(
                    status=Invitation.Status.SENT, token_hash=hash_token(token_for(invitation.pk))
                )
                if claimed:
                    sent += _deliver(connection, invitation, round_, reminder=False)


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
