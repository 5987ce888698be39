"""Coordinator actions around sending: queue the invitations, set the reminder schedule.
Nothing here sends a mail; the worker does (``invitations.tasks``)."""

from django.db import transaction
from django.db.models import Count, Q

from assessments.models import Round

from .models import Invitation, ReminderDay
from .tasks import schedule_reminders, send_invitations


def queue_invitations(round_: Round) -> int:
    """Queue every invitation not sent yet for the worker (``tasks.send_invitations``);
    returns how many were added to the queue. Invitations queued before and still waiting
    are not queued again: their run is under way."""
    queued = (
        Invitation.objects.filter(round=round_, status=Invitation.Status.PENDING)
        .exclude(email="")
        .update(status=Invitation.Status.QUEUED)
    )
    if queued:
        transaction.on_commit(lambda: send_invitations.enqueue(round_.pk))
    return queued


@transaction.atomic
def set_reminder_days(round_: Round, days: list[int]):
    ReminderDay.objects.filter(round=round_).exclude(days_before__in=days).delete()
    existing = set(ReminderDay.objects.filter(round=round_).values_list("days_before", flat=True))
    ReminderDay.objects.bulk_create(
        ReminderDay(round=round_, days_before=d) for d in days if d not in existing
    )
    transaction.on_commit(lambda: schedule_reminders(round_))


def round_progress(round_: Round) -> dict:
    """The whole round's invitations by where they stand, in one query: ``pending`` not sent
    and not asked for, ``queued`` asked for and not yet accepted by the mail server (being
    sent, or waiting for a worker), ``delivered`` accepted by it."""
    S = Invitation.Status
    return Invitation.objects.filter(round=round_).aggregate(
        invited=Count("pk"),
        pending=Count("pk", filter=Q(status=S.PENDING)),
        queued=Count("pk", filter=Q(status=S.QUEUED)),
        delivered=Count("pk", filter=Q(status__in=[S.SENT, S.STARTED, S.SUBMITTED])),
        bounced=Count("pk", filter=Q(status=S.BOUNCED)),
        submitted=Count("pk", filter=Q(status=S.SUBMITTED)),
        opted_out=Count("pk", filter=Q(opted_out=True)),
    )


def bounced(round_: Round):
    return (
        Invitation.objects.filter(round=round_, status=Invitation.Status.BOUNCED)
        .exclude(email="")
        .select_related("link__target_group")
        .order_by("link__target_group__order", "email")
    )
