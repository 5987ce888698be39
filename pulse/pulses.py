"""Actions on resident pulses: start one, close it early (and publish), store an answer.

Views validate; these change the database, each atomically."""

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from .loading import current_version
from .models import Pulse, PulseAnswer, PulseResponse
from .publication import publish_pulse


@transaction.atomic
def start_pulse(*, organisation, user, opens_on, closes_on) -> Pulse:
    """A new pulse on the newest questionnaire version (which it freezes), with its link."""
    return Pulse.objects.create(
        organisation=organisation,
        version=current_version(),
        opens_on=opens_on,
        closes_on=closes_on,
        created_by=user,
    )


@transaction.atomic
def close_early(pulse: Pulse) -> bool:
    """Close an open pulse today and publish its figures; False if it was already closed.
    A closed pulse is never reopened."""
    today = timezone.localdate()
    closed = Pulse.objects.filter(pk=pulse.pk, closed_early_on__isnull=True).update(
        closed_early_on=today
    )
    if closed:
        pulse.closed_early_on = today
        publish_pulse(pulse)
    return bool(closed)


@transaction.atomic
def store_answers(pulse: Pulse, values: dict[int, int | None], age_band: str, gender: str):
    """One resident's answers: {statement id: 1–5 or None for "don't know"}, validated by the
    view. The response keeps the day only, and nothing about the device or the address."""
    response = PulseResponse.objects.create(pulse=pulse, age_band=age_band, gender=gender)
    PulseAnswer.objects.bulk_create(
        PulseAnswer(response=response, statement_id=statement_id, value=value)
        for statement_id, value in values.items()
    )


def with_counts(pulses):
    """Pulses with the number of answers received (a count only, never answers)."""
    return pulses.annotate(answered=Count("responses"))
