"""The main pages, rendered in Swedish, read as Swedish: a decimal comma in every number,
Swedish quotation marks (”…”), no Django "---------" as an empty choice and no brackets
inside brackets.

Text is checked as a reader sees it: tags, scripts, styles and the charts' hidden <desc>
coordinates are removed first. Needs the compiled Swedish catalogue (``make messages``)."""

import html
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessments.models import Round
from learning.models import WorkshopModule, WorkshopRequest
from learning.tests.factories import modules_for_every_goal
from results.tests.factories import link, make_round, publish, submit
from webinars.models import Speaker
from webinars.tests.factories import make_session

pytestmark = pytest.mark.django_db

ENGLISH_DECIMAL = re.compile(r"\d\.\d")
ENGLISH_QUOTES = re.compile("[“‘]")
NESTED_BRACKETS = re.compile(r"\([^()]*\([^()]*\)[^()]*\)")
# A space a line may break at, inside a number ("10 000") or between a number and its unit
# ("12 kr", "95 %"): Swedish numbers are grouped, and held to their unit, by spaces that never
# break (U+202F, U+00A0).
BREAKABLE_NUMBER = re.compile(r"\d[ \t\n]+(?:\d{3}\b|kr\b|%)")


# Tags that end a run of text: what stands on either side of them never shares a line.
BLOCK_TAG = re.compile(
    r"(?is)</?(?:td|th|tr|li|p|div|br|option|h\d|dt|dd|caption|section|ul|ol|table|form|"
    r"label|button|input|select|textarea|header|footer|nav|main|summary|details)\b[^>]*>"
)


def visible_text(body: str) -> str:
    """The text as drawn: inline tags vanish, block tags and cells become " | ", and only
    breaking white space is collapsed (no-break spaces, U+00A0 and U+202F, stay)."""
    body = re.sub(r"(?is)<(script|style|desc)\b.*?</\1>", " ", body)
    body = BLOCK_TAG.sub(" | ", body)
    body = re.sub(r"(?s)<[^>]+>", "", body)
    return re.sub(r"[ \t\r\n\f]+", " ", html.unescape(body)).strip()


def problems(body: str) -> list[str]:
    text = visible_text(body)
    found = [
        f"{label}: …{text[max(0, m.start() - 40) : m.end() + 20]}…"
        for label, pattern in (
            ("English decimal point", ENGLISH_DECIMAL),
            ("English quotation mark", ENGLISH_QUOTES),
            ("brackets in brackets", NESTED_BRACKETS),
        )
        for m in pattern.finditer(text)
    ]
    # A chart's SVG text is drawn where it is put and never wraps.
    wrapping = visible_text(re.sub(r"(?is)<svg\b.*?</svg>", " ", body))
    found += [
        f"a number a line can break: …{wrapping[max(0, m.start() - 40) : m.end() + 20]}…"
        for m in BREAKABLE_NUMBER.finditer(wrapping)
    ]
    # What a form field shows a person (not a hidden field, which is for the server).
    for field in re.finditer(r"<input\b[^>]*>", body):
        value = re.search(r'\bvalue="([^"]*)"', field[0])
        if value and 'type="hidden"' not in field[0] and ENGLISH_DECIMAL.search(value[1]):
            found.append(f"English decimal point in a field: {field[0]}")
    if "---------" in body:
        found.append('Django\'s "---------" as an empty choice')
    return found


def test_the_checks_catch_what_they_look_for():
    assert problems("<p>behov 0.66 (medelvärde 2.35)</p>")
    assert problems("<p>Välj “Vet inte”</p>")
    assert problems("<p>Anna (Myndigheten för digital förvaltning (Digg))</p>")
    assert problems('<select><option value="">---------</option></select>')
    assert problems('<input type="text" name="target" value="3.5">')
    assert not problems('<input type="hidden" name="version" value="1.2">')
    assert problems("<p>10 000 000,00 kr</p>")
    assert problems("<td>950\u202f000,00 kr</td>")
    assert problems("<p>svarade 40 %</p>")
    assert not problems("<p>behov 0,66 och ”Vet inte”</p><svg><desc>89.4</desc></svg>")
    assert not problems("<td>10\u202f000\u202f000,00\u00a0kr</td><td>40\u00a0%</td>")
    assert not problems("<tr><th>2026</th><td>950</td></tr>")
    assert not problems("<svg><text>0 %</text><text>25 %</text></svg>")
    assert not problems('<a href="https://www.example.se/v1.2/">länk</a> 2026-12-02 09:00')


