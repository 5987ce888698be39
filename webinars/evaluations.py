"""A session's anonymous evaluation: one single-use link per registrant, mailed by the worker.

The pattern of the workshops' evaluations (``learning.workshops``, migration 0002): only a
code's SHA-256 is stored, with no key to the registration it was mailed to, so an evaluation
cannot be traced to a person; ``Registration.evaluation_sent_at`` only says a link went out.
The codes are made inside the worker step that mails them, so they are never in a task's
arguments, and all of a sending's codes are stored in one shuffled batch before any mail goes:
no order, time or database transaction ties a stored code to the registration it was mailed
to (``docs/privacy-model.md``: a database reader could otherwise follow registration → code →
evaluation).
While the evaluation is open only the count shows; once closed the means show, and only over
at least the anonymity threshold, and nothing changes after that — two looks at the figures
can never be subtracted to reveal one participant.
"""

import secrets
from datetime import timedelta

from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from lib.anonymity import threshold
from lib.cellkey import perturbed_means
from lib.tokens import hash_code, new_code  # the same typable codes as workshops' links
from lib.urls import absolute_url

from .models import Evaluation, EvaluationCode, Registration, Session

EVALUATION_DAYS = 14  # how long the links work


class EvaluationRefused(Exception):
    """A link or an action that cannot be used: ``status`` is the HTTP status to answer with."""

    def __init__(self, status, message):
        super().__init__(message)
        self.status = status
        self.message = message


def closed(session: Session) -> bool:
    closes_on = session.evaluation_closes_on
    return closes_on is not None and closes_on <= timezone.localdate()


def is_open(session: Session) -> bool:
    return session.evaluation_closes_on is not None and not closed(session)


def recipients(session: Session):
    """Confirmed registrants with an address who have not been sent a link yet."""
    return session.registrations.filter(
        status=Registration.Status.CONFIRMED,
        erased_at__isnull=True,
        evaluation_sent_at__isnull=True,
    ).exclude(email="")


@transaction.atomic
def open_evaluation(session: Session) -> Session:
    """Open the evaluation of a held session for ``EVALUATION_DAYS`` and queue the mails."""
    locked = Session.objects.select_for_update().get(pk=session.pk)
    if not locked.is_past:
        raise EvaluationRefused(400, _("The evaluation opens when the webinar has been held."))
    if closed(locked):
        raise EvaluationRefused(400, _("The evaluation has closed."))
    if locked.evaluation_closes_on is None:
        locked.evaluation_closes_on = timezone.localdate() + timedelta(days=EVALUATION_DAYS)
        locked.save(update_fields=["evaluation_closes_on"])
    transaction.on_commit(lambda: send_evaluation_links.enqueue(locked.pk))
    session.evaluation_closes_on = locked.evaluation_closes_on
    return locked


@transaction.atomic
def close_evaluation(session: Session) -> None:
    """Close now: no more answers are taken, and the results show if enough answered."""
    locked = Session.objects.select_for_update().get(pk=session.pk)
    if locked.evaluation_closes_on is None:
        raise EvaluationRefused(400, _("The evaluation has not been opened."))
    if not closed(locked):
        locked.evaluation_closes_on = timezone.localdate()
        locked.save(update_fields=["evaluation_closes_on"])
    session.evaluation_closes_on = locked.evaluation_closes_on


def mail_link(registration: Registration, code: str | None = None) -> int:
    """Claim the registration (a conditional UPDATE, so the link goes once) and mail it its
    code: one of ``store_codes``'s batch, or a code made and stored here. The code is kept
    nowhere but in the mail. A code whose registration was claimed meanwhile is removed."""
    if code is None:
        (code,) = store_codes(registration.session_id, 1)
    claimed = Registration.objects.filter(
        pk=registration.pk, evaluation_sent_at__isnull=True
    ).update(evaluation_sent_at=timezone.now())
    if not claimed:
        EvaluationCode.objects.filter(token_hash=hash_code(code), used=False).delete()
        return 0
    session = registration.session
    with translation.override(registration.language):
        body = render_to_string(
            "webinars/email_evaluation.txt",
            {
                "session": session,
                "url": absolute_url(reverse("webinars:evaluate", args=[code])),
                "closes_on": session.evaluation_closes_on,
            },
        )
        subject = _("How was the webinar? %(title)s") % {"title": session.title}
    return EmailMessage(subject=subject, body=body, to=[registration.email]).send()


def store_codes(session_id: int, count: int) -> list[str]:
    """``count`` new codes, stored (as hashes) in one statement in shuffled order; returned in
    another order, so that neither row ids nor the statement tie a code to whom it goes to."""
    codes = [new_code() for _ in range(count)]
    stored = codes[:]
    secrets.SystemRandom().shuffle(stored)
    EvaluationCode.objects.bulk_create(
        EvaluationCode(session_id=session_id, token_hash=hash_code(code)) for code in stored
    )
    return codes


def send_links(session: Session) -> int:
    if not is_open(session):
        return 0
    registrations = list(recipients(session).select_related("session"))
    codes = store_codes(session.pk, len(registrations))
    return sum(mail_link(r, code) for r, code in zip(registrations, codes, strict=True))


def used_link() -> EvaluationRefused:
    return EvaluationRefused(
        410, _("This evaluation link has already been used. Each link can be used once.")
    )


def session_for_code(code: str) -> Session:
    """The session a link belongs to, or why it cannot be used."""
    row = (
        EvaluationCode.objects.select_related("session__series")
        .filter(token_hash=hash_code(code))
        .first()
    )
    if row is None:
        raise EvaluationRefused(404, _("This evaluation link is not valid. Check the address."))
    if row.used:
        raise used_link()
    if not is_open(row.session):
        raise EvaluationRefused(410, _("The evaluation has closed. Thank you for your interest."))
    return row.session


def submit_evaluation(session: Session, code: str, answers: dict) -> bool:
    """Spend the code and store the evaluation, both or neither. False if the code had been
    spent in the meantime (a replayed or doubled form): then nothing is stored."""
    with transaction.atomic():
        spent = EvaluationCode.objects.filter(
            session=session, token_hash=hash_code(code), used=False
        ).update(used=True, used_on=timezone.localdate())
        if not spent:
            return False
        Evaluation.objects.create(session=session, **answers)
    return True


def summary(session: Session) -> dict:
    """The count while open; once closed the mean per question over at least the threshold."""
    evaluations = Evaluation.objects.filter(session=session)
    counts = {
        "sent": session.registrations.filter(evaluation_sent_at__isnull=False).count(),
        **EvaluationCode.objects.filter(session=session).aggregate(
            used=Count("id", filter=Q(used=True))
        ),
    }
    n = evaluations.count()
    k = threshold()
    is_closed = closed(session)
    published = is_closed and n >= k
    means = (
        perturbed_means(evaluations, Evaluation.QUESTIONS, "webinar", session.pk)
        if published
        else {}
    )
    return {
        "n": n,
        "sent": counts["sent"],
        "threshold": k,
        "opened": session.evaluation_closes_on is not None,
        "closed": is_closed,
        "closes_on": session.evaluation_closes_on,
        "published": published,
        "means": means,
    }


@task()
def send_evaluation_links(session_id: int) -> int:
    """Mail each confirmed registrant of a held session one evaluation link, once."""
    session = Session.objects.filter(pk=session_id).first()
    return 0 if session is None else send_links(session)
