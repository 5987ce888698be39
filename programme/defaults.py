"""The programme's facts as the default configuration: the government grant per year, the
partner agencies, and the programme's dates, target and report addressing.

The dates, grants and target come from ``programme/data/programme.yaml`` (a copy of the
programme's reference data); ``load_defaults`` stores them, after which they are the office's
to change (report page, admin). Nothing else in the code knows a programme date or amount.
"""

from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path

import yaml
from django.db import transaction

from .models import Grant, Partner, ReportSettings

FACTS_FILE = Path(__file__).resolve().parent / "data" / "programme.yaml"
PARTNERS = [
    (
        "digg",
        "Myndigheten för digital förvaltning (Digg)",
        "Medskapare sedan myndigheten bildades 2018",
    ),
    ("pts", "Post- och telestyrelsen inkl. Digitaliseringsrådets kansli", "Konsulteras"),
    ("socialstyrelsen", "Socialstyrelsen", "Konsulteras"),
    ("ehm", "E-hälsomyndigheten", "Konsulteras"),
    ("msb", "Myndigheten för samhällsskydd och beredskap (MSB)", "Konsulteras"),
    ("skolverket", "Skolverket", "I dialog"),
]


@cache
def facts() -> dict:
    """The data file as read (YAML dates are ``date``s)."""
    return yaml.safe_load(FACTS_FILE.read_text(encoding="utf-8"))


def _date(value) -> date | None:
    if value in (None, ""):
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def grants() -> dict[int, Decimal]:
    return {int(y): Decimal(str(v)) for y, v in facts()["programme"]["funding_sek"].items()}


def settings_from_facts() -> ReportSettings:
    """The report settings as the data file has them (unsaved)."""
    programme, report = facts()["programme"], facts()["report"]
    return ReportSettings(
        title=report["title"],
        period_start=_date(programme["decided_by_government"]),
        period_end=_date(programme["period_end"]),
        deadline=_date(programme["final_report_due"]),
        kickoff=_date(programme.get("kickoff")),
        reach_target=Decimal(str(programme["expected_participation"])),
        sender=report.get("sender", ""),
        recipient=report.get("recipient", ""),
        reference=report.get("reference", ""),
    )


@transaction.atomic
def load_defaults() -> tuple[int, int]:
    decided = _date(facts()["programme"]["decided_by_government"])
    created = sum(
        Grant.objects.get_or_create(
            year=year, defaults={"amount": amount, "note": f"Regeringsbeslut {decided}"}
        )[1]
        for year, amount in grants().items()
    )
    partners = sum(
        Partner.objects.get_or_create(key=key, defaults={"name": name, "role": role})[1]
        for key, name, role in PARTNERS
    )
    if not ReportSettings.objects.exists():
        settings_from_facts().save()
    return created, partners
