"""Gunicorn's configuration for Digilyft: ``gunicorn -c gunicorn.conf.py digilyft.wsgi``.

Every value can be changed through an environment variable (README, "Deploying"); gunicorn's
own command-line options (e.g. ``--bind``) still win over this file.
"""

import os


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise SystemExit(f"{name} must be a whole number, got {raw!r}") from None


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))  # the cores this process may use (containers)
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Synchronous workers: the database is the bottleneck, and a sync worker is the simplest
# thing that cannot share state between requests. 2 × cores + 1 is gunicorn's own advice.
workers = _int("WEB_CONCURRENCY", 2 * _cores() + 1)
# A worker silent this long is killed and replaced. Above the database's statement timeout
# (DATABASE_STATEMENT_TIMEOUT, 15 s), so a slow query ends as an error page from Django; a
# database that stops answering altogether is given up after DATABASE_REQUEST_WAIT_LIMIT (0.7 s,
# then 0.5 s for a fresh connection, lib/dbwait.py) with a 503, never with a killed worker.
timeout = _int("GUNICORN_TIMEOUT", 30)
# On SIGTERM (a deploy, systemd stop), workers get this long to finish their requests.
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# Django is loaded once, in the master, and every worker is a fork of it: a new or recycled
# worker serves at once instead of spending a CPU-second importing Django (during a kick-off,
# recycling after 1,000 requests each cost the whole site half its CPU, bench/respondents.py).
# New code needs a restart of the service (systemctl restart), not a HUP.
preload_app = True
# Recycle each worker after about this many requests (jitter so they do not restart together):
# bounds any slow memory growth.
max_requests = _int("GUNICORN_MAX_REQUESTS", 20000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 2000)


def when_ready(server):
    """In the master, before the first fork: import every view (the URL configuration) and
    both catalogues once, so that each worker starts with them."""
    if not server.cfg.preload_app:  # --no-preload: Django is loaded in each worker instead
        return
    from django.urls import get_resolver
    from django.utils import translation

    get_resolver().url_patterns  # noqa: B018 (imports the views)
    for language in ("sv", "en"):
        with translation.override(language):
            translation.gettext("Saved")
    _close_database_connections()


def pre_fork(server, worker):
    # A connection opened in the master must not be shared by the forked workers.
    _close_database_connections()


def _close_database_connections():
    from django.db import connections

    connections.close_all()


# Seconds an idle keep-alive connection (from the TLS proxy) is held open: saves reconnects
# without tying up a sync worker for long.
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# Heartbeat files in memory, not on a possibly slow disk.
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"

# Logs go to standard output/error (systemd's journal or the container's log).
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Time, worker, request line, status, bytes and duration. No client address, no query string,
# and the secret of a respondent's, evaluation, webinar or password-reset link is replaced
# (lib/accesslog.py, lib/redact.py): the log holds no personal data, no key to any answers.
logger_class = "lib.accesslog.PrivateAccessLogger"
access_log_format = '%(t)s %(p)s "%(r)s" %(s)s %(b)s %(M)sms'

# Gunicorn's runtime control socket is not used; off, so that several servers (tests, a bench)
# never fight over its one default path.
control_socket_disable = True
