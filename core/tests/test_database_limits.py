"""Database and request limits: connect and statement timeouts, health-checked connections,
upload sizes — read from the environment with safe defaults."""

import json
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection

from core.tests.servers import ROOT, get, running_gunicorn, server_env

ON_POSTGRESQL = connection.vendor == "postgresql"


def _settings_under(env_extra: dict) -> subprocess.CompletedProcess:
    """Load the settings in a fresh process with these variables; print what matters."""
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "d = s.DATABASES['default']; print(json.dumps({'options': d.get('OPTIONS', {}), "
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
