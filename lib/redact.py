"""Secrets in URLs that no log may hold.

A respondent's link (``/s/<token>/…``, and an invitee's personal token after ``/i/``), an
evaluation link (``/e/<token>/``), a webinar registration link (``/webinars/r/<token>/…``)
and a password-reset link carry the secret that opens someone's answers, registration or
account (see the apps' ``urls.py``). Whoever reads a log must not be able to follow them, so
the secret is replaced by ``…`` wherever it appears.
"""

import logging
import re

REDACTED = "…"
_SECRET = re.compile(r"(/(?:s|e)/|/i/|/webinars/r/|/accounts/reset/[^/\s]*/)[^/?#\s\"']+")


def redact(text: str) -> str:
    """``text`` with the secret of every token URL in it replaced."""
    return _SECRET.sub(lambda m: m.group(1) + REDACTED, text)


def redact_path(path: str) -> str:
    """A request path without its query string, and with its secret replaced."""
    return redact(path.split("?", 1)[0])


class RedactSecretPaths(logging.Filter):
    """A logging filter: Django logs the path of every 4xx/5xx ("Not Found: /s/<token>/")."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        return True
