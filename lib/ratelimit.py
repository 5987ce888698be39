"""Fixed-window counters in the cache that every server process shares (``CACHES["limits"]``:
the database cache by default, Redis when ``REDIS_URL`` or ``LIMITS_CACHE_*`` says so).

``allow``/``seconds_to_wait`` count one use of a scope by a key; ``limit_per_address`` is the
decorator every anonymous action that stores rows or sends mail wears: past the limit, a POST
gets the 429 page with ``Retry-After`` and the view is not called. Other addresses are not
affected. Keys are stored hashed (they may be an address or an email address).
"""

import hashlib
import hmac
import math
import time
from functools import wraps

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.db import connections, router, transaction
from django.shortcuts import render

from lib.clientip import client_ip


def seconds_to_wait(
    scope: str, key: str, limit: int, window_seconds: int, now=None, cache_alias="limits"
) -> int:
    """Count one use of ``scope`` by ``key``: 0 while at most ``limit`` uses fall in the
    current window of ``window_seconds``, else the seconds until the window ends (>= 1).
    A limit of 0 or less turns the count off. The key is kept only as a keyed hash (an
    unkeyed hash of an IPv4 address is reversed by trying them all)."""
    if limit <= 0:
        return 0
    window = max(1, window_seconds)
    now = time.time() if now is None else now
    slot = int(now // window)
    cache = caches[cache_alias]
    name = _counter_name(scope, key, slot)
    count = _increment(cache, name, window + 5)
    if count <= limit:
        return 0
    return max(1, math.ceil((slot + 1) * window - now))


def seconds_blocked(
    scope: str, key: str, limit: int, window_seconds: int, now=None, cache_alias="limits"
) -> int:
    """Like ``seconds_to_wait`` without counting: 0 while ``key`` has used ``scope`` fewer
    than ``limit`` times in the current window (e.g. failures counted elsewhere), else the
    seconds until the window ends."""
    if limit <= 0:
        return 0
    window = max(1, window_seconds)
    now = time.time() if now is None else now
    slot = int(now // window)
    count = caches[cache_alias].get(_counter_name(scope, key, slot), 0)
    if count < limit:
        return 0
    return max(1, math.ceil((slot + 1) * window - now))


def _increment(cache, name: str, timeout: int) -> int:
    """The counter ``name`` plus one. Redis and memcached add atomically; Django's database
    cache reads and writes, so two processes could both read 7 and write 8: there the row is
    locked first (an UPDATE that changes nothing: a row lock on PostgreSQL, the write lock on
    SQLite), and the read and the write happen under it."""
    cache.add(name, 0, timeout=timeout)
    if not isinstance(cache, DatabaseCache):
        return _incr(cache, name, timeout)
    database = router.db_for_write(cache.cache_model_class)
    connection = connections[database]
    table = connection.ops.quote_name(cache._table)
    with transaction.atomic(using=database):
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET expires = expires WHERE cache_key = %s",  # noqa: S608
                [cache.make_and_validate_key(name)],
            )
        return _incr(cache, name, timeout)


def _incr(cache, name: str, timeout: int) -> int:
    try:
        return cache.incr(name)
    except ValueError:  # expired between add and incr
        cache.set(name, 1, timeout=timeout)
        return 1


def _counter_name(scope: str, key: str, slot: int) -> str:
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"{scope}\0{key}".encode(), hashlib.sha256
    ).hexdigest()[:40]
    return f"rl:{scope}:{digest}:{slot}"


def allow(scope: str, key: str, limit: int, window_seconds: int) -> bool:
    """Count one use; False once ``key`` used ``scope`` more than ``limit`` times in the
    current window."""
    return seconds_to_wait(scope, key, limit, window_seconds) == 0


def too_many(request, wait: int, message: str = ""):
    """The 429 page: what happened, and when to try again (also as ``Retry-After``)."""
    minutes = max(1, math.ceil(wait / 60))
    response = render(
        request, "core/too_many.html", {"minutes": minutes, "message": message}, status=429
    )
    response["Retry-After"] = str(wait)
    return response


def limit_per_address(scope: str, setting: str, window_seconds: int = 3600):
    """At most ``settings.<setting>`` POSTs to the view per client address per window; the
    rest get the 429 page and change nothing. GET and HEAD are never counted."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method == "POST":
                wait = seconds_to_wait(
                    scope, client_ip(request), getattr(settings, setting), window_seconds
                )
                if wait:
                    return too_many(request, wait)
            return view(request, *args, **kwargs)

        return wrapper

    return decorate
