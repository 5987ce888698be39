"""The production server as deployed: gunicorn with the repository's gunicorn.conf.py, a real
process on a free port, against a fresh SQLite database."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from lib.redact import redact, redact_path

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")
SECRET = "Zq8sEcReTtOkEn42"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@pytest.fixture
def server(tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        DIGILYFT_VAR_DIR=str(tmp_path),
        DEBUG="false",
        WEB_CONCURRENCY="2",
        GUNICORN_ACCESS_LOG=str(tmp_path / "access.log"),
    )
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "--verbosity=0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    port = _free_port()
    stderr = open(tmp_path / "stderr.log", "wb")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [str(GUNICORN), "-c", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}", "digilyft.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=stderr,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                _get(base + "/healthz")
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    stderr.close()
                    pytest.fail("gunicorn did not start:\n" + (tmp_path / "stderr.log").read_text())
                time.sleep(0.2)
        yield base, tmp_path
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        stderr.close()


def test_gunicorn_serves_healthz_with_the_repository_config(server):
    base, _tmp = server
    status, body = _get(base + "/healthz")
    assert status == 200
    assert b'"database": "ok"' in body
    assert b'"vendor": "sqlite"' in body


def test_the_access_log_holds_no_respondent_secret_and_no_client_address(server):
    base, tmp = server
    _get(base + "/healthz?probe=1")
    status, _body = _get(base + f"/s/{SECRET}/page/1/?x=1")
    assert status == 404
    _get(base + f"/webinars/r/{SECRET}/")
    deadline = time.monotonic() + 10
    log = ""
    while log.count("\n") < 3 and time.monotonic() < deadline:
        time.sleep(0.1)
        log = (tmp / "access.log").read_text()
    assert '"GET /healthz HTTP/1.1" 200' in log
    assert '"GET /s/…/page/1/ HTTP/1.1" 404' in log
    assert '"GET /webinars/r/…/ HTTP/1.1"' in log
    assert SECRET not in log
    assert "127.0.0.1" not in log
    assert "probe" not in log
    # Django's own "Not Found: /s/…" warning (standard error) is redacted too.
    errors = (tmp / "stderr.log").read_text()
    assert SECRET not in errors
    assert "Not Found: /s/…/page/1/" in errors


def test_redaction_of_secret_paths():
    assert redact_path("/s/abc123/answer/?q=1") == "/s/…/answer/"
    assert redact_path("/e/tok/thanks/") == "/e/…/thanks/"
    assert redact_path("/accounts/reset/MQ/c2x-abc/") == "/accounts/reset/MQ/…/"
    assert redact_path("/webinars/") == "/webinars/"
    assert redact_path("/static/s/x.css") == "/static/s/…"  # harmless: over-redacts, never under
    assert redact("Not Found: /s/abc/page/2/") == "Not Found: /s/…/page/2/"
