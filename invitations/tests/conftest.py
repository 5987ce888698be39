"""Browser fixtures (defined once in ``core/tests/browser.py``) and invitation helpers."""

import re

from core.tests.browser import browser, language, new_context  # noqa: F401


def personal_urls(outbox) -> list[str]:
    """The personal links in the mails, as paths (the site URL cut off)."""
    return [re.search(r"https?://[^/\s]+(/s/[^\s]+/i/[^\s/]+/)\s", m.body).group(1) for m in outbox]
