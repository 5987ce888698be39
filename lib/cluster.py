"""Digilyft past one machine, started on this one: a PostgreSQL primary and a streaming read
replica, Redis, several gunicorn app servers and nginx balancing between them.

Used by ``make serve-cluster`` (``python -m lib.cluster``, for a person) and by
core/tests/test_cluster.py (which kills an app server and the replica under load). Everything
comes from Debian: PostgreSQL's ``initdb``, ``pg_ctl`` and ``pg_basebackup`` (the newest in
/usr/lib/postgresql/), ``redis-server`` and ``nginx`` (``scripts/ensure-system-packages.sh
cluster`` installs what is missing). All of it lives in one folder and on free ports of
127.0.0.1; nothing is installed as a service, and stopping the cluster leaves nothing running.

The app servers run with the settings a real multi-server deployment needs (README,
"Several app servers"): ``DATABASE_URL`` the primary, ``DATABASE_REPLICA_URL`` the replica,
``REDIS_URL`` for both caches, ``DIGILYFT_APP_SERVERS``, and ``DIGILYFT_TRUSTED_PROXY_COUNT=1``
behind nginx. The databases run with ``fsync=off``: a setup to try and to test on one machine,
not one that survives a power cut.
"""

import argparse
import glob
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from lib import localproxy
from lib.ports import free_port

ROOT = Path(__file__).resolve().parent.parent
DATABASE = "digilyft"


