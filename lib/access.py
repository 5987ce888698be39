"""Who may open a page at all: the decorators every app's views use.

Which object a user may see (a round, a workshop, a plan) is decided in its own app
(``assessments.access.get_round_for`` and the like); these only check the kind of account.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from . import second_factor


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
