"""Durability: an answer the server acknowledged survives the server being killed.

The production server (gunicorn with the repository's configuration, two workers) on the test
run's database kind — a fresh SQLite file, or on PostgreSQL the test database itself — while
several respondents autosave at once. Its master and workers are killed with SIGKILL twice
mid-way and restarted on the same port; the respondents retry what was not acknowledged, as
the page's script does. Then every acknowledged (200) answer is stored, once, with the value
last acknowledged, and every respondent resumes their own draft.
"""

import http.client
import json
import os
import signal
import subprocess
import threading
import time

import pytest

from core.tests.servers import GUNICORN, ROOT, database_env, free_port, shell  # noqa: F401

# The marker tells pytest-django, before the session begins, that the test database is needed
# (``database_env`` asks for it only while the test sets up: run alone on PostgreSQL, the test
# database was never created and the server's setup met an empty database).
pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

RESPONDENTS = 6
CSRF = "durabilitycsrf0123456789abcdefgh"
DEADLINE_SECONDS = 45

SETUP = """
import json
from datetime import timedelta
from django.utils import timezone
from assessments.models import Round, RoundLink
from assessments.questionnaire import visible_items
from frameworks.loading import load_framework_file
from frameworks.models import TargetGroup
from registry.models import Organisation
version = load_framework_file()[0]
org = Organisation.objects.create(code="1287", name="Trelleborgs kommun", kind="municipality",
                                  county_code="12", county_name="Skåne län")
today = timezone.localdate()
round_ = Round.objects.create(organisation=org, version=version, name="Kick-off",
                              opens_on=today - timedelta(days=1),
                              closes_on=today + timedelta(days=9))
link = RoundLink.objects.create(round=round_, target_group=TargetGroup.objects.get(
    version=version, key="politician"))
print("SETUP", json.dumps({"token": link.token,
      "items": list(visible_items(link).values_list("pk", flat=True))}))
"""

STORED = """
import json
from assessments.models import Answer, Response
print("STORED", json.dumps({
    "responses": {r.secret: r.pk for r in Response.objects.all()},
    "answers": [[a.response_id, a.item_id, a.value] for a in Answer.objects.all()],
}))
"""


class Server:
    """gunicorn in its own process group, so that one SIGKILL reaches master and workers."""

    def __init__(self, env, port, log_path):
        self.env, self.port, self.log_path = env, port, log_path
        self.process = None

    def start(self):
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [str(GUNICORN), "-c", "gunicorn.conf.py", "--bind", f"127.0.0.1:{self.port}"]
                + ["digilyft.wsgi"],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 30
        while request(self.port, "GET", "/healthz")[0] != 200:
            if self.process.poll() is not None or time.monotonic() > deadline:
                pytest.fail("gunicorn did not start:\n" + self.log_path.read_text())
            time.sleep(0.1)

    def kill(self):
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)


def request(port, method, path, cookies=None, body=""):
    """(status, cookies set, body); status 0 when the server is not there (or died mid-way)."""
    headers = {
        "X-CSRFToken": CSRF,
        "Cookie": "; ".join(f"{k}={v}" for k, v in (cookies or {}).items()),
    }
    if method == "POST":
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        data = response.read()
        conn.close()
    except (OSError, http.client.HTTPException):
        return 0, {}, b""
    set_cookies = {}
    for name, value in response.getheaders():
        if name.lower() == "set-cookie":
            key, _eq, rest = value.partition("=")
            set_cookies[key] = rest.split(";", 1)[0]
    return response.status, set_cookies, data


