"""The status of something that is open between two days and may be closed early (a round, a
resident pulse): one rule and one set of labels for both."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

STATUS_LABELS = {"closed": _("Closed"), "scheduled": _("Not yet open"), "open": _("Open")}


def period_status(opens_on, closes_on, closed_early: bool, today=None) -> str:
    """ "closed" (closed early, or past its closing day), "scheduled" (before its opening day)
    or "open"."""
    today = today or timezone.localdate()
    if closed_early or today > closes_on:
        return "closed"
    if today < opens_on:
        return "scheduled"
    return "open"
