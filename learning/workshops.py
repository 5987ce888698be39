"""Actions on workshop requests: sending one, moving it through its workflow (with an email
to the organisation's coordinators at each step), participants and evaluations."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from frameworks.groups import target_group_choices
from lib.cellkey import perturbed_means
from lib.choices import Gender
from lib.tokens import hash_code, new_code
from lib.urls import absolute_url
from results.anonymity import threshold

from .models import (
    Evaluation,
    EvaluationCode,
    Participant,
    RequestedGoal,
    RequestedModule,
    StatusChange,
    WorkshopModule,
    WorkshopRequest,
)
from .proposals import agenda

S = WorkshopRequest.Status
# Which step may follow which; anything else is refused.
NEXT = {
    S.REQUESTED: {S.CONFIRMED, S.CANCELLED},
    S.CONFIRMED: {S.HELD, S.CANCELLED},
    S.HELD: {S.EVALUATED},
    S.EVALUATED: set(),
    S.CANCELLED: set(),
}


class WorkshopRejected(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


def open_request(organisation) -> WorkshopRequest | None:
    return WorkshopRequest.objects.filter(
        organisation=organisation, status__in=WorkshopRequest.OPEN_STATUSES
    ).first()


def send_request(*, organisation, round_, user, module_ids, picks, **fields) -> WorkshopRequest:
    """Create the request with its modules and the reasons behind its goals — all or nothing."""
    if round_ is not None and round_.organisation_id != organisation.pk:
        raise WorkshopRejected(_("You can only request a workshop for your own organisation."))
    modules = list(WorkshopModule.objects.filter(pk__in=module_ids, is_active=True))
    if len(modules) != len(set(module_ids)):
        raise WorkshopRejected(
            _("One of the chosen modules is no longer in the catalogue. Choose again.")
        )
    if not modules:
        raise WorkshopRejected(_("Choose at least one module."))
    order = {pk: index for index, pk in enumerate(module_ids)}
    modules.sort(key=lambda module: order[module.pk])
    try:
        with transaction.atomic():
            request = WorkshopRequest.objects.create(
                organisation=organisation, round=round_, created_by=user, **fields
            )
            RequestedModule.objects.bulk_create(
                RequestedModule(request=request, module=module, order=index)
                for index, module in enumerate(modules)
            )
            RequestedGoal.objects.bulk_create(
                RequestedGoal(
                    request=request,
                    goal_key=pick.goal.key,
                    goal_name=pick.goal.name_sv,
                    reasons="\n".join(reason.text for reason in pick.reasons),
                )
                for pick in picks
            )
            change = StatusChange.objects.create(request=request, to_status=S.REQUESTED, by=user)
    except IntegrityError:
        # The database's own guard: one open request per organisation, also under a race.
        raise WorkshopRejected(
            _(
                "Your organisation already has an open workshop request. Wait until it is held or cancelled."  # noqa: E501
            )
        ) from None
    _notify_later(change)
    _notify_office_later(request)
    return request


@transaction.atomic
def move(request: WorkshopRequest, to_status: str, user, **fields) -> WorkshopRequest:
    """Move a request one step; the row is locked so two staff cannot both move it."""
    locked = WorkshopRequest.objects.select_for_update().get(pk=request.pk)
    if to_status not in NEXT[locked.status]:
        raise WorkshopRejected(
            _("A workshop that is “%(current)s” cannot be marked “%(next)s”.")
            % {"current": locked.get_status_display(), "next": S(to_status).label}
        )
    from_status = locked.status
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.status = to_status
    locked.save()
    change = StatusChange.objects.create(
        request=locked, from_status=from_status, to_status=to_status, by=user
    )
    _notify_later(change)
    return locked


def _notify_later(change: StatusChange):
    """The coordinators' mail about a step is sent by the worker (``learning.tasks``)."""
    from .tasks import send_status_mail

    transaction.on_commit(lambda: send_status_mail.enqueue(change.pk))


def _notify_office_later(request: WorkshopRequest):
    """The programme office's mail about a new request is sent by the worker too."""
    from .tasks import send_office_mail

    transaction.on_commit(lambda: send_office_mail.enqueue(request.pk))


