"""The Content-Security-Policy watch that every browser test carries (core/tests/browser.py)."""

import pytest


@pytest.mark.browser
def test_a_policy_violation_is_heard(live_server, browser):
    """The watch every browser test has (core/tests/browser.py) does hear a refused script."""
    from core.tests.browser import watch_content_security_policy

    violations = []
    context = browser.new_context()
    try:
        watch_content_security_policy(context, violations)
        page = context.new_page()
        page.goto(live_server.url + "/")
        with page.expect_console_message(lambda message: "CSP violation" in message.text):
            page.evaluate(
                "document.body.insertAdjacentHTML('beforeend', "
                '\'<img src="/missing.png" onerror="document.title=1">\')'
            )
    finally:
        context.close()
    assert any("script-src" in text for text in violations), violations
