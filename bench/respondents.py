"""`make bench`, respondent load: the production setup on PostgreSQL under a kick-off's load.

Starts nginx (lib/localproxy.py, as ``make serve`` does) on ``BENCH_PORT`` and gunicorn behind
it on a unix socket, with the repository's gunicorn.conf.py (``WEB_CONCURRENCY`` workers, default 5)
against a fresh PostgreSQL database (``BENCH_RESPONDENTS_DATABASE_URL``, default a local
``digilyft_bench_respondents`` that it recreates), builds open rounds with a few thousand drafts,
and drives the server from other processes:

- wrk (bench/autosave.lua): autosave POSTs from random drafts, and ``/healthz`` in the same run,
  at 50 and 200 concurrent connections (``BENCH_SECONDS`` each, default 15): requests/s,
  p50/p95/p99, errors, and the autosave/healthz ratio;
- the kick-off: ``BENCH_KICKOFF_CLIENTS`` virtual respondents at once (default 50), a new one
  arriving as soon as one finishes, for ``BENCH_KICKOFF_SECONDS`` (default 60); then those under
  way finish. Each opens the link, begins, loads each page and autosaves its answers (40 in all),
  and submits. Completed questionnaires/s, and the CPU-seconds of the server (gunicorn master and
  workers), of the proxy (nginx) and of the database (the PostgreSQL backends serving the bench database) per
  completed questionnaire, read from /proc (the whole run: every CPU-second belongs to a
  completed questionnaire). The virtual respondents' own CPU (one asyncio thread) is reported
  beside it, and whether it came near one core, where the client would set the pace.

- wrk with paced connections: autosaves offered at about a fixed rate (330, 650 and 1,000 a
  second, ``BENCH_RATES``; then upward until p95 passes 300 ms or the server falls behind) by
  400 connections that each wait a random time between requests (bench/autosave.lua's
  ``delay()``); wrk's own CPU is reported beside the server's. ``BENCH_ONLY_PACED=1`` runs only
  these and merges them into the results file.

``BENCH_CHECKOUT`` runs another checkout's code (e.g. a worktree of main, to measure "before")
with this virtualenv. Writes bench/results/respondents.json and prints a summary. Never run by
the test suite.
"""

import asyncio
import json
import os
import platform
import random
import re
import resource
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHECKOUT = Path(os.environ.get("BENCH_CHECKOUT", str(ROOT))).resolve()
sys.path.insert(0, str(ROOT))
from lib import localproxy  # noqa: E402

DATABASE_URL = os.environ.get(
    "BENCH_RESPONDENTS_DATABASE_URL",
    "postgres://postgres@127.0.0.1:5432/digilyft_bench_respondents",
)
os.environ["DATABASE_URL"] = DATABASE_URL
os.environ.setdefault("DATABASE_STATEMENT_TIMEOUT", "0")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "digilyft.settings")

PORT = int(os.environ.get("BENCH_PORT", "8150"))
WORKERS = os.environ.get("WEB_CONCURRENCY", "5")
SECONDS = int(os.environ.get("BENCH_SECONDS", "15"))
KICKOFF_SECONDS = int(os.environ.get("BENCH_KICKOFF_SECONDS", "60"))
KICKOFF_CLIENTS = int(os.environ.get("BENCH_KICKOFF_CLIENTS", "50"))
CONNECTIONS = (50, 200)
# The kick-off at a fixed rate: autosaves offered at these rates a second by paced connections
# (bench/autosave.lua), then upward until p95 passes 300 ms or the server falls behind.
PACED_RATES = tuple(int(r) for r in os.environ.get("BENCH_RATES", "330,650,1000").split(","))
PACED_SEARCH = (1300, 1600, 2000, 2500, 3000)
PACED_CONNECTIONS = int(os.environ.get("BENCH_PACED_CONNECTIONS", "400"))
PACED_P95_LIMIT_MS = 300
# BENCH_ONLY_PACED=1: only the paced runs, merged into the results file's "paced".
ONLY_PACED = os.environ.get("BENCH_ONLY_PACED", "") == "1"
# BENCH_APP_SERVERS=2: the paced runs through nginx balancing two gunicorn app servers (each
# with WEB_CONCURRENCY workers, on this one machine), written as "paced_2_servers".
APP_SERVERS = int(os.environ.get("BENCH_APP_SERVERS", "1"))
ORGANISATIONS = 20
DRAFTS_PER_LINK = 200
ANSWERS_PER_QUESTIONNAIRE = 40
CSRF = "benchcsrftoken0123456789abcdefgh"  # 32 characters: an unmasked CSRF secret
COOKIE_SALT = "digilyft.response"
RESULTS = ROOT / "bench" / "results" / "respondents.json"
TARGET_GROUP = "politician"