@pytest.fixture
def published(org_a, org_b, version):
    """A published round for each of two organisations, and the modules for proposals."""
    rounds = []
    for org in (org_a, org_b):
        round_ = make_round(org, version, name=f"Nollmätning {org.name}")
        submit(link(round_, "politician"), 6, value=lambda i, item: 1 + (item.pk + i) % 5)
        submit(link(round_, "official"), 6, value=lambda i, item: 1 + (item.pk * 3 + i) % 5)
        rounds.append(publish(round_))
    modules_for_every_goal(version)
    return rounds


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def assert_swedish(client, url):
    result = client.get(url)
    assert result.status_code == 200, url
    assert result.headers.get("Content-Language", "sv") == "sv"
    found = problems(result.content.decode())
    assert not found, f"{url}:\n" + "\n".join(found)


def test_the_coordinators_pages_read_as_swedish(coordinator_a, published):
    client = as_user(coordinator_a)
    round_ = published[0]
    for url in (
        reverse("assessments:coordinator_home"),
        reverse("assessments:round_detail", args=[round_.pk]),
        reverse("results:round_results", args=[round_.pk]),
        reverse("learning:propose", args=[round_.pk]),
        reverse("assessments:round_create"),
        reverse("learning:propose_case"),
    ):
        assert_swedish(client, url)


def test_an_action_plan_and_its_documents_read_as_swedish(coordinator_a, published):
    from plans import actions

    plan = actions.plan_from_round(published[0], coordinator_a)
    goal = plan.goals.first()
    client = as_user(coordinator_a)
    client.post(reverse("plans:set_target", args=[plan.pk, goal.pk]), {f"g{goal.pk}-target": "3,5"})
    assert_swedish(client, reverse("plans:detail", args=[plan.pk]))
    for name in ("plans:pdf", "plans:docx"):
        assert_swedish_document(client, reverse(name, args=[plan.pk]))


def test_the_programme_offices_pages_read_as_swedish(staff_user, published):
    from django.core.management import call_command

    call_command("load_programme_defaults", verbosity=0)  # the grants: amounts in millions
    client = as_user(staff_user)
    for name in (
        "results:national",
        "programme:selection",
        "programme:budget",
        "programme:overview",
        "programme:reach",
        "programme:pulse",
        "programme:report",
    ):
        assert_swedish(client, reverse(name))


def test_a_workshop_reads_as_swedish(client_a, coordinator_a, published):
    round_ = published[0]
    client_a.post(
        reverse("learning:propose", args=[round_.pk]),
        {
            "format": "half_day",
            "modules": [m.pk for m in WorkshopModule.objects.all()[:2]],
            "wished_date_1": (timezone.localdate() + timedelta(days=30)).isoformat(),
            "expected_politicians": "8",
            "expected_officials": "4",
            "expected_key_persons": "0",
        },
    )
    workshop = WorkshopRequest.objects.get()
    assert_swedish(client_a, reverse("learning:workshop_detail", args=[workshop.pk]))


def test_the_respondents_pages_read_as_swedish(client, open_round):
    politician = open_round.links.get(target_group__key="politician")
    assert_swedish(client, reverse("assessments:respond_start", args=[politician.token]))
    client.post(reverse("assessments:respond_begin", args=[politician.token]))
    assert_swedish(client, reverse("assessments:respond_page", args=[politician.token, 1]))
    assert_swedish(client, reverse("assessments:respond_review", args=[politician.token]))
    Round.objects.filter(pk=open_round.pk).update(closed_early_at=timezone.now())
    result = client.get(reverse("assessments:respond_start", args=[politician.token]))
    assert result.status_code == 410 and not problems(result.content.decode())