def postgres_bin() -> Path | None:
    """The newest Debian PostgreSQL's programs, or None."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4])
    )
    return Path(found[-1]).parent if found else None


def missing_programs() -> list[str]:
    """What this machine lacks to start a cluster (empty: nothing)."""
    missing = []
    pg = postgres_bin()
    if pg is None or not (pg / "pg_basebackup").exists():
        missing.append("PostgreSQL server (initdb, pg_ctl, pg_basebackup)")
    if not shutil.which("redis-server"):
        missing.append("redis-server")
    if not (shutil.which("nginx") or os.path.exists("/usr/sbin/nginx")):
        missing.append("nginx")
    if not Path(sys.executable).with_name("gunicorn").exists():
        missing.append("gunicorn (in the virtualenv)")
    if os.geteuid() == 0 and not shutil.which("runuser"):
        missing.append("runuser (PostgreSQL refuses to run as root)")
    return missing


def _get(url: str, timeout: float = 5) -> int:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


class Cluster:
    """The whole setup in ``directory`` (its own unless given). ``start()`` brings it up,
    ``stop()`` takes everything down again; a ``with`` block does both."""

    def __init__(
        self,
        directory: Path | None = None,
        *,
        app_servers: int = 2,
        workers: int = 2,
        port: int | None = None,
        static: bool = False,
        env: dict | None = None,
    ):
        self.directory = Path(directory or tempfile.mkdtemp(prefix="digilyft-cluster-"))
        self.directory.mkdir(parents=True, exist_ok=True)
        # PostgreSQL runs as its own user when we are root: its folders must be reachable by it,
        # and in memory where there is room (a test's databases need no disk).
        shm = Path("/dev/shm")
        self.pg_dir = Path(
            tempfile.mkdtemp(prefix="digilyft-pg-", dir=shm if shm.is_dir() else None)
        )
        self.pg_dir.chmod(0o711)
        self.primary_port, self.replica_port, self.redis_port = (free_port() for _ in range(3))
        self.app_ports = [free_port() for _ in range(app_servers)]
        self.port = port or free_port()
        self.workers = workers
        self.static = static
        self.extra_env = env or {}
        self.secret_key = secrets.token_urlsafe(50)
        self.app_processes: list[subprocess.Popen | None] = []
        self.redis: subprocess.Popen | None = None
        self.nginx: subprocess.Popen | None = None
        self.worker: subprocess.Popen | None = None
        self._started_pg: list[Path] = []

    # --- addresses ----------------------------------------------------------------------

    @property
    def url(self) -> str:
        """Where the balancer listens."""
        return f"http://127.0.0.1:{self.port}"

    def database_url(self, port: int) -> str:
        return f"postgres://postgres@127.0.0.1:{port}/{DATABASE}"

    @property
    def primary_url(self) -> str:
        return self.database_url(self.primary_port)

    @property
    def replica_url(self) -> str:
        return self.database_url(self.replica_port)

    def app_url(self, number: int) -> str:
        return f"http://127.0.0.1:{self.app_ports[number]}"

    def env(self) -> dict:
        """The app servers' (and management commands') environment."""
        env = {
            k: v
            for k, v in os.environ.items()
            if k not in {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
            and not k.startswith(("DATABASE_", "CACHE_", "LIMITS_CACHE_"))
        }
        env.update(
            DATABASE_URL=self.primary_url,
            DATABASE_REPLICA_URL=self.replica_url,
            REDIS_URL=f"redis://127.0.0.1:{self.redis_port}/0",
            DIGILYFT_APP_SERVERS=str(len(self.app_ports)),
            DIGILYFT_TRUSTED_PROXY_COUNT="1",
            DIGILYFT_VAR_DIR=str(self.directory),
            DIGILYFT_SITE_URL=self.url,
            DEBUG="false",
            SECRET_KEY=self.secret_key,
            WEB_CONCURRENCY=str(self.workers),
            GUNICORN_ACCESS_LOG="/dev/null",
        )
        if self.static:
            env["STATIC_ROOT"] = str(self.directory / "static")
        else:  # the files as they are, without collectstatic
            env["STATICFILES_BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
        env.update(self.extra_env)
        return env

    # --- starting -----------------------------------------------------------------------

    def start(self) -> "Cluster":
        try:
            self.start_databases()
            self.start_redis()
            self.manage("migrate", "--noinput", "--verbosity=0")
            if self.static:
                self.manage("collectstatic", "--noinput", "--verbosity=0")
            self.start_app_servers()
            self.start_balancer()
        except BaseException:
            self.stop()
            raise
        return self

    def __enter__(self) -> "Cluster":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def _as_postgres(self, command: list) -> list[str]:
        command = [str(part) for part in command]
        if os.geteuid() == 0:  # initdb and postgres refuse to run as root
            return ["runuser", "-u", "postgres", "--", *command]
        return command

    def _pg(self, program: str, *args, log: Path | None = None) -> None:
        done = subprocess.run(
            self._as_postgres([postgres_bin() / program, *args]),
            capture_output=True,
            text=True,
            cwd=self.pg_dir,
        )
        if done.returncode:
            detail = log.read_text()[-2000:] if log and log.exists() else ""
            raise RuntimeError(f"{program} failed: {done.stdout}{done.stderr}{detail}")

    def _pg_start(self, data: Path, port: int) -> None:
        options = (
            f"-p {port} -k {self.pg_dir} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c full_page_writes=off -c shared_buffers=32MB -c max_connections=60 "
            # Its shared memory in the data folder, removed with it whatever way it stops.
            "-c dynamic_shared_memory_type=mmap"
        )
        log = self.pg_dir / f"{data.name}.log"
        self._pg("pg_ctl", "-D", data, "-l", log, "-o", options, "-w", "-t", "60", "start", log=log)
        self._started_pg.append(data)

    def start_databases(self) -> None:
        """The primary (a fresh ``initdb``, with the database ``digilyft``) and a replica
        streaming from it (``pg_basebackup -R``)."""
        if os.geteuid() == 0:
            shutil.chown(self.pg_dir, "postgres", "postgres")
        primary = self.pg_dir / "primary"
        self._pg("initdb", "-D", primary, "-U", "postgres", "--auth=trust", "-E", "UTF8")
        self._pg_start(primary, self.primary_port)
        self.sql(self.primary_port, f"CREATE DATABASE {DATABASE}", database="postgres")
        replica = self.pg_dir / "replica"
        self._pg(
            "pg_basebackup",
            *("-h", "127.0.0.1", "-p", self.primary_port, "-U", "postgres"),
            *("-D", replica, "-R", "-X", "stream", "-c", "fast"),
        )
        self._pg_start(replica, self.replica_port)

    def start_redis(self) -> None:
        self.redis = subprocess.Popen(
            [
                shutil.which("redis-server") or "redis-server",
                *("--port", str(self.redis_port), "--bind", "127.0.0.1"),
                *("--save", "", "--appendonly", "no", "--dir", str(self.directory)),
                *("--loglevel", "warning"),
            ],
            stdout=open(self.directory / "redis.log", "wb"),  # noqa: SIM115 - the child keeps it
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 20
        while True:
            try:
                with socket.create_connection(("127.0.0.1", self.redis_port), timeout=1) as sock:
                    sock.sendall(b"PING\r\n")
                    if sock.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                pass
            if self.redis.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("redis-server did not start")
            time.sleep(0.1)

    def manage(self, *args, capture: bool = False) -> str:
        """``manage.py`` with the app servers' settings; its output if ``capture``."""
        done = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env(),
            capture_output=capture,
            text=True,
        )
        if done.returncode:
            raise RuntimeError(f"manage.py {args[0]} failed:\n{(done.stderr or '')[-3000:]}")
        return done.stdout or ""

    def start_app_servers(self) -> None:
        gunicorn = Path(sys.executable).with_name("gunicorn")
        for number, port in enumerate(self.app_ports):
            log = open(self.directory / f"app{number}.log", "wb")  # noqa: SIM115
            self.app_processes.append(
                subprocess.Popen(
                    [gunicorn, "-c", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}"]
                    + ["digilyft.wsgi"],
                    cwd=ROOT,
                    env=self.env(),
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,  # its own group: killed whole, as a machine dies
                )
            )
        for number, process in enumerate(self.app_processes):
            deadline = time.monotonic() + 60
            while True:
                try:
                    if _get(self.app_url(number) + "/healthz") == 200:
                        break
                except OSError:
                    pass
                if process.poll() is not None or time.monotonic() > deadline:
                    log = (self.directory / f"app{number}.log").read_text()[-3000:]
                    raise RuntimeError(f"app server {number} did not start:\n{log}")
                time.sleep(0.2)

    def start_balancer(self) -> None:
        config = localproxy.write_config(
            self.directory / "nginx",
            f"127.0.0.1:{self.port}",
            None,
            self.directory / "static" if self.static else None,
            servers=[f"127.0.0.1:{port}" for port in self.app_ports],
        )
        self.nginx = subprocess.Popen(
            localproxy.nginx_command(config),
            stdout=open(self.directory / "nginx.log", "wb"),  # noqa: SIM115
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 20
        while True:
            try:
                if _get(self.url + "/healthz") == 200:
                    return
            except OSError:
                pass
            if self.nginx.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(
                    "nginx did not start: " + (self.directory / "nginx.log").read_text()
                )
            time.sleep(0.1)

    def start_worker(self) -> None:
        """The background worker (mails, reminders), one for the whole cluster."""
        self.worker = subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--queue-name", "*", "--verbosity", "1"],
            cwd=ROOT,
            env=self.env(),
        )

    # --- failures -----------------------------------------------------------------------

    def kill_app_server(self, number: int) -> None:
        """SIGKILL to the app server's master and its workers at once, as when its machine
        dies: requests in flight on it are lost, nothing is finished or cleaned up."""
        process = self.app_processes[number]
        if process is None:
            return
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        self.app_processes[number] = None

    def stop_replica(self) -> None:
        """Stops the replica (its connections are cut)."""
        replica = self.pg_dir / "replica"
        self._pg("pg_ctl", "-D", replica, "-m", "immediate", "-w", "stop")
        self._started_pg.remove(replica)

    # --- looking inside -------------------------------------------------------------------

    def sql(self, port: int, statement: str, database: str = DATABASE):
        """The first row of ``statement`` on the server at ``port`` (autocommit)."""
        import psycopg

        with psycopg.connect(
            host="127.0.0.1", port=port, user="postgres", dbname=database, autocommit=True
        ) as connection:
            cursor = connection.execute(statement)
            return cursor.fetchone() if cursor.description else None

    def wait_for_replica(self, timeout: float = 20) -> None:
        """Until the replica has replayed everything the primary has written so far."""
        (target,) = self.sql(self.primary_port, "SELECT pg_current_wal_lsn()::text")
        deadline = time.monotonic() + timeout
        while True:
            (done,) = self.sql(
                self.replica_port, f"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn"
            )
            if done:
                return
            if time.monotonic() > deadline:
                raise RuntimeError("the replica did not catch up")
            time.sleep(0.05)

    # --- stopping -------------------------------------------------------------------------

    def stop(self) -> None:
        """Everything down, in the opposite order; the databases' folder removed."""
        for process in [self.nginx, self.worker]:
            _end(process)
        for process in self.app_processes:
            if process is not None:
                try:
                    os.killpg(process.pid, signal.SIGQUIT)  # gunicorn: quick shutdown
                except ProcessLookupError:
                    pass
                _end(process, terminate=False)
        self.app_processes = []
        _end(self.redis)
        for data in reversed(self._started_pg):
            subprocess.run(
                self._as_postgres(
                    [postgres_bin() / "pg_ctl", "-D", data, "-m", "fast", "-w", "stop"]
                ),
                capture_output=True,
                cwd=self.pg_dir,
            )
        self._started_pg = []
        shutil.rmtree(self.pg_dir, ignore_errors=True)