def reset_database():
    import dj_database_url

    cfg = dj_database_url.parse(DATABASE_URL)
    env = {**os.environ, "PGPASSWORD": cfg.get("PASSWORD") or ""}
    subprocess.run(
        [
            "psql",
            "-h",
            cfg["HOST"] or "127.0.0.1",
            "-p",
            str(cfg["PORT"] or 5432),
            "-U",
            cfg["USER"] or "postgres",
            "-q",
            "-d",
            "postgres",
            "-c",
            f'DROP DATABASE IF EXISTS "{cfg["NAME"]}" WITH (FORCE)',
            "-c",
            f'CREATE DATABASE "{cfg["NAME"]}"',
        ],
        check=True,
        env=env,
    )


def server_env(static_root: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(
        DATABASE_URL=DATABASE_URL,
        DEBUG="false",
        WEB_CONCURRENCY=WORKERS,
        STATIC_ROOT=static_root,
        DATABASE_STATEMENT_TIMEOUT="15000",
        # nginx in front appends the client's address to X-Forwarded-For.
        DIGILYFT_TRUSTED_PROXY_COUNT="1",
        # Every virtual respondent comes from 127.0.0.1: no per-address limit on "begin".
        DIGILYFT_OPEN_STARTS_PER_HOUR="1000000000",
        GUNICORN_ACCESS_LOG=os.path.join(static_root, "access.log"),
        PYTHONPATH=str(CHECKOUT),
    )
    return env


def manage(env, *args):
    subprocess.run([sys.executable, "manage.py", *args], cwd=CHECKOUT, env=env, check=True)


def build_rounds() -> tuple[list[dict], list[str]]:
    """Open rounds (one per organisation) with a link for the politicians; drafts on each.
    Returns the links ({token, items}) and the drafts' lines for the wrk script."""
    import django

    django.setup()
    from django.core import signing
    from django.utils import timezone

    from assessments.models import Response, Round, RoundLink
    from assessments.questionnaire import visible_items
    from frameworks.loading import load_framework_file
    from frameworks.models import TargetGroup
    from registry.models import Organisation

    version = load_framework_file()[0]
    group = TargetGroup.objects.get(version=version, key=TARGET_GROUP)
    today = timezone.localdate()
    links, lines = [], []
    for n in range(ORGANISATIONS):
        org = Organisation.objects.create(
            code=f"{9000 + n}",
            name=f"Benchkommun {n}",
            kind="municipality",
            county_code="12",
            county_name="Skåne län",
        )
        round_ = Round.objects.create(
            organisation=org,
            version=version,
            name="Kick-off",
            opens_on=today - timedelta(days=1),
            closes_on=today + timedelta(days=30),
        )
        link = RoundLink.objects.create(round=round_, target_group=group)
        items = list(visible_items(link).values_list("pk", flat=True))
        links.append({"token": link.token, "items": items})
        drafts = Response.objects.bulk_create(
            [Response(link=link, round=round_) for _ in range(DRAFTS_PER_LINK)]
        )
        name = f"digilyft_r{link.pk}"
        signer = signing.get_cookie_signer(salt=name + COOKIE_SALT)
        item_list = ",".join(map(str, items))
        for draft in drafts:
            lines.append(f"{link.token} {name}={signer.sign(draft.secret)} {item_list}")
    return links, lines


# --- CPU-seconds of the server and the database, from /proc ------------------------------

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _cpu_seconds(pid: int) -> float | None:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime + stime


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            if ppid == pid:
                found.append(int(entry.name))
    return found


class CpuMeter:
    """Polls the CPU time of gunicorn's master and workers and of the PostgreSQL backends of the
    bench database every 0.3 s; a process that ends between polls loses at most that much."""

    def __init__(self, master_pids: list[int], proxy_pid: int):
        import psycopg

        self.masters = master_pids
        self.proxy = proxy_pid
        self.db = psycopg.connect(DATABASE_URL.replace("postgres://", "postgresql://"))
        self.db.autocommit = True
        self.name = self.db.info.dbname
        self.own = self.db.info.backend_pid

    def _backends(self) -> list[int]:
        rows = self.db.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> %s",
            (self.name, self.own),
        ).fetchall()
        return [row[0] for row in rows]

    def _sample(self, seen: dict):
        for kind, pids in (
            ("server", [p for m in self.masters for p in (m, *_children(m))]),
            ("proxy", [self.proxy, *_children(self.proxy)]),
            ("database", self._backends()),
        ):
            for pid in pids:
                value = _cpu_seconds(pid)
                if value is not None:
                    seen[(kind, pid)] = value

    def measure(self, work):
        start: dict = {}
        self._sample(start)
        seen = dict(start)
        stop = threading.Event()

        def poll():
            while not stop.wait(0.3):
                self._sample(seen)

        poller = threading.Thread(target=poll, daemon=True)
        poller.start()
        try:
            result = work()
        finally:
            stop.set()
            poller.join()
            self._sample(seen)
        used = {"server": 0.0, "proxy": 0.0, "database": 0.0}
        for key, value in seen.items():
            used[key[0]] += value - start.get(key, 0.0)
        return result, used


