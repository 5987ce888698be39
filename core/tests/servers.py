"""Starting the production server (gunicorn with the repository's gunicorn.conf.py) as a real
process on a free port, for tests."""

import contextlib
import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

from lib import localproxy
from lib.ports import free_port

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")


def get(url: str, timeout: float = 10) -> tuple[int, bytes, dict]:
    """Status, body and headers of a GET, error statuses included."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read(), dict(error.headers)


def server_env(tmp_path, **extra) -> dict:
    """The test process's environment without what belongs to it alone, on a fresh SQLite
    database in ``tmp_path`` unless ``DATABASE_URL`` is given."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(DIGILYFT_VAR_DIR=str(tmp_path), DEBUG="false", WEB_CONCURRENCY="2")
    # Without collectstatic (test_static_files.py runs it): the files as they are.
    env.update(STATICFILES_BACKEND="django.contrib.staticfiles.storage.StaticFilesStorage")
    env.update(extra)
    return env


def migrate(env) -> None:
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "--verbosity=0"],
        cwd=ROOT,
        env=env,
        check=True,
    )


def shell(env, code: str, tag: str) -> dict:
    """Run ``code`` in ``manage.py shell`` and return the JSON it printed after ``tag``."""
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode:  # say why, not only that it failed
        pytest.fail(f"manage.py shell ({tag}) failed:\n{done.stderr[-3000:]}")
    out = done.stdout
    line = next(line for line in out.splitlines() if line.startswith(tag + " "))
    return json.loads(line.removeprefix(tag + " "))


@contextlib.contextmanager
def running_gunicorn(env, log_dir: Path, bind: str | None = None, base: str | None = None):
    """Yields the server's base URL once /healthz answers; stops it (SIGTERM) afterwards.
    Its standard output and error go to ``log_dir / "server.log"``. By default it listens on
    a free port; ``bind`` (e.g. ``unix:PATH``) and ``base`` (where /healthz is asked, e.g. a
    proxy in front of it) say otherwise."""
    if bind is None:
        port = free_port()
        bind, base = f"127.0.0.1:{port}", f"http://127.0.0.1:{port}"
    log_path = log_dir / "server.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [str(GUNICORN), "-c", "gunicorn.conf.py", "--bind", bind, "digilyft.wsgi"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    if get(base + "/healthz")[0] != 502:  # 502: a proxy without its server
                        break
                except OSError:
                    pass
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("gunicorn did not start:\n" + log_path.read_text())
                time.sleep(0.2)
            yield base
        finally:
            _stop(process)


@contextlib.contextmanager
def running_behind_nginx(env, log_dir: Path):
    """gunicorn on a unix socket behind nginx (lib/localproxy.py, as ``make serve`` runs
    them), nginx started first; yields nginx's base URL. nginx's files (its access log
    included) are in ``log_dir / "nginx"``."""
    nginx_dir = log_dir / "nginx"
    socket_path = log_dir / "gunicorn.sock"
    port = free_port()
    config = localproxy.write_config(nginx_dir, f"127.0.0.1:{port}", socket_path)
    with open(log_dir / "nginx.log", "wb") as log:
        nginx = subprocess.Popen(
            localproxy.nginx_command(config), stdout=log, stderr=subprocess.STDOUT
        )
    try:
        base = f"http://127.0.0.1:{port}"
        with running_gunicorn(env, log_dir, bind=f"unix:{socket_path}", base=base):
            yield base
    finally:
        _stop(nginx)


def _stop(process) -> None:
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture
def database_env(request, tmp_path):
    """A server process's environment on the test run's database kind: on PostgreSQL the test
    database itself (the test then holds no transaction on it), else a fresh, migrated SQLite
    file in ``tmp_path``."""
    if connection.vendor == "postgresql":
        request.getfixturevalue("transactional_db")
        db = connection.settings_dict
        url = (
            f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}"
        )
        return server_env(tmp_path, DATABASE_URL=url, GUNICORN_ACCESS_LOG="/dev/null")
    env = server_env(tmp_path, GUNICORN_ACCESS_LOG="/dev/null")
    migrate(env)
    return env
