"""Browser fixtures for the programme tests (defined once in ``core/tests/browser.py``)."""

from core.tests.browser import browser, language, new_context  # noqa: F401
