"""Past one machine: a PostgreSQL primary with a streaming replica, Redis, two gunicorn app
servers and nginx balancing between them (lib/cluster.py, as ``make serve-cluster`` starts
them), driven through nginx by respondents who autosave and submit, a coordinator who closes
rounds and reads results, and a reader of published figures (the open API, the bulk file, a
results page). Mid-run one app server is killed (SIGKILL to all its processes), later the
replica is stopped. Then:

- every answer a respondent's browser was told was saved is stored, once (counted on the
  primary), and every respondent submitted, also those who were under way on the killed server;
- published figures were read from the replica while it ran, and kept answering (200) after the
  app server and then the replica went away;
- nothing answered 5xx but requests that were in flight on the killed server (POSTs: nginx
  passes a GET it lost on to the other server itself, never a POST), and no published read was
  lost but one being answered when its server died (a bulk file cut off half-way: nginx cannot
  take back what it already passed on).

The test prints its figures. It runs its own databases (``initdb`` in memory) whichever
database the suite runs on, and takes 35-50 seconds here, about 15 of them starting the cluster
(``migrate``).
"""

import json
import random
import re
import threading
import time

import pytest
import requests

from lib import cluster

pytestmark = pytest.mark.slow

RESPONDENTS = 6
AT_ONCE = 4  # respondents under way at the same time (each has one request in flight)
KILL_AFTER_ANSWERS = 30  # acknowledged answers before the app server is killed
STOP_REPLICA_AFTER_ANSWERS = 110
DEADLINE_SECONDS = 90
PASSWORD = "a-long-cluster-password-26"
CSRF = "clustercsrftoken0123456789abcdef"  # 32 characters: an unmasked CSRF secret
ITEM = re.compile(r'name="item-(\d+)"')
FORM_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

SETUP = f"""
import json, random
from datetime import timedelta
from django.contrib.auth import get_user_model
from django.utils import timezone
from assessments.models import Answer, Response
from assessments.questionnaire import visible_items
from assessments.rounds import close_early, create_round
from frameworks.loading import load_framework_file
from registry.models import Coordinator, Organisation
version = load_framework_file()[0]
org = Organisation.objects.create(code="1287", name="Trelleborgs kommun", kind="municipality",
                                  county_code="12", county_name="Skåne län")
user = get_user_model().objects.create_user("samordnare", password="{PASSWORD}")
Coordinator.objects.create(user=user, organisation=org)
today = timezone.localdate()
rng = random.Random(26)

def round_with_answers(name, each):
    round_ = create_round(organisation=org, user=user, name=name, version=version,
                          opens_on=today - timedelta(days=20), closes_on=today + timedelta(days=9))
    for link in round_.links.all():
        items = list(visible_items(link))
        for _ in range(each):
            response = Response.objects.create(link=link, round=round_, submitted_on=today,
                                               secret=None, gender=rng.choice(["woman", "man"]))
            Answer.objects.bulk_create(Answer(response=response, item=item,
                                              value=rng.randint(1, 5)) for item in items)
    return round_

published = round_with_answers("Baseline", 6)
close_early(published)
to_close = round_with_answers("Follow-up", 6)
kickoff = create_round(organisation=org, user=user, name="Kick-off", version=version,
                       opens_on=today, closes_on=today + timedelta(days=9))
print("SETUP", json.dumps({{
    "published": published.pk, "to_close": to_close.pk, "kickoff": kickoff.pk,
    "token": kickoff.links.get(target_group__key="politician").token,
}}))
"""


