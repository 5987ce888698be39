"""The report to the government as a tagged PDF (WeasyPrint) and as a DOCX the office can edit
(python-docx). Both lay out the same ``report_document.ReportDocument``, so their sections and
figures are the same; neither computes or formats a figure itself."""

from io import BytesIO

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from . import charts
from .report_document import Chart, Heading, Paragraph, ReportDocument, Table, sek  # noqa: F401

MARGINS_MM = {"top": 20, "bottom": 20, "side": 20}


def pdf(document: ReportDocument, base_url: str) -> bytes:
    """Tagged (PDF/UA-1): a structure tree, the language (``<html lang>``) and the title."""
    from weasyprint import HTML  # imported here: it loads Pango, which only exports need

    html = render_to_string(
        "programme/report_document.html", {"document": document, "margins": MARGINS_MM}
    )
    return HTML(string=html, base_url=base_url).write_pdf(pdf_variant="pdf/ua-1")


# DOCX


def _set_language(doc, tag: str):
    """The language of the text (spelling, screen readers) in the styles, and of the file."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    doc.core_properties.language = tag
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    run_properties = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = run_properties.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        run_properties.append(lang)
    for attribute in ("w:val", "w:eastAsia", "w:bidi"):
        lang.set(qn(attribute), tag)


def _a4(doc):
    from docx.shared import Mm

    for section in doc.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
        section.left_margin = section.right_margin = Mm(MARGINS_MM["side"])


def _mark_row(row, tag: str):
    """``tblHeader`` (repeat the heading row on each page) or ``cantSplit`` (keep a row on
    one page)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = row._tr.get_or_add_trPr()
    element = OxmlElement(f"w:{tag}")
    element.set(qn("w:val"), "true")
    properties.append(element)


def _cell(cell, text, numeric, bold=False):
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    cell.text = ""
    paragraph = cell.paragraphs[0]
    run = paragraph.add_run(text)
    run.bold = bold
    if numeric:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _table(doc, table: Table):
    caption = doc.add_paragraph(table.caption, style="Caption")
    caption.paragraph_format.keep_with_next = True
    grid = doc.add_table(rows=1, cols=len(table.header))
    grid.style = "Table Grid"
    _mark_row(grid.rows[0], "tblHeader")
    for cell, (text, numeric) in zip(grid.rows[0].cells, table.columns, strict=True):
        _cell(cell, text, numeric, bold=True)
    rows = [(row, False) for row in table.body]
    if table.footer:
        rows.append((table.footer, True))
    for values, bold in rows:
        row = grid.add_row()
        _mark_row(row, "cantSplit")
        for cell, (text, numeric, _heading) in zip(row.cells, values, strict=True):
            _cell(cell, text, numeric, bold=bold)
    doc.add_paragraph()


def _chart(doc, chart: Chart):
    from docx.shared import Mm

    title = doc.add_paragraph(chart.title, style="Caption")
    title.paragraph_format.keep_with_next = True
    picture = doc.add_paragraph()
    picture.paragraph_format.keep_with_next = True
    shape = picture.add_run().add_picture(
        BytesIO(charts.png(chart.svg)), width=Mm(210 - 2 * MARGINS_MM["side"])
    )
    properties = shape._inline.docPr
    properties.set("descr", chart.description)
    properties.set("title", chart.title)
    if chart.key:
        _key(doc, chart.key)
    _table(doc, chart.table)


def _key(doc, key):
    """The chart's key as text: a coloured square and the series' name."""
    from docx.shared import RGBColor

    line = doc.add_paragraph()
    line.paragraph_format.keep_with_next = True
    for label, colour in key:
        swatch = line.add_run("■ ")
        swatch.font.color.rgb = RGBColor.from_string(colour.lstrip("#").upper())
        line.add_run(f"{label}   ")


def _title_page(doc, document: ReportDocument):
    from docx.enum.text import WD_BREAK

    doc.add_paragraph(document.title, style="Title")
    for label, value in (
        (_("Sender"), document.sender),
        (_("Recipient"), document.recipient),
        (_("Reference number"), document.reference or "–"),
        (_("Date"), document.date),
        (_("Report period"), document.period),
    ):
        line = doc.add_paragraph()
        line.add_run(f"{label}: ").bold = True
        line.add_run(value)
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _contents(doc, document: ReportDocument):
    from docx.enum.text import WD_BREAK

    doc.add_heading(_("Contents"), level=1)
    for number, heading in enumerate(document.headings, start=1):
        doc.add_paragraph(f"{number}. {heading.text}")
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def docx(document: ReportDocument) -> bytes:
    from docx import Document
    from docx.shared import Pt

    doc = Document()
    _a4(doc)
    _set_language(doc, document.language)
    properties = doc.core_properties
    properties.title = document.title
    properties.author = document.sender
    properties.subject = _("Report to the government %(period)s") % {"period": document.period}
    _title_page(doc, document)
    _contents(doc, document)
    for block in document.blocks:
        if isinstance(block, Heading):
            doc.add_heading(block.text, level=1)
        elif isinstance(block, Paragraph):
            paragraph = doc.add_paragraph(block.text)
            if block.note:
                for run in paragraph.runs:
                    run.italic, run.font.size = True, Pt(9)
        elif isinstance(block, Chart):
            _chart(doc, block)
        elif isinstance(block, Table):
            _table(doc, block)
    buffer = BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
