"""Reach of the webinar programme: registrations and attendance per session by target group,
gender, kind of organisation and county, and organisations reached of all. Counted in SQL.

These figures are shown to the programme office only; nothing here is published.
"""

from django.db.models import Count, Q

from registry.models import Organisation

from .models import Registration

DIMENSIONS = {
    "target_group": "target_group",
    "gender": "gender",
    "kind": "organisation__kind",
    "county": "organisation__county_name",
}
COUNTED = Q(status=Registration.Status.CONFIRMED) | Q(attended=True)


def counts_by(sessions, dimension: str) -> list[dict]:
    """Per session and value of the dimension: confirmed registrations and attendees."""
    field = DIMENSIONS[dimension]
    return list(
        Registration.objects.filter(session__in=sessions)
        .filter(COUNTED)
        .values("session_id", field)
        .annotate(
            registered=Count("id", filter=Q(status=Registration.Status.CONFIRMED)),
            attended=Count("id", filter=Q(attended=True)),
        )
        .order_by("session_id", field)
    )


def session_totals(sessions):
    return sessions.annotate(
        registered=Count(
            "registrations", filter=Q(registrations__status=Registration.Status.CONFIRMED)
        ),
        waiting=Count("registrations", filter=Q(registrations__status=Registration.Status.WAITING)),
        attended=Count("registrations", filter=Q(registrations__attended=True)),
    ).select_related("series")


def organisations_reached(sessions) -> dict:
    reached = (
        Registration.objects.filter(session__in=sessions, attended=True)
        .values("organisation_id")
        .distinct()
        .count()
    )
    total = Organisation.objects.count()
    return {"reached": reached, "total": total, "share": reached / total if total else None}
