"""The report as PDF (WeasyPrint, from the same HTML as the preview) and as DOCX (python-docx)
that the office can edit. Both take the dictionary from ``report.gather``."""

from io import BytesIO

from django.template.defaultfilters import floatformat
from django.template.loader import render_to_string
from django.utils.translation import gettext as _


def sek(value) -> str:
    return f"{value:,.2f}".replace(",", " ").replace(".", ",") + " kr"


def pdf(context: dict, base_url: str) -> bytes:
    from weasyprint import HTML

    return HTML(
        string=render_to_string("programme/report_document.html", context), base_url=base_url
    ).write_pdf()


def _pct(value) -> str:
    return "–" if value is None else f"{floatformat(100 * value, 0)} %"


def _table(document, header, rows):
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = str(text)
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = str(text)
    return table


def docx(context: dict) -> bytes:
    from docx import Document

    document = Document()
    settings = context["settings"]
    document.add_heading(settings.title, level=0)
    document.add_paragraph(
        _("Period %(start)s – %(end)s. Generated %(when)s from Digilyft's live data.")
        % {
            "start": context["start"],
            "end": context["end"],
            "when": context["generated"].strftime("%Y-%m-%d %H:%M"),
        }
    )
    for section in context["sections"]:
        if section.key == "summary":
            document.add_heading(section.title, level=1)
            document.add_paragraph(section.body)
    a = context["activities"]
    document.add_heading(_("Activities"), level=1)
    _table(
        document,
        [_("Activity"), _("Number"), _("Participants")],
        [
            (_("Webinars"), a["webinars"], a["webinar_attendees"]),
            (_("Workshops held"), a["workshops"], a["workshop_participants"]),
            (_("Self-assessment rounds with responses"), a["rounds"], a["respondents"]),
        ],
    )
    document.add_heading(_("Reach"), level=1)
    document.add_paragraph(
        _("%(reached)s of %(total)s organisations reached by at least one activity.")
        % {"reached": context["reached"], "total": context["organisations"]}
    )
    _table(
        document,
        [_("Kind"), _("Reached"), _("Of all"), _("Share")],
        [(r.label, r.reached, r.total, _pct(r.share)) for r in context["reach_by_kind"]],
    )
    document.add_heading(_("Gender analysis"), level=1)
    _table(
        document,
        [
            _("Target group"),
            _("Women"),
            _("Men"),
            _("Other or not stated"),
            _("Share of women"),
            _("In the population"),
        ],
        [
            (g.label, "–", "–", "–", "–", _pct(g.reference))
            if g.hidden
            else (g.label, g.women, g.men, g.other, _pct(g.share_women), _pct(g.reference))
            for g in context["gender"]
        ],
    )
    document.add_heading(_("National results: baseline and follow-up"), level=1)
    rows = []
    for row in context["national"]:
        change = row.change if row.organisations > 1 else None
        rows.append(
            (
                row.area.name,
                str(row.organisations),
                _number(row.baseline),
                _number(row.follow_up),
                "" if change is None else _number(change.mean, signed=True),
                ""
                if change is None
                else f"{_number(change.low, signed=True)} – {_number(change.high, signed=True)}",
                _("too few organisations to tell")
                if change is None
                else (_("clear") if change.is_clear else _("within uncertainty")),
            )
        )
    _table(
        document,
        [
            _("Goal area"),
            _("Organisations"),
            _("Baseline"),
            _("Follow-up"),
            _("Change"),
            _("95% CI"),
            _("Against uncertainty"),
        ],
        rows,
    )
    document.add_heading(_("Budget"), level=1)
    years = context["budget_years"]
    _table(
        document,
        [_("Year"), _("Grant"), _("Spent"), _("Committed"), _("Remaining")],
        [(y.year, sek(y.grant), sek(y.spent), sek(y.committed), sek(y.remaining)) for y in years]
        + [
            (
                _("Total"),
                *(
                    sek(v)
                    for v in (
                        context["budget_total"].grant,
                        context["budget_total"].spent,
                        context["budget_total"].committed,
                        context["budget_total"].remaining,
                    )
                ),
            )
        ],
    )
    document.add_heading(_("Partners"), level=1)
    _table(
        document,
        [
            _("Partner"),
            _("Consultations in the period"),
            _("Modules"),
            _("Webinars"),
            _("Good examples"),
        ],
        [
            (p.name, p.n_consultations, p.n_modules, p.n_sessions, p.n_cases)
            for p in context["partners"]
        ],
    )
    for consultation in context["consultations"]:
        who = f"{consultation.date} {consultation.partner.name}"
        document.add_paragraph(
            f"{who}: {consultation.topic}. {consultation.outcome}", style="List Bullet"
        )
    for section in context["sections"]:
        if section.key != "summary":
            document.add_heading(section.title, level=1)
            document.add_paragraph(section.body)
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _number(value, signed=False) -> str:
    """One decimal with a decimal comma, as every figure in the report reads."""
    if value is None:
        return ""
    text = f"{value:+.1f}" if signed else f"{value:.1f}"
    return text.replace(".", ",").replace("-", "−")
