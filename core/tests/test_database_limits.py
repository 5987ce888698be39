"""Database and request limits: connect and statement timeouts, health-checked connections,
upload sizes — read from the environment with safe defaults."""

import json
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import OperationalError, connection, connections

from core.tests.faultproxy import FaultProxy
from core.tests.servers import ROOT, get, running_gunicorn, server_env
from lib import dbwait

ON_POSTGRESQL = connection.vendor == "postgresql"


def _settings_under(env_extra: dict) -> subprocess.CompletedProcess:
    """Load the settings in a fresh process with these variables; print what matters."""
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "d = s.DATABASES['default']; print(json.dumps({'options': d.get('OPTIONS', {}), "
        "'engine': d['ENGINE'], 'wait_limit': s.DATABASE_REQUEST_WAIT_LIMIT, "
        "'max_age': d['CONN_MAX_AGE'], 'health': d['CONN_HEALTH_CHECKS'], "
        "'data': s.DATA_UPLOAD_MAX_MEMORY_SIZE, 'file': s.FILE_UPLOAD_MAX_MEMORY_SIZE, "
        "'fields': s.DATA_UPLOAD_MAX_NUMBER_FIELDS, 'files': s.DATA_UPLOAD_MAX_NUMBER_FILES}))"
    )
    env = server_env(ROOT / "var", DJANGO_SETTINGS_MODULE="digilyft.settings", **env_extra)
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )


def _loaded(env_extra: dict) -> dict:
    result = _settings_under(env_extra)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_postgresql_gets_connect_and_statement_timeouts_by_default():
    loaded = _loaded({"DATABASE_URL": "postgres://u@db.example:5432/x"})
    assert loaded["engine"] == "lib.postgresql"  # Django's, with the web server's wait limit
    assert loaded["wait_limit"] == 700
    assert loaded["options"]["connect_timeout"] == 5
    assert loaded["options"]["options"] == "-c statement_timeout=15000"
    assert loaded["health"] is True
    assert loaded["max_age"] == 60


def test_timeouts_come_from_the_environment_and_keep_the_urls_own_options():
    loaded = _loaded(
        {
            "DATABASE_URL": "postgres://u@db.example:5432/x?options=-c%20search_path%3Dpublic",
            "DATABASE_CONNECT_TIMEOUT": "2",
            "DATABASE_STATEMENT_TIMEOUT": "500",
        }
    )
    assert loaded["options"]["connect_timeout"] == 2
    assert loaded["options"]["options"] == "-c search_path=public -c statement_timeout=500"


def test_a_statement_timeout_of_zero_turns_the_limit_off():
    loaded = _loaded(
        {"DATABASE_URL": "postgres://u@db.example/x", "DATABASE_STATEMENT_TIMEOUT": "0"}
    )
    assert "options" not in loaded["options"]


def test_a_malformed_timeout_stops_start_up_naming_the_variable():
    result = _settings_under(
        {"DATABASE_URL": "postgres://u@db.example/x", "DATABASE_CONNECT_TIMEOUT": "soon"}
    )
    assert result.returncode != 0
    assert "DATABASE_CONNECT_TIMEOUT" in result.stderr


def test_sqlite_gets_no_postgresql_options_but_health_checks():
    loaded = _loaded({})
    assert loaded["engine"] == "django.db.backends.sqlite3"
    assert "connect_timeout" not in loaded["options"]
    assert loaded["health"] is True


def test_upload_limits_are_explicit_and_configurable():
    loaded = _loaded({})
    assert (loaded["data"], loaded["file"], loaded["fields"], loaded["files"]) == (
        2_621_440,
        2_621_440,
        1000,
        10,
    )
    loaded = _loaded({"DATA_UPLOAD_MAX_MEMORY_SIZE": "1000", "DATA_UPLOAD_MAX_NUMBER_FIELDS": "50"})
    assert (loaded["data"], loaded["fields"]) == (1000, 50)


