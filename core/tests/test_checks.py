"""Digilyft's own system checks (core/checks.py)."""

from django.core import checks

from core.checks import no_separate_api_address_header, proxy_count_behind_a_trusted_proxy


def _ids(messages):
    return [message.id for message in messages]


def test_deploy_check_warns_when_the_proxy_is_trusted_but_not_counted(settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.DIGILYFT_TRUSTED_PROXY_COUNT = 0
    assert _ids(proxy_count_behind_a_trusted_proxy(None)) == ["digilyft.W001"]
    assert "digilyft.W001" in _ids(checks.run_checks(include_deployment_checks=True))
    assert "digilyft.W001" not in _ids(checks.run_checks())  # a deployment check only
    settings.DIGILYFT_TRUSTED_PROXY_COUNT = 1
    assert proxy_count_behind_a_trusted_proxy(None) == []
    settings.SECURE_PROXY_SSL_HEADER = None
    settings.DIGILYFT_TRUSTED_PROXY_COUNT = 0
    assert proxy_count_behind_a_trusted_proxy(None) == []


def test_the_old_api_address_header_is_reported_as_unused(monkeypatch):
    monkeypatch.delenv("DIGILYFT_API_CLIENT_ADDRESS_HEADER", raising=False)
    assert no_separate_api_address_header(None) == []
    monkeypatch.setenv("DIGILYFT_API_CLIENT_ADDRESS_HEADER", "HTTP_X_REAL_IP")
    assert _ids(no_separate_api_address_header(None)) == ["digilyft.W002"]
