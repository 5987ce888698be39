"""Demo of the programme office's follow-up, on the demo's timeline (``demo.timeline``): the
programme's grants (2, 3 and 5 MSEK) moved to the three calendar years that end this year, the
report period and deadline moved with them, costs dated by the activities they paid for,
consultations with the partner agencies, reference shares of women, a manual selection
decision and report texts."""

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction

from learning.models import Case, WorkshopModule
from programme.defaults import PARTNERS, settings_from_facts
from programme.models import (
    Consultation,
    Cost,
    Grant,
    Partner,
    ReferenceShare,
    ReportSettings,
    SelectionOverride,
)
from programme.report import sections
from registry.models import Organisation
from webinars.models import Session

from .timeline import weekday_on_or_after
from .workshops import COUNTS

WORKSHOP_COST = 40000  # SEK per workshop


def costs(tl) -> list[tuple[str, date, str, str, str]]:
    """(activity, date, amount, status, note): spent when its day has come, else committed."""
    first, second, third = tl.grant_years
    rounds = tl.workshop_rounds()
    webinar_days = tl.past_webinar_days()
    rows = [
        ("administration", date(first, 10, 1), "450000.00", f"Programkontor hösten {first}"),
        ("tools", date(first, 11, 15), "1100000.00", "Självskattningsverktyget"),
        ("webinars", webinar_days[0], "180000.00", "Kick-off för förtroendevalda"),
        ("webinars", webinar_days[-1], "240000.00", "Webbinarier under nollmätningen"),
        (
            "workshops",
            rounds[0][1],
            f"{COUNTS[0] * WORKSHOP_COST}.00",
            f"Lokalt anpassade workshoppar, omgång 1: {COUNTS[0]} workshoppar",
        ),
        ("administration", date(second, 12, 31), "750000.00", f"Programkontor {second}"),
        (
            "workshops",
            rounds[1][1],
            f"{COUNTS[1] * WORKSHOP_COST}.00",
            f"Workshoppar, omgång 2: {COUNTS[1]} workshoppar",
        ),
        (
            "extended_support",
            # decided after the follow-up, paid from the last year's grant
            weekday_on_or_after(max(tl.follow_up_closes + timedelta(days=14), date(third, 1, 15))),
            "1400000.00",
            "Fördjupat stöd till utvalda",
        ),
        (
            "administration",
            date(third, 12, 31),
            "900000.00",
            f"Programkontor {third} och slutrapport",
        ),
    ]
    committed = {"extended_support"}
    return [
        (
            activity,
            day,
            amount,
            "committed" if activity in committed or day > tl.today else "spent",
            note,
        )
        for activity, day, amount, note in rows
    ]


def consultations(tl) -> list[tuple[str, date, str, str]]:
    start = tl.period_start
    return [
        (
            "digg",
            weekday_on_or_after(max(start, tl.kickoff - timedelta(days=80))),
            "Gemensamt upplägg för ledningens kompetens",
            "Digg medverkar i kick-off och i modulen om arkitektur.",
        ),
        (
            "socialstyrelsen",
            weekday_on_or_after(max(start, tl.kickoff - timedelta(days=30))),
            "Exempel från socialtjänsten",
            "Förslag på goda exempel till biblioteket.",
        ),
        (
            "msb",
            weekday_on_or_after(max(start, tl.baseline_opens - timedelta(days=10))),
            "Informationssäkerhet i ledningen",
            "MSB granskar modulen om informationssäkerhet.",
        ),
        (
            "skolverket",
            weekday_on_or_after(tl.work_starts + timedelta(days=10)),
            "Skolans digitalisering",
            "Dialog om exempel och ett webbinarium under våren.",
        ),
    ]


def report_facts(tl) -> ReportSettings:
    """The programme's facts (``programme.defaults``) with the demo's dates."""
    current = ReportSettings.objects.order_by("id").first() or settings_from_facts()
    current.period_start = tl.period_start
    current.period_end = tl.period_end
    current.deadline = tl.deadline
    current.kickoff = tl.past_webinar_days()[0]
    current.reference = "DEMO-0001"  # a made-up reference number for the demo
    return current


@transaction.atomic
def load_programme_demo(tl) -> bool:
    if Cost.objects.exists():
        return False
    for year, amount in tl.grants().items():
        Grant.objects.get_or_create(
            year=year,
            defaults={"amount": Decimal(amount), "note": f"Regeringsbeslut {tl.period_start}"},
        )
    for key, name, role in PARTNERS:
        Partner.objects.get_or_create(key=key, defaults={"name": name, "role": role})
    Cost.objects.bulk_create(
        Cost(activity=a, date=d, amount=Decimal(x), status=s, note=n) for a, d, x, s, n in costs(tl)
    )
    partners = {p.key: p for p in Partner.objects.all()}
    Consultation.objects.bulk_create(
        Consultation(partner=partners[k], date=d, topic=t, outcome=o)
        for k, d, t, o in consultations(tl)
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
    report_facts(tl).save()
    texts = {
        "summary": (
            "Kompetenslyftet har nått en majoritet av landets kommuner och regioner: "
            f"nollmätningen {tl.baseline_opens.year} och uppföljningen "
            f"{tl.follow_up_opens.year}, webbinarier från kick-offen den "
            f"{tl.past_webinar_days()[0]:%Y-%m-%d} och lokalt anpassade workshoppar mellan "
            "mätningarna. Rapporten bygger på programmets egna data (demo)."
        ),
        "priorities": (
            "Förtroendevalda prioriterades först; fördjupat stöd gick till organisationer med "
            "störst behov och spridning över landet."
        ),
        "gender": "Andelen kvinnor bland deltagarna följs mot andelen i respektive målgrupp.",
        "lessons": (
            "Digitala format gav större räckvidd. Organisationer som arbetade med ett mål i en "
            "workshop eller en handlingsplan förbättrade sig mer än andra på några av målen, "
            "inte på alla; jämförelsen är observationell och inget bevis för orsak."
        ),
    }
    for section in sections():
        section.body = texts.get(section.key, "")
        section.save()
    return True
