"""Soft hyphens in long words, so that a narrow column breaks a word where the language
hyphenates it, and shows a hyphen there ("Noll-/mätning"), never in the middle of a syllable
without one ("Nollmätnin/g").

Browsers hyphenate by themselves (CSS ``hyphens: auto``) only where they carry a dictionary
for the language, which Chromium on Linux does not; a soft hyphen (U+00AD) is honoured by every
browser and by WeasyPrint, and is invisible unless the line breaks there. The dictionaries are
pyphen's (LibreOffice's hyphenation patterns, installed with WeasyPrint).
"""

import re
from functools import cache

import pyphen
from django.utils.translation import get_language

SOFT_HYPHEN = "\u00ad"
# Words shorter than this are left whole; a break leaves at least three letters on each side.
LONG_WORD = re.compile(r"[^\W\d_]{8,}")
DICTIONARIES = {"sv": "sv", "en": "en_GB"}


@cache
def _dictionary(language: str) -> pyphen.Pyphen:
    return pyphen.Pyphen(lang=DICTIONARIES.get(language, "sv"), left=3, right=3)


def soft_hyphens(text: str, language: str | None = None) -> str:
    """``text`` with soft hyphens at the hyphenation points of its long words, in
    ``language`` (default: the active one)."""
    dictionary = _dictionary((language or get_language() or "sv")[:2])
    return LONG_WORD.sub(lambda word: dictionary.inserted(word[0], hyphen=SOFT_HYPHEN), str(text))
