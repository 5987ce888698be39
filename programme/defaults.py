"""The programme's facts as the default configuration: the government grant per year and the
partner agencies (from the programme's reference data)."""

from decimal import Decimal

from django.db import transaction

from .models import Grant, Partner

GRANTS = {2018: Decimal("2000000"), 2019: Decimal("3000000"), 2020: Decimal("5000000")}
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


@transaction.atomic
def load_defaults() -> tuple[int, int]:
    grants = sum(
        Grant.objects.get_or_create(
            year=year, defaults={"amount": amount, "note": "Regeringsbeslut 2018-08-30"}
        )[1]
        for year, amount in GRANTS.items()
    )
    partners = sum(
        Partner.objects.get_or_create(key=key, defaults={"name": name, "role": role})[1]
        for key, name, role in PARTNERS
    )
    return grants, partners
