"""`make bench`: the national scale, measured.

Builds a deterministic national dataset in PostgreSQL — 311 organisations, one round each,
200,000 submitted responses, every item answered — then reports:

- p50/p95 of one organisation's results page and of the national dashboard (warm database,
  through Django's full request stack, templates included);
- the time of a full national publication of every closed round (from scratch), from the
  respondents' scores per unit (``assessments.ResponseScore``), which the product writes at each
  submit and the bench writes here in one go, timed apart;
- the respondent-level goal aggregation in PostgreSQL (from those scores, and as before from
  every answer) and in DuckDB over the same answer rows, as a reference;
- the open API: the full bulk CSV download, and one ``data/kpi/…/year/…`` page of 5,000 rows
  (cold cache), each with the peak of Python memory allocated while it ran (tracemalloc).

Writes bench/results/latest.json and prints a table. Never run by the test suite.
"""

import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault(
    "DATABASE_URL",
    os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/digilyft_bench"),
)
# Building the dataset and the full national publication run statements far longer than the
# web's 15 s limit (DATABASE_STATEMENT_TIMEOUT).
os.environ.setdefault("DATABASE_STATEMENT_TIMEOUT", "0")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "digilyft.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
# Pages are rendered in this process, without `collectstatic`'s manifest (a fresh checkout has
# none): static addresses unhashed, which costs a page nothing measurable.
os.environ.setdefault(
    "STATICFILES_BACKEND", "django.contrib.staticfiles.storage.StaticFilesStorage"
)

RESPONSES = int(os.environ.get("BENCH_RESPONSES", "200000"))
PAGE_SAMPLES = int(os.environ.get("BENCH_PAGE_SAMPLES", "60"))
DASHBOARD_SAMPLES = int(os.environ.get("BENCH_DASHBOARD_SAMPLES", "20"))
# BENCH_ONLY_PUBLICATION=1: build the dataset, publish it three times from scratch, write
# bench/results/publication-<responses>.json and stop (how publication grows with the data:
# BENCH_RESPONSES=1000000 is five times the nation).
ONLY_PUBLICATION = os.environ.get("BENCH_ONLY_PUBLICATION", "") == "1"
SEED = 20261124


def reset_database(url: str):
    import dj_database_url

    cfg = dj_database_url.parse(url)
    name = cfg["NAME"]
    admin = {**os.environ, "PGPASSWORD": cfg.get("PASSWORD") or ""}
    base = [
        "psql",
        "-h",
        cfg["HOST"] or "127.0.0.1",
        "-p",
        str(cfg["PORT"] or 5432),
        "-U",
        cfg["USER"] or "postgres",
    ]
    subprocess.run(
        [
            *base,
            "-q",
            "-d",
            "postgres",
            "-c",
            f'DROP DATABASE IF EXISTS "{name}"',
            "-c",
            f'CREATE DATABASE "{name}"',
        ],
        check=True,
        env=admin,
    )


