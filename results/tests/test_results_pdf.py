"""The results PDF as a reader gets it: tagged (PDF/UA-1) with its language and title, and
every page's content inside the margins, checked on the rendered pages themselves."""

import shutil
import subprocess
from io import BytesIO

import pytest
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader

from .factories import link, make_round, publish, submit

pytestmark = pytest.mark.django_db

# The PDF's page margins (results/templates/results/round_results_pdf.html): 18 mm top and
# bottom, 15 mm left and right. The page number sits in the bottom margin, on purpose.
MARGIN_TOP_MM, MARGIN_SIDE_MM = 18, 15
DPI = 60


@pytest.fixture
def pdf(client_a, org_a, org_b, version):
    before = make_round(org_a, version, name="Nollmätning", days_ago=400)
    submit(link(before, "official"), 6, value=2)
    round_ = make_round(org_a, version, name="Uppföljning med ett långt namn på omgången")
    submit(link(round_, "politician"), 6, value=lambda i, item: 3 + i % 3, gender="woman")
    submit(link(round_, "official"), 7, value=lambda i, item: 1 + i % 4, gender="man")
    submit(link(round_, "key_person"), 6, value=5, gender="other")
    other = make_round(org_b, version, name="Jämförelse")
    submit(link(other, "official"), 9, value=3)
    for published in (before, other, round_):
        publish(published)
    response = client_a.get(reverse("results:round_pdf", args=[round_.pk]))
    assert response.status_code == 200
    return response.content


def test_the_pdf_is_tagged_with_its_language_and_title(pdf):
    reader = PdfReader(BytesIO(pdf))
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "sv"
    assert "/StructTreeRoot" in catalog
    assert catalog["/MarkInfo"]["/Marked"]
    assert "Uppföljning med ett långt namn på omgången" in reader.metadata.title
    assert "Trelleborg" in reader.metadata.title
    # PDF/UA asks the viewer to show the title rather than the file name
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"]


def _pages_as_images(pdf, tmp_path):
    assert shutil.which("pdftoppm"), "pdftoppm (poppler-utils) is needed for the PDF tests"
    (tmp_path / "results.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", str(DPI), "-gray", "-png", "results.pdf", "page"],
        cwd=tmp_path,
        check=True,
    )
    return [Image.open(path).convert("L") for path in sorted(tmp_path.glob("page-*.png"))]


def _ink_in(image, box):
    """Pixels in ``box`` that are not (nearly) white."""
    region = image.crop(box)
    return sum(
        count for count, value in region.getcolors(region.width * region.height) if value < 235
    )


def test_nothing_runs_into_the_side_margins(pdf, tmp_path):
    pages = _pages_as_images(pdf, tmp_path)
    assert len(pages) >= 3
    px = DPI / 25.4
    # a little short of the margin, so that anti-aliasing at the text block's edge is allowed
    side, top = int((MARGIN_SIDE_MM - 1) * px), int(MARGIN_TOP_MM * px)
    for number, page in enumerate(pages, start=1):
        width, height = page.size
        assert _ink_in(page, (0, top, side, height - top)) == 0, f"left margin, page {number}"
        assert _ink_in(page, (width - side, top, width, height - top)) == 0, (
            f"right margin, page {number}"
        )


def test_the_gap_tables_caption_shares_its_page_with_its_rows(pdf):
    assert shutil.which("pdftotext"), "pdftotext (poppler-utils) is needed for the PDF tests"
    reader = PdfReader(BytesIO(pdf))
    texts = []
    for number in range(1, len(reader.pages) + 1):
        out = subprocess.run(
            ["pdftotext", "-layout", "-f", str(number), "-l", str(number), "-", "-"],
            input=pdf,
            capture_output=True,
            check=True,
        )
        texts.append(out.stdout.decode())
    gap_pages = [i for i, text in enumerate(texts) if "Skillnad i synsätt per mål" in text]
    assert len(gap_pages) == 1
    page = texts[gap_pages[0]]
    after_caption = page.split("Skillnad i synsätt per mål", 1)[1]
    assert "Digitaliseringen är prioriterad" in after_caption
