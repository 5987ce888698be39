"""`make bench`: queuing and sending 5,000 invitations, measured.

In a database of its own (``BENCH_INVITATIONS_DATABASE_URL``; default a local
``digilyft_bench_invitations`` in PostgreSQL, recreated), one organisation's open round gets an
invitation list of ``BENCH_INVITATIONS`` addresses (default 5,000), and then:

- the coordinator's upload of the list as a Swedish Excel CSV (semicolons, Windows-1252),
  through Django's whole request stack (validation of every line, all or nothing);
- the coordinator's "send" (the web process only queues a task);
- the background worker (``manage.py db_worker``, a process of its own as in production) sending
  every invitation over SMTP to a local sink (aiosmtpd, in a process of its own on
  127.0.0.1:``BENCH_SMTP_PORT``), until the queue is empty; the sink counts what arrived.

Writes bench/results/invitations.json and prints a table. Never run by the test suite.
"""

import json
import multiprocessing
import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_INVITATIONS_DATABASE_URL",
    "postgres://postgres@127.0.0.1:5432/digilyft_bench_invitations",
)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "digilyft.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("DATABASE_STATEMENT_TIMEOUT", "0")

INVITATIONS = int(os.environ.get("BENCH_INVITATIONS", "5000"))
SMTP_HOST = "127.0.0.1"
SMTP_PORT = int(os.environ.get("BENCH_SMTP_PORT", "8525"))
# Mail settings of the worker: Django's real SMTP backend, to the sink.
WORKER_ENV = {
    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "EMAIL_HOST": SMTP_HOST,
    "EMAIL_PORT": str(SMTP_PORT),
    "EMAIL_USE_TLS": "false",
    "DIGILYFT_SITE_URL": "https://digilyft.example",
}


# --- The SMTP sink -------------------------------------------------------------------------


class CountingSink:
    """An aiosmtpd handler that accepts every message and counts it (and its recipients)."""

    def __init__(self, messages, recipients):
        self.messages = messages
        self.recipients = recipients

    async def handle_DATA(self, server, session, envelope):
        with self.messages.get_lock():
            self.messages.value += 1
        with self.recipients.get_lock():
            self.recipients.value += len(envelope.rcpt_tos)
        return "250 OK"


def run_sink(messages, recipients, ready, stop):
    from aiosmtpd.controller import Controller

    controller = Controller(CountingSink(messages, recipients), hostname=SMTP_HOST, port=SMTP_PORT)
    controller.start()
    ready.set()
    stop.wait()
    controller.stop()


class Sink:
    """The sink in a process of its own, so that it takes no time from the measured one."""

    def __enter__(self):
        self.messages = multiprocessing.Value("i", 0)
        self.recipients = multiprocessing.Value("i", 0)
        ready, self.stop = multiprocessing.Event(), multiprocessing.Event()
        self.process = multiprocessing.Process(
            target=run_sink, args=(self.messages, self.recipients, ready, self.stop), daemon=True
        )
        self.process.start()
        if not ready.wait(20):
            raise RuntimeError(f"the SMTP sink did not start on {SMTP_HOST}:{SMTP_PORT}")
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.process.join(10)


# --- The scene ------------------------------------------------------------------------------


def reset_database():
    sys.path.insert(0, str(ROOT / "bench"))
    from national import reset_database as recreate

    recreate(os.environ["DATABASE_URL"])


def build_scene():
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.utils import timezone

    from assessments.rounds import create_round
    from frameworks.loading import load_framework_file
    from registry.models import Coordinator, Organisation

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    version = load_framework_file()[0]
    org = Organisation.objects.create(
        code="1287",
        name="Trelleborgs kommun",
        kind="municipality",
        county_code="12",
        county_name="Skåne län",
        kommungrupp="B3",
    )
    user = get_user_model().objects.create_user("bench-coordinator", password="bench-password-42")
    Coordinator.objects.create(user=user, organisation=org)
    today = timezone.localdate()
    round_ = create_round(
        organisation=org,
        user=user,
        name="Bench 2026",
        version=version,
        opens_on=today,
        closes_on=today + timedelta(days=21),
    )
    return user, round_


def swedish_excel_csv(count: int) -> bytes:
    """What Excel saves in Sweden: a header, semicolons, Windows-1252, CRLF."""
    lines = ["E-post;Språk"]
    for i in range(count):
        language = "en" if i % 10 == 0 else "sv"
        lines.append(f"medarbetare.{i:05d}@trelleborg-bench.se;{language}")
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