def _end(process: subprocess.Popen | None, terminate: bool = True) -> None:
    if process is None or process.poll() is not None:
        return
    if terminate:
        process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(
        description="Digilyft on a primary, a replica, Redis, "
        "several app servers and nginx, on this machine"
    )
    parser.add_argument("--port", type=int, default=8000, help="where nginx listens")
    parser.add_argument("--app-servers", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per server")
    parser.add_argument("--dir", type=Path, default=None, help="logs and files (default: new)")
    parser.add_argument("--no-demo", action="store_true", help="an empty site, no demo data")
    args = parser.parse_args(argv)
    missing = missing_programs()
    if missing:
        sys.exit(
            "Missing: " + ", ".join(missing) + " (sh scripts/ensure-system-packages.sh cluster)"
        )
    cluster = Cluster(
        args.dir, app_servers=args.app_servers, workers=args.workers, port=args.port, static=True
    )
    stopping = False

    def stop(*_args):
        nonlocal stopping
        stopping = True

    with cluster:
        if not args.no_demo:
            print("Loading the demo data on the primary …", flush=True)
            cluster.manage("load_demo", "--force")  # DEBUG is off: known passwords, said so
        cluster.start_worker()
        servers = ", ".join(cluster.app_url(n) for n in range(len(cluster.app_ports)))
        print(
            f"\nDigilyft on {len(cluster.app_ports)} app servers behind nginx: {cluster.url}/\n"
            f"  app servers:  {servers}\n"
            f"  primary:      {cluster.primary_url}\n"
            f"  replica:      {cluster.replica_url} (published figures are read here)\n"
            f"  redis:        redis://127.0.0.1:{cluster.redis_port}/0\n"
            f"  logs:         {cluster.directory}\n"
            "  logins as for `make run`: samordnare.trelleborg / digilyft-demo, programkontoret /"
            " digilyft-demo"
            + (
                " (no second factor: STAFF_OTP_REQUIRED=false)\n"
                if os.environ.get("STAFF_OTP_REQUIRED", "").lower() in ("false", "0", "no")
                else " (staff need a TOTP code, as in production)\n"
            )
            + "Ctrl-C stops everything.",
            flush=True,
        )
        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        while not stopping:
            time.sleep(0.5)
    print("Stopped.")


if __name__ == "__main__":
    main()
