"""Background work for webinars, run by the database-backed worker (`manage.py db_worker`).

Every task is safe to run twice: a mail that must go once is claimed first with a
conditional UPDATE, so a restarted worker or a duplicated task sends nothing more.
"""

from datetime import timedelta

from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from lib.urls import absolute_url

from .calendar import session_ics
from .models import Registration, Session

REMINDERS = {"24h": timedelta(hours=24), "1h": timedelta(hours=1)}
# A reminder task that runs early (the session was moved) does nothing; one that runs late
# still sends, as long as the session has not started.
EARLY_TOLERANCE = timedelta(minutes=2)


def _send(registration: Registration, template: str, subject: str, with_ics: bool = False):
    with translation.override(registration.language):
        context = {
            "registration": registration,
            "session": registration.session,
            "manage_url": absolute_url(reverse("webinars:registration", args=[registration.token])),
            "confirm_url": absolute_url(reverse("webinars:confirm", args=[registration.token])),
        }
        message = EmailMessage(
            subject=str(subject) % {"title": registration.session.title},
            body=render_to_string(template, context),
            to=[registration.email],
        )
        if with_ics:
            message.attach(
                "webinar.ics",
                session_ics(registration.session, with_stream_link=True).decode(),
                "text/calendar",
            )
        return message.send()


@task()
def send_confirmation_link(registration_id: int) -> int:
    registration = Registration.objects.select_related("session__series").get(pk=registration_id)
    if registration.status != Registration.Status.PENDING or not registration.email:
        return 0
    return _send(
        registration,
        "webinars/email_confirm_link.txt",
        _("Confirm your registration: %(title)s"),
    )


@task()
def send_registration_status(registration_id: int) -> int:
    registration = Registration.objects.select_related("session__series").get(pk=registration_id)
    if not registration.email:
        return 0
    if registration.status == Registration.Status.CONFIRMED:
        return _send(
            registration,
            "webinars/email_confirmed.txt",
            _("You have a place: %(title)s"),
            with_ics=True,
        )
    if registration.status == Registration.Status.WAITING:
        return _send(
            registration, "webinars/email_waiting.txt", _("On the waiting list: %(title)s")
        )
    return 0


@task()
def send_reminders(session_id: int, kind: str) -> int:
    """Remind every confirmed participant once, ``kind`` (24h or 1h) before the start."""
    session = Session.objects.filter(pk=session_id).first()
    now = timezone.now()
    if session is None or now >= session.starts_at:
        return 0
    if now < session.starts_at - REMINDERS[kind] - EARLY_TOLERANCE:
        return 0
    field = f"reminded_{kind}_at"
    sent = 0
    for registration in session.registrations.filter(
        status=Registration.Status.CONFIRMED, **{f"{field}__isnull": True}
    ).exclude(email=""):
        claimed = Registration.objects.filter(
            pk=registration.pk, **{f"{field}__isnull": True}
        ).update(**{field: now})
        if claimed:
            sent += _send(
                registration,
                "webinars/email_reminder.txt",
                _("Reminder: %(title)s") if kind == "24h" else _("Starting soon: %(title)s"),
                with_ics=kind == "24h",
            )
    return sent


def sessions_due(kind: str, now=None):
    """Sessions not yet started whose ``kind`` reminder is due and that still have a confirmed
    participant waiting for it."""
    now = now or timezone.now()
    field = f"registrations__reminded_{kind}_at__isnull"
    return Session.objects.filter(
        starts_at__gt=now,
        starts_at__lte=now + REMINDERS[kind] + EARLY_TOLERANCE,
        registrations__status=Registration.Status.CONFIRMED,
        **{field: True},
    ).distinct()


def remind_due() -> int:
    """The one mechanism for webinar reminders, whatever created or moved the session (the
    session admin, the series admin's inline, a script): send every reminder that is due.
    Run it every few minutes (``manage.py send_webinar_reminders``); each reminder is claimed
    per participant in ``send_reminders``, so overlapping runs send it once."""
    sent = 0
    for kind in REMINDERS:
        for session_id in sessions_due(kind).values_list("pk", flat=True):
            sent += send_reminders.call(session_id, kind)
    return sent
