"""Django's PostgreSQL backend whose connections give up on a silent database (``lib.dbwait``).

psycopg sends every statement, fetch, commit and rollback through ``Connection.wait``, which
takes a timeout; connecting goes through ``Connection.connect``, whose own timeout cannot be
under two seconds (libpq's rule), so it runs in a helper thread that the request stops waiting
for. Both only while ``lib.dbwait`` has a limit, i.e. in the web server.
"""

import threading

import psycopg
from django.db.backends.postgresql import base
from psycopg import errors

from lib import dbwait


def _no_answer(seconds: float) -> errors.OperationalError:
    return errors.OperationalError(f"the database did not answer within {seconds:g} s")


class LimitedConnection(psycopg.Connection):
    """A psycopg connection that waits for any one answer at most ``dbwait.wait_limit()``."""

    @classmethod
    def connect(cls, conninfo: str = "", **kwargs):
        limit = dbwait.wait_limit()
        if limit is None:
            return super().connect(conninfo, **kwargs)
        if dbwait.stalled():
            raise _no_answer(limit)
        return _connect_within(
            limit, lambda: super(LimitedConnection, cls).connect(conninfo, **kwargs)
        )

    def wait(self, gen, interval=0.1, timeout=None):
        limit = dbwait.wait_limit()
        if limit is None:
            return super().wait(gen, interval=interval, timeout=timeout)
        if dbwait.stalled():  # nothing was sent yet: the connection stays as it was
            raise _no_answer(limit)
        try:
            return super().wait(
                gen, interval=interval, timeout=limit if timeout is None else min(timeout, limit)
            )
        except errors._WaitTimeout:
            # The exchange stopped half-way: this connection can never be trusted again.
            self.pgconn.finish()
            dbwait.note_stall()
            raise _no_answer(limit) from None


def _connect_within(limit: float, connect):
    """``connect()`` in a helper thread; given up after ``limit`` seconds. A connection that
    arrives later is closed by the helper (libpq's own ``connect_timeout`` bounds its life)."""
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
    helper.join(limit)
    with lock:
        if "connection" in outcome:
            return outcome["connection"]
        if "error" in outcome:
            raise outcome["error"]
        outcome["gave_up"] = True
    dbwait.note_stall()
    raise _no_answer(limit)


class _Psycopg:
    """The psycopg module as Django's backend uses it, but connecting with ``LimitedConnection``."""

    connect = LimitedConnection.connect

    def __getattr__(self, name):
        return getattr(psycopg, name)


class DatabaseWrapper(base.DatabaseWrapper):
    Database = _Psycopg()

    def get_connection_params(self):
        params = super().get_connection_params()
        limit = dbwait.wait_limit()
        if limit is not None:
            # The server gives up on a statement a little before we would, so that a slow but
            # living database cancels it cleanly (the connection stays usable) and does not
            # keep running what nobody waits for.
            params["options"] = " ".join(
                part
                for part in (
                    params.get("options", ""),
                    f"-c statement_timeout={_server_side_ms(limit, params.get('options', ''))}",
                )
                if part
            )
        return params


def _server_side_ms(limit: float, options: str) -> int:
    web = max(int(limit * 1000) - 250, 100)
    for part in options.split("-c "):
        name, _, value = part.strip().partition("=")
        if name == "statement_timeout" and value.isdigit() and 0 < int(value) < web:
            return int(value)
    return web
