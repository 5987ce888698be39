"""The expectation gap in the round's PDF and Excel workbook (issue 27: "on the organisation's
results page, in its PDF and in the workshop proposal"), and its reason in the workshop
request, traceable to the figures wherever the request goes.

The PDF and the workbook show what the page shows and nothing else: the same readings, the
same rounded shares and n, the same signed difference; no section at all when the round has no
published pulse beside it, or while the pulse's figures are not published."""

import re
import shutil
import subprocess
from io import BytesIO

import pytest
from django.core import mail
from django.urls import reverse
from openpyxl import load_workbook

from learning.models import WorkshopRequest
from learning.tests.factories import modules_for_every_goal
from learning.tests.test_workshop_requests import request_data
from learning.workshops import notify_office
from pulse.gap import expectation_gap
from pulse.pulses import store_answers
from results.exports import build_workbook
from results.figures import round_results

from .test_gap import _pulse_answered, _round

pytestmark = pytest.mark.django_db

HEADING_SV = "Förväntningsgapet: invånarna bredvid er"
SHEET_SV = "Förväntningsgap"


def _pdf_text(client, round_) -> str:
    """The PDF's text as a reader gets it, whitespace (and no-break spaces) made single."""
    assert shutil.which("pdftotext"), "pdftotext (poppler-utils) is needed for the PDF tests"
    response = client.get(reverse("results:round_pdf", args=[round_.pk]))
    assert response.status_code == 200
    out = subprocess.run(
        ["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True
    )
    return _words(out.stdout.decode())


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\xa0", " ").replace("\u202f", " "))


def _flat(text: str) -> str:
    """Without any whitespace: a sentence whichever way the PDF broke its lines."""
    return re.sub(r"\s+", "", text)


def _workbook(client, round_):
    response = client.get(reverse("results:round_xlsx", args=[round_.pk]))
    assert response.status_code == 200
    return load_workbook(BytesIO(response.content))


def _page(client, round_) -> str:
    page = client.get(reverse("results:round_results", args=[round_.pk])).content.decode()
    return _words(page)


@pytest.fixture
def published(org_a, version, pulse):
    """A round and, beside it, a published pulse whose residents disagree throughout."""
    round_ = _round(org_a, version)
    return round_, _pulse_answered(pulse, 30, 1)


def test_the_pdf_carries_the_pages_gap(client_a, published):
    round_, pulse = published
    gap = expectation_gap(pulse)
    text = _pdf_text(client_a, round_)
    page = _page(client_a, round_)
    assert HEADING_SV in text and HEADING_SV in page
    # which pulse and which round, the self-selected sample, the test: as the page words them
    for sentence in (gap.about, gap.sample_note, gap.test_note):
        assert _flat(sentence) in _flat(text)
    assert f"pulsen {pulse.opens_on:%Y-%m-%d}" in text and f"”{round_.name}”" in text
    assert "inget slumpmässigt urval" in text
    assert "Invånarna − ni" in text
    assert gap.shown_rows
    for row in gap.rows:
        assert _flat(row.reading) in _flat(text)
    for row in gap.shown_rows:
        for side in (row.residents, row.leaders):
            assert f"{side.percent} % (n={side.respondents})" in text
        assert f"{row.signed_points} · {row.verdict.word}" in text
    # the link to the pulse's page is for the screen
    assert "Invånarpulsens resultat" not in text


def test_the_workbook_carries_the_same_gap(client_a, published):
    round_, pulse = published
    gap = expectation_gap(pulse)
    sheet = _workbook(client_a, round_)[SHEET_SV]
    cells = [[cell.value for cell in row] for row in sheet.iter_rows()]
    firsts = [row[0] for row in cells]
    assert firsts[0] == HEADING_SV
    assert cells[1][:2] == ["Invånarpuls", gap.pulse_period]
    assert cells[2][:2] == ["Självskattning", round_.name]
    for sentence in (gap.about, gap.sample_note, gap.test_note):
        assert sentence in firsts
    assert all(row.reading in firsts for row in gap.rows)
    header = firsts.index("Mål")
    assert cells[header - 1][0] == "Andel som instämmer: invånarna och ni, per mål"
    assert cells[header][5] == "Invånarna − ni, procentenheter"
    table = {row[0]: row for row in cells[header + 1 :]}
    assert len(table) == len(gap.rows)
    for row in gap.shown_rows:
        values = table[str(row.goal.name)]
        # whole percent as the page rounds them, never the unrounded share behind the test
        assert values[1:6] == [
            row.residents.percent / 100,
            row.residents.respondents,
            row.leaders.percent / 100,
            row.leaders.respondents,
            row.points,
        ]
        assert values[6] == row.verdict.word
    formats = {
        cell.column: cell.number_format for cell in sheet[header + 2] if cell.value is not None
    }
    assert formats[2] == formats[4] == "0%"
    assert formats[6] == '+0;"\u2212"0;"±"0'  # −97 with a real minus, as the page prints it


def test_hidden_figures_stay_hidden_in_the_pdf_and_the_workbook(org_a, version, pulse, client_a):
    """Too few residents: every residents' figure is hidden, on the page, in the PDF and in the
    workbook; the leadership's own figures are shown as the page shows them, and no difference."""
    round_ = _round(org_a, version)
    pulse = _pulse_answered(pulse, 3, 1)  # under the threshold: every statement hidden
    gap = expectation_gap(pulse)
    assert gap.rows and not gap.shown_rows
    assert all(row.residents.hidden and row.leaders.shown for row in gap.rows)
    section = _words(_pdf_text(client_a, round_).split(HEADING_SV, 1)[1])
    page = _page(client_a, round_)
    for row in gap.rows:
        cells = f"dold {row.leaders.percent} % (n={row.leaders.respondents}) –"
        assert cells in section
        assert _words(row.reading) in page and _flat(row.reading) in _flat(section)
    # n= only beside the leadership's figures: nothing of the residents' hidden counts
    assert section.count("n=") == len(gap.rows)
    sheet = _workbook(client_a, round_)[SHEET_SV]
    cells = [[cell.value for cell in row] for row in sheet.iter_rows()]
    header = [row[0] for row in cells].index("Mål")
    table = {row[0]: row[1:7] for row in cells[header + 1 :]}
    assert table == {
        str(row.goal.name): [
            "dold",
            None,
            row.leaders.percent / 100,
            row.leaders.respondents,
            "–",
            None,
        ]
        for row in gap.rows
    }


def test_no_pulse_no_gap_in_the_pdf_or_the_workbook(org_a, version, client_a):
    round_ = _round(org_a, version)
    assert HEADING_SV not in _pdf_text(client_a, round_)
    assert SHEET_SV not in _workbook(client_a, round_).sheetnames


def test_an_unpublished_pulse_shows_nothing_in_the_pdf_or_the_workbook(
    org_a, version, pulse, client_a
):
    round_ = _round(org_a, version)
    answers = {s.pk: 1 for s in pulse.version.statements.all()}
    for _ in range(30):
        store_answers(pulse, answers, "", "")  # answered, still open: nothing published
    text = _pdf_text(client_a, round_)
    assert HEADING_SV not in text and "slumpmässigt urval" not in text
    assert SHEET_SV not in _workbook(client_a, round_).sheetnames
    assert 'id="expectation-gap"' not in _page(client_a, round_)


def test_a_round_with_too_few_respondents_has_no_gap_sheet(org_a, version, pulse):
    """While the round's own figures are not shown, the gap is not either (the page's rule)."""
    round_ = _round(org_a, version, per_group=1)
    _pulse_answered(pulse, 30, 1)
    results = round_results(round_)
    assert not results.enough
    workbook = load_workbook(BytesIO(build_workbook(results)))
    assert SHEET_SV not in workbook.sheetnames


def test_the_resident_gap_reason_goes_with_its_figures_into_the_request(
    client_a, org_a, version, pulse, staff_user
):
    round_ = _round(org_a, version)
    pulse = _pulse_answered(pulse, 30, 1)
    modules_for_every_goal(version)
    url = reverse("learning:propose", args=[round_.pk])
    proposal = client_a.get(url).context["proposal"]
    named = [(p.goal.key, r.text) for p in proposal.picks for r in p.reasons]
    key, text = next((key, text) for key, text in named if text.startswith("Invånarpulsen"))
    row = next(row for row in expectation_gap(pulse).rows if row.goal.key == key)
    # the figures of the gap's table on the results page: shares, n and the points
    assert f"{row.residents.percent} % av invånarna instämmer (n={row.residents.respondents})" in (
        text
    )
    assert f"{row.leaders.percent} % av era svar (n={row.leaders.respondents})" in text
    assert f"med {abs(row.points)} procentenheter" in text
    assert f"{row.signed_points}" in _page(client_a, round_)
    response = client_a.post(url, request_data(proposal.modules))
    assert response.status_code == 302
    workshop = WorkshopRequest.objects.get()
    stored = workshop.goals.get(goal_key=key).reasons
    assert text in stored.splitlines()
    detail = client_a.get(reverse("learning:workshop_detail", args=[workshop.pk]))
    assert text in _words(detail.content.decode())
    mail.outbox.clear()
    assert notify_office(workshop) == 1
    assert text in mail.outbox[-1].body