class Respondent(threading.Thread):
    """Begins a draft, then autosaves every item twice (a changed mind), retrying each answer
    until it is acknowledged, as the page's script does."""

    def __init__(self, port, token, items, number, begun: threading.Barrier, deadline):
        super().__init__(daemon=True)
        self.port, self.token, self.items, self.number = port, token, items, number
        self.begun, self.deadline = begun, deadline
        self.cookies = {"csrftoken": CSRF}
        self.acknowledged: dict[int, int] = {}  # item: value last acknowledged
        self.failure = None
        self.unanswered = 0  # requests the killed server never answered

    def run(self):
        try:
            status, cookies, _body = request(
                self.port, "POST", f"/s/{self.token}/begin/", self.cookies
            )
            assert status == 302, status
            self.cookies.update(cookies)
            self.begun.wait(timeout=30)
            for round_number in (1, 2):
                for n, item in enumerate(self.items):
                    self.save(item, 1 + (n + self.number + round_number) % 5)
        except Exception as exc:  # reported by the test
            self.failure = exc

    def save(self, item, value):
        path = f"/s/{self.token}/answer/"
        while time.monotonic() < self.deadline:
            status, _cookies, body = request(
                self.port, "POST", path, self.cookies, f"item={item}&value={value}"
            )
            if status == 200:
                assert json.loads(body) == {"saved": True}
                self.acknowledged[item] = value
                return
            assert status in {0, 502, 503}, (status, body[:300])
            self.unanswered += status == 0
            time.sleep(0.05)
        raise AssertionError("an answer was never acknowledged")

    @property
    def secret(self):
        cookie = next(v for k, v in self.cookies.items() if k.startswith("digilyft_r"))
        return cookie.split(":", 1)[0].partition(".")[0]  # "secret:timestamp:signature"


def test_every_acknowledged_answer_survives_sigkill_once_and_respondents_resume(
    database_env,  # noqa: F811
    tmp_path,
):
    env = {**database_env, "WEB_CONCURRENCY": "2", "DIGILYFT_OPEN_STARTS_PER_HOUR": "1000"}
    setup = shell(env, SETUP, "SETUP")
    token, items = setup["token"], setup["items"]
    server = Server(env, free_port(), tmp_path / "server.log")
    deadline = time.monotonic() + DEADLINE_SECONDS
    begun = threading.Barrier(RESPONDENTS + 1)
    respondents = [
        Respondent(server.port, token, items, n, begun, deadline) for n in range(RESPONDENTS)
    ]
    server.start()
    try:
        for respondent in respondents:
            respondent.start()
        begun.wait(timeout=30)
        for _kill in range(2):
            acknowledged = sum(len(r.acknowledged) for r in respondents)
            while sum(len(r.acknowledged) for r in respondents) < acknowledged + 10:
                assert time.monotonic() < deadline
                time.sleep(0.02)
            server.kill()  # mid-way: answers in flight are lost, unacknowledged
            time.sleep(0.3)
            server.start()
        for respondent in respondents:
            respondent.join(timeout=max(1, deadline - time.monotonic()))
        assert [r.failure for r in respondents] == [None] * RESPONDENTS
        assert all(len(r.acknowledged) == len(items) for r in respondents)
        assert sum(r.unanswered for r in respondents) > 0  # the kills did cut requests off

        stored = shell(env, STORED, "STORED")
        assert len(stored["responses"]) == RESPONDENTS  # no draft begun twice
        rows: dict[tuple[int, int], list] = {}
        for response_id, item, value in stored["answers"]:
            rows.setdefault((response_id, item), []).append(value)
        assert all(len(values) == 1 for values in rows.values())  # stored once
        for respondent in respondents:
            pk = stored["responses"][respondent.secret]
            mine = {item: values[0] for (rid, item), values in rows.items() if rid == pk}
            assert mine == respondent.acknowledged  # every acknowledged answer, as last given

        for respondent in respondents:  # each resumes their own draft after the restarts
            status, _c, _b = request(server.port, "POST", f"/s/{token}/begin/", respondent.cookies)
            assert status == 302
            status, _c, body = request(
                server.port, "GET", f"/s/{token}/page/1/", respondent.cookies
            )
            assert status == 200
            assert b"checked" in body
        assert len(shell(env, STORED, "STORED")["responses"]) == RESPONDENTS
    finally:
        server.stop()
