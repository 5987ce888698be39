"""Actions on assessment rounds: creating one with its links, closing it early, counting."""

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from .invitation_hooks import hooks
from .models import Round, RoundLink
from .signals import round_closed


@transaction.atomic
def create_round(*, organisation, user, **fields) -> Round:
    """Create the round and one link (with its own token) per target group of the version."""
    return add_round(Round(organisation=organisation, **fields), user)


@transaction.atomic
def add_round(round_: Round, user) -> Round:
    """Save a new round built elsewhere (the admin's form) as ``create_round`` does: with
    its creator and one link per target group of its version."""
    round_.created_by = user
    round_.save()
    add_missing_links(round_)
    return round_


def set_invited_count(link: RoundLink, typed: int | None) -> None:
    """Store the number the coordinator typed as invited through the shared link (validated
    by ``forms.InvitedCountForm``: never fewer than have already submitted through it)."""
    RoundLink.objects.filter(pk=link.pk).update(invited_count=typed)
    link.invited_count = typed


def add_missing_links(round_: Round) -> None:
    """One link for every target group of the round's version that has none yet."""
    existing = set(round_.links.values_list("target_group_id", flat=True))
    RoundLink.objects.bulk_create(
        RoundLink(round=round_, target_group=group)
        for group in round_.version.target_groups.exclude(pk__in=existing)
    )


@transaction.atomic
def close_early(round_: Round) -> bool:
    """Close an open round now and publish its results; returns False if it was already
    closed. A closed round is never reopened."""
    closed = Round.objects.filter(pk=round_.pk, closed_early_at__isnull=True).update(
        closed_early_at=timezone.now()
    )
    if closed:
        round_.refresh_from_db(fields=["closed_early_at"])
        round_closed.send(sender=Round, round_id=round_.pk)
    return bool(closed)


def link_counts(round_: Round):
    """Per link: started and submitted responses, and its invitations by where they stand
    (``invitations.counting``). Counts only, never answers."""
    links = round_.links.select_related("target_group").annotate(
        started=Count("responses"),
        submitted=Count("responses", filter=Q(responses__submitted_on__isnull=False)),
    )
    return hooks.annotate_links(links).order_by("target_group__order")


def rounds_with_counts(rounds):
    return rounds.annotate(
        started=Count("responses"),
        submitted=Count("responses", filter=Q(responses__submitted_on__isnull=False)),
    )


def set_open_links(round_: Round, accepted: bool):
    """Accept answers through the shared links, or only through personal invitations."""
    Round.objects.filter(pk=round_.pk).update(open_links=accepted)
    round_.open_links = accepted
