"""The partner agencies: logging a consultation with one of them."""

from .models import Consultation


def log_consultation(*, partner, date, topic, outcome="") -> Consultation:
    """Record one consultation (the report lists those in its period)."""
    return Consultation.objects.create(partner=partner, date=date, topic=topic, outcome=outcome)
