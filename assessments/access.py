"""Who may see which round: the one place where that rule lives.

The decorators for the kind of account (staff, coordinator) are in ``lib.access``.
"""

from django.http import Http404
from django.utils.translation import gettext as _

from .models import Round


def rounds_for(user):
    """Staff see every round; a coordinator only their own organisation's."""
    rounds = Round.objects.select_related("organisation", "version", "version__framework")
    if user.is_staff:
        return rounds
    coordinator = getattr(user, "coordinator", None)
    if coordinator is None:
        return rounds.none()
    return rounds.filter(organisation_id=coordinator.organisation_id)


def get_round_for(user, pk) -> Round:
    """The round, or 404 — also for another organisation's round, so ids reveal nothing."""
    round_ = rounds_for(user).filter(pk=pk).first()
    if round_ is None:
        raise Http404(_("No such assessment round."))
    return round_
