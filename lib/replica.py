"""Reading published figures from a streaming read replica (``DATABASE_REPLICA_URL``).

Published figures never change once written (DESIGN.md, "Publication"), so the pages, exports
and the API that only show them can read from a replica of the database and leave the primary
to the respondents and coordinators who write. Everything here is inert without a replica:
``settings.DATABASES`` then has no ``replica`` alias and every read goes where it always went.

- ``reads_published`` marks a view that serves published figures. Only while such a view runs
  (and while its streamed body is produced) does ``PublishedReadsRouter`` send reads to the
  replica; every other read, and every write, goes to the primary. Accounts, sessions, the
  login lockout, API tokens and the database cache are always read from the primary.
- Reading one's own writes: ``RecentWriterMiddleware`` gives whoever sent a POST (or another
  unsafe method) a signed cookie; for ``DATABASE_REPLICA_PRIMARY_WINDOW_SECONDS`` after it
  (longer than the lag allowed) that browser reads published figures from the primary, so a
  coordinator who has just closed a round sees its results at once.
- A replica that is down, or whose replay is more than ``DATABASE_REPLICA_MAX_LAG_SECONDS``
  behind, is not used: the primary serves the reads and a warning is logged. Each process asks
  the replica at most every ``DATABASE_REPLICA_CHECK_SECONDS``; a view whose replica read fails
  between two checks is run again on the primary (its reads only: these views write nothing),
  so the visitor never sees the replica's failure.

Limitation: ``lib.dbwait`` pauses the whole process after a wait that ran over its limit, so a
replica that *freezes* (accepts connections, never answers) costs up to that pause on the
primary too; a replica that is stopped or unreachable refuses at once and costs nothing.
"""

import contextvars
import functools
import logging
import threading
import time

from django.conf import settings
from django.core import signing
from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections
from django.http import StreamingHttpResponse
from django.urls import URLPattern

logger = logging.getLogger("digilyft.replica")

REPLICA = "replica"
COOKIE = "digilyft_wrote"
_SALT = "digilyft.replica.recent-writer"

# Never from the replica, whatever the view: who is logged in and what they may do, counters.
PRIMARY_ONLY_APPS = frozenset(
    {
        "auth",
        "sessions",
        "contenttypes",
        "admin",
        "axes",
        "otp_totp",
        "otp_static",
        "django_otp",
        "django_cache",
        "django_tasks_database",
    }
)
PRIMARY_ONLY_MODELS = frozenset({"api.apitoken"})

# The alias reads go to while a published-figures view runs (None: the primary).
_reading_from: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "digilyft_replica_reads", default=None
)


def configured() -> bool:
    return REPLICA in settings.DATABASES


# --- Is the replica fit to read? -------------------------------------------------------------

_state_lock = threading.Lock()
_checked_at = -1e9  # time.monotonic() of the last check
_usable: bool | None = None  # None: not asked yet


_LAG_SQL = """
SELECT CASE
    WHEN NOT pg_is_in_recovery() THEN 0
    WHEN pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn() THEN 0
    ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 1e9)
END
"""


def lag_seconds() -> float:
    """Seconds the replica's replay is behind: 0 when it has replayed all it received (a quiet
    primary sends nothing, however old its last transaction), else the age of the last
    transaction it replayed. Raises the database's error when the replica does not answer."""
    connection = connections[REPLICA]
    if connection.vendor != "postgresql":  # a test's stand-in: always current
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute(_LAG_SQL)
        return float(cursor.fetchone()[0])


def replica_usable() -> bool:
    """Whether reads may go to the replica now: checked at most every
    ``DATABASE_REPLICA_CHECK_SECONDS`` in this process (see the module)."""
    global _checked_at, _usable
    if not configured():
        return False
    now = time.monotonic()
    with _state_lock:
        if now - _checked_at < settings.DATABASE_REPLICA_CHECK_SECONDS:
            return bool(_usable)
        _checked_at = now  # one request checks; the others keep the last answer meanwhile
    try:
        lag = lag_seconds()
    except (OperationalError, InterfaceError) as exc:
        _set_usable(False, "the replica does not answer (%s); reading from the primary", exc)
        return False
    if lag > settings.DATABASE_REPLICA_MAX_LAG_SECONDS:
        _set_usable(
            False,
            "the replica is %.1f s behind (limit %s s); reading from the primary",
            lag,
            settings.DATABASE_REPLICA_MAX_LAG_SECONDS,
        )
        return False
    _set_usable(True, "the replica answers again (%.1f s behind); reading from it", lag)
    return True


