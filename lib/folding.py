"""Folding text for searches that forgive a missing å, ä, ö: lower case, accents stripped, so
"Bistånd" and "bistand" fold alike. The same rule as PostgreSQL's ``unaccent`` for the letters
Swedish uses; SQLite has no such function, so the library keeps a folded copy of its text."""

import unicodedata


def fold(text: str) -> str:
    """``text`` in lower case without combining marks (å → a, ä → a, ö → o, é → e)."""
    decomposed = unicodedata.normalize("NFKD", (text or "").casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))
