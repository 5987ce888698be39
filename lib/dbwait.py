"""How long a web request waits for the database before it gives up (PostgreSQL).

A database that accepts connections and then says nothing (a frozen server, a stuck network
path, a proxy that still acknowledges packets) is not noticed by TCP: keepalives and
``tcp_user_timeout`` only fire when nothing acknowledges. Without a limit of our own, a request
waits until gunicorn kills its worker, and every synchronous worker is soon stuck that way.

So the web server (``digilyft/wsgi.py``) sets a limit on every wait for the database:
connecting, each statement, each fetch, commit, the health check. When an answer is later than
the limit, a fresh connection asks whether the server answers at all. If it does not, the
waiting connection is dropped and ``OperationalError`` raised, which the site answers with its
503 page (``core/unavailable.py``); if it does, the statement is merely slow (a bulk file on a
busy server) and the wait goes on, bounded by ``statement_timeout`` as before. Processes that
do not serve the web (``db_worker``, management commands, tests) set no limit.

The backend that applies it is ``lib.postgresql``; SQLite is local and never waits this way.
"""

import time

# After a wait ran over the limit, this process fails at once for this long instead of making
# each request wait the limit again: its synchronous workers stay free for pages that need no
# database, and queued requests get their 503 within the limit. Then the next request tries.
STALL_PAUSE_SECONDS = 5.0

_limit: float | None = None
_stalled_until = 0.0


def limit_waits(seconds: float | None) -> None:
    """In this process, give up on any one wait for the database after ``seconds`` (None or
    0: no limit)."""
    global _limit
    _limit = seconds if seconds and seconds > 0 else None


def wait_limit() -> float | None:
    return _limit


def note_stall() -> None:
    """A wait ran over the limit: the database is not answering (see STALL_PAUSE_SECONDS)."""
    global _stalled_until
    _stalled_until = time.monotonic() + STALL_PAUSE_SECONDS


def stalled() -> bool:
    return time.monotonic() < _stalled_until