# --- wrk ------------------------------------------------------------------------------------


def run_wrk(
    base: str, mode: str, connections: int, drafts_file: str, seconds=SECONDS, delay_ms=None
) -> dict:
    threads = min(2, connections)
    paced = {"BENCH_DELAY_MS": f"{delay_ms:.1f}"} if delay_ms else {}
    tool_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "-s",
            str(ROOT / "bench" / "autosave.lua"),
            base,
        ],
        env={
            **os.environ,
            "BENCH_MODE": mode,
            "BENCH_CSRF": CSRF,
            "BENCH_DRAFTS": drafts_file,
            **paced,
        },
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    tool_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    line = next(line for line in out.splitlines() if line.startswith("BENCH_JSON "))
    data = json.loads(line.removeprefix("BENCH_JSON "))
    data["requests_per_second"] = round(data["requests"] / data["seconds"], 1)
    data["errors"] = data["socket_errors"] + sum(
        n for code, n in data["statuses"].items() if code != "200"
    )
    # wrk's own CPU (user + system), so that a reader sees it was not the limit.
    data["load_tool_cpu_seconds"] = round(
        tool_after.ru_utime - tool_before.ru_utime + tool_after.ru_stime - tool_before.ru_stime, 2
    )
    return data


def run_paced(base: str, drafts_file: str, meter) -> dict:
    """Autosaves offered at each of PACED_RATES by paced connections; then, if p95 stayed
    under PACED_P95_LIMIT_MS and the server kept up (90 % of the offered rate achieved), upward
    until it does not."""
    runs, crossed = [], None
    rates = list(PACED_RATES)
    while rates:
        rate = rates.pop(0)
        delay_ms = 1000 * PACED_CONNECTIONS / rate
        print(f"  wrk autosave, {rate}/s offered by {PACED_CONNECTIONS} paced connections …")
        data, cpu = meter.measure(
            lambda d=delay_ms: run_wrk(base, "autosave", PACED_CONNECTIONS, drafts_file, delay_ms=d)
        )
        data["offered_per_second"] = rate
        data["cpu_seconds"] = {k: round(v, 2) for k, v in cpu.items()}
        data["cpu_ms_per_request"] = (
            round(1000 * sum(cpu.values()) / data["requests"], 2) if data["requests"] else None
        )
        runs.append(data)
        behind = data["requests_per_second"] < 0.9 * rate
        if crossed is None and (data["p95_ms"] > PACED_P95_LIMIT_MS or behind):
            crossed = {"offered_per_second": rate, "p95_ms": data["p95_ms"], "fell_behind": behind}
        if crossed is None and not rates and rate < PACED_SEARCH[-1]:
            rates = [r for r in PACED_SEARCH if r > rate][:1]
    return {
        "connections": PACED_CONNECTIONS,
        "seconds_each": SECONDS,
        "runs": runs,
        "p95_over_300ms_from": crossed,
        "method": "wrk with a per-connection delay() (bench/autosave.lua): paced connections, "
        "not a strict open loop; latency is timed from each request's sending",
    }


