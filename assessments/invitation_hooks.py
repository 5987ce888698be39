"""What the respondent's flow and the round pages ask of personal invitations, without
importing the invitations app (it sits a floor above): the invitations app registers its
functions here in its ``ready()``. Until it has, a round simply has no invitations."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import IntegerField, Value


def _no_invitations(links):
    zero = Value(0, output_field=IntegerField())
    return links.annotate(
        invitation_count=zero,
        invitations_pending=zero,
        invitations_bounced=zero,
        invitations_submitted=zero,
    )


@dataclass
class InvitationHooks:
    # links annotated with invitation_count, invitations_pending, _bounced and _submitted
    annotate_links: Callable = _no_invitations
    # how many of a link's submissions came through personal invitations
    submitted_through_invitations: Callable = lambda link: 0
    # how many may answer through a link's shared link in all; None: no limit known
    open_link_cap: Callable = lambda link: None
    # claim a personal invitation for a draft (link id, token, draft secret), in a transaction
    # of its own; False if another draft spent it already
    spend_invitation: Callable = lambda link_id, token, draft_secret: False


hooks = InvitationHooks()


def register(**functions):
    """Called once by ``invitations.apps.InvitationsConfig.ready``."""
    for name, function in functions.items():
        if not hasattr(hooks, name):
            raise TypeError(f"no invitation hook called {name}")
        setattr(hooks, name, function)
