"""Swedish number formats beyond Django's own (``django/conf/locale/sv/formats.py``).

Thousands are set off by a thin space that never breaks (U+202F), as Swedish typography writes
10 000 000: a line never breaks inside a number. Everything else comes from Django's file.
"""

THOUSAND_SEPARATOR = "\u202f"
