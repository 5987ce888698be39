"""One set of counts: every page and document gives the same number of organisations reached,
that took part, assessed and followed up, and each number equals the one recomputed here from
the database in plain SQL, independent of ``programme.counts``.

The fixture has the cases that made the pages disagree: an empty round (published with no
respondent), a round below the anonymity threshold, a follow-up with no respondents after an
assessed baseline (it must not count as followed up), and a baseline-only organisation."""

import re
from datetime import timedelta
from io import BytesIO

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from assessments.models import Response, Round
from conftest import make_org
from frameworks.models import FrameworkVersion
from learning.models import WorkshopRequest
from programme import documents, report, report_document
from programme.exports import reach_workbook
from programme.views import _reach_context
from results.models import Publication
from results.tests.factories import make_round
from webinars.models import Registration

K = 5  # the anonymity threshold (the default)
TODAY = timezone.localdate()
ALL_TIME = (TODAY - timedelta(days=3650), TODAY + timedelta(days=30))
RECENT = (TODAY - timedelta(days=30), TODAY + timedelta(days=30))


def _round(org, version, kind, respondents, days_ago):
    """A closed round published with ``respondents`` who rated (None: not closed yet)."""
    round_ = make_round(org, version, kind=kind, days_ago=days_ago)
    closes = TODAY - timedelta(days=days_ago - 30) if kind == "baseline" else TODAY
    Round.objects.filter(pk=round_.pk).update(closes_on=closes)
    if respondents is not None:
        Publication.objects.create(round=round_, published_on=closes, respondents=respondents)
    return round_


def _submitted(round_, on):
    link = round_.links.first()
    Response.objects.create(link=link, round=round_, submitted_on=on, secret=None)


@pytest.fixture
def programme(version, settings):
    settings.DIGILYFT_ANONYMITY_THRESHOLD = K
    both = make_org("0101", "Följd upp")
    base = _round(both, version, "baseline", 7, 400)
    _submitted(base, TODAY - timedelta(days=390))
    _submitted(_round(both, version, "follow_up", 6, 10), TODAY - timedelta(days=5))
    stockholm = make_org("0180", "Region Stockholm", kind="region", county_code="01")
    _round(stockholm, version, "baseline", 9, 400)
    _round(stockholm, version, "follow_up", 0, 10)  # none in its follow-up
    small = make_org("0114", "Liten")
    _submitted(_round(small, version, "baseline", 3, 400), TODAY - timedelta(days=395))
    empty = make_org("0115", "Tom")
    _round(empty, version, "baseline", 0, 400)  # published with no respondent
    only = make_org("0117", "Bara baslinje")
    _round(only, version, "baseline", 5, 400)  # exactly the threshold: assessed
    open_ = make_org("0120", "Öppen")
    _submitted(_round(open_, version, "baseline", None, 3), TODAY)  # still open: not published
    webinar = make_org("0123", "Webbinarium")
    WorkshopRequest.objects.create(
        organisation=webinar,
        format="half_day",
        status=WorkshopRequest.Status.HELD,
        wished_date_1=TODAY - timedelta(days=20),
        scheduled_start=timezone.now() - timedelta(days=20),
    )
    make_org("0125", "Ingenting")
    return version


def _sql(query, params=()) -> int:
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchone()[0]


def _tables():
    return {
        "round": Round._meta.db_table,
        "publication": Publication._meta.db_table,
        "version": FrameworkVersion._meta.db_table,
        "response": Response._meta.db_table,
        "registration": Registration._meta.db_table,
        "workshop": WorkshopRequest._meta.db_table,
    }


def expected(start=None, end=None) -> dict:
    """Each count in plain SQL, from the definitions in docs/counts.md."""
    t = _tables()
    period = "AND r.opens_on BETWEEN %s AND %s" if start else ""
    dates = (start, end) if start else ()
    published = (
        f"SELECT COUNT(DISTINCT r.organisation_id) FROM {t['round']} r "
        f"JOIN {t['publication']} p ON p.round_id = r.id WHERE p.respondents >= %s {period}"
    )
    followed = f"""
        SELECT COUNT(DISTINCT r.organisation_id)
        FROM {t["round"]} r
        JOIN {t["publication"]} p ON p.round_id = r.id
        JOIN {t["version"]} v ON v.id = r.version_id
        WHERE r.kind = 'follow_up' AND p.respondents >= %s {period} AND EXISTS (
            SELECT 1 FROM {t["round"]} b
            JOIN {t["publication"]} pb ON pb.round_id = b.id
            JOIN {t["version"]} vb ON vb.id = b.version_id
            WHERE b.organisation_id = r.organisation_id AND b.kind = 'baseline'
              AND pb.respondents >= %s AND vb.framework_id = v.framework_id
              AND b.closes_on < r.opens_on)
    """
    # (the fixture's webinar-free, held workshop lies in every period tested)
    activity = "BETWEEN %s AND %s" if start else "IS NOT NULL"
    reached = f"""
        SELECT COUNT(*) FROM (
            SELECT r.organisation_id AS org FROM {t["response"]} s
            JOIN {t["round"]} r ON r.id = s.round_id WHERE s.submitted_on {activity}
            UNION
            SELECT organisation_id FROM {t["registration"]} WHERE attended = %s
            UNION
            SELECT organisation_id FROM {t["workshop"]}
            WHERE status IN ('held', 'evaluated') AND scheduled_start IS NOT NULL
        ) reached
    """
    return {
        "organisations": _sql("SELECT COUNT(*) FROM registry_organisation"),
        "reached": _sql(reached, (*dates, True)),
        "took_part": _sql(published, (1, *dates)),
        "assessed": _sql(published, (K, *dates)),
        "followed_up": _sql(followed, (K, *dates, K)),
    }


