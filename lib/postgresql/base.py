"""Django's PostgreSQL backend whose connections give up on a silent database (``lib.dbwait``).

psycopg sends every statement, fetch, commit and rollback through ``Connection.wait``, which
takes a timeout. When an answer is later than the limit, a second, fresh connection asks
whether the server still answers at all: if it does, the statement is merely slow (a bulk
file, a busy server) and the wait goes on, bounded by ``statement_timeout`` as before; if it
does not, the connection is dropped and the request fails with ``OperationalError``.
Connecting goes through ``Connection.connect``, whose own timeout cannot be under two seconds
(libpq's rule), so it runs in a helper thread that the request stops waiting for. All of this
only while ``lib.dbwait`` has a limit, i.e. in the web server.

The timeout of ``Connection.wait``, its ``_WaitTimeout`` and the exchange generators it runs
are psycopg's own workings, not its documented interface: psycopg is pinned (pyproject.toml),
and core/tests/test_database_limits.py fails if an upgrade changes them.
"""

import threading

import psycopg
from django.db.backends.postgresql import base
from psycopg import errors

from lib import dbwait

# Seconds the fresh connection asking "does the server answer at all?" may take: a living
# server forks a backend and says "ready" in a few milliseconds.
PROBE_SECONDS = 0.5


def _no_answer(seconds: float) -> errors.OperationalError:
    return errors.OperationalError(f"the database did not answer within {seconds:g} s")


class LimitedConnection(psycopg.Connection):
    """A psycopg connection that waits for an answer at most ``dbwait.wait_limit()``, longer
    only while the server shows it is alive (see the module)."""

    _how_to_connect: tuple[str, dict] = ("", {})

    @classmethod
    def connect(cls, conninfo: str = "", **kwargs):
        limit = dbwait.wait_limit()
        if limit is None:
            return super().connect(conninfo, **kwargs)
        if dbwait.stalled():
            raise _no_answer(limit)
        connection = _within(
            limit, lambda: super(LimitedConnection, cls).connect(conninfo, **kwargs)
        )
        connection._how_to_connect = (conninfo, kwargs)
        return connection

    def wait(self, gen, interval=0.1, timeout=None):
        limit = dbwait.wait_limit()
        if limit is None or timeout is not None:  # psycopg's own bounded waits (cancelling)
            return super().wait(gen, interval=interval, timeout=timeout)
        if dbwait.stalled():  # nothing was sent yet: the connection stays as it was
            raise _no_answer(limit)
        exchange = _Resumable(gen)
        while True:
            try:
                return super().wait(exchange.run(), interval=interval, timeout=limit)
            except errors._WaitTimeout:
                if not self._server_answers():
                    # The exchange stopped half-way: this connection can never be trusted again.
                    self.pgconn.finish()
                    dbwait.note_stall()
                    raise _no_answer(limit) from None

    def _server_answers(self) -> bool:
        conninfo, kwargs = self._how_to_connect
        try:
            probe = _within(PROBE_SECONDS, lambda: psycopg.Connection.connect(conninfo, **kwargs))
        except psycopg.Error:
            return False
        probe.close()
        return True


class _Resumable:
    """psycopg's exchange with the server (a generator that yields what it waits for and is
    sent what became ready), wrapped so that a wait that timed out can hand it to the next."""

    def __init__(self, gen):
        self._gen = gen
        self._asked = None  # what the exchange waits for and was not given yet

    def run(self):
        if self._asked is None:
            try:
                self._asked = next(self._gen)
            except StopIteration as done:
                return done.value
        while True:
            ready = yield self._asked
            try:
                self._asked = self._gen.send(ready)
            except StopIteration as done:
                return done.value


def _within(seconds: float, connect):
    """``connect()`` in a helper thread; given up after ``seconds``. A connection that arrives
    later is closed by the helper (libpq's own ``connect_timeout`` bounds its life)."""
    outcome = {}
    lock = threading.Lock()

    def attempt():
        try:
            connection = connect()
        except BaseException as exc:  # handed to the waiting request
            with lock:
                outcome["error"] = exc
            return
        with lock:
            late = outcome.get("gave_up", False)
            outcome["connection"] = connection
        if late:
            connection.close()

    helper = threading.Thread(target=attempt, name="database-connect", daemon=True)
    helper.start()
    helper.join(seconds)
    with lock:
        if "connection" in outcome:
            return outcome["connection"]
        if "error" in outcome:
            raise outcome["error"]
        outcome["gave_up"] = True
    dbwait.note_stall()
    raise _no_answer(seconds)


class _Psycopg:
    """The psycopg module as Django's backend uses it, connecting with ``LimitedConnection``."""

    connect = LimitedConnection.connect

    def __getattr__(self, name):
        return getattr(psycopg, name)


class DatabaseWrapper(base.DatabaseWrapper):
    Database = _Psycopg()
