"""Secrets people hold and the database never does: only their SHA-256 is stored."""

import hashlib


def hash_token(token: str) -> str:
    """The SHA-256 of a token, in hex (64 characters): what the database keeps of it."""
    return hashlib.sha256(token.encode()).hexdigest()
