"""Retention of respondent data, as promised on the privacy page."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from .models import Response


def stale_unsubmitted_responses(today=None):
    """Unsubmitted responses whose round closed more than the retention period ago."""
    today = today or timezone.localdate()
    cutoff = today - timedelta(days=settings.DIGILYFT_UNSUBMITTED_RETENTION_DAYS)
    cutoff_moment = timezone.make_aware(
        timezone.datetime.combine(cutoff, timezone.datetime.min.time())
    )
    return Response.objects.filter(submitted_on__isnull=True).filter(
        Q(round__closes_on__lt=cutoff) | Q(round__closed_early_at__lt=cutoff_moment)
    )


def purge_stale_responses(today=None) -> int:
    """Delete them with their answers; returns how many responses were deleted."""
    stale = stale_unsubmitted_responses(today)
    count = stale.count()
    Response.objects.filter(pk__in=stale.values("pk")).delete()
    return count
