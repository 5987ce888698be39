"""The invitee's side: finding an invitation by its token, beginning, submitting, opting out.

The token is spent in two steps. "Begin" marks the invitation started and creates an ordinary
anonymous response; the device keeps the token next to the draft's secret in its signed cookie.
The submit of that draft marks the invitation submitted in the same transaction, by token and
only if it was not submitted before — otherwise the submit is refused and stores nothing. So an
invitation takes exactly one submission, and neither row names the other.
"""

from django.db import transaction

from assessments.models import Response

from .models import Invitation
from .tokens import hash_token


def find(token: str) -> Invitation | None:
    if not token or len(token) > 64:
        return None
    return (
        Invitation.objects.select_related(
            "link__round__organisation", "link__round__version", "link__target_group"
        )
        .filter(token_hash=hash_token(token))
        .first()
    )


@transaction.atomic
def begin(invitation: Invitation) -> Response | None:
    """Mark the invitation started and create a new response on its link; None if the
    invitation was submitted meanwhile. (Beginning again from a new device is allowed until the
    one submission: a lost phone must not cost the invitee their answer.)"""
    started = (
        Invitation.objects.filter(pk=invitation.pk)
        .exclude(status=Invitation.Status.SUBMITTED)
        .update(status=Invitation.Status.STARTED)
    )
    if not started:
        return None
    link = invitation.link
    return Response.objects.create(link=link, round_id=link.round_id)


def mark_submitted(link_id: int, token: str) -> bool:
    """Spend the invitation for good. Called inside the submitting transaction; False when it
    was already spent, and then the caller must store nothing."""
    return bool(
        Invitation.objects.filter(token_hash=hash_token(token), link_id=link_id)
        .exclude(status=Invitation.Status.SUBMITTED)
        .update(status=Invitation.Status.SUBMITTED)
    )


def stop_reminders(invitation: Invitation) -> bool:
    return bool(Invitation.objects.filter(pk=invitation.pk, opted_out=False).update(opted_out=True))