@pytest.mark.django_db  # the login counts wrong passwords per address in the limits cache
def test_a_body_over_the_limit_is_refused_with_400(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    result = client.post("/accounts/login/", {"username": "x" * 2000, "password": "y"})
    assert result.status_code == 400


@pytest.mark.skipif(not ON_POSTGRESQL, reason="PostgreSQL only")
@pytest.mark.django_db
def test_the_statement_timeout_is_in_force_on_postgresql():
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "15s"


@pytest.mark.skipif(not ON_POSTGRESQL, reason="PostgreSQL only")
@pytest.mark.django_db(transaction=True)
def test_a_killed_connection_is_replaced_not_an_error(tmp_path):
    """What a PostgreSQL restart does to every worker's kept connection."""
    db = settings.DATABASES["default"]
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    url += "?application_name=digilyft-killed-connection-test"
    env = server_env(tmp_path, DATABASE_URL=url, WEB_CONCURRENCY="1")
    with running_gunicorn(env, tmp_path) as base:
        assert get(base + "/healthz")[0] == 200
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                " WHERE application_name = 'digilyft-killed-connection-test'"
            )
            assert cursor.fetchone()[0] == 1  # the worker's kept connection
        for _ in range(3):
            status, body, _headers = get(base + "/healthz")
            assert status == 200, body


# --- the web server's limit on database waits (lib/dbwait.py, lib/postgresql) -------------


def _wait_limit_in(code: str, env_extra: dict) -> str:
    env = server_env(ROOT / "var", DJANGO_SETTINGS_MODULE="digilyft.settings", **env_extra)
    result = subprocess.run(
        [sys.executable, "-c", code + "; from lib.dbwait import wait_limit; print(wait_limit())"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_only_the_web_server_limits_its_waits_for_the_database():
    url = {"DATABASE_URL": "postgres://u@db.example:5432/x"}
    assert _wait_limit_in("import digilyft.wsgi", url) == "0.7"
    limit = {**url, "DATABASE_REQUEST_WAIT_LIMIT": "0"}
    assert _wait_limit_in("import digilyft.wsgi", limit) == "None"
    # The background worker and management commands: Django without the WSGI application.
    assert _wait_limit_in("import django; django.setup()", url) == "None"


@pytest.fixture
def limited(monkeypatch):
    """This process waits at most half a second for the database, as the web server would."""
    monkeypatch.setattr(dbwait, "_limit", None)
    monkeypatch.setattr(dbwait, "_stalled_until", 0.0)
    dbwait.limit_waits(0.5)


@pytest.fixture
def through_proxy():
    """A second connection to the test database, through a TCP proxy whose faults we switch."""
    db = connection.settings_dict
    proxy = FaultProxy((db["HOST"] or "127.0.0.1", int(db["PORT"] or 5432)))
    wrapper = connections["default"].__class__(
        {**db, "HOST": "127.0.0.1", "PORT": proxy.port}, alias="through-proxy"
    )
    yield proxy, wrapper
    wrapper.close()
    proxy.stop()


def _select_one(wrapper) -> int:
    with wrapper.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone()[0]


@pytest.mark.skipif(not ON_POSTGRESQL, reason="PostgreSQL only")
@pytest.mark.django_db
def test_a_database_that_stops_answering_fails_the_statement_and_the_connection(
    limited, through_proxy, monkeypatch
):
    proxy, wrapper = through_proxy
    assert _select_one(wrapper) == 1
    proxy.freeze()
    with pytest.raises(OperationalError, match="did not answer within 0.5 s"):
        _select_one(wrapper)
    assert wrapper.connection.closed  # half an exchange: never used again
    # Until the pause is over, the next try fails at once instead of waiting again.
    assert dbwait.stalled()
    wrapper.close()
    with pytest.raises(OperationalError, match="did not answer"):
        wrapper.ensure_connection()
    # Answering again, and the pause over: a new connection works.
    proxy.flowing()
    monkeypatch.setattr(dbwait, "_stalled_until", 0.0)
    assert _select_one(wrapper) == 1


@pytest.mark.skipif(not ON_POSTGRESQL, reason="PostgreSQL only")
@pytest.mark.django_db
def test_connecting_to_a_silent_database_gives_up(limited, through_proxy):
    proxy, wrapper = through_proxy
    proxy.freeze()
    with pytest.raises(OperationalError, match="did not answer within 0.5 s"):
        wrapper.ensure_connection()
    assert wrapper.connection is None


@pytest.mark.skipif(not ON_POSTGRESQL, reason="PostgreSQL only")
@pytest.mark.django_db
def test_a_slow_but_living_database_is_waited_for(limited, through_proxy):
    """A statement longer than the limit (a bulk file's query) on a server that still answers
    a fresh connection goes on; the statement timeout bounds it as before."""
    _proxy, wrapper = through_proxy
    with wrapper.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(1.2), 42")
        assert cursor.fetchone()[1] == 42
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "15s"
    assert not dbwait.stalled()
    assert _select_one(wrapper) == 1
