"""Digilyft's own system checks (``manage.py check``; ``--deploy`` adds the deployment ones)."""

import os

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def proxy_count_behind_a_trusted_proxy(app_configs, **kwargs):
    """Trusting the proxy's X-Forwarded-Proto says a proxy is in front; with no proxy counted,
    every client is the proxy's one address, and every per-address limit and the login
    lockout apply to the whole site at once."""
    if settings.SECURE_PROXY_SSL_HEADER and settings.DIGILYFT_TRUSTED_PROXY_COUNT <= 0:
        return [
            Warning(
                "The proxy's X-Forwarded-Proto is trusted, but DIGILYFT_TRUSTED_PROXY_COUNT is 0: "
                "behind the proxy every client has the proxy's address, so each rate limit and the "
                "login lockout apply to everyone at once.",
                hint="Set DIGILYFT_TRUSTED_PROXY_COUNT to the number of your own proxies in "
                "front of gunicorn (1 for deploy/nginx-digilyft.conf).",
                id="digilyft.W001",
            )
        ]
    return []


@register(Tags.security)
def no_separate_api_address_header(app_configs, **kwargs):
    """The API once read its client from a header of its own; every limit now uses one rule."""
    if os.environ.get("DIGILYFT_API_CLIENT_ADDRESS_HEADER"):
        return [
            Warning(
                "DIGILYFT_API_CLIENT_ADDRESS_HEADER is no longer read: the API's limit takes the "
                "client's address by the same rule as every other limit.",
                hint="Remove it and set DIGILYFT_TRUSTED_PROXY_COUNT instead.",
                id="digilyft.W002",
            )
        ]
    return []
