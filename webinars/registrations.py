"""Actions on registrations. Places are counted under a lock on the session row, so two
people confirming at once cannot both take the last place."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Registration, Session
from .tasks import send_confirmation_link, send_registration_status

S = Registration.Status


class RegistrationRejected(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


def register(session: Session, *, language: str, **fields) -> Registration:
    if session.starts_at <= timezone.now():
        raise RegistrationRejected(_("Registration has closed: the webinar has already started."))
    fields["email"] = fields["email"].strip().lower()
    try:
        with transaction.atomic():
            registration = Registration.objects.create(session=session, language=language, **fields)
    except IntegrityError:
        raise RegistrationRejected(
            _(
                "This email address is already registered for the webinar. Check your inbox for our email."  # noqa: E501
            )
        ) from None
    transaction.on_commit(lambda: send_confirmation_link.enqueue(registration.pk))
    return registration


@transaction.atomic
def confirm(registration: Registration) -> Registration:
    """Confirm the email address: a place if one is free, otherwise the waiting list.
    Confirming twice changes nothing."""
    session = Session.objects.select_for_update().get(pk=registration.session_id)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status != S.PENDING:
        return registration
    if session.starts_at <= timezone.now():
        raise RegistrationRejected(_("The webinar has already started."))
    registration.status = S.WAITING if session.is_full() else S.CONFIRMED
    registration.confirmed_at = timezone.now()
    registration.save(update_fields=["status", "confirmed_at"])
    transaction.on_commit(lambda: send_registration_status.enqueue(registration.pk))
    return registration


@transaction.atomic
def cancel(registration: Registration) -> Registration:
    """Give up the place; the first on the waiting list gets it (and an email)."""
    session = Session.objects.select_for_update().get(pk=registration.session_id)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == S.CANCELLED:
        return registration
    had_place = registration.status == S.CONFIRMED
    registration.status = S.CANCELLED
    registration.save(update_fields=["status"])
    if had_place and session.starts_at > timezone.now():
        promote_from_waiting_list(session)
    return registration


def promote_from_waiting_list(session: Session):
    while not session.is_full():
        first = (
            session.registrations.filter(status=S.WAITING).order_by("confirmed_at", "id").first()
        )
        if first is None:
            return
        Registration.objects.filter(pk=first.pk).update(status=S.CONFIRMED)
        transaction.on_commit(lambda pk=first.pk: send_registration_status.enqueue(pk))


def erase(registration: Registration) -> Registration:
    """Erase name and email at the person's request; a future place is given up first.
    Organisation, target group, gender and attendance stay, without anything that names
    the person, so the programme's counts are unchanged."""
    if registration.is_active and registration.session.starts_at > timezone.now():
        registration = cancel(registration)
    Registration.objects.filter(pk=registration.pk).update(
        name="", email="", erased_at=timezone.now()
    )
    registration.refresh_from_db()
    return registration


def erase_expired(days: int, now=None) -> int:
    """Erase name and email of registrations whose session ended more than ``days`` ago."""
    now = now or timezone.now()
    return (
        Registration.objects.filter(session__ends_at__lt=now - timezone.timedelta(days=days))
        .filter(erased_at__isnull=True)
        .update(name="", email="", erased_at=now)
    )
