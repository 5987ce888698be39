"""A database that refuses connections, stays silent or freezes with requests in flight:
every request still gets an HTTP answer, pages that need the database a 503 within 2 s,
pages that do not (home, login form, privacy, accessibility) a 200, and the site recovers
when the database answers again.

Real gunicorn with the repository's configuration (three synchronous workers, kept busy by
clients asking for database pages without pause) against PostgreSQL through a TCP proxy whose
faults the test switches (core/tests/faultproxy.py). The limit is ``lib.dbwait``'s.
"""

import threading
import time
import urllib.error
import urllib.request

import pytest
from django.conf import settings
from django.db import connection

from core.tests.faultproxy import FaultProxy
from core.tests.servers import running_gunicorn, server_env

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="a TCP database"),
    pytest.mark.django_db,  # the test database, which the server uses
]

DATABASE_PAGES = ["/healthz", "/s/no-such-link-0123456789/"]
PLAIN_PAGES = ["/", "/accounts/login/", "/privacy/", "/accessibility/"]
WITHIN = 2.0  # seconds: the bound for a 503


# A session cookie, as a logged-in visitor sends: reading it needs the database.
SESSION = {"Cookie": "sessionid=" + "k" * 32}


class Load:
    """Clients that ask for pages without pause: six for database pages, two for the others
    (more than the server's three workers), one of them with a session cookie. Every request
    is recorded as (path, start, end, status), the status None when no HTTP answer came."""

    def __init__(self, base: str):
        self.base = base
        self.records: list[tuple[str, float, float, int | None]] = []
        self._stop = threading.Event()
        clients = [(DATABASE_PAGES, {})] * 6 + [(PLAIN_PAGES, {}), (PLAIN_PAGES, SESSION)]
        self._threads = [threading.Thread(target=self._client, args=c) for c in clients]

    def __enter__(self):
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        for thread in self._threads:
            thread.join()

    def _client(self, paths, headers):
        i = 0
        while not self._stop.is_set():
            path = paths[i % len(paths)]
            i += 1
            start = time.monotonic()
            request = urllib.request.Request(self.base + path, headers=headers)
            try:
                with urllib.request.urlopen(request, timeout=40) as response:
                    status = response.status
            except urllib.error.HTTPError as error:
                status = error.code
            except OSError:
                status = None
            self.records.append((path, start, time.monotonic(), status))

    def during(self, start: float, end: float):
        """The requests begun between ``start`` and ``end``."""
        return [r for r in self.records if start <= r[1] < end]


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _recovers(base: str, seconds: float = 15) -> float:
    """Seconds until /healthz says 200 again."""
    start = time.monotonic()
    while _get(base + "/healthz") != 200:
        assert time.monotonic() - start < seconds, "the site did not recover"
        time.sleep(0.2)
    return time.monotonic() - start


def _check(name: str, requests) -> None:
    database = [r for r in requests if r[0] in DATABASE_PAGES]
    plain = [r for r in requests if r[0] in PLAIN_PAGES]
    slowest = max(end - start for _p, start, end, _s in database)
    print(
        f"\n{name}: {len(database)} database requests, slowest {slowest:.2f} s; "
        f"{len(plain)} plain, slowest {max(end - start for _p, start, end, _s in plain):.2f} s"
    )
    assert [r for r in requests if r[3] is None] == []  # every request got an HTTP answer
    assert {r[3] for r in database} == {503}
    assert slowest <= WITHIN
    assert {r[3] for r in plain} == {200}


def test_a_refusing_silent_or_frozen_database_gives_every_request_an_answer(tmp_path):
    db = settings.DATABASES["default"]
    proxy = FaultProxy((db["HOST"] or "127.0.0.1", int(db["PORT"] or 5432)))
    url = f"postgres://{db['USER']}@127.0.0.1:{proxy.port}/{db['NAME']}"
    env = server_env(tmp_path, DATABASE_URL=url, WEB_CONCURRENCY="3")
    try:
        with running_gunicorn(env, tmp_path) as base:
            assert _get(base + "/healthz") == 200

            # Refused: nothing listens, every kept connection is reset.
            proxy.refuse()
            with Load(base) as load:
                time.sleep(2)
            _check("refuse", load.records)
            proxy.flowing()
            print(f"recovered in {_recovers(base):.1f} s")

            # Silent: connections are accepted, nothing is ever answered.
            proxy.freeze()
            with Load(base) as load:
                time.sleep(3)
            _check("silent", load.records)
            proxy.flowing()
            print(f"recovered in {_recovers(base):.1f} s")

            # Frozen with requests in flight: the clients are already busy when it stops.
            with Load(base) as load:
                time.sleep(1)
                frozen = time.monotonic()
                proxy.freeze()
                time.sleep(4)
                thawed = time.monotonic()
                proxy.flowing()
                time.sleep(0.5)
            in_flight = [r for r in load.records if r[1] < frozen < r[2]]
            assert in_flight, "no request was in flight when the database froze"
            assert [r for r in load.records if r[3] is None] == []
            # Caught by the freeze half-way, each is answered within the bound of it.
            assert max(end - frozen for _p, _start, end, _s in in_flight) <= WITHIN
            _check("freeze", load.during(frozen, thawed - WITHIN))
            print(f"{len(in_flight)} in flight at the freeze")
            print(f"recovered in {_recovers(base):.1f} s")
    finally:
        proxy.stop()
