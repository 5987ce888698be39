"""Random tokens for links that must not be guessed (respondent links, drafts, registrations,
evaluation links)."""

import secrets


def new_token() -> str:
    """192 random bits, URL-safe: unguessable, and short enough to share in a message."""
    return secrets.token_urlsafe(24)