def build_dataset() -> dict:
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from assessments.models import Round
    from assessments.rounds import create_round
    from frameworks.loading import load_framework_file
    from registry.models import Organisation

    call_command("migrate", verbosity=0)
    call_command("import_organisations", verbosity=0)
    version, _ = load_framework_file()
    today = timezone.localdate()
    for org in Organisation.objects.order_by("code"):
        create_round(
            organisation=org,
            user=None,
            name="Bench 2026",
            kind=Round.Kind.BASELINE,
            version=version,
            opens_on=today - timedelta(days=30),
            closes_on=today - timedelta(days=1),  # closed, so that it is published
        )
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(%s)", [0.4242])
        # Responses: each link gets a deterministic share, uneven by organisation and group.
        cursor.execute(
            """
            WITH weights AS (
                SELECT l.id AS link_id, l.round_id,
                       (1 + (abs(hashtext(o.code)) %% 20)) * (CASE WHEN o.kind = 'region' THEN 4 ELSE 1 END)
                       * (CASE tg.key WHEN 'official' THEN 3 WHEN 'politician' THEN 2 ELSE 1 END) AS w
                FROM assessments_roundlink l
                JOIN assessments_round r ON r.id = l.round_id
                JOIN registry_organisation o ON o.id = r.organisation_id
                JOIN frameworks_targetgroup tg ON tg.id = l.target_group_id
            ), counts AS (
                SELECT link_id, round_id, floor(%s::numeric * w / sum(w) OVER ())::int AS n,
                       row_number() OVER (ORDER BY link_id) AS rn
                FROM weights
            ), topped AS (  -- hand the rounding remainder to the first links, one each
                SELECT link_id, round_id,
                       n + CASE WHEN rn <= %s - (SELECT sum(n) FROM counts) THEN 1 ELSE 0 END AS n
                FROM counts
            )
            INSERT INTO assessments_response (link_id, round_id, secret, gender, started_on, submitted_on, record_key)
            SELECT t.link_id, t.round_id, NULL,
                   (ARRAY['woman','man','woman','man','other','undisclosed',''])[1 + (g %% 7)],
                   current_date, current_date, floor(random() * 4294967296)::bigint
            FROM topped t, generate_series(1, t.n) AS g
            """,
            [RESPONSES, RESPONSES],
        )
        cursor.execute(
            """
            INSERT INTO assessments_answer (response_id, item_id, value)
            SELECT r.id, ti.item_id,
                   CASE WHEN abs(hashtext(r.id || ':' || ti.item_id)) % 100 < 6 THEN NULL
                        ELSE 1 + ((abs(hashtext(r.id || '/' || ti.item_id)) % 5
                                   + abs(hashtext(o.code)) % 3) % 5) END
            FROM assessments_response r
            JOIN assessments_roundlink l ON l.id = r.link_id
            JOIN assessments_round rd ON rd.id = r.round_id
            JOIN registry_organisation o ON o.id = rd.organisation_id
            JOIN frameworks_item_target_groups ti ON ti.targetgroup_id = l.target_group_id
            """
        )
        cursor.execute("ANALYZE")
    build_seconds = time.perf_counter() - started
    scoring = score_responses()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM assessments_response")
        responses = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM assessments_answer")
        answers = cursor.fetchone()[0]
    return {
        "responses": responses,
        "answers": answers,
        "build_seconds": round(build_seconds, 1),
        "scoring": scoring,
    }


def score_responses() -> dict:
    """The scores per unit that each submit writes (``assessments.scores``), written here for
    every response at once, as ``score_unscored`` (and the migration) does; and the time one
    submit's scoring takes, over a sample of responses scored one by one."""
    from django.db import connection, transaction

    from assessments.models import ResponseScore, Round
    from assessments.scores import score_response, score_unscored

    started = time.perf_counter()
    score_unscored(list(Round.objects.values_list("pk", flat=True)))
    bulk = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE assessments_responsescore")
        cursor.execute("SELECT response_id FROM assessments_responsescore TABLESAMPLE SYSTEM (1)")
        sample = sorted({row[0] for row in cursor.fetchall()})[:200]
    single = []
    for response_id in sample:
        with transaction.atomic():
            ResponseScore.objects.filter(response_id=response_id).delete()
            started = time.perf_counter()
            score_response(response_id)
            single.append(time.perf_counter() - started)
    return {
        "all_responses_seconds": round(bulk, 1),
        "per_submit_ms_p50": round(1000 * statistics.median(single), 2),
        "per_submit_ms_p95": round(1000 * percentile(single, 0.95), 2),
        "rows": ResponseScore.objects.count(),
    }


