"""Correcting a published round: the one way published results change, always audited.

Published results are immutable (``results.publication``); when the programme office must
correct a round (for instance after removing responses found to be fabricated), it
republishes it here with a written reason, and the audit log keeps who, when, why, and the
publication before and after.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from results.models import Publication
from results.publication import republish_round

from . import audit


class CorrectionRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@transaction.atomic
def republish(user, round_, reason: str) -> Publication:
    current = Publication.objects.filter(round=round_).first()
    if current is None:
        raise CorrectionRefused(_("This round has no published results to correct."))
    if not reason.strip():
        raise CorrectionRefused(_("Write why the results are republished."))
    before = audit.snapshot(current)
    publication = republish_round(round_)
    audit.record(
        user,
        round_,
        "republish",
        before,
        after={**audit.snapshot(publication), "reason": reason.strip()},
    )
    return publication
