"""Demo workshops on the programme's own timeline: locally adapted workshops held from the
autumn of 2019 (after the baseline round) to the spring of 2020, each on two goals, with its
participants by target group and gender. Their costs are the demo budget's two workshop rounds
(``demo/programme.py``), which name the same numbers of workshops.

Deterministic (seeded). Returns {organisation id: goal keys worked on}, which the national
demo uses to let those goals improve a little more by the 2020 follow-up.
"""

import random
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from frameworks.models import Goal
from learning.models import (
    Participant,
    RequestedGoal,
    RequestedModule,
    StatusChange,
    WorkshopModule,
    WorkshopRequest,
)
from registry.models import Organisation

# (first day, last day, how many): the two rounds the demo budget pays for
ROUNDS = [(date(2019, 10, 21), date(2019, 12, 13), 18), (date(2020, 1, 20), date(2020, 3, 27), 24)]
GENDERS = ["woman", "woman", "man", "man", "woman", "man", "other", ""]
PLACES = ["Kommunhuset, sammanträdesrummet", "Regionens hus", "Digitalt (Teams)"]


def workshop_count() -> int:
    return sum(n for _first, _last, n in ROUNDS)


def _at(day, hour):
    return timezone.make_aware(datetime.combine(day, time(hour)))


def worked_goals() -> dict[int, set[str]]:
    worked = {}
    for org, key in RequestedGoal.objects.filter(
        request__status__in=[WorkshopRequest.Status.HELD, WorkshopRequest.Status.EVALUATED]
    ).values_list("request__organisation_id", "goal_key"):
        worked.setdefault(org, set()).add(key)
    return worked


@transaction.atomic
def load_workshop_demo(version, seed: int = 2019) -> dict[int, set[str]]:
    if WorkshopRequest.objects.filter(status=WorkshopRequest.Status.HELD).exists():
        return worked_goals()
    rng = random.Random(seed)
    organisations = rng.sample(list(Organisation.objects.order_by("code")), workshop_count())
    goals = [
        (goal.key, goal.name_sv, goal.area.key)
        for goal in Goal.objects.filter(area__version=version).select_related("area")
    ]
    modules = {}
    for module_id, goal_key in WorkshopModule.objects.filter(is_active=True).values_list(
        "pk", "goal_links__goal_key"
    ):
        modules.setdefault(goal_key, module_id)
    worked = {}
    index = 0
    for first, last, count in ROUNDS:
        span = (last - first).days
        for _n in range(count):
            org = organisations[index]
            index += 1
            day = first + timedelta(days=rng.randint(0, span))
            while day.weekday() >= 5:
                day += timedelta(days=1)
            picked = rng.sample(goals, 2)
            workshop = WorkshopRequest.objects.create(
                organisation=org,
                format=rng.choice(list(WorkshopRequest.Format.values)),
                status=WorkshopRequest.Status.HELD,
                wished_date_1=day,
                expected_politicians=rng.randint(3, 8),
                expected_officials=rng.randint(4, 10),
                expected_key_persons=rng.randint(2, 6),
                scheduled_start=_at(day, 9 if day.month in (10, 11) else 13),
                facilitator="Programkontoret",
                place=PLACES[0 if org.kind == Organisation.Kind.MUNICIPALITY else 1]
                if day.year == 2019
                else PLACES[2],
            )
            requested = day - timedelta(days=rng.randint(35, 60))
            WorkshopRequest.objects.filter(pk=workshop.pk).update(created_at=_at(requested, 10))
            for key, name, _area in picked:
                RequestedGoal.objects.create(
                    request=workshop,
                    goal_key=key,
                    goal_name=name,
                    reasons="Valt av organisationen utifrån nollmätningen 2019 (demo).",
                )
            for order, key in enumerate(k for k, _n, _a in picked if k in modules):
                RequestedModule.objects.get_or_create(
                    request=workshop, module_id=modules[key], defaults={"order": order}
                )
            for step, (before, after, when) in enumerate(
                [
                    ("", "requested", requested),
                    ("requested", "confirmed", requested + timedelta(days=7)),
                    ("confirmed", "held", day),
                ]
            ):
                change = StatusChange.objects.create(
                    request=workshop, from_status=before, to_status=after
                )
                StatusChange.objects.filter(pk=change.pk).update(at=_at(when, 10 + step))
            Participant.objects.bulk_create(
                Participant(request=workshop, target_group=group, gender=rng.choice(GENDERS))
                for group, expected in (
                    ("politician", workshop.expected_politicians),
                    ("official", workshop.expected_officials),
                    ("key_person", workshop.expected_key_persons),
                )
                for _p in range(max(1, expected - rng.randint(0, 2)))
            )
            worked[org.pk] = {key for key, _n, _a in picked}
    return worked
