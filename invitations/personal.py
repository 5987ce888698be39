"""The invitee's side: finding an invitation by its token, beginning, submitting, opting out.

The token is spent in two steps. "Begin" marks the invitation started and creates an ordinary
anonymous response; the device keeps the token next to the draft's secret in its signed cookie.
The submit of that draft first *claims* the invitation in a transaction of its own: marks it
submitted, with the hash of the draft's secret, by token and only if it was not submitted
before or was claimed by this very draft — otherwise the submit is refused and stores nothing.
Then, in a second transaction, the response is submitted and its secret deleted. So an
invitation takes exactly one submission (a draft whose second step was cut off by a crash
finishes it on its retry; any other draft is refused), neither row names the other, and the
two rows are not written by one database transaction (which would give both the same
PostgreSQL ``xmin``; ``docs/privacy-model.md``).
"""

import hashlib

from django.db import transaction
from django.db.models import Q

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


def claim_of(draft_secret: str) -> str:
    return hashlib.sha256(draft_secret.encode()).hexdigest()


def mark_submitted(link_id: int, token: str, draft_secret: str | None) -> bool:
    """Spend the invitation for good, for the draft with this secret, in a transaction of its
    own. True when it was not spent yet or spent by this same draft (a retry after a crash
    between the claim and the response's submit); False otherwise, and then the caller must
    store nothing."""
    if not draft_secret:
        return False
    claim = claim_of(draft_secret)
    with transaction.atomic():
        return bool(
            Invitation.objects.filter(token_hash=hash_token(token), link_id=link_id)
            .filter(~Q(status=Invitation.Status.SUBMITTED) | Q(claim=claim))
            .update(status=Invitation.Status.SUBMITTED, claim=claim)
        )


def stop_reminders(invitation: Invitation) -> bool:
    return bool(Invitation.objects.filter(pk=invitation.pk, opted_out=False).update(opted_out=True))