def test_the_webinars_read_as_swedish(client, db):
    session = make_session()
    Speaker.objects.create(
        session=session, name="Anna Berg", affiliation="Myndigheten för digital förvaltning (Digg)"
    )
    Speaker.objects.create(session=session, name="Programkontoret", affiliation="Digilyft")
    assert_swedish(client, reverse("webinars:programme"))
    assert_swedish(client, reverse("webinars:register", args=[session.pk]))


# --- documents -------------------------------------------------------------------------------

# In a document's text, a line that ends inside a number: "10 000" / "000,00 kr", "95" / "%".
NUMBER_ACROSS_LINES = re.compile(r"\d[ \u00a0\u202f]*\n[ \t]*(?:\d{3}\b|kr\b|%)")


def document_text(response) -> str:
    """The text a reader sees in a PDF (line by line in the order it is drawn), a Word document, a
    workbook's text cells or a CSV file."""
    import subprocess
    from io import BytesIO

    kind = response["Content-Type"]
    content = response.content
    if "pdf" in kind:
        return subprocess.run(
            ["pdftotext", "-raw", "-", "-"], input=content, capture_output=True, check=True
        ).stdout.decode()
    if "wordprocessingml" in kind:
        from docx import Document

        document = Document(BytesIO(content))
        cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
        return "\n".join([p.text for p in document.paragraphs] + cells)
    if "spreadsheetml" in kind:
        from openpyxl import load_workbook

        book = load_workbook(BytesIO(content))
        return "\n".join(
            value
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if isinstance(value, str)
        )
    return content.decode("utf-8-sig")


def document_problems(text: str, drawn: bool = False) -> list[str]:
    """What reads as English or breaks a number. In a ``drawn`` document (a PDF, where the
    lines are already broken and the extracted text shows no-break spaces as spaces) only
    a number actually broken across lines counts; elsewhere also a space that could break."""
    patterns = [
        ("English decimal point", ENGLISH_DECIMAL),
        ("a number broken across lines", NUMBER_ACROSS_LINES),
    ]
    if not drawn:
        patterns.append(("a number a line can break", BREAKABLE_NUMBER))
    return [
        f"{label}: …{text[max(0, m.start() - 40) : m.end() + 20]}…"
        for label, pattern in patterns
        for m in pattern.finditer(text)
    ]


def test_the_document_checks_catch_what_they_look_for():
    assert document_problems("medelvärde 2.35")
    assert document_problems("Bidrag 10 000\n000,00 kr")
    assert document_problems("andel 95\n% intervall")
    assert document_problems("Bidrag 950 000,00 kr")
    assert not document_problems("Bidrag 950 000,00 kr", drawn=True)
    assert not document_problems("Bidrag 10\u202f000\u202f000,00\u00a0kr\nmedel 2,35\n2026-12-02")


def assert_swedish_document(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    found = document_problems(document_text(response), drawn="pdf" in response["Content-Type"])
    assert not found, f"{url}:\n" + "\n".join(found)


def test_the_coordinators_documents_read_as_swedish(coordinator_a, published):
    client = as_user(coordinator_a)
    round_ = published[0]
    for name in ("results:round_pdf", "results:round_xlsx"):
        assert_swedish_document(client, reverse(name, args=[round_.pk]))


def test_the_programme_offices_documents_read_as_swedish(staff_user, published):
    from django.core.management import call_command

    call_command("load_programme_defaults", verbosity=0)
    client = as_user(staff_user)
    for name in (
        "programme:report_pdf",
        "programme:report_docx",
        "programme:budget_xlsx",
        "programme:reach_xlsx",
        "results:national_xlsx",
        "results:national_csv",
    ):
        assert_swedish_document(client, reverse(name))
