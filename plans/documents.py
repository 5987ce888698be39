"""The action plan as a PDF (WeasyPrint) and as a DOCX the council can edit (python-docx),
both in the active language and on A4."""

from io import BytesIO

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

LANGUAGE_TAGS = {"sv": "sv-SE", "en": "en-GB"}


def language_tag() -> str:
    return LANGUAGE_TAGS.get((get_language() or "sv")[:2], "sv-SE")


def pdf(context: dict, base_url: str) -> bytes:
    from weasyprint import HTML  # imported here: it loads Pango, which only exports need

    html = render_to_string("plans/plan_pdf.html", context)
    return HTML(string=html, base_url=base_url).write_pdf()


def _set_language(document, tag: str):
    """The language of the text (spelling, screen readers) and of the document itself."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document.core_properties.language = tag
    defaults = document.styles.element.find(qn("w:docDefaults"))
    run_properties = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = run_properties.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        run_properties.append(lang)
    lang.set(qn("w:val"), tag)


def _a4(document):
    from docx.shared import Mm

    for section in document.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = Mm(20)


def docx(context: dict) -> bytes:
    from docx import Document

    plan = context["plan"]
    document = Document()
    _a4(document)
    _set_language(document, language_tag())
    document.add_heading(_("Action plan: %(org)s") % {"org": plan.organisation.name}, level=0)
    document.add_paragraph(
        _("Made %(made)s. Exported %(when)s.")
        % {
            "made": timezone.localtime(plan.created_at).strftime("%Y-%m-%d"),
            "when": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
        }
    )
    for row in context["rows"]:
        goal = row["goal"]
        document.add_heading(goal.name, level=1)
        if goal.target is not None:
            document.add_paragraph(
                _("Target level: %(target)s") % {"target": number_format(goal.target, 1)}
            )
        if goal.reasons:
            document.add_paragraph(goal.reasons)
        if not row["activities"]:
            document.add_paragraph(_("No activities yet."))
            continue
        table = document.add_table(rows=1, cols=5)
        table.style = "Table Grid"
        header = [_("What"), _("Responsible role"), _("By when"), _("Status"), _("Note")]
        for cell, text in zip(table.rows[0].cells, header, strict=True):
            cell.text = text
        for activity in row["activities"]:
            cells = table.add_row().cells
            values = [
                activity.what,
                activity.responsible,
                activity.due_on.isoformat(),
                str(activity.get_status_display()),
                activity.note,
            ]
            for cell, text in zip(cells, values, strict=True):
                cell.text = text
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()