# --- the kick-off: virtual respondents ------------------------------------------------------


async def http(method: str, port: int, path: str, cookies: dict, body: str = ""):
    """One HTTP/1.1 request on a new connection (gunicorn's sync workers close each one).
    Returns (status, the cookies it set, body)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    cookie = "; ".join(f"{k}={v}" for k, v in cookies.items())
    head = [
        f"{method} {path} HTTP/1.1",
        f"Host: 127.0.0.1:{port}",
        "Connection: close",
        f"Cookie: {cookie}",
        f"X-CSRFToken: {CSRF}",
    ]
    if method == "POST":
        head += [
            "Content-Type: application/x-www-form-urlencoded",
            f"Content-Length: {len(body.encode())}",
        ]
    writer.write(("\r\n".join(head) + "\r\n\r\n" + body).encode())
    await writer.drain()
    raw = await reader.read()
    writer.close()
    header, _sep, payload = raw.partition(b"\r\n\r\n")
    lines = header.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    set_cookies = {}
    for line in lines[1:]:
        if line.lower().startswith("set-cookie:"):
            name, _eq, rest = line.split(":", 1)[1].strip().partition("=")
            set_cookies[name] = rest.split(";", 1)[0]
    return status, set_cookies, payload


PAGE_ITEM = re.compile(rb'name="item-(\d+)"')


async def respondent(port: int, link: dict, rng: random.Random, errors: list) -> bool:
    """Open the link, begin, load each page and autosave its answers (40 in all), submit."""
    token = link["token"]
    cookies = {"csrftoken": CSRF}

    def ok(status, expected, what):
        if status != expected:
            errors.append(f"{what}: {status}")
            return False
        return True

    status, _set, _body = await http("GET", port, f"/s/{token}/", cookies)
    if not ok(status, 200, "start"):
        return False
    status, set_cookies, _body = await http("POST", port, f"/s/{token}/begin/", cookies)
    if not ok(status, 302, "begin"):
        return False
    cookies.update(set_cookies)
    saved = 0
    number = 1
    while saved < ANSWERS_PER_QUESTIONNAIRE:
        status, _set, body = await http("GET", port, f"/s/{token}/page/{number}/", cookies)
        if not ok(status, 200, "page"):
            return False
        items = [int(i) for i in PAGE_ITEM.findall(body)]
        if not items:  # the background page: start over (answers change, as people do)
            number = 1
            continue
        for item in items[: ANSWERS_PER_QUESTIONNAIRE - saved]:
            value = rng.choice(["1", "2", "3", "4", "5", "dk"])
            status, _set, _body = await http(
                "POST", port, f"/s/{token}/answer/", cookies, f"item={item}&value={value}"
            )
            if not ok(status, 200, "autosave"):
                return False
            saved += 1
        number += 1
    status, _set, _body = await http("POST", port, f"/s/{token}/submit/", cookies)
    return ok(status, 200, "submit")


async def kickoff(port: int, links: list[dict]) -> dict:
    rng = random.Random(20261202)
    errors: list[str] = []
    completed = 0
    deadline = time.monotonic() + KICKOFF_SECONDS

    async def arrivals():
        nonlocal completed
        while time.monotonic() < deadline:
            try:
                if await respondent(port, rng.choice(links), rng, errors):
                    completed += 1
            except OSError as exc:
                errors.append(f"connection: {exc.__class__.__name__}")

    started = time.monotonic()
    await asyncio.gather(*(arrivals() for _ in range(KICKOFF_CLIENTS)))
    elapsed = time.monotonic() - started
    return {"completed": completed, "seconds": round(elapsed, 1), "errors": errors}


def client_load(before, seconds: float) -> dict:
    """The virtual respondents' own CPU (this process: one asyncio thread, and the meter's
    poller) over the run. Near one core, the client and not the server would set the pace."""
    after = resource.getrusage(resource.RUSAGE_SELF)
    used = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    share = used / seconds if seconds else 0.0
    return {
        "cpu_seconds": round(used, 2),
        "share_of_one_core": round(share, 2),
        "limited_by_client": share > 0.8,
    }


# --- the run --------------------------------------------------------------------------------


def wait_for(base: str, process, log: Path):
    import urllib.request

    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(base + "/healthz", timeout=5).read()
            return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                sys.exit("gunicorn did not start:\n" + log.read_text())
            time.sleep(0.3)


def commit_of(path: Path) -> str:
    return subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=path, capture_output=True, text=True
    ).stdout.strip()


def main():
    tmp = tempfile.mkdtemp(prefix="digilyft-bench-")
    env = server_env(tmp)
    print(f"Respondent load: {CHECKOUT} ({commit_of(CHECKOUT)}), {WORKERS} gunicorn workers")
    reset_database()
    manage(env, "migrate", "--noinput", "--verbosity=0")
    manage(env, "collectstatic", "--noinput", "--verbosity=0")
    links, lines = build_rounds()
    drafts_file = os.path.join(tmp, "drafts.txt")
    Path(drafts_file).write_text("\n".join(lines) + "\n")
    log = Path(tmp) / "server.log"
    base = f"http://127.0.0.1:{PORT}"
    # As `make serve` runs it: nginx on the port first, gunicorn behind it on a unix socket
    # (with BENCH_APP_SERVERS=2, two gunicorns, each on its own socket, balanced by nginx).
    # The sockets live outside STATIC_ROOT (tmp), which WhiteNoise walks at each start.
    socket_dir = Path(tempfile.mkdtemp(prefix="digilyft-bench-sockets-"))
    sockets = [socket_dir / f"gunicorn{n}.sock" for n in range(APP_SERVERS)]
    config = localproxy.write_config(
        Path(tmp) / "nginx",
        f"127.0.0.1:{PORT}",
        sockets[0],
        Path(tmp),
        servers=[f"unix:{path}" for path in sockets] if APP_SERVERS > 1 else None,
    )
    proxy = subprocess.Popen(localproxy.nginx_command(config))
    servers = []
    with open(log, "wb") as out:
        for socket_path in sockets:
            servers.append(
                subprocess.Popen(
                    [
                        str(Path(sys.executable).with_name("gunicorn")),
                        "-c",
                        "gunicorn.conf.py",
                        "--bind",
                        f"unix:{socket_path}",
                        "digilyft.wsgi",
                    ],
                    cwd=CHECKOUT,
                    env=env,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                )
            )
    try:
        for each, socket_path in zip(servers, sockets, strict=True):
            wait_for(base, each, log)
            while not socket_path.exists():  # each app server listening, not only the first
                time.sleep(0.3)
        meter = CpuMeter([each.pid for each in servers], proxy.pid)
        # Warm-up (not counted): every worker imports its views and connects to the database.
        for mode in ("healthz", "autosave"):
            run_wrk(base, mode, 50, drafts_file, seconds=3)
        results = {"load": {}}
        if ONLY_PACED:
            results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
            key = "paced" if APP_SERVERS == 1 else f"paced_{APP_SERVERS}_servers"
            results[key] = run_paced(base, drafts_file, meter)
            results[key]["app_servers"] = APP_SERVERS
            results[key]["workers_per_server"] = int(WORKERS)
            return finish_paced(results, key)
        for connections in CONNECTIONS:
            for mode in ("healthz", "autosave"):
                print(f"  wrk {mode}, {connections} connections, {SECONDS} s …", flush=True)
                data, cpu = meter.measure(
                    lambda m=mode, c=connections: run_wrk(base, m, c, drafts_file)
                )
                data["cpu_seconds"] = {k: round(v, 2) for k, v in cpu.items()}
                # Server and database CPU per answered request: what a shared machine
                # disturbs least.
                data["cpu_ms_per_request"] = (
                    round(1000 * sum(cpu.values()) / data["requests"], 2)
                    if data["requests"]
                    else None
                )
                results["load"][f"{mode}_{connections}"] = data
            ratio = (
                results["load"][f"autosave_{connections}"]["requests_per_second"]
                / results["load"][f"healthz_{connections}"]["requests_per_second"]
            )
            results["load"][f"ratio_{connections}"] = round(ratio, 3)
        results["paced"] = run_paced(base, drafts_file, meter)
        print(f"  kick-off, {KICKOFF_CLIENTS} virtual respondents at once, {KICKOFF_SECONDS} s …")
        client_before = resource.getrusage(resource.RUSAGE_SELF)
        data, cpu = meter.measure(lambda: asyncio.run(kickoff(PORT, links)))
        data["load_tool"] = client_load(client_before, data["seconds"])
        total = cpu["server"] + cpu["proxy"] + cpu["database"]
        data["questionnaires_per_second"] = round(data["completed"] / data["seconds"], 2)
        data["cpu_seconds"] = {k: round(v, 2) for k, v in cpu.items()}
        data["cpu_seconds_per_questionnaire"] = (
            round(total / data["completed"], 3) if data["completed"] else None
        )
        data["error_count"] = len(data["errors"])
        data["errors"] = sorted(set(data["errors"]))[:20]
        results["kickoff"] = data
    finally:
        for each in servers:
            each.terminate()
        for each in servers:
            each.wait(timeout=60)
        proxy.terminate()
        proxy.wait(timeout=30)
    results["meta"] = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "checkout": str(CHECKOUT),
        "commit": commit_of(CHECKOUT),
        "workers": int(WORKERS),
        "seconds_per_measurement": SECONDS,
        "kickoff_seconds": KICKOFF_SECONDS,
        "kickoff_clients": KICKOFF_CLIENTS,
        "cpus": os.cpu_count(),
        "load_average_after": os.getloadavg(),
        "python": platform.python_version(),
        "note": "a shared 2-core machine: other work ran at the same time",
    }
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print_summary(results)


def finish_paced(results: dict, key: str = "paced"):
    results[key]["when"] = datetime.now(UTC).isoformat(timespec="seconds")
    results[key]["commit"] = commit_of(CHECKOUT)
    results[key]["load_average_after"] = os.getloadavg()
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(f"{results[key].get('app_servers', 1)} app server(s), {WORKERS} workers each:")
    print_paced(results[key])


def print_paced(paced: dict):
    print(
        f"\n{'offered/s':>10} {'achieved/s':>11} {'p50':>8} {'p95':>8} {'p99':>8} {'errors':>7} "
        f"{'CPU/req':>9} {'wrk CPU':>8}"
    )
    for d in paced["runs"]:
        print(
            f"{d['offered_per_second']:>10} {d['requests_per_second']:>11} {d['p50_ms']:>6.0f}ms "
            f"{d['p95_ms']:>6.0f}ms {d['p99_ms']:>6.0f}ms {d['errors']:>7} "
            f"{d['cpu_ms_per_request'] or 0:>7.1f}ms {d['load_tool_cpu_seconds']:>7.1f}s"
        )
    crossed = paced["p95_over_300ms_from"]
    print(
        f"p95 over 300 ms (or fell behind) from {crossed['offered_per_second']}/s"
        if crossed
        else f"p95 stayed under 300 ms up to {paced['runs'][-1]['offered_per_second']}/s"
    )


def print_summary(results: dict):
    print_paced(results["paced"])
    load = results["load"]
    print(
        f"\n{'measure':34} {'req/s':>8} {'p50':>8} {'p95':>8} {'p99':>8} {'errors':>7} "
        f"{'CPU/req':>9}"
    )
    for connections in CONNECTIONS:
        for mode in ("healthz", "autosave"):
            d = load[f"{mode}_{connections}"]
            print(
                f"{mode + f' at {connections} connections':34} {d['requests_per_second']:>8} "
                f"{d['p50_ms']:>6.0f}ms {d['p95_ms']:>6.0f}ms {d['p99_ms']:>6.0f}ms "
                f"{d['errors']:>7} {d['cpu_ms_per_request'] or 0:>7.1f}ms"
            )
        print(f"{'  autosave / healthz':34} {load[f'ratio_{connections}']:>8}")
    k = results["kickoff"]
    print(
        f"\nkick-off: {k['completed']} questionnaires in {k['seconds']} s = "
        f"{k['questionnaires_per_second']}/s; CPU server {k['cpu_seconds']['server']} s + "
        f"proxy {k['cpu_seconds']['proxy']} s + "
        f"database {k['cpu_seconds']['database']} s = {k['cpu_seconds_per_questionnaire']} "
        f"CPU-s per questionnaire; errors {k['error_count']}"
    )
    client = k["load_tool"]
    print(
        f"the virtual respondents' own CPU: {client['cpu_seconds']} s, "
        f"{client['share_of_one_core']:.0%} of their one core: "
        + ("the CLIENT set the pace" if client["limited_by_client"] else "not the limit")
    )
    print(f"Written to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
