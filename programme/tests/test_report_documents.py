"""The report to the government as the government gets it: one description, written as a
tagged PDF and as a DOCX with the same headings and the same figures; a title page with sender,
recipient and reference; a table of contents; charts with their tables; targets beside the
outcome; the programme's effect. PDF margins and row breaks are checked on the rendered pages."""

import re
import shutil
import subprocess
from datetime import date, timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image
from pypdf import PdfReader

from assessments.models import Round
from frameworks.models import Goal
from learning.models import Participant, WorkshopRequest
from plans.tests.test_effect import organisation, plan_on
from programme import documents, report_document
from programme.defaults import load_defaults
from programme.models import Cost, ReferenceShare
from programme.report import gather, report_settings
from results.models import PublishedFigure, UnitKind

pytestmark = pytest.mark.django_db
DPI = 60


@pytest.fixture
def office(version):
    """Four organisations with published baselines and follow-ups (two worked on a goal),
    a held workshop, money spent, and the report's addressing filled in."""
    load_defaults()
    goal = Goal.objects.filter(area__version=version).order_by("id").first()
    worked = [
        organisation(c, version, goal, b, a) for c, b, a in (("0114", 2.0, 3.1), ("0115", 2.2, 3.0))
    ]
    organisation("0117", version, goal, 2.1, 2.3)
    organisation("0120", version, goal, 2.4, 2.5)
    _publish_area_means(goal.area, {"Baslinje": 2.2, "Uppföljning": 2.7})
    for org in worked:
        plan_on(org, goal)
    workshop = WorkshopRequest.objects.create(
        organisation=worked[0],
        format="half_day",
        status="held",
        wished_date_1=date.today(),
        scheduled_start=timezone.now() - timedelta(days=2),
    )
    Participant.objects.create(request=workshop, target_group="politician", gender="woman")
    ReferenceShare.objects.create(target_group="politician", share_women=Decimal("0.43"))
    Cost.objects.create(
        activity="workshops", date=date(2019, 11, 20), amount=Decimal("950000"), note="Omgång 1"
    )
    settings = report_settings()
    settings.period_end = date.today() + timedelta(days=1)
    settings.reference = "Fi2018/02871/DF"
    settings.save()
    return goal


def _publish_area_means(area, by_round_name):
    """The goal area's whole-round mean too, for the national results (as publication would)."""
    for round_ in Round.objects.filter(publication__isnull=False).select_related("publication"):
        mean, n = by_round_name[round_.name] + 0.1 * (round_.pk % 3), 5
        PublishedFigure.objects.create(
            publication=round_.publication,
            round=round_,
            unit_kind=UnitKind.AREA,
            unit_id=area.pk,
            status="shown",
            respondents=n,
            score_sum=mean * n,
            score_sq_sum=mean * mean * n + 1,
            count_1=0,
            count_2=0,
            count_3=n,
            count_4=0,
            count_5=0,
            count_dk=0,
        )


@pytest.fixture
def described(office):
    settings = report_settings()
    return report_document.describe(gather(settings.period_start, settings.period_end))


@pytest.fixture
def pdf(staff_client, office):
    response = staff_client.get(reverse("programme:report_pdf"))
    assert response.status_code == 200

    return response.content


@pytest.fixture
def docx(staff_client, office):
    from docx import Document

    response = staff_client.get(reverse("programme:report_docx"))
    assert response.status_code == 200
    return Document(BytesIO(response.content))


def _squeeze(text: str) -> str:
    """The text without white space, and without the hyphens of words the PDF hyphenated
    at a line's end (U+2010 where a soft hyphen broke the line)."""
    return re.sub(r"\s+", "", re.sub(r"[\u2010\u00ad]\s*\n", "", text)).replace("\u00ad", "")


def _pdf_pages(pdf: bytes, mode="-raw") -> list[str]:
    """Each page's text; ``-raw`` keeps the order the PDF draws it in (cell by cell)."""
    assert shutil.which("pdftotext"), "pdftotext (poppler-utils) is needed for the PDF tests"
    pages = []
    for number in range(1, len(PdfReader(BytesIO(pdf)).pages) + 1):
        out = subprocess.run(
            ["pdftotext", mode, "-f", str(number), "-l", str(number), "-", "-"],
            input=pdf,
            capture_output=True,
            check=True,
        )
        pages.append(out.stdout.decode())
    return pages


def _cells(table):
    rows = [table.header, *table.rows] + ([table.total] if table.total else [])
    return [list(row) for row in rows]


def test_the_description_holds_every_part_of_the_report(described):
    headings = [h.text for h in described.headings]
    for expected in (
        "Sammanfattning",
        _("The programme's targets and the outcome"),
        _("Reach"),
        _("Gender analysis"),
        _("National results: baseline and follow-up"),
        _("The effect of the programme"),
        _("Budget"),
    ):
        assert expected in headings, headings
    charts = [b for b in described.blocks if isinstance(b, report_document.Chart)]
    assert len(charts) == 4  # reach, gender, national results, budget
    assert all("<svg" in chart.svg and chart.table.rows for chart in charts)
    assert described.sender and described.recipient == "Regeringskansliet"
    assert described.reference == "Fi2018/02871/DF"
    targets = next(t for t in described.tables() if t.header[0] == _("Target"))
    reach_row = targets.rows[0]
    # half of all organisations; one of the four held a workshop (the others' figures were
    # published without responses in the period)
    assert reach_row[1] == "50\u00a0% (2 / 4)" and reach_row[2] == "25\u00a0% (1 / 4)"
    assert reach_row[3] == _("not met")


