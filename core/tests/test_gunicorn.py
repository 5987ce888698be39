"""The production server as deployed: gunicorn with the repository's gunicorn.conf.py, a real
process on a free port, against a fresh SQLite database."""

import time

import pytest

from core.tests.servers import free_port, get, migrate, running_gunicorn, server_env
from lib.redact import redact, redact_path

SECRET = "Zq8sEcReTtOkEn42"


@pytest.fixture
def server(tmp_path):
    env = server_env(tmp_path, GUNICORN_ACCESS_LOG=str(tmp_path / "access.log"))
    migrate(env)
    with running_gunicorn(env, tmp_path) as base:
        yield base, tmp_path


def test_gunicorn_serves_healthz_with_the_repository_config(server):
    base, _tmp = server
    status, body, _headers = get(base + "/healthz")
    assert status == 200
    assert b'"database": "ok"' in body
    assert b'"vendor": "sqlite"' in body


def test_the_access_log_holds_no_respondent_secret_and_no_client_address(server):
    base, tmp = server
    get(base + "/healthz?probe=1")
    status, _body, _headers = get(base + f"/s/{SECRET}/page/1/?x=1")
    assert status == 404
    get(base + f"/webinars/r/{SECRET}/")
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
    errors = (tmp / "server.log").read_text()
    assert SECRET not in errors
    assert "Not Found: /s/…/page/1/" in errors


def test_redaction_of_secret_paths():
    assert redact_path("/s/abc123/answer/?q=1") == "/s/…/answer/"
    assert redact_path("/e/tok/thanks/") == "/e/…/thanks/"
    assert redact_path("/accounts/reset/MQ/c2x-abc/") == "/accounts/reset/MQ/…/"
    assert redact_path("/webinars/") == "/webinars/"
    assert redact("Not Found: /s/abc/page/2/") == "Not Found: /s/…/page/2/"


def test_a_database_that_refuses_connections_gives_503_pages_not_500(tmp_path):
    """PostgreSQL on a port where nothing listens: every connection is refused."""
    url = f"postgres://postgres@127.0.0.1:{free_port()}/digilyft"
    env = server_env(tmp_path, DATABASE_URL=url, WEB_CONCURRENCY="1")
    with running_gunicorn(env, tmp_path) as base:
        status, body, _headers = get(base + "/healthz")
        assert status == 503
        assert b"OperationalError" in body
        status, body, headers = get(base + f"/s/{SECRET}/")
        assert status == 503
        assert headers["Retry-After"] == "60"
        assert "your answers so far are saved" in body.decode()
        assert get(base + "/")[0] in {200, 503}  # the home page needs no database
    assert SECRET not in (tmp_path / "server.log").read_text()
