"""Creating, revoking and reading API tokens.

A token belongs to a user who can read rounds on the pages: a coordinator (their own
organisation) or staff (every organisation). It is ``dl_`` and 256 random bits; the database
keeps only its SHA-256 and its first characters. Holding one lifts the anonymous rate limit
and opens the round counts (``api.rounds``); the published figures are the same for everyone,
suppressed values included.
"""

import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from lib.tokens import hash_token

from .models import ApiToken

PREFIX = "dl_"
MAX_PER_USER = 10


class TokenRefused(Exception):
    pass


@dataclass(frozen=True)
class Reader:
    """Who a request reads as: a token's holder, or anyone (no token)."""

    token_id: int | None = None
    is_staff: bool = False
    organisation_id: int | None = None

    @property
    def has_token(self) -> bool:
        return self.token_id is not None

    def may_read(self, organisation_id: int) -> bool:
        return self.is_staff or (self.has_token and self.organisation_id == organisation_id)


ANYONE = Reader()


def may_hold_tokens(user) -> bool:
    return user.is_active and (user.is_staff or hasattr(user, "coordinator"))


@transaction.atomic
def create_token(user, name: str) -> tuple[ApiToken, str]:
    """A new token for ``user``; returns the row and the token, which is never stored."""
    if not may_hold_tokens(user):
        raise TokenRefused(_("Only coordinators and the programme office can have API tokens."))
    if ApiToken.objects.select_for_update().filter(user=user).count() >= MAX_PER_USER:
        raise TokenRefused(
            _("You have %(max)s tokens already: revoke one you no longer use first.")
            % {"max": MAX_PER_USER}
        )
    token = PREFIX + secrets.token_urlsafe(32)
    row = ApiToken.objects.create(
        user=user, name=name, token_hash=hash_token(token), prefix=token[: len(PREFIX) + 6]
    )
    return row, token


def revoke_token(user, token_id: int) -> bool:
    """Delete one of the user's own tokens; False if they have no such token."""
    deleted, _rows = ApiToken.objects.filter(user=user, pk=token_id).delete()
    return bool(deleted)


def reader_for(token: str) -> Reader | None:
    """The reader a presented token stands for, or None (unknown, revoked, or its holder may
    no longer read rounds). One query."""
    if not token.startswith(PREFIX) or len(token) > 100:
        return None
    row = (
        ApiToken.objects.select_related("user", "user__coordinator")
        .filter(token_hash=hash_token(token))
        .first()
    )
    if row is None or not may_hold_tokens(row.user):
        return None
    coordinator = getattr(row.user, "coordinator", None)
    return Reader(
        token_id=row.pk,
        is_staff=row.user.is_staff,
        organisation_id=coordinator.organisation_id if coordinator else None,
    )
