"""Fixed-window counters in the cache that every server process shares (``CACHES["limits"]``:
the database cache by default, Redis when configured)."""

import hashlib
import time

from django.core.cache import caches


def allow(scope: str, key: str, limit: int, window_seconds: int) -> bool:
    """Count one use of ``scope`` by ``key``; False once it was used more than ``limit`` times
    in the current window. The key is stored hashed (it may be an email address)."""
    cache = caches["limits"]
    digest = hashlib.sha256(f"{scope}\0{key}".encode()).hexdigest()
    name = f"rl:{scope}:{digest}:{int(time.time() // window_seconds)}"
    cache.add(name, 0, timeout=window_seconds + 5)
    try:
        count = cache.incr(name)
    except ValueError:  # expired between add and incr
        cache.set(name, 1, timeout=window_seconds + 5)
        count = 1
    return count <= limit
