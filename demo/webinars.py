"""Demo webinars (``demo.timeline``): the past kick-off series for politicians, from the
kick-off about four months before the national baseline, with registrations and attendance,
and an upcoming series for leading officials and key persons on Tuesdays and Thursdays from
next week on, 10:00–11:00. All on weekdays, in office hours."""

import random
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from registry.models import Organisation
from webinars.models import Registration, Series, Session, Speaker


def _at(day, hour, minute=0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


@transaction.atomic
def load_webinar_demo(tl, seed: int = 2019) -> bool:
    if Series.objects.exists():
        return False
    rng = random.Random(seed)
    organisations = list(Organisation.objects.order_by("code"))
    kickoff = Series.objects.create(
        title_sv="Digitalt ledarskap för förtroendevalda",
        title_en="Digital leadership for elected politicians",
        description_sv="Webbinarieserien som inledde kompetenslyftet, för den politiska ledningen.",
        description_en="The series that opened the competence lift, for political leadership.",
        target_groups=["politician"],
    )
    past_days = tl.past_webinar_days()
    titles = [
        (
            "Kick-off: varför digitaliseringen är en ledningsfråga",
            "Kick-off: why digitalisation is a leadership issue",
        ),
        ("Styra med data och följa upp nyttan", "Steering with data and following up benefits"),
        (
            "Juridik, säkerhet och ansvar i digitaliseringen",
            "Law, security and accountability in digitalisation",
        ),
    ]
    past_goals = [
        ["ledning-1", "ledning-2"],
        ["information-3", "ledning-4"],
        ["arkitektur-2", "arkitektur-4"],
    ]
    for day, (title_sv, title_en), goals in zip(past_days, titles, past_goals, strict=True):
        session = Session.objects.create(
            series=kickoff,
            goal_keys=goals,
            title_sv=title_sv,
            title_en=title_en,
            starts_at=_at(day, 13),
            ends_at=_at(day, 14, 30),
            recording_link="https://example.org/inspelningar/" + day.isoformat(),
        )
        Speaker.objects.create(session=session, name="Programkontoret", affiliation="Digilyft")
        if day == past_days[0]:
            Speaker.objects.create(
                session=session,
                name="Gästtalare",
                affiliation="Myndigheten för digital förvaltning (Digg)",
            )
        _past_registrations(session, organisations, rng)
    upcoming = Series.objects.create(
        title_sv="Från strategi till vardag: för tjänstepersoner och nyckelpersoner",
        title_en="From strategy to everyday work: for officials and key persons",
        description_sv="Fyra webbinarier om arkitektur, information och sammanhållen service.",
        description_en="Four webinars on architecture, information and joined-up services.",
        target_groups=["official", "key_person"],
    )
    upcoming_goals = [
        ["arkitektur-1", "arkitektur-3"],
        ["arkitektur-2"],
        ["information-2", "information-3"],
        ["service-1", "service-2"],
    ]
    for week, (day, (title_sv, title_en)) in enumerate(
        zip(
            tl.upcoming_webinar_days(),
            [
                ("Gemensam arkitektur i praktiken", "Shared architecture in practice"),
                (
                    "Informationssäkerhet som ledningsfråga",
                    "Information security as a management issue",
                ),
                ("Öppna data och datadriven verksamhet", "Open data and data-driven work"),
                ("Tjänster utifrån livshändelser", "Services built around life events"),
            ],
            strict=True,
        )
    ):
        session = Session.objects.create(
            series=upcoming,
            title_sv=title_sv,
            title_en=title_en,
            goal_keys=upcoming_goals[week],
            starts_at=_at(day, 10),
            ends_at=_at(day, 11),
            capacity=200,
            stream_link=f"https://video.example.org/digilyft-{week + 1}",
        )
    return True


def _past_registrations(session, organisations, rng):
    registrations = []
    for index in range(rng.randint(120, 220)):
        org = rng.choice(organisations)
        registrations.append(
            Registration(
                session=session,
                organisation=org,
                target_group="politician",
                gender=rng.choice(["woman", "woman", "man", "man", "other", ""]),
                status=Registration.Status.CONFIRMED,
                confirmed_at=session.starts_at - timedelta(days=3),
                attended=rng.random() < 0.75,
                attended_minutes=rng.randint(30, 90),
                erased_at=timezone.now(),  # old enough that personal data is already erased
                token=f"demo-{session.pk}-{index}",
            )
        )
    Registration.objects.bulk_create(registrations)
