"""Counted once: how many were invited per target group, and how many open-link answers fit.

With an invitation list, a group's number invited is its invitations plus the number the
coordinator typed for the open link (people reached in a meeting, say); without one, it is the
typed number alone. Every invitation takes at most one submission and the open link takes at
most its typed number, so submitted never exceeds invited and the response rate never 100 %.
"""

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from .models import Invitation

S = Invitation.Status


def _count(status_filter: Q | None = None):
    invitations = Invitation.objects.filter(link_id=OuterRef("pk"))
    if status_filter is not None:
        invitations = invitations.filter(status_filter)
    counted = invitations.order_by().values("link_id").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def annotate_invitations(links):
    """Per link: invitations in all, and by where they stand (one subquery each, no join)."""
    return links.annotate(
        invitation_count=_count(),
        invitations_pending=_count(Q(status__in=[S.PENDING, S.QUEUED])),
        invitations_bounced=_count(Q(status=S.BOUNCED)),
        invitations_submitted=_count(Q(status=S.SUBMITTED)),
    )


def submitted_through_invitations(link) -> int:
    return Invitation.objects.filter(link_id=link.pk, status=S.SUBMITTED).count()


def open_link_cap(invitation_count: int, typed: int | None) -> int | None:
    """How many may submit through the open link; None when no number is known."""
    if invitation_count:
        return typed or 0
    return typed


def open_link_cap_of(link) -> int | None:
    """How many may answer through the link's shared link in all (``open_link_cap``)."""
    invitations = Invitation.objects.filter(link_id=link.pk).count()
    return open_link_cap(invitations, link.invited_count)