class Tally:
    """What the clients saw, shared by their threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.acknowledged = 0
        self.statuses: dict[str, dict[int, int]] = {}
        self.lost: list[str] = []  # published reads cut off, and when
        self.killed = threading.Event()
        self.replica_stopped = threading.Event()

    def saw(self, kind: str, status: int) -> None:
        with self.lock:
            counts = self.statuses.setdefault(kind, {})
            counts[status] = counts.get(status, 0) + 1

    def phase(self) -> str:
        if self.replica_stopped.is_set():
            return "after the replica stopped"
        return "after the kill" if self.killed.is_set() else "before the kill"

    def fivexx(self, kind: str | None = None) -> int:
        return sum(
            n
            for k, counts in self.statuses.items()
            if kind in (None, k)
            for status, n in counts.items()
            if status >= 500 or status == 0
        )


def request(tally, kind, session, method, url, expect=(200,), **kwargs):
    """A request the client repeats (as the page's script repeats an autosave) until it is
    answered with what was expected; a lost answer (5xx, a dropped connection) is counted."""
    kwargs.setdefault("allow_redirects", False)
    kwargs.setdefault("timeout", 30)
    for _attempt in range(40):
        try:
            answer = session.request(method, url, **kwargs)
            status = answer.status_code
        except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError):
            # Refused, dropped, or cut off half-way through the body (the server was killed
            # while nginx passed its answer on): lost in flight, and asked again.
            answer, status = None, 0
        tally.saw(kind, status)
        if status in expect:
            return answer
        if status and status < 500:
            raise AssertionError(f"{method} {url}: {status}")
        time.sleep(0.2)
    raise AssertionError(f"{method} {url}: no answer")


def respondent(tally, base, token, rng):
    """Open the link, begin, autosave an answer to every statement page by page, submit. Returns the
    items acknowledged, and whether answers were acknowledged before and after the kill."""
    session = requests.Session()
    session.cookies.set("csrftoken", CSRF)
    session.headers["X-CSRFToken"] = CSRF
    request(tally, "respondent", session, "GET", f"{base}/s/{token}/")
    request(tally, "respondent", session, "POST", f"{base}/s/{token}/begin/", expect=(302,))
    saved, phases, number = set(), set(), 1
    while True:
        page = request(tally, "respondent", session, "GET", f"{base}/s/{token}/page/{number}/")
        items = ITEM.findall(page.text)
        if not items:  # the last page asks about the respondent, not the organisation
            break
        for item in dict.fromkeys(items):
            data = {"item": item, "value": rng.choice(["1", "2", "3", "4", "5", "dk"])}
            answer = request(
                tally, "respondent", session, "POST", f"{base}/s/{token}/answer/", data=data
            )
            assert answer.json()["saved"] is True
            saved.add(item)
            phases.add(tally.killed.is_set())
            with tally.lock:
                tally.acknowledged += 1
        number += 1
    # A repeated submit (its first answer lost) gets the thank-you page: nothing twice.
    request(tally, "respondent", session, "POST", f"{base}/s/{token}/submit/")
    return saved, phases


def published_reader(tally, base, coordinator, published_pk, stop):
    """Reads published figures through nginx until told to stop."""
    anonymous = requests.Session()
    urls = [
        (anonymous, f"{base}/api/v1/kpi?per_page=5"),
        (anonymous, f"{base}/api/v1/municipality/1287"),
        (anonymous, f"{base}/api/v1/bulk/figures.csv"),
        (coordinator, f"{base}/coordinator/rounds/{published_pk}/results/"),
    ]
    while not stop.is_set():
        for session, url in urls:
            try:
                status = session.get(url, timeout=30, allow_redirects=False).status_code
            except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError) as exc:
                # Cut off: its server went away while it was being answered.
                status = 0
                with tally.lock:
                    tally.lost.append(
                        f"{url.removeprefix(base)} {exc.__class__.__name__} {tally.phase()}"
                    )
            tally.saw("published", status)


def log_in(tally, base):
    session = requests.Session()
    form = request(tally, "coordinator", session, "GET", f"{base}/accounts/login/")
    data = {
        "username": "samordnare",
        "password": PASSWORD,
        "csrfmiddlewaretoken": FORM_TOKEN.search(form.text).group(1),
    }
    request(tally, "coordinator", session, "POST", f"{base}/accounts/login/", (302,), data=data)
    return session


def close_and_read(tally, base, session, pk):
    """The coordinator closes a round and at once reads its published results."""
    page = request(tally, "coordinator", session, "GET", f"{base}/coordinator/rounds/{pk}/close/")
    data = {"csrfmiddlewaretoken": FORM_TOKEN.search(page.text).group(1)}
    request(
        tally,
        "coordinator",
        session,
        "POST",
        f"{base}/coordinator/rounds/{pk}/close/",
        (302,),
        data=data,
    )
    return request(tally, "coordinator", session, "GET", f"{base}/coordinator/rounds/{pk}/results/")


def table_scans(setup: cluster.Cluster, port: int) -> int:
    """Scans of the site's tables on the server at ``port`` (its own count: on the replica,
    the reads the replica served)."""
    (scans,) = setup.sql(
        port,
        "SELECT coalesce(sum(coalesce(seq_scan, 0) + coalesce(idx_scan, 0)), 0) "
        "FROM pg_stat_user_tables",
    )
    return int(scans)


def replica_scans_once_reported(setup: cluster.Cluster, before: int, seconds: float = 20) -> int:
    """The replica's scans once they exceed ``before``, or as they are after ``seconds``.
    PostgreSQL's backends report their scans at most once a second and when idle, so scans
    made in the last moment may not be counted yet (and a replica that lagged under load served
    nothing until it caught up): wait for them, while the readers go on reading."""
    deadline = time.monotonic() + seconds
    while True:
        scans = table_scans(setup, setup.replica_port)
        if scans > before or time.monotonic() > deadline:
            return scans
        time.sleep(0.2)


@pytest.fixture
def running_cluster(tmp_path):
    missing = cluster.missing_programs()
    if missing:
        pytest.skip(
            "needs " + ", ".join(missing) + ": sh scripts/ensure-system-packages.sh test (as root)"
        )
    setup = cluster.Cluster(
        tmp_path / "cluster",
        env={
            # Every client here is 127.0.0.1: no per-address limit on new responses.
            "DIGILYFT_OPEN_STARTS_PER_HOUR": "1000000",
            "DATABASE_REPLICA_CHECK_SECONDS": "1",
            "STAFF_OTP_REQUIRED": "true",
            "LOG_LEVEL": "WARNING",
        },
    )
    with setup:
        yield setup


def test_answers_and_published_pages_survive_a_killed_app_server_and_replica(running_cluster):
    setup = running_cluster
    started = time.monotonic()
    data = json.loads(
        next(
            line.removeprefix("SETUP ")
            for line in setup.manage("shell", "-c", SETUP, capture=True).splitlines()
            if line.startswith("SETUP ")
        )
    )
    setup.wait_for_replica()
    base, token, tally = setup.url, data["token"], Tally()
    coordinator = log_in(tally, base)
    replica_scans_before = table_scans(setup, setup.replica_port)

    # The coordinator closes a round and reads its results at once (from the primary: the
    # browser has just written), while the replica runs.
    closed_page = close_and_read(tally, base, coordinator, data["to_close"])

    stop_reading = threading.Event()
    reader = threading.Thread(
        target=published_reader,
        args=(tally, base, coordinator, data["published"], stop_reading),
        daemon=True,
    )
    reader.start()
    outcomes, failures = [], []
    queue = list(range(RESPONDENTS))
    queue_lock = threading.Lock()

    def respondents():
        while True:
            with queue_lock:
                if not queue:
                    return
                number = queue.pop()
            try:
                outcomes.append(respondent(tally, base, token, random.Random(number)))
            except Exception as exc:  # noqa: BLE001 - reported below, with the others
                failures.append(repr(exc))

    threads = [threading.Thread(target=respondents, daemon=True) for _ in range(AT_ONCE)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + DEADLINE_SECONDS

    def wait_for_answers(count):
        while tally.acknowledged < count and any(t.is_alive() for t in threads):
            assert time.monotonic() < deadline, "the respondents did not get that far"
            time.sleep(0.02)

    wait_for_answers(KILL_AFTER_ANSWERS)
    fivexx_before_kill = tally.fivexx()
    tally.killed.set()
    setup.kill_app_server(0)
    killed_at = time.monotonic() - started
    wait_for_answers(STOP_REPLICA_AFTER_ANSWERS)
    replica_scans = replica_scans_once_reported(setup, replica_scans_before)
    tally.replica_stopped.set()
    setup.stop_replica()
    published_before_stop = sum(tally.statuses.get("published", {}).values())
    for thread in threads:
        thread.join(max(1, deadline - time.monotonic()))
    time.sleep(1.5)  # the reader keeps reading with the replica gone
    stop_reading.set()
    reader.join(30)
    # The coordinator closes the kick-off round once everyone submitted, replica down.
    kickoff_page = close_and_read(tally, base, coordinator, data["kickoff"])
    elapsed = time.monotonic() - started

    answers = setup.sql(
        setup.primary_port,
        "SELECT count(*), count(DISTINCT (a.response_id, a.item_id)), "
        "count(DISTINCT r.id) FILTER (WHERE r.submitted_on IS NOT NULL) "
        "FROM assessments_answer a JOIN assessments_response r ON r.id = a.response_id "
        f"WHERE r.round_id = {data['kickoff']}",
    )
    per_response = setup.sql(
        setup.primary_port,
        "SELECT coalesce(array_agg(n ORDER BY n), '{}') FROM (SELECT count(*) AS n "
        "FROM assessments_answer a JOIN assessments_response r ON r.id = a.response_id "
        f"WHERE r.round_id = {data['kickoff']} GROUP BY r.id) counts",
    )[0]
    acknowledged = sum(len(saved) for saved, _phases in outcomes)
    each = len(outcomes[0][0]) if outcomes else 0
    across_the_kill = sum(1 for _saved, phases in outcomes if phases == {False, True})
    published = tally.statuses.get("published", {})
    primary_log = (setup.directory / "app1.log").read_text()
    print(
        f"\ncluster: {RESPONDENTS} respondents ({AT_ONCE} at once), {each} answers each; "
        f"app server 0 killed at {killed_at:.1f} s after {KILL_AFTER_ANSWERS} answers, the "
        f"replica stopped after {STOP_REPLICA_AFTER_ANSWERS}\n"
        f"  answers acknowledged {acknowledged}, stored {answers[0]} "
        f"(distinct {answers[1]}), responses submitted {answers[2]} of {RESPONDENTS}; "
        f"{across_the_kill} respondents answered both before and after the kill\n"
        f"  requests by kind and status: {tally.statuses}\n"
        f"  5xx or cut off: {tally.fivexx()} (respondents {tally.fivexx('respondent')}, at most "
        f"{AT_ONCE} in flight on the killed server; published {tally.fivexx('published')})\n"
        f"  published reads cut off: {tally.lost}\n"
        f"  table scans on the replica: {replica_scans - replica_scans_before}; "
        f"published reads {published_before_stop} before the replica stopped, "
        f"{sum(published.values()) - published_before_stop} after\n"
        f"  {elapsed:.1f} s from the data to the last page"
    )

    assert not failures, failures
    assert len(outcomes) == RESPONDENTS
    # Every acknowledged answer stored, once; nothing stored that was not acknowledged.
    assert answers[0] == answers[1] == acknowledged == RESPONDENTS * each
    assert per_response == [each] * RESPONDENTS
    assert answers[2] == RESPONDENTS
    # Some respondents were under way when their server died and went on on the other.
    assert across_the_kill >= 1
    # Lost only: the requests in flight on the killed server. Each respondent has one request
    # in flight; the reader one, which a dying server (the app server, or the replica under a
    # bulk file) may cut off half-way, never one with a 5xx (nginx tries a GET it lost again).
    assert fivexx_before_kill == 0
    assert tally.fivexx("respondent") <= AT_ONCE
    assert tally.fivexx("coordinator") == 0
    assert set(published) <= {200, 0} and published.get(0, 0) == len(tally.lost) <= 2
    # Published figures were read on the replica, and on the primary once it was gone.
    assert replica_scans > replica_scans_before
    assert sum(published.values()) > published_before_stop
    assert "reading from the primary" in primary_log
    # Both closed rounds show their published results to the coordinator at once.
    for page, pk in ((closed_page, data["to_close"]), (kickoff_page, data["kickoff"])):
        assert f"/coordinator/rounds/{pk}/results.pdf" in page.text