def _backend_cpu_seconds(pid: int) -> float | None:
    """CPU seconds (user + system) of a local PostgreSQL backend, from /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def time_full_recomputation(cpu: dict | None = None) -> float:
    """Publishing every closed round from scratch (what a national close-out day costs). With
    ``cpu`` given, the CPU seconds of this process and of its database backend (when the
    database runs on this machine; parallel workers not counted) are put in it."""
    from django.db import connection

    from results.models import Publication
    from results.publication import publish_due

    Publication.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    database_before = _backend_cpu_seconds(backend)
    process_before = time.process_time()
    started = time.perf_counter()
    publish_due()
    elapsed = time.perf_counter() - started
    if cpu is not None:
        database_after = _backend_cpu_seconds(backend)
        cpu["python"] = round(time.process_time() - process_before, 2)
        if database_before is not None and database_after is not None:
            cpu["database"] = round(database_after - database_before, 2)
    return elapsed


def percentile(samples, q):
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def _log_in_as_staff(client) -> None:
    """Log the bench's staff member in the way a real one does: password, then a TOTP code
    from an enrolled authenticator (the bench computes the code from the device's key)."""
    from django.contrib.auth import get_user_model
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    password = "bench-" + "x" * 16
    staff, _ = get_user_model().objects.get_or_create(username="bench", defaults={"is_staff": True})
    staff.is_staff = True
    staff.set_password(password)
    staff.save()
    device, _ = TOTPDevice.objects.get_or_create(
        user=staff, name="bench", defaults={"confirmed": True}
    )
    response = client.post("/accounts/login/", {"username": "bench", "password": password})
    assert response.status_code == 302, ("login", response.status_code)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    while totp.t() <= device.last_t:  # each code works once: wait for the app's next one
        time.sleep(1)
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    response = client.post("/accounts/second-factor/", {"code": f"{totp.token():06d}"})
    assert response.status_code == 302, ("second factor", response.status_code)


def time_pages() -> dict:
    import random

    from django.test import Client

    from assessments.models import Round

    client = Client()
    _log_in_as_staff(client)
    rounds = list(Round.objects.values_list("pk", flat=True))
    rng = random.Random(SEED)

    def timed(url):
        started = time.perf_counter()
        response = client.get(url)
        elapsed = time.perf_counter() - started
        assert response.status_code == 200, (url, response.status_code)
        return elapsed

    for pk in rounds[:5]:  # warm caches, connections and templates
        timed(f"/coordinator/rounds/{pk}/results/")
    timed("/programme/national/")
    page = [
        timed(f"/coordinator/rounds/{rng.choice(rounds)}/results/") for _ in range(PAGE_SAMPLES)
    ]
    dashboard = [timed("/programme/national/") for _ in range(DASHBOARD_SAMPLES)]
    return {
        "org_results_page_ms": {
            "p50": round(1000 * statistics.median(page), 1),
            "p95": round(1000 * percentile(page, 0.95), 1),
            "samples": len(page),
        },
        "national_dashboard_ms": {
            "p50": round(1000 * statistics.median(dashboard), 1),
            "p95": round(1000 * percentile(dashboard, 0.95), 1),
            "samples": len(dashboard),
        },
    }


def time_api() -> dict:
    import tracemalloc

    from django.core.cache import cache
    from django.db import connection
    from django.test import Client

    from api.limits import current_catalogue

    with connection.cursor() as cursor:  # the figures were written after the last ANALYZE
        cursor.execute("ANALYZE")
    client = Client()

    def measured(fetch):
        cache.clear()
        tracemalloc.start()
        started = time.perf_counter()
        size = fetch()
        elapsed = time.perf_counter() - started
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return {"seconds": round(elapsed, 2), "peak_mib": round(peak / 2**20, 1), **size}

    def bulk():
        response = client.get("/api/v1/bulk/figures.csv")
        lines = 0
        size = 0
        for chunk in response.streaming_content:
            lines += 1
            size += len(chunk)
        return {"rows": lines - 1, "mib": round(size / 2**20, 1)}

    _stamp, catalogue = current_catalogue()
    kpis = ",".join(list(catalogue.kpis)[:25])
    year = max(r.year for r in catalogue.served.values())

    def data_page():
        response = client.get(f"/api/v1/data/kpi/{kpis}/year/{year}?per_page=5000")
        assert response.status_code == 200, response.status_code
        body = response.json()
        return {"rows": len(body["values"]), "of": body["count"]}

    data_page()  # warm connections and imports
    return {"bulk_csv": measured(bulk), "data_page_5000": measured(data_page)}


_RESPONDENT_GOAL_SQL = """
SELECT round_id, unit_id, target_group_id, gender, COUNT(*) AS respondents, COUNT(score) AS rated,
       SUM(score) AS s, SUM(score * score) AS sq
FROM (
    SELECT round_id, goal_id AS unit_id, target_group_id, gender, response_id, AVG(value * 1.0) AS score
    FROM answers GROUP BY round_id, goal_id, target_group_id, gender, response_id
) per_respondent
GROUP BY round_id, unit_id, target_group_id, gender
"""


def time_duckdb() -> dict:
    """The goal-level aggregation in DuckDB over the same answer rows (exported once)."""
    import duckdb
    from django.db import connection

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "answers.csv"
        export_started = time.perf_counter()
        with connection.cursor() as cursor, open(path, "wb") as handle:
            copy_sql = """
                COPY (SELECT r.round_id, i.goal_id, l.target_group_id, r.gender, a.response_id, a.value
                      FROM assessments_answer a
                      JOIN assessments_response r ON r.id = a.response_id
                      JOIN assessments_roundlink l ON l.id = r.link_id
                      JOIN frameworks_item i ON i.id = a.item_id
                      WHERE r.submitted_on IS NOT NULL) TO STDOUT WITH CSV HEADER
            """
            with cursor.cursor.copy(copy_sql) as copy:
                for block in copy:
                    handle.write(block)
        export_seconds = time.perf_counter() - export_started
        db = duckdb.connect()
        db.execute(
            f"CREATE TABLE answers AS SELECT * FROM read_csv('{path}', header=true, "
            "columns={'round_id':'BIGINT','goal_id':'BIGINT','target_group_id':'BIGINT',"
            "'gender':'VARCHAR','response_id':'BIGINT','value':'INTEGER'})"
        )
        db.execute("UPDATE answers SET gender = '' WHERE gender IS NULL")
        runs = []
        for _ in range(3):
            started = time.perf_counter()
            rows = db.execute(_RESPONDENT_GOAL_SQL).fetchall()
            runs.append(time.perf_counter() - started)
    return {
        "seconds": round(min(runs), 3),
        "cells": len(rows),
        "export_seconds": round(export_seconds, 1),
    }


def time_postgres_goal_aggregation() -> dict:
    """The same goal-level query as DuckDB's, in PostgreSQL (SELECT only, no INSERT): from the
    respondents' scores per goal, as publication reads them (best of three), and from every
    answer, as publication did before the scores (once)."""
    from django.db import connection

    from results.publication import _X

    scores_sql = f"""
    SELECT round_id, unit_id, target_group_id, gender, COUNT(*), COUNT(x), SUM(x),
           SUM((x / 100000000) * (x / 100000000)), SUM(2 * (x / 100000000) * MOD(x, 100000000)),
           SUM(MOD(x, 100000000) * MOD(x, 100000000))
    FROM (SELECT s.round_id, s.unit_id, s.target_group_id, s.gender,
                 CASE WHEN s.rated > 0 THEN {_X}::bigint END AS x
          FROM assessments_responsescore s WHERE s.unit_kind = 'goal') per_respondent
    GROUP BY round_id, unit_id, target_group_id, gender
    """
    answers_sql = """
    SELECT round_id, unit_id, target_group_id, gender, COUNT(*), COUNT(score), SUM(score), SUM(score*score)
    FROM (SELECT r.round_id, i.goal_id AS unit_id, l.target_group_id, r.gender, r.id,
                 AVG(a.value * 1.0) AS score
          FROM assessments_answer a
          JOIN assessments_response r ON r.id = a.response_id
          JOIN assessments_roundlink l ON l.id = r.link_id
          JOIN frameworks_item i ON i.id = a.item_id
          WHERE r.submitted_on IS NOT NULL
          GROUP BY r.round_id, i.goal_id, l.target_group_id, r.gender, r.id) per_respondent
    GROUP BY round_id, unit_id, target_group_id, gender
    """

    def timed(sql, times):
        runs = []
        with connection.cursor() as cursor:
            cursor.execute("SET work_mem = '64MB'")  # as publication sets it
            for _ in range(times):
                started = time.perf_counter()
                cursor.execute(sql)
                cursor.fetchall()
                runs.append(time.perf_counter() - started)
            cursor.execute("RESET work_mem")
        return min(runs)

    return {"scores": timed(scores_sql, 3), "answers": timed(answers_sql, 1)}


def publication_only(dataset: dict):
    runs = []
    for _ in range(3):
        cpu: dict = {}
        seconds = time_full_recomputation(cpu)
        runs.append({"seconds": round(seconds, 2), "cpu_seconds": cpu})
        print(f"  full national publication: {seconds:.1f} s (CPU seconds: {cpu})", flush=True)
    out = ROOT / "bench" / "results" / f"publication-{RESPONSES}.json"
    result = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "load_average_after": os.getloadavg(),
        "dataset": {"organisations": 311, **dataset},
        "full_publication_runs": runs,
    }
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"written to {out.relative_to(ROOT)}")


