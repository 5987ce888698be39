"""Browser fixtures for the programme tests (defined once in ``core/tests/browser.py``)."""

from core.tests.browser import browser, new_context  # noqa: F401
