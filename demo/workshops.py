"""Demo workshops between the national baseline and the follow-up (``demo.timeline``): two
rounds of locally adapted workshops, each on two goals the organisation is truly weak on,
with its participants by target group and gender. Their costs are the demo budget's two
workshop rounds (``demo/programme.py``), which name the same numbers of workshops.

Trelleborg holds one of them, in the first round, on two goals where work pays off.
Deterministic (seeded); returns {organisation id: goal keys worked on}.
"""

import random
from datetime import datetime, time, timedelta

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from assessments.models import Round
from frameworks.models import Goal
from learning.models import (
    Participant,
    RequestedGoal,
    RequestedModule,
    StatusChange,
    WorkshopModule,
    WorkshopRequest,
)
from plans.models import ActionPlan
from registry.models import Organisation

from .population import EFFECTIVE_GOALS, GAP_ORGANISATION, Member
from .timeline import workday_on_or_after

COUNTS = (18, 24)  # workshops in the first and the second round
GENDERS = ["woman", "woman", "man", "man", "woman", "man", "other", ""]
PLACES = ["Kommunhuset, sammanträdesrummet", "Regionens hus", "Digitalt (Teams)"]


def workshop_count() -> int:
    return sum(COUNTS)


def at(day, hour, minute=0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def picks_for(member: Member, rng: random.Random, count: int) -> list[str]:
    """Goals an organisation chooses to work on: mostly its true weak goals."""
    others = [key for key in sorted(member.levels) if key not in member.weak]
    pool = list(member.weak)
    rng.shuffle(pool)
    rng.shuffle(others)
    if rng.random() < 0.3:  # sometimes a goal that is not among its weakest
        pool.insert(1, others.pop())
    return (pool + others)[:count]


def candidates(members: dict[int, Member]) -> list[Member]:
    """Organisations that took part in the baseline with enough respondents to plan from."""
    return [
        m
        for m in sorted(members.values(), key=lambda m: m.code)
        if m.takes_part[0] and sum(m.answered[0].values()) >= 5
    ]


@transaction.atomic
def load_workshop_demo(version, tl, members: dict[int, Member], seed: int = 2019):
    """The held workshops; returns {organisation id: goal keys}, or {} if they exist."""
    if WorkshopRequest.objects.filter(status=WorkshopRequest.Status.HELD).exists():
        return {}
    rng = random.Random(seed)
    pool = candidates(members)
    trelleborg = next(m for m in pool if m.code == GAP_ORGANISATION)
    chosen = [trelleborg] + rng.sample([m for m in pool if m is not trelleborg], sum(COUNTS) - 1)
    organisations = {o.pk: o for o in Organisation.objects.filter(pk__in=[m.pk for m in chosen])}
    names = dict(Goal.objects.filter(area__version=version).values_list("key", "name_sv"))
    modules = {}
    for module_id, goal_key in (
        WorkshopModule.objects.filter(is_active=True)
        .order_by("pk")
        .values_list("pk", "goal_links__goal_key")
    ):
        modules.setdefault(goal_key, module_id)
    worked = {}
    members_in_order = iter(chosen)
    for (first, last), count in zip(tl.workshop_rounds(), COUNTS, strict=True):
        span = (last - first).days
        for _n in range(count):
            member = next(members_in_order)
            org = organisations[member.pk]
            day = workday_on_or_after(first + timedelta(days=rng.randint(0, span)))
            if day > last:  # the round's last days were a break: the first workday before
                day = first
            if member.code == GAP_ORGANISATION:
                weak_first = sorted(EFFECTIVE_GOALS, key=lambda k: (k not in member.weak, k))
                picked = weak_first[:2]
            else:
                picked = picks_for(member, rng, 2)
            digital = rng.random() < 0.4
            workshop = WorkshopRequest.objects.create(
                organisation=org,
                format=rng.choice(list(WorkshopRequest.Format.values)),
                status=WorkshopRequest.Status.HELD,
                wished_date_1=day,
                expected_politicians=rng.randint(5, 9),
                expected_officials=rng.randint(5, 9),
                expected_key_persons=rng.randint(2, 5),
                scheduled_start=at(day, rng.choice([9, 13])),
                facilitator="Programkontoret",
                place=PLACES[2]
                if digital
                else PLACES[0 if org.kind == Organisation.Kind.MUNICIPALITY else 1],
            )
            requested = day - timedelta(days=rng.randint(35, 60))
            WorkshopRequest.objects.filter(pk=workshop.pk).update(created_at=at(requested, 10))
            RequestedGoal.objects.bulk_create(
                RequestedGoal(
                    request=workshop,
                    goal_key=key,
                    goal_name=names[key],
                    reasons=f"Valt av organisationen utifrån nollmätningen "
                    f"{tl.baseline_opens.year} (demo).",
                )
                for key in picked
            )
            module_ids = list(dict.fromkeys(modules[k] for k in picked if k in modules))
            RequestedModule.objects.bulk_create(
                RequestedModule(request=workshop, module_id=module_id, order=order)
                for order, module_id in enumerate(module_ids)
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
                StatusChange.objects.filter(pk=change.pk).update(at=at(when, 10 + step))
            Participant.objects.bulk_create(
                Participant(request=workshop, target_group=group, gender=rng.choice(GENDERS))
                for group, expected in (
                    ("politician", workshop.expected_politicians),
                    ("official", workshop.expected_officials),
                    ("key_person", workshop.expected_key_persons),
                )
                for _p in range(max(1, expected - rng.randint(0, 2)))
            )
            worked[member.pk] = set(picked)
    return worked


def attach_to_baselines(baseline_name: str) -> None:
    """Link the demo's held workshops and their plans to the baseline each was chosen from
    (one statement per model)."""
    baseline = Round.objects.filter(
        organisation_id=OuterRef("organisation_id"),
        name=baseline_name,
        kind=Round.Kind.BASELINE,
    ).values("pk")[:1]
    for model in (WorkshopRequest, ActionPlan):
        model.objects.filter(round__isnull=True).update(round_id=Subquery(baseline))
