"""Browser fixtures for the plans tests (defined once in ``core/tests/browser.py``)."""

from core.tests.browser import browser, new_context  # noqa: F401
