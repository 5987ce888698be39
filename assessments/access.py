"""Who may see which round: the one place where that rule lives."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from core import second_factor

from .models import Round


def coordinator_required(view):
    """Logged in, and either staff or the coordinator of an organisation."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not (request.user.is_staff or hasattr(request.user, "coordinator")):
            raise PermissionDenied(_("Your account is not linked to an organisation."))
        return view(request, *args, **kwargs)

    return wrapper


def staff_required(view):
    """Logged in with staff rights (the programme office)."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not request.user.is_staff:
            raise PermissionDenied(_("This page is for the programme office."))
        # Also checked by core.second_factor's middleware; here too, so that no staff view
        # depends on the middleware's order.
        if second_factor.required_for(request.user):
            return second_factor.redirect_to_second_factor(request)
        return view(request, *args, **kwargs)

    return wrapper


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