def _set_usable(usable: bool, message: str, *args) -> None:
    global _usable
    with _state_lock:
        came_back = usable and _usable is False
        _usable = usable
    if not usable or came_back:
        logger.warning(message, *args)


def mark_unusable(exc: Exception) -> None:
    """A read from the replica failed: use the primary until the next check."""
    global _checked_at
    with _state_lock:
        _checked_at = time.monotonic()
    _set_usable(False, "a read from the replica failed (%s); reading from the primary", exc)
    if REPLICA in settings.DATABASES:
        connections[REPLICA].close()  # a fresh connection next time


def reset() -> None:
    """Forget the last check (tests)."""
    global _checked_at, _usable
    with _state_lock:
        _checked_at, _usable = -1e9, None


# --- Routing ---------------------------------------------------------------------------------


class PublishedReadsRouter:
    """Reads inside ``reads_published`` from the replica (when it is fit), everything else from
    and to the primary. Listed in ``DATABASE_ROUTERS`` only when a replica is configured."""

    def db_for_read(self, model, **hints):
        alias = _reading_from.get()
        if alias is None:
            return None  # Django's own choice: the primary
        return DEFAULT_DB_ALIAS if _primary_only(model) else alias

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # The same rows on both: an object read from the replica may refer to one from the primary.
        return {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, REPLICA, None}

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != REPLICA  # the replica replays the primary's schema


def _primary_only(model) -> bool:
    meta = model._meta
    return meta.app_label in PRIMARY_ONLY_APPS or meta.label_lower in PRIMARY_ONLY_MODELS


# --- Views -----------------------------------------------------------------------------------


def wrote_recently(request) -> bool:
    """Whether this browser sent a write within the primary window (``RecentWriterMiddleware``)."""
    try:
        request.get_signed_cookie(
            COOKIE, salt=_SALT, max_age=settings.DATABASE_REPLICA_PRIMARY_WINDOW_SECONDS
        )
    except (KeyError, signing.BadSignature):
        return False
    return True


def reads_published(view):
    """Marks a view (GET/HEAD, no writes) that serves published figures: it reads from the
    replica when there is one, it is fit, and this browser has not just written; else from the
    primary. A replica that fails during the view gets the view run again on the primary."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not configured() or request.method not in ("GET", "HEAD") or wrote_recently(request):
            return view(request, *args, **kwargs)
        # Who is asking is read from the primary before reads move (sessions, accounts).
        _who_is_asking(request)
        if not replica_usable():
            return view(request, *args, **kwargs)
        token = _reading_from.set(REPLICA)
        try:
            response = view(request, *args, **kwargs)
        except (OperationalError, InterfaceError) as exc:
            if not _replica_failed():
                raise
            mark_unusable(exc)
            _reading_from.reset(token)
            token = None
            return view(request, *args, **kwargs)
        finally:
            if token is not None:
                _reading_from.reset(token)
        if isinstance(response, StreamingHttpResponse):
            response.streaming_content = _on_replica(response.streaming_content)
        return response

    return wrapper


def _who_is_asking(request) -> None:
    user = getattr(request, "user", None)
    if user is not None:
        bool(user.is_authenticated)  # loads the lazy user now, from the primary


def _replica_failed() -> bool:
    """Whether the replica's connection is the one that broke (the primary's errors stay
    errors: the site's 503 handles them)."""
    connection = connections[REPLICA]
    if connection.connection is None:
        return True  # it never connected
    try:
        return not connection.is_usable()
    except Exception:  # noqa: BLE001 - any failure to ask means it is not usable
        return True


def _on_replica(chunks):
    """A streamed body produced with its reads on the replica, as its view's were."""
    iterator = iter(chunks)
    while True:
        token = _reading_from.set(REPLICA)
        try:
            chunk = next(iterator)
        except StopIteration:
            return
        finally:
            _reading_from.reset(token)
        yield chunk


def published_patterns(patterns):
    """URL patterns (e.g. a django-ninja API's) whose every view is ``reads_published``."""
    wrapped = []
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            pattern = URLPattern(
                pattern.pattern,
                reads_published(pattern.callback),
                pattern.default_args,
                pattern.name,
            )
        wrapped.append(pattern)
    return wrapped


class RecentWriterMiddleware:
    """Gives a browser that sent a write a signed cookie: for the primary window its reads of
    published figures come from the primary (see the module). Does nothing without a replica."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if configured() and request.method not in ("GET", "HEAD", "OPTIONS", "TRACE"):
            response.set_signed_cookie(
                COOKIE,
                "1",
                salt=_SALT,
                max_age=settings.DATABASE_REPLICA_PRIMARY_WINDOW_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response
