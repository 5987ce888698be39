"""Demo of the programme office's follow-up: costs against the grants, consultations with the
partner agencies, reference shares of women, a manual selection decision and report texts."""

from datetime import date
from decimal import Decimal

from django.db import transaction

from learning.models import Case, WorkshopModule
from programme.defaults import load_defaults
from programme.models import (
    Consultation,
    Cost,
    Partner,
    ReferenceShare,
    SelectionOverride,
)
from programme.report import report_settings, sections
from registry.models import Organisation
from webinars.models import Session

COSTS = [
    ("administration", date(2018, 10, 1), "450000.00", "spent", "Programkontor hösten 2018"),
    ("tools", date(2018, 11, 15), "1200000.00", "spent", "Självskattningsverktyget"),
    ("webinars", date(2019, 5, 6), "180000.00", "spent", "Kick-off för förtroendevalda"),
    ("webinars", date(2019, 9, 16), "240000.00", "spent", "Höstens webbinarier"),
    (
        "workshops",
        date(2019, 12, 13),
        "950000.00",
        "spent",
        "Lokalt anpassade workshoppar, omgång 1: 18 workshoppar hösten 2019",
    ),
    ("administration", date(2019, 12, 31), "820000.00", "spent", "Programkontor 2019"),
    (
        "workshops",
        date(2020, 3, 27),
        "1850000.00",
        "spent",
        "Workshoppar, omgång 2: 24 workshoppar våren 2020 (digitalt)",
    ),
    (
        "extended_support",
        date(2020, 6, 1),
        "1400000.00",
        "committed",
        "Fördjupat stöd till utvalda",
    ),
    (
        "administration",
        date(2020, 12, 31),
        "900000.00",
        "committed",
        "Programkontor 2020 och slutrapport",
    ),
]
CONSULTATIONS = [
    (
        "digg",
        date(2019, 2, 12),
        "Gemensamt upplägg för ledningens kompetens",
        "Digg medverkar i kick-off och i modulen om arkitektur.",
    ),
    (
        "socialstyrelsen",
        date(2019, 4, 3),
        "Exempel från socialtjänsten",
        "Förslag på goda exempel till biblioteket.",
    ),
    (
        "msb",
        date(2019, 8, 22),
        "Informationssäkerhet i ledningen",
        "MSB granskar modulen om informationssäkerhet.",
    ),
    (
        "skolverket",
        date(2020, 1, 14),
        "Skolans digitalisering",
        "Dialog om exempel och webbinarium våren 2020.",
    ),
]


@transaction.atomic
def load_programme_demo() -> bool:
    load_defaults()
    if Cost.objects.exists():
        return False
    Cost.objects.bulk_create(
        Cost(activity=a, date=d, amount=Decimal(x), status=s, note=n) for a, d, x, s, n in COSTS
    )
    partners = {p.key: p for p in Partner.objects.all()}
    Consultation.objects.bulk_create(
        Consultation(partner=partners[k], date=d, topic=t, outcome=o)
        for k, d, t, o in CONSULTATIONS
    )
    digg = partners["digg"]
    digg.modules.set(
        WorkshopModule.objects.filter(goal_links__goal_key__startswith="arkitektur").distinct()[:2]
    )
    digg.sessions.set(Session.objects.order_by("starts_at")[:1])
    partners["socialstyrelsen"].cases.set(Case.objects.filter(welfare_area="social_services")[:2])
    for group, share, source in (
        ("politician", "0.4300", "Förtroendevalda i kommuner och regioner (demo)"),
        ("official", "0.5200", "Ledande tjänstepersoner (demo)"),
        ("key_person", "0.6000", "Andra nyckelpersoner (demo)"),
    ):
        ReferenceShare.objects.update_or_create(
            target_group=group, defaults={"share_women": Decimal(share), "source": source}
        )
    SelectionOverride.objects.create(
        organisation=Organisation.objects.get(code="2161"),
        include=True,
        reason="Landsbygdskommun som bett om stöd och saknar egen digitaliseringsfunktion.",
    )
    current = report_settings()  # the programme's own period: 2018-08-30 – 2020-12-31
    current.reference = "DEMO-2018/0001"  # a made-up reference number for the demo
    current.save()
    texts = {
        "summary": (
            "Kompetenslyftet har nått en majoritet av landets kommuner och regioner: "
            "självskattningen hösten 2019 och uppföljningen hösten 2020, webbinarier från "
            "kick-offen den 6 maj 2019 och lokalt anpassade workshoppar 2019–2020. "
            "Rapporten bygger på programmets egna data (demo)."
        ),
        "priorities": (
            "Förtroendevalda prioriterades först; fördjupat stöd gick till organisationer med "
            "störst behov och spridning över landet."
        ),
        "gender": "Andelen kvinnor bland deltagarna följs mot andelen i respektive målgrupp.",
        "lessons": (
            "Digitala format gav större räckvidd. Organisationer som arbetade med ett mål i en "
            "workshop förbättrade sig mer på det målet än andra, men jämförelsen är "
            "observationell och inget bevis för orsak."
        ),
    }
    for section in sections():
        section.body = texts.get(section.key, "")
        section.save()
    return True
