"""Who may see which pulse's own pages: the one place where that rule lives. (Published
figures are public; the answering page is reached by its link.)"""

from django.http import Http404
from django.utils.translation import gettext as _

from .models import Pulse


def pulses_for(user):
    """Staff see every pulse; a coordinator only their own organisation's."""
    pulses = Pulse.objects.select_related("organisation", "version")
    if user.is_staff:
        return pulses
    coordinator = getattr(user, "coordinator", None)
    if coordinator is None:
        return pulses.none()
    return pulses.filter(organisation_id=coordinator.organisation_id)


def get_pulse_for(user, pk) -> Pulse:
    """The pulse, or 404 — also for another organisation's, so ids reveal nothing."""
    pulse = pulses_for(user).filter(pk=pk).first()
    if pulse is None:
        raise Http404(_("No such resident pulse."))
    return pulse
