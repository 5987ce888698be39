"""The production setup with its proxy: gunicorn on a unix socket behind nginx (Debian's, with
the configuration of lib/localproxy.py that `make serve` uses), real processes on a fresh
SQLite database. Clients are told apart by their real source addresses on the loopback
network (127.0.0.N), which nginx appends to X-Forwarded-For."""

import http.client
import re
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from urllib.parse import urlencode, urlsplit

import pytest

from core.tests.servers import (
    ROOT,
    get,
    migrate,
    running_behind_nginx,
    running_gunicorn,
    server_env,
)

pytestmark = pytest.mark.slow

PASSWORD = "a-long-test-password-42"
HALF_A_REQUEST = b"POST /s/x/page/1/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\nab"


class Browser:
    """A client with its own source address and cookies."""

    def __init__(self, base: str, address: str):
        parts = urlsplit(base)
        self.host, self.port, self.address = parts.hostname, parts.port, address
        self.cookies: dict[str, str] = {}

    def request(self, method, path, body=None, headers=None):
        connection = http.client.HTTPConnection(
            self.host, self.port, timeout=20, source_address=(self.address, 0)
        )
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
            for name, value in response.getheaders():
                if name.lower() == "set-cookie":
                    key, _eq, rest = value.partition("=")
                    self.cookies[key] = rest.split(";", 1)[0]
            return response.status, content
        finally:
            connection.close()

    def login(self, username: str, password: str) -> int:
        _status, page = self.request("GET", "/accounts/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        form = {"csrfmiddlewaretoken": token.decode(), "username": username, "password": password}
        return self.request(
            "POST",
            "/accounts/login/",
            body=urlencode(form),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )[0]


def _create_user(env, username: str) -> None:
    code = (
        "from django.contrib.auth import get_user_model; "
        f"get_user_model().objects.create_user({username!r}, password={PASSWORD!r})"
    )
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, check=True
    )


def test_forty_clients_behind_the_proxy_each_have_their_own_limit_and_lockout(tmp_path):
    env = server_env(
        tmp_path,
        DIGILYFT_TRUSTED_PROXY_COUNT="1",
        DIGILYFT_API_RATE_LIMIT="3",
        DIGILYFT_API_RATE_WINDOW="3600",
    )
    migrate(env)
    _create_user(env, "samordnare")
    with running_behind_nginx(env, tmp_path) as base:
        clients = [Browser(base, f"127.0.0.{n}") for n in range(10, 50)]
        # Each writes the same address first in X-Forwarded-For: were that believed, the
        # forty would share one limit.
        forged = {"X-Forwarded-For": "192.0.2.1"}
        for client in clients:
            codes = [client.request("GET", "/api/v1/kpi", headers=forged)[0] for _ in range(4)]
            assert codes == [200, 200, 200, 429], client.address
        # Someone else's wrong passwords lock that someone out, not the user.
        attacker = Browser(base, "127.0.0.200")
        codes = [attacker.login("samordnare", "wrong") for _ in range(6)]
        assert codes[-1] == 429 and codes[0] == 200
        assert Browser(base, "127.0.0.201").login("samordnare", PASSWORD) == 302
    access_log = (tmp_path / "nginx" / "access.log").read_text()
    assert '"GET /api/v1/kpi HTTP/1.1" 429' in access_log
    assert "127.0.0." not in access_log  # no client address in the proxy's log


def test_fifty_slow_clients_do_not_hold_up_healthz(tmp_path):
    env = server_env(tmp_path, WEB_CONCURRENCY="2")
    migrate(env)
    with running_behind_nginx(env, tmp_path) as base:
        parts = urlsplit(base)
        slow = []
        try:
            for _ in range(50):  # half a request each, never finished
                sock = socket.create_connection((parts.hostname, parts.port), timeout=5)
                sock.sendall(HALF_A_REQUEST)
                slow.append(sock)
            time.sleep(0.5)  # nginx has passed on whatever it would
            started = time.monotonic()
            status, body, _headers = get(base + "/healthz", timeout=5)
            elapsed = time.monotonic() - started
        finally:
            for sock in slow:
                sock.close()
    assert status == 200 and b'"database": "ok"' in body
    assert elapsed < 1.0, f"/healthz took {elapsed:.2f} s behind 50 slow clients"


def test_the_api_limit_holds_across_three_workers(tmp_path):
    limit = 60
    env = server_env(
        tmp_path,
        WEB_CONCURRENCY="3",
        DIGILYFT_API_RATE_LIMIT=str(limit),
        DIGILYFT_API_RATE_WINDOW="3600",
        GUNICORN_ACCESS_LOG=str(tmp_path / "access.log"),
    )
    migrate(env)
    if time.time() % 3600 > 3540:  # not across the edge of the hour's window
        time.sleep(3600 - time.time() % 3600 + 1)
    codes: Counter = Counter()
    lock = threading.Lock()
    with running_gunicorn(env, tmp_path) as base:

        def ask(count):
            for _ in range(count):
                status = get(base + "/api/v1/kpi", timeout=20)[0]
                with lock:
                    codes[status] += 1

        threads = [threading.Thread(target=ask, args=(20,)) for _ in range(10)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    assert sum(codes.values()) == 200
    assert set(codes) <= {200, 429}, codes
    assert limit <= codes[200] <= limit * 1.1, codes
    # Served by more than one worker (the access log's second field is the worker's pid).
    log = (tmp_path / "access.log").read_text().splitlines()
    workers = {line.split()[2] for line in log if "/api/v1/kpi" in line}
    assert len(workers) >= 2, workers
