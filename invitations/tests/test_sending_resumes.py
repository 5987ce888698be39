"""A killed invitation sender: the worker (``manage.py db_worker``) is killed with SIGKILL twice
while it sends 1,000 invitations to a real SMTP server (aiosmtpd, in this process), and
restarted. The send resumes by itself, every address gets its invitation, every invitation is
marked sent, and no mail is ever marked sent that the server did not accept.

SMTP cannot promise exactly once across a kill (``invitations.tasks``): a worker killed after
the server accepted a mail and before it recorded so sends that one again, as the same message
with the same ``Message-ID``. So the mailbox (by ``Message-ID``, as mailboxes and Sieve's
``duplicate`` test count) holds each invitation exactly once, and the raw copies exceed the
invitations by at most one per kill.
"""

import email
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.db import connection

from core.tests.servers import ROOT, database_env, migrate, server_env, shell  # noqa: F401

pytestmark = pytest.mark.slow

INVITATIONS = 1000
KILL_AFTER = (250, 600)  # kill the worker once the server has this many mails
DEADLINE_SECONDS = 100
SMTP_PORTS = range(8150, 8200)  # this project's test ports

SETUP = f"""
import json
from datetime import timedelta
from django.utils import timezone
from assessments.rounds import create_round
from frameworks.loading import load_framework_file
from invitations.lists import add_to_list, parse_rows
from invitations.sending import queue_invitations
from registry.models import Organisation
version = load_framework_file()[0]
org = Organisation.objects.create(code="1287", name="Trelleborgs kommun", kind="municipality",
                                  county_code="12", county_name="Skåne län")
today = timezone.localdate()
round_ = create_round(organisation=org, user=None, name="Kick-off", version=version,
                      opens_on=today, closes_on=today + timedelta(days=9))
link = round_.links.get(target_group__key="politician")
rows = [(n, [f"person{{n}}@example.org"]) for n in range({INVITATIONS})]
add_to_list(link, parse_rows(rows, "sv"))
print("SETUP", json.dumps({{"queued": queue_invitations(round_)}}))
"""

STATUS = """
import json
from django.db.models import Count
from invitations.models import Invitation, SendingRun
print("STATUS", json.dumps({
    "statuses": dict(Invitation.objects.values_list("status").annotate(n=Count("pk"))),
    "claimed": Invitation.objects.filter(claimed_by__isnull=False).count(),
    "runs": SendingRun.objects.count(),
}))
"""


@pytest.fixture
def worker_env(request, tmp_path):
    """The worker's environment: on PostgreSQL the test database (``database_env``); on
    SQLite a fresh file in memory (tmpfs) where there is one, because each invitation is marked
    sent in its own commit and a loaded disk's flushes would set the pace, not the sending."""
    if connection.vendor == "postgresql":
        yield from _fresh_postgresql(tmp_path)
        return
    shm = Path("/dev/shm")
    var_dir = Path(tempfile.mkdtemp(prefix="digilyft-", dir=shm)) if shm.is_dir() else tmp_path
    env = server_env(var_dir)
    migrate(env)
    yield env
    if var_dir != tmp_path:
        shutil.rmtree(var_dir)


def _fresh_postgresql(tmp_path):
    """A database of its own on the test run's server, migrated: what earlier tests left in
    the test database (organisations, rounds) cannot meet this test's setup."""
    import psycopg

    db = connection.settings_dict
    server = dict(
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        user=db["USER"],
        password=db["PASSWORD"] or None,
    )
    name = f"{db['NAME']}_sending_{os.getpid()}"
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        url = (
            f"postgres://{server['user']}:{server['password'] or ''}@{server['host']}:"
            f"{server['port']}/{name}"
        )
        env = server_env(tmp_path, DATABASE_URL=url, GUNICORN_ACCESS_LOG="/dev/null")
        migrate(env)
        yield env
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Sink:
    """An SMTP server that accepts every mail and remembers each one's recipients and
    Message-ID, in the order they arrived."""

    def __init__(self):
        self.lock = threading.Lock()
        self.received: list[tuple[str, str]] = []

    async def handle_DATA(self, server, session, envelope):
        message_id = email.message_from_bytes(envelope.content)["Message-ID"]
        with self.lock:
            self.received.extend((rcpt, message_id) for rcpt in envelope.rcpt_tos)
        return "250 OK"

    def count(self) -> int:
        with self.lock:
            return len(self.received)


def start_sink(sink: Sink) -> Controller:
    for port in SMTP_PORTS:
        controller = Controller(sink, hostname="127.0.0.1", port=port)
        try:
            controller.start()
        except (OSError, RuntimeError):
            continue
        return controller
    pytest.fail("no free port for the SMTP server")


def start_worker(env, log):
    return subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--queue-name", "*", "--interval", "0.2"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def wait_for(condition, deadline: float, what: str):
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.05)


def test_a_killed_sender_resumes_and_every_address_gets_its_invitation_once(worker_env, tmp_path):
    sink = Sink()
    controller = start_sink(sink)
    env = {
        **worker_env,
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(controller.port),
        "EMAIL_TIMEOUT": "1",
        "DIGILYFT_INVITATION_CLAIM_SECONDS": "2",
    }
    log_path = tmp_path / "worker.log"
    worker = None
    try:
        assert shell(env, SETUP, "SETUP") == {"queued": INVITATIONS}
        deadline = time.monotonic() + DEADLINE_SECONDS
        with open(log_path, "ab") as log:
            for kill_at in KILL_AFTER:
                worker = start_worker(env, log)
                wait_for(lambda n=kill_at: sink.count() >= n, deadline, f"{kill_at} mails")
                os.killpg(worker.pid, signal.SIGKILL)
                worker.wait()
            worker = start_worker(env, log)
            addresses = {f"person{n}@example.org" for n in range(INVITATIONS)}
            wait_for(
                lambda: {rcpt for rcpt, _id in list(sink.received)} >= addresses,
                deadline,
                "every address",
            )
            wait_for(
                lambda: shell(env, STATUS, "STATUS")["statuses"] == {"sent": INVITATIONS},
                deadline,
                "every invitation marked sent:\n" + log_path.read_text(errors="replace"),
            )
        worker.terminate()
        worker.wait(timeout=20)
    finally:
        if worker is not None and worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()
        controller.stop()

    received = list(sink.received)
    message_ids = defaultdict(set)
    for rcpt, message_id in received:
        message_ids[rcpt].add(message_id)
    # The mailbox: each address has exactly one invitation (one Message-ID), its own.
    assert set(message_ids) == addresses
    assert all(len(ids) == 1 for ids in message_ids.values())
    assert len({next(iter(ids)) for ids in message_ids.values()}) == INVITATIONS
    # The raw copies: at most the one mail in flight per kill came twice.
    copies = Counter(rcpt for rcpt, _id in received)
    twice = sorted(rcpt for rcpt, n in copies.items() if n > 1)
    print(f"mails received: {len(received)}; sent twice: {len(twice)} {twice}")
    assert len(received) - INVITATIONS <= len(KILL_AFTER)
    status = shell(env, STATUS, "STATUS")
    assert status == {"statuses": {"sent": INVITATIONS}, "claimed": 0, "runs": 0}
