"""Browser fixtures for the learning tests (defined once in ``core/tests/browser.py``), and
a published round with a module for every goal."""

import pytest

from core.tests.browser import browser, language, new_context  # noqa: F401
from learning.tests.factories import modules_for_every_goal
from results.tests.factories import link, make_round, publish, submit


@pytest.fixture
def answered(org_a, version):
    """A published round of organisation A whose results propose a workshop."""
    round_ = make_round(org_a, version)
    submit(link(round_, "politician"), 6, value=lambda i, item: 1 + (item.pk + i) % 5)
    submit(link(round_, "official"), 6, value=lambda i, item: 1 + (item.pk * 3 + i) % 5)
    modules_for_every_goal(version)
    return publish(round_)