def notify(request: WorkshopRequest) -> int:
    """Email every coordinator of the organisation about the request's status (as the
    ``request`` object says). Sent in Swedish, the programme's language; the mail says where to
    read more. Called by the worker's ``learning.tasks.send_status_mail``."""
    recipients = [
        c.user.email
        for c in request.organisation.coordinators.select_related("user")
        if c.user.email and c.user.is_active
    ]
    if not recipients:
        return 0
    with translation.override("sv"):
        subject = _("Workshop for %(org)s: %(status)s") % {
            "org": request.organisation.name,
            "status": request.get_status_display(),
        }
        body = render_to_string("learning/email_status.txt", {"request": request})
    return send_mail(subject, body, None, recipients)


def notify_office(request: WorkshopRequest) -> int:
    """Email the programme office (active staff accounts with an address) about a new
    request, with its agenda, its goals and why (the figures behind each reason), the
    coordinator's message and the address of the request. In Swedish.
    Called by the worker's ``learning.tasks.send_office_mail``."""
    recipients = list(
        get_user_model()
        .objects.filter(is_staff=True, is_active=True)
        .exclude(email="")
        .order_by("email")
        .values_list("email", flat=True)
    )
    if not recipients:
        return 0
    url = absolute_url(reverse("learning:workshop_detail", args=[request.pk]))
    modules = [row.module for row in request.modules.select_related("module")]  # stored order
    with translation.override("sv"):
        subject = _("New workshop request from %(org)s") % {"org": request.organisation.name}
        body = render_to_string(
            "learning/email_office_request.txt",
            {
                "request": request,
                "agenda": agenda(modules, request.format),
                # why each goal was picked, with its figures, as stored with the request
                "goals": [
                    {"name": goal.goal_name, "reasons": goal.reasons.splitlines()}
                    for goal in request.goals.order_by("pk")
                ],
                "url": url,
            },
        )
    return send_mail(subject, body, None, recipients)


def register_participant_counts(request: WorkshopRequest, counts) -> int:
    """Register ``counts`` — (target group, gender or "", number) — all at once or none.
    Returns how many participants were registered."""
    if request.status == S.CANCELLED:
        raise WorkshopRejected(_("The workshop was cancelled."))
    genders = {"", *Gender.values}
    groups = dict(target_group_choices())
    for group, gender, number in counts:
        if group not in groups or gender not in genders or number < 0:
            raise WorkshopRejected(_("Choose a target group and a gender from the form."))
    rows = [
        Participant(request=request, target_group=group, gender=gender)
        for group, gender, number in counts
        for _n in range(number)
    ]
    with transaction.atomic():
        Participant.objects.bulk_create(rows)
    return len(rows)


# --- evaluation ------------------------------------------------------------------------------

EVALUATION_DAYS = 14  # how long an evaluation stays open unless a closing day is chosen
MAX_CODES = 200  # links made at one time


class EvaluationRefused(Exception):
    """A participant link that cannot be used: ``status`` is the HTTP status to answer with."""

    def __init__(self, status, message):
        super().__init__(message)
        self.status = status
        self.message = message


def evaluation_closed(request: WorkshopRequest) -> bool:
    """Closed on its closing day, or once the programme office marks the workshop evaluated."""
    if request.status == S.EVALUATED:
        return True
    closes_on = request.evaluation_closes_on
    return closes_on is not None and closes_on <= timezone.localdate()


def evaluation_open(request: WorkshopRequest) -> bool:
    """Participants can answer: the workshop is held, its links made, and it has not closed."""
    return (
        request.status == S.HELD
        and request.evaluation_closes_on is not None
        and not evaluation_closed(request)
    )


def can_make_codes(request: WorkshopRequest) -> bool:
    return request.status == S.HELD and not evaluation_closed(request)


