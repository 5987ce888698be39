"""Rate limits and response caching for the open API, both through Django's cache.

Rate limit: a fixed window per client address (``lib.clientip``, the one rule every limit
uses), ``DIGILYFT_API_RATE_LIMIT`` requests per ``DIGILYFT_API_RATE_WINDOW`` seconds, counted
in ``CACHES["limits"]`` that every server process shares (the database by default, Redis when
configured). The address is kept only as a keyed hash, and only for the window.

Responses are cached in ``CACHES["default"]`` (local memory per process unless a shared cache
is configured); cached responses carry the latest publication in their key, so a new or
corrected publication is served at once.
"""

import hashlib
import json

from django.conf import settings
from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.utils import translation
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

from lib.clientip import client_ip
from lib.ratelimit import seconds_to_wait

from . import catalogue
from .data import Catalogue


def retry_after(request, now: float | None = None) -> int | None:
    """Counts this request; returns the seconds to wait when the address is over its limit,
    else None."""
    wait = seconds_to_wait(
        "api",
        client_ip(request),
        settings.DIGILYFT_API_RATE_LIMIT,
        settings.DIGILYFT_API_RATE_WINDOW,
        now=now,
    )
    return wait or None


def current_catalogue():
    """The catalogue (KPIs, entities, served rounds and pulses) of the current publications,
    cached."""
    stamp = catalogue.fingerprint()
    key = f"api-catalogue-2:{stamp.key}:{translation.get_language()}"  # 2: with pulses
    found = cache.get(key)
    if found is None:
        found = Catalogue(
            {str(k.id): k for k in catalogue.kpis()},
            catalogue.entities(),
            catalogue.served_rounds(),
            catalogue.served_pulses(),
        )
        cache.set(key, found, timeout=settings.DIGILYFT_API_CACHE_SECONDS)
    return stamp, found


def etag(stamp) -> str:
    """The validator of a JSON answer: the latest publication and the language (titles and
    descriptions are in it); the URL itself tells the rest."""
    return f'"pub-{stamp.key}-{translation.get_language()}"'


def _with_validators(response, stamp):
    response["ETag"] = etag(stamp)
    if stamp.last_modified is not None:
        response["Last-Modified"] = http_date(stamp.last_modified.timestamp())
    # Anyone may keep a copy, and asks again with If-None-Match before using it.
    response["Cache-Control"] = "public, no-cache"
    return response


def cached_response(request, stamp, compute) -> HttpResponse:
    """The JSON of ``compute()``, computed once per publication state, language and URL and
    kept serialised, with an ETag and Last-Modified keyed by the latest publication; a client
    that already has it (If-None-Match, or If-Modified-Since) gets 304 and no body. (The
    schemas in ``api.v1`` describe it; the conformance test checks every answer against them.)
    """
    last_modified = stamp.last_modified.timestamp() if stamp.last_modified else None
    unchanged = get_conditional_response(request, etag=etag(stamp), last_modified=last_modified)
    if unchanged is not None:
        return _with_validators(unchanged, stamp)
    url = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
    key = f"api-response:{stamp.key}:{translation.get_language()}:{url}"
    body = cache.get(key)
    if body is None:
        body = json.dumps(compute(), cls=DjangoJSONEncoder, ensure_ascii=False).encode()
        cache.set(key, body, timeout=settings.DIGILYFT_API_CACHE_SECONDS)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    return _with_validators(response, stamp)
