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


def _site_url(path: str) -> str:
    return absolute_url(path)


def _send(registration: Registration, template: str, subject: str, with_ics: bool = False):
    with translation.override(registration.language):
        context = {
            "registration": registration,
            "session": registration.session,
            "manage_url": _site_url(reverse("webinars:registration", args=[registration.token])),
            "confirm_url": _site_url(reverse("webinars:confirm", args=[registration.token])),
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


def schedule_reminders(session: Session):
    """Queue both reminders for the session's current start time."""
    for kind, before in REMINDERS.items():
        run_after = session.starts_at - before
        if run_after > timezone.now():
            send_reminders.using(run_after=run_after).enqueue(session.pk, kind)
        elif timezone.now() < session.starts_at:
            send_reminders.enqueue(session.pk, kind)


@task()
def send_evaluation_links(session_id: int) -> int:
    """Mail each confirmed registrant of a held session one evaluation link, once."""
    from .evaluations import send_links

    session = Session.objects.filter(pk=session_id).first()
    return 0 if session is None else send_links(session)