# --- The measurements -----------------------------------------------------------------------


def upload_list(client, round_, link) -> float:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    data = swedish_excel_csv(INVITATIONS)
    upload = SimpleUploadedFile("inbjudna.csv", data, content_type="text/csv")
    start = time.perf_counter()
    result = client.post(
        reverse("invitations:add_list", args=[round_.pk]),
        {"link": link.pk, "language": "sv", "addresses": "", "upload": upload},
    )
    seconds = time.perf_counter() - start
    if result.status_code != 302:
        raise RuntimeError(f"the upload was refused ({result.status_code})")
    return seconds


def queue_sending(client, round_) -> float:
    from django.urls import reverse

    start = time.perf_counter()
    result = client.post(reverse("invitations:send", args=[round_.pk]))
    seconds = time.perf_counter() - start
    if result.status_code != 302:
        raise RuntimeError(f"sending was refused ({result.status_code})")
    return seconds


def run_worker() -> tuple[float, float]:
    """The worker in a process of its own until the queue is empty: (wall seconds, of which
    Django's start-up in that process)."""
    env = {**os.environ, **WORKER_ENV}
    python = sys.executable
    start = time.perf_counter()
    subprocess.run([python, "-c", "import django; django.setup()"], cwd=ROOT, env=env, check=True)
    startup = time.perf_counter() - start
    start = time.perf_counter()
    subprocess.run(
        [
            python,
            "manage.py",
            "db_worker",
            "--batch",
            "--no-startup-delay",
            "--queue-name",
            "*",
            "--verbosity",
            "0",
        ],
        cwd=ROOT,
        env=env,
        check=True,
    )
    return time.perf_counter() - start, startup


def main():
    reset_database()
    import django

    django.setup()
    from django.conf import settings
    from django.db import close_old_connections
    from django.test import Client

    from invitations.models import Invitation
    from invitations.sending import round_progress

    print(
        f"{INVITATIONS:,} invitations in {settings.DATABASES['default']['NAME']}, "
        f"SMTP sink on {SMTP_HOST}:{SMTP_PORT} …",
        flush=True,
    )
    user, round_ = build_scene()
    link = round_.links.get(target_group__key="official")
    client = Client()
    client.force_login(user)
    upload = upload_list(client, round_, link)
    listed = Invitation.objects.filter(round=round_).count()
    print(f"  list of {listed:,} uploaded and validated in {upload:.2f} s", flush=True)
    queue = queue_sending(client, round_)
    print(f"  sending queued in {queue * 1000:.0f} ms", flush=True)
    close_old_connections()
    with Sink() as sink:
        worker, startup = run_worker()
        time.sleep(0.5)  # the sink's last acknowledgements
        received = sink.messages.value
    progress = round_progress(round_)
    sending = worker - startup
    result = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "database": settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1],
        "invitations": INVITATIONS,
        "smtp_sink": f"aiosmtpd on {SMTP_HOST}:{SMTP_PORT}, Django's SMTP backend",
        "upload_list_seconds": round(upload, 2),
        "queue_sending_ms": round(queue * 1000, 1),
        "worker_seconds": round(worker, 2),
        "worker_startup_seconds": round(startup, 2),
        "sending_seconds": round(sending, 2),
        "mails_per_second": round(received / sending, 1) if sending > 0 else None,
        "received_by_sink": received,
        "progress_after": progress,
    }
    out = ROOT / "bench" / "results" / "invitations.json"
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    rows = [
        (f"upload and validate a list of {INVITATIONS:,} (s)", f"{upload:.2f}"),
        ("queue the sending, coordinator's request (ms)", f"{queue * 1000:.0f}"),
        ("worker: send them all over SMTP (s)", f"{sending:.2f}"),
        ("  mails per second", f"{result['mails_per_second']}"),
        ("  received by the sink / marked sent", f"{received} / {progress['delivered']}"),
    ]
    print()
    print(f"{'measure':52} {'value':>14}")
    for label, value in rows:
        print(f"{label:52} {value:>14}")
    print(f"\nwritten to {out.relative_to(ROOT)}")
    if received != INVITATIONS or progress["delivered"] != INVITATIONS:
        raise SystemExit(f"expected {INVITATIONS} mails, the sink got {received}")


if __name__ == "__main__":
    main()