def main():
    reset_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.conf import settings

    print(
        f"Building {RESPONSES:,} responses in {settings.DATABASES['default']['NAME']} …", flush=True
    )
    dataset = build_dataset()
    print(
        f"  {dataset['responses']:,} responses, {dataset['answers']:,} answers in {dataset['build_seconds']} s",
        flush=True,
    )
    print(f"  scores per unit: {dataset['scoring']}", flush=True)
    if ONLY_PUBLICATION:
        return publication_only(dataset)
    publication_cpu = {}
    recompute = time_full_recomputation(publication_cpu)
    print(
        f"  full national publication: {recompute:.1f} s (CPU seconds: {publication_cpu})",
        flush=True,
    )
    from django.db import connection

    with connection.cursor() as cursor:  # as autovacuum would soon: the pages' plans need it
        cursor.execute("ANALYZE")
    pages = time_pages()
    pg = time_postgres_goal_aggregation()
    pg_goal = pg["scores"]
    duck = time_duckdb()
    api = time_api()
    print(f"  API: {api}", flush=True)
    result = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "load_average_after": os.getloadavg(),
        },
        "database": "postgresql",
        "dataset": {"organisations": 311, **dataset},
        "full_recomputation_seconds": round(recompute, 2),
        "full_recomputation_cpu_seconds": publication_cpu,
        **pages,
        "goal_aggregation": {
            "postgresql_seconds": round(pg_goal, 3),
            "postgresql_over_answers_seconds": round(pg["answers"], 3),
            "duckdb_seconds": duck["seconds"],
            "postgresql_to_duckdb_ratio": round(pg_goal / duck["seconds"], 1)
            if duck["seconds"]
            else None,
            "cells": duck["cells"],
        },
        "api": api,
        "targets": {
            "org_results_page_p95_ms": 150,
            "national_dashboard_p95_ms": 1000,
            "full_recomputation_seconds": 9,
            "postgresql_to_duckdb_ratio": 3,
        },
    }
    out = ROOT / "bench" / "results" / "latest.json"
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    page, board, goal = (
        pages["org_results_page_ms"],
        pages["national_dashboard_ms"],
        result["goal_aggregation"],
    )
    rows = [
        ("org results page p50 / p95 (ms)", f"{page['p50']} / {page['p95']}", "p95 < 150"),
        ("national dashboard p50 / p95 (ms)", f"{board['p50']} / {board['p95']}", "p95 < 1000"),
        ("full national publication (s)", f"{recompute:.2f}", "<= 9"),
        (
            "goal aggregation PostgreSQL / DuckDB (s)",
            f"{pg_goal:.2f} / {duck['seconds']:.2f}",
            f"ratio {goal['postgresql_to_duckdb_ratio']} (<= 3)",
        ),
        ("  PostgreSQL over every answer (s)", f"{pg['answers']:.2f}", "before the scores"),
        (
            "scores at submit: ms p50 / p95",
            f"{dataset['scoring']['per_submit_ms_p50']} / {dataset['scoring']['per_submit_ms_p95']}",
            "",
        ),
        (
            "API bulk CSV: s / peak MiB / rows",
            f"{api['bulk_csv']['seconds']} / {api['bulk_csv']['peak_mib']} / {api['bulk_csv']['rows']}",
            "constant memory",
        ),
        (
            "API data page of 5000 rows: s / peak MiB",
            f"{api['data_page_5000']['seconds']} / {api['data_page_5000']['peak_mib']}",
            "",
        ),
    ]
    print()
    print(f"{'measure':44} {'value':>16}  target")
    for label, value, target in rows:
        print(f"{label:44} {value:>16}  {target}")
    print(f"\nwritten to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
