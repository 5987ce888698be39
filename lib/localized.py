"""Bilingual model fields: content is stored as ``<name>_sv`` and ``<name>_en`` columns.

``Localized("name")`` on a model gives ``obj.name``, the text in the active language,
falling back to Swedish (the default language) when the English text is empty.
"""

from django.utils.translation import get_language


def active_language() -> str:
    return "en" if (get_language() or "sv").startswith("en") else "sv"


class Localized:
    def __init__(self, base: str):
        self.base = base

    def __get__(self, obj, objtype=None):
        if obj is None:
            return self
        text = getattr(obj, f"{self.base}_{active_language()}", "")
        return text or getattr(obj, f"{self.base}_sv", "")
