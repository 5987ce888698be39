"""Actions on workshop requests: sending one, moving it through its workflow (with an email
to the organisation's coordinators at each step), participants and evaluations."""

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from .models import (
    Evaluation,
    Participant,
    RequestedGoal,
    RequestedModule,
    StatusChange,
    WorkshopModule,
    WorkshopRequest,
)

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
            StatusChange.objects.create(request=request, to_status=S.REQUESTED, by=user)
    except IntegrityError:
        # The database's own guard: one open request per organisation, also under a race.
        raise WorkshopRejected(
            _(
                "Your organisation already has an open workshop request. Wait until it is held or cancelled."  # noqa: E501
            )
        ) from None
    transaction.on_commit(lambda: notify(request))
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
    StatusChange.objects.create(
        request=locked, from_status=from_status, to_status=to_status, by=user
    )
    transaction.on_commit(lambda: notify(locked))
    return locked


def notify(request: WorkshopRequest) -> int:
    """Email every coordinator of the organisation about the request's current status.
    Sent in Swedish, the programme's language; the mail says where to read more."""
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


def register_participant(request: WorkshopRequest, target_group: str, gender: str) -> Participant:
    if request.status == S.CANCELLED:
        raise WorkshopRejected(_("The workshop was cancelled."))
    return Participant.objects.create(request=request, target_group=target_group, gender=gender)


def evaluation_open(request: WorkshopRequest) -> bool:
    return request.status in (S.HELD, S.EVALUATED)


def submit_evaluation(request: WorkshopRequest, nonce: str, answers: dict) -> bool:
    """Store one evaluation; a replay of the same form (same nonce) stores nothing more."""
    if not evaluation_open(request):
        raise WorkshopRejected(_("The evaluation opens when the workshop has been held."))
    try:
        with transaction.atomic():
            Evaluation.objects.create(request=request, nonce=nonce, **answers)
    except IntegrityError:
        return False
    return True


def evaluation_summary(request: WorkshopRequest) -> dict:
    """Mean per question, or nothing at all under the anonymity threshold."""
    from django.db.models import Avg, Count

    from results.anonymity import threshold

    figures = Evaluation.objects.filter(request=request).aggregate(
        n=Count("id"), **{name: Avg(name) for name in Evaluation.QUESTIONS}
    )
    n = figures.pop("n")
    if n < threshold():
        return {"n": n, "suppressed": True, "means": {}}
    return {"n": n, "suppressed": False, "means": figures}
