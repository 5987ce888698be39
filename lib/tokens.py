"""Random tokens for links that must not be guessed (respondent links, drafts, registrations,
evaluation links, API tokens), and what the database keeps of those it must not hold."""

import base64
import hashlib
import secrets


def new_token() -> str:
    """192 random bits, URL-safe: unguessable, and short enough to share in a message."""
    return secrets.token_urlsafe(24)


def hash_token(token: str) -> str:
    """The SHA-256 of a token, in hex (64 characters): what the database keeps of it."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_code() -> str:
    """80 random bits as 16 base-32 letters and digits in groups of four, easy to type from a
    printed slip (workshop and webinar evaluation codes)."""
    raw = base64.b32encode(secrets.token_bytes(10)).decode()
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


def hash_code(code: str) -> str:
    """The stored form of a typed code, compared without case, spaces or dashes, so one typed
    from a printed slip still works."""
    normal = "".join(ch for ch in code.upper() if ch.isalnum())
    return hashlib.sha256(normal.encode()).hexdigest()
