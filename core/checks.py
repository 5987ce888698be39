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


# Caches that each process (or each machine) keeps to itself.
_NOT_SHARED = {
    "django.core.cache.backends.locmem.LocMemCache": "kept in each process",
    "django.core.cache.backends.filebased.FileBasedCache": "kept on each machine",
    "django.core.cache.backends.dummy.DummyCache": "not kept at all",
}
_CACHE_PURPOSES = {
    "default": "the open API's cached answers",
    "limits": "the rate limits and the login limit per address",
}
_SESSIONS_NOT_SHARED = {
    "django.contrib.sessions.backends.file": "files on each machine",
}


@register(Tags.caches, deploy=True)
def shared_state_with_several_app_servers(app_configs, **kwargs):
    """With several app servers behind a balancer, consecutive requests of one visitor reach
    different servers: whatever one remembers, all must see (DIGILYFT_APP_SERVERS)."""
    if settings.DIGILYFT_APP_SERVERS <= 1:
        return []
    found = []
    for alias, purpose in _CACHE_PURPOSES.items():
        backend = settings.CACHES.get(alias, {}).get("BACKEND", "")
        if backend in _NOT_SHARED:
            found.append(f'CACHES["{alias}"] ({purpose}) is {_NOT_SHARED[backend]}')
    engine = settings.SESSION_ENGINE
    if engine in _SESSIONS_NOT_SHARED:
        found.append(f"sessions are {_SESSIONS_NOT_SHARED[engine]}")
    elif engine.startswith("django.contrib.sessions.backends.cache"):
        backend = settings.CACHES.get(settings.SESSION_CACHE_ALIAS, {}).get("BACKEND", "")
        if backend in _NOT_SHARED:
            # cached_db too: a logout on one server leaves the session cached on the others.
            found.append(f"sessions are cached in a cache that is {_NOT_SHARED[backend]}")
    if not found:
        return []
    return [
        Warning(
            f"DIGILYFT_APP_SERVERS is {settings.DIGILYFT_APP_SERVERS}, but "
            + "; ".join(found)
            + ": each app server counts and remembers on its own.",
            hint="Set REDIS_URL to a Redis all app servers reach (both caches then use it), "
            "or CACHE_BACKEND/CACHE_LOCATION and LIMITS_CACHE_BACKEND/LIMITS_CACHE_LOCATION.",
            id="digilyft.W003",
        )
    ]