@transaction.atomic
def make_codes(request: WorkshopRequest, count: int, closes_on=None) -> list[str]:
    """Make ``count`` single-use links (the first time, this opens the evaluation until
    ``closes_on``) and return the codes, which are not kept anywhere."""
    locked = WorkshopRequest.objects.select_for_update().get(pk=request.pk)
    if not can_make_codes(locked):
        raise WorkshopRejected(_("Links can only be made while the evaluation is open."))
    if not 1 <= count <= MAX_CODES:
        raise WorkshopRejected(_("Make between 1 and %(max)s links.") % {"max": MAX_CODES})
    if locked.evaluation_closes_on is None:
        today = timezone.localdate()
        locked.evaluation_closes_on = closes_on or today + timedelta(days=EVALUATION_DAYS)
        locked.save(update_fields=["evaluation_closes_on"])
    codes = [new_code() for _ in range(count)]
    EvaluationCode.objects.bulk_create(
        EvaluationCode(request=locked, token_hash=hash_code(code)) for code in codes
    )
    request.evaluation_closes_on = locked.evaluation_closes_on
    return codes


@transaction.atomic
def replace_unused_codes(request: WorkshopRequest) -> list[str]:
    """New links for every unused one, for a lost print-out: the old unused links stop working."""
    locked = WorkshopRequest.objects.select_for_update().get(pk=request.pk)
    if not can_make_codes(locked):
        raise WorkshopRejected(_("Links can only be made while the evaluation is open."))
    unused = EvaluationCode.objects.filter(request=locked, used=False)
    count = unused.count()
    if not count:
        raise WorkshopRejected(_("Every link has been used. Make more links instead."))
    unused.delete()
    return make_codes(locked, count)


def close_evaluation(request: WorkshopRequest) -> None:
    """Close now: no more evaluations are taken, and the results are shown if enough."""
    if request.status not in (S.HELD, S.EVALUATED) or request.evaluation_closes_on is None:
        raise WorkshopRejected(_("The evaluation has not been opened."))
    today = timezone.localdate()
    if not evaluation_closed(request):
        WorkshopRequest.objects.filter(pk=request.pk).update(evaluation_closes_on=today)
        request.evaluation_closes_on = today


def code_counts(request: WorkshopRequest) -> dict:
    return EvaluationCode.objects.filter(request=request).aggregate(
        made=Count("id"), used=Count("id", filter=Q(used=True))
    )


def used_link() -> EvaluationRefused:
    return EvaluationRefused(
        410, _("This evaluation link has already been used. Each link can be used once.")
    )


def workshop_for_code(code: str) -> WorkshopRequest:
    """The workshop a participant link belongs to, or why it cannot be used."""
    row = (
        EvaluationCode.objects.select_related("request__organisation")
        .filter(token_hash=hash_code(code))
        .first()
    )
    if row is None:
        raise EvaluationRefused(404, _("This evaluation link is not valid. Check the address."))
    workshop = row.request
    if row.used:
        raise used_link()
    if evaluation_closed(workshop):
        raise EvaluationRefused(410, _("The evaluation has closed. Thank you for your interest."))
    if not evaluation_open(workshop):
        raise EvaluationRefused(403, _("The evaluation opens when the workshop has been held."))
    return workshop


def submit_evaluation(workshop: WorkshopRequest, code: str, answers: dict) -> bool:
    """Spend the code and store the evaluation, both or neither. False if the code had been
    spent in the meantime (a replayed or doubled form): then nothing is stored."""
    with transaction.atomic():
        spent = EvaluationCode.objects.filter(
            request=workshop, token_hash=hash_code(code), used=False
        ).update(used=True, used_on=timezone.localdate())
        if not spent:
            return False
        Evaluation.objects.create(request=workshop, **answers)
    return True


def evaluation_summary(request: WorkshopRequest) -> dict:
    """While the evaluation is open only the count; once closed the mean per question, but only
    over at least the anonymity threshold. Nothing changes after closing, so two looks at
    the figures can never be subtracted to reveal one participant's answers."""
    evaluations = Evaluation.objects.filter(request=request)
    n = evaluations.count()
    k = threshold()
    closed = evaluation_closed(request)
    published = closed and n >= k
    means = (
        perturbed_means(evaluations, Evaluation.QUESTIONS, "workshop", request.pk)
        if published
        else {}
    )
    return {
        "n": n,
        "threshold": k,
        "opened": request.evaluation_closes_on is not None,
        "closed": closed,
        "closes_on": request.evaluation_closes_on,
        "published": published,
        "means": means,
    }