@pytest.fixture
def few_needed(settings):
    """This small scenario has a handful of organisations: a verdict from two a side."""
    settings.DIGILYFT_EFFECT_MIN_ORGANISATIONS = 2


def test_the_effect_is_the_effect_pages_and_says_what_it_is(few_needed, described, staff_client):
    effect_page = staff_client.get(reverse("plans:effect")).context["effects"]
    table = next(t for t in described.tables() if t.header[0] == _("Goal") and len(t.header) == 6)
    assert [row[0] for row in table.rows] == [e.name for e in effect_page]
    shown = effect_page[0]
    assert not shown.too_few
    assert table.rows[0][5].startswith(report_document.signed(shown.value))
    assert table.rows[0][5].endswith(shown.verdict.word)


def test_below_the_minimum_the_report_says_too_few(described):
    table = next(t for t in described.tables() if t.header[0] == _("Goal") and len(t.header) == 6)
    assert table.rows[0][5].startswith(_("too few to tell"))
    texts = " ".join(b.text for b in described.blocks if isinstance(b, report_document.Paragraph))
    assert _("This is an observational comparison, not proof of cause.") in texts


def test_too_few_organisations_is_said_plainly(version, staff_client):
    load_defaults()
    settings = report_settings()
    described = report_document.describe(gather(settings.period_start, settings.period_end))
    texts = " ".join(b.text for b in described.blocks if isinstance(b, report_document.Paragraph))
    assert (
        _(
            "Too few organisations to tell yet: no organisation has both a published baseline "
            "and a published follow-up round."
        )
        in texts
    )


def test_pdf_and_docx_have_the_same_headings_and_figures(described, pdf, docx):
    headings = [h.text for h in described.headings]
    docx_headings = [p.text for p in docx.paragraphs if p.style.name == "Heading 1"]
    assert docx_headings == [_("Contents"), *headings]
    pdf_text = _squeeze("".join(_pdf_pages(pdf)))
    for heading in headings:
        assert _squeeze(heading) in pdf_text, heading
    tables = described.tables()
    assert [[[c.text for c in row.cells] for row in t.rows] for t in docx.tables] == [
        _cells(t) for t in tables
    ]
    for table in tables:
        for row in _cells(table):
            for cell in row:
                assert _squeeze(cell) in pdf_text, cell


def test_the_pdf_is_tagged_with_its_language_and_title(pdf):
    reader = PdfReader(BytesIO(pdf))
    catalog = reader.trailer["/Root"]
    assert str(catalog["/Lang"]).startswith("sv")
    assert "/StructTreeRoot" in catalog and catalog["/MarkInfo"]["/Marked"]
    assert reader.metadata.title == report_settings().title
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"]


def test_the_pdf_has_a_title_page_and_contents_with_page_numbers(described, pdf):
    pages = _pdf_pages(pdf, mode="-layout")
    assert "Regeringskansliet" in pages[0] and "Fi2018/02871/DF" in pages[0]
    assert _("Contents") in pages[1]
    for heading in described.headings:
        # the contents line ends with the page the heading is on
        line = next(li for li in pages[1].splitlines() if heading.text[:20] in li)
        number = int(re.search(r"(\d+)\s*$", line).group(1))
        assert _squeeze(heading.text) in _squeeze(pages[number - 1]), heading.text


def test_no_table_row_is_split_across_pages(described, pdf):
    pages = [_squeeze(page) for page in _pdf_pages(pdf)]
    for table in described.tables():
        for row in table.rows:
            whole = _squeeze("".join(row))
            assert any(whole in page for page in pages), row


def test_nothing_runs_into_the_side_margins(pdf, tmp_path):
    assert shutil.which("pdftoppm"), "pdftoppm (poppler-utils) is needed for the PDF tests"
    (tmp_path / "report.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", str(DPI), "-gray", "-png", "report.pdf", "page"],
        cwd=tmp_path,
        check=True,
    )
    pages = [Image.open(p).convert("L") for p in sorted(tmp_path.glob("page-*.png"))]
    assert len(pages) >= 4
    px = DPI / 25.4
    margins = documents.MARGINS_MM
    side, top = int((margins["side"] - 1) * px), int(margins["top"] * px)
    for number, page in enumerate(pages, start=1):
        width, height = page.size
        for box in ((0, top, side, height - top), (width - side, top, width, height - top)):
            region = page.crop(box)
            ink = sum(n for n, v in region.getcolors(region.width * region.height) if v < 235)
            assert ink == 0, f"side margin, page {number}"


def test_the_docx_is_a4_swedish_titled_with_charts_described(docx, described):
    from docx.oxml.ns import qn
    from docx.shared import Mm

    section = docx.sections[0]

    def mm(length):
        return round(length / Mm(1))

    assert (mm(section.page_width), mm(section.page_height)) == (210, 297)
    assert mm(section.left_margin) == mm(section.right_margin) == documents.MARGINS_MM["side"]
    lang = docx.styles.element.find(qn("w:docDefaults")).find(".//" + qn("w:lang"))
    assert lang.get(qn("w:val")) == "sv-SE"
    assert docx.core_properties.title == described.title
    assert docx.core_properties.author == described.sender
    pictures = docx.inline_shapes
    assert len(pictures) == 4
    assert all(shape._inline.docPr.get("descr") for shape in pictures)
    first_page = "\n".join(p.text for p in docx.paragraphs[:8])
    assert "Regeringskansliet" in first_page and "Fi2018/02871/DF" in first_page


def test_the_report_page_previews_the_same_description(staff_client, described):
    html = staff_client.get(reverse("programme:report")).content.decode()
    for heading in described.headings:
        assert f">{heading.text}</h2>" in html.replace("&#x27;", "'")