KEYS = ("reached", "took_part", "assessed", "followed_up")


def test_the_sql_sees_the_traps(programme):
    # reached: the four with a response (3) or a held workshop (1); took part: 4 (not the empty
    # one); assessed: 3 (not the small one); followed up: 1 (not Region Stockholm).
    assert expected() == {
        "organisations": 8,
        "reached": 4,
        "took_part": 4,
        "assessed": 3,
        "followed_up": 1,
    }


def _html_counts(page: str, table_id: str) -> dict:
    table = re.search(rf'<table[^>]*id="{table_id}".*?</table>', page, re.S).group(0)
    return {
        key: int(n)
        for key, n in re.findall(r'<tr data-count="(\w+)">.*?<td[^>]*>(\d+)</td>', table, re.S)
    }


def test_the_overview_and_the_loop_page(programme, staff_client):
    want = expected()
    page = staff_client.get(reverse("programme:overview"))
    assert _html_counts(page.content.decode(), "counts-so-far") == {k: want[k] for k in KEYS}
    loop = page.context["loop"]
    assert loop.counts["assessed"] == want["assessed"]
    assert loop.counts["followed_up"] == want["followed_up"]
    rows = staff_client.get(reverse("programme:loop")).context["rows"]
    assert sum(row.reached["assessed"] for row in rows) == want["assessed"]
    assert sum(row.reached["followed_up"] for row in rows) == want["followed_up"]
    stockholm = next(row for row in rows if row.organisation.code == "0180")
    assert stockholm.reached["assessed"] and not stockholm.reached["followed_up"]


def test_the_national_page_and_its_workbook(programme, staff_client):
    want = expected()
    page = staff_client.get(reverse("results:national"), {"version": programme.pk})
    picture = page.context["picture"]
    assert (picture.participating, picture.included) == (want["took_part"], want["assessed"])
    download = staff_client.get(reverse("results:national_xlsx"), {"version": programme.pk})
    workbook = load_workbook(BytesIO(download.content))
    sheet = workbook.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    column = header.index("Ingår i siffrorna")
    yes = sum(1 for row in sheet.iter_rows(min_row=2, values_only=True) if row[column] == "ja")
    assert yes == want["assessed"]


def test_the_effect_page(programme, staff_client):
    page = staff_client.get(reverse("plans:effect"))
    assert page.context["organisations"] == expected()["followed_up"]


@pytest.mark.parametrize("period", [ALL_TIME, RECENT])
def test_the_report_pdf_docx_and_the_reach_workbook(programme, period, rf, staff_user):
    want = expected(*period)
    described = report_document.describe(report.gather(*period))
    (table,) = [t for t in described.tables() if t.header[0] == "Antal"]
    assert [int(row[1]) for row in table.rows] == [want[k] for k in KEYS]
    assert {int(row[2]) for row in table.rows} == {want["organisations"]}
    effect = next(b.text for b in described.blocks if "följts upp" in getattr(b, "text", ""))
    assert effect.startswith(f"{want['followed_up']} ")
    from docx import Document

    docx = Document(BytesIO(documents.docx(described)))
    docx_rows = next(t for t in docx.tables if t.rows[0].cells[0].text == "Antal").rows[1:]
    assert [int(row.cells[1].text) for row in docx_rows] == [want[k] for k in KEYS]
    saved = report.report_settings()
    saved.period_start, saved.period_end = RECENT
    saved.save()
    request = rf.get("/", {} if period == RECENT else {"period": "all"})
    request.user = staff_user
    context = _reach_context(request)
    if period == ALL_TIME:
        want = expected()  # the reach page's "all time" has no period at all
    sheet = load_workbook(BytesIO(reach_workbook(context)))["Antal"]
    assert [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        want[k] for k in KEYS
    ]


def test_a_narrower_period_counts_the_rounds_opened_in_it(programme):
    recent = expected(*RECENT)
    assert (recent["assessed"], recent["followed_up"], recent["took_part"]) == (1, 1, 1)
