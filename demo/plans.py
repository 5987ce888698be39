"""Demo action plans, made after the national baseline: from most held workshops (on the
workshop's goals) and by other organisations on their own (on two or three weak goals). Each
goal gets an activity; most activities get under way, and many are done, before the follow-up
opens, which is what the effect page counts as work on the goal. Some stay planned.

Trelleborg's plan, from its workshop, also has a target level per goal and an activity planned
for the months ahead. Deterministic (seeded); returns {organisation id: goal keys worked on}.
"""

import random
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from frameworks.models import Goal
from learning.models import WorkshopRequest
from plans.models import ActionPlan, Activity, PlanEvent, PlanGoal

from .population import GAP_ORGANISATION, Member
from .timeline import workday_on_or_after
from .workshops import at, candidates, picks_for

PLANS_WITHOUT_WORKSHOP = 60
ACTIVITIES = {
    "ledning": [
        ("Besluta om mål och nyckeltal för digitaliseringen", "kommundirektör"),
        ("Utbildning för ledningsgruppen i digital styrning", "HR-chef"),
    ],
    "arkitektur": [
        ("Kartlägga verksamhetssystem och integrationer", "IT-chef"),
        ("Inför gemensam e-legitimation i e-tjänsterna", "IT-arkitekt"),
    ],
    "information": [
        ("Inventera informationsmängder och utse informationsägare", "arkivarie"),
        ("Publicera de första öppna datamängderna", "digitaliseringsstrateg"),
    ],
    "service": [
        ("Kartlägga en livshändelse tillsammans med invånare", "verksamhetsutvecklare"),
        ("Ta fram en e-tjänst för ansökan om försörjningsstöd", "socialchef"),
    ],
}


def _stamp(objects, moments) -> None:
    """Give created objects the moment they happened (``auto_now_add`` wrote "now")."""
    for obj, moment in zip(objects, moments, strict=True):
        obj.at = moment


@transaction.atomic
def load_plan_demo(tl, members: dict[int, Member], seed: int = 2020) -> dict[int, set[str]]:
    if ActionPlan.objects.exists():
        return {}
    rng = random.Random(seed)
    names = dict(Goal.objects.values_list("key", "name_sv"))
    coordinator = get_user_model().objects.filter(username="samordnare.trelleborg").first()
    worked: dict[int, set[str]] = {}
    events: list[tuple[PlanEvent, object]] = []
    held = list(
        WorkshopRequest.objects.filter(status=WorkshopRequest.Status.HELD)
        .order_by("organisation__code")
        .prefetch_related("goals")
    )
    with_workshop = {w.organisation_id for w in held}
    plans = []  # (organisation id, workshop or None, goal keys, created on)
    for workshop in held:
        trelleborg = members[workshop.organisation_id].code == GAP_ORGANISATION
        if trelleborg or rng.random() < 0.6:
            made = workday_on_or_after(
                workshop.scheduled_start.date() + timedelta(days=rng.randint(7, 21))
            )
            plans.append(
                (
                    workshop.organisation_id,
                    workshop,
                    [g.goal_key for g in workshop.goals.all()],
                    made,
                )
            )
    others = [m for m in candidates(members) if m.pk not in with_workshop]
    span = (tl.work_ends - tl.work_starts).days
    for member in rng.sample(others, PLANS_WITHOUT_WORKSHOP):
        made = workday_on_or_after(tl.work_starts + timedelta(days=rng.randint(0, span // 2)))
        plans.append((member.pk, None, picks_for(member, rng, rng.choice([2, 3])), made))
    for org, workshop, keys, made in plans:
        trelleborg = members[org].code == GAP_ORGANISATION
        by = coordinator if trelleborg else None
        plan = ActionPlan.objects.create(organisation_id=org, workshop=workshop, created_by=by)
        ActionPlan.objects.filter(pk=plan.pk).update(created_at=at(made, 14))
        events.append((PlanEvent(plan=plan, kind=PlanEvent.Kind.CREATED, by=by), at(made, 14)))
        for number, key in enumerate(keys):
            reasons = (
                f"Från workshoppen {workshop.scheduled_start.date():%Y-%m-%d}."
                if workshop
                else f"Ett av de svagaste målen i nollmätningen {tl.baseline_opens.year}."
            )
            goal = PlanGoal.objects.create(
                plan=plan, goal_key=key, goal_name=names[key], reasons=reasons
            )
            if trelleborg:
                goal.target = Decimal("3.5")
                goal.save(update_fields=["target"])
                events.append(
                    (
                        PlanEvent(
                            plan=plan, goal=goal, kind=PlanEvent.Kind.TARGET, to_value="3.5", by=by
                        ),
                        at(made, 14, 5),
                    )
                )
            what, responsible = ACTIVITIES[key.split("-")[0]][number % 2]
            steps = _steps(rng, tl, made, trelleborg and number == 0, trelleborg)
            activity = Activity.objects.create(
                plan=plan,
                goal=goal,
                what=what,
                responsible=responsible,
                due_on=made + timedelta(days=rng.choice([90, 120, 150])),
                status=steps[-1][0],
            )
            events.append(
                (
                    PlanEvent(
                        plan=plan,
                        activity=activity,
                        goal=goal,
                        kind=PlanEvent.Kind.ADDED,
                        to_value=Activity.Status.PLANNED,
                        by=by,
                    ),
                    at(made, 14, 10),
                )
            )
            before = Activity.Status.PLANNED
            for status, day in steps[1:]:
                events.append(
                    (
                        PlanEvent(
                            plan=plan,
                            activity=activity,
                            goal=goal,
                            kind=PlanEvent.Kind.STATUS,
                            from_value=before,
                            to_value=status,
                            by=by,
                        ),
                        at(day, 11),
                    )
                )
                before = status
                if tl.work_starts <= day <= tl.work_ends:
                    worked.setdefault(org, set()).add(key)
            if trelleborg and number == len(keys) - 1:
                Activity.objects.create(
                    plan=plan,
                    goal=goal,
                    what="Följa upp målen med ledningsgruppen efter uppföljningen",
                    responsible="digitaliseringsstrateg",
                    due_on=tl.today + timedelta(days=45),
                )
    created = PlanEvent.objects.bulk_create([event for event, _moment in events])
    _stamp(created, [moment for _event, moment in events])
    PlanEvent.objects.bulk_update(created, ["at"], batch_size=1000)
    return worked


def _steps(rng, tl, made, done, trelleborg) -> list[tuple[str, object]]:
    """[(status, day)]: planned on the plan's day, then maybe under way and done, each on a
    day before the load day. Only the days inside the window between the rounds count as
    work on the goal (``load_plan_demo``)."""
    steps = [(Activity.Status.PLANNED, made)]
    if not trelleborg and rng.random() < 0.25:
        return steps  # it stayed on paper
    started = workday_on_or_after(made + timedelta(days=rng.randint(14, 42)))
    if started >= tl.today:
        return steps
    steps.append((Activity.Status.UNDER_WAY, started))
    finished = workday_on_or_after(started + timedelta(days=rng.randint(30, 90)))
    if (done or (not trelleborg and rng.random() < 0.5)) and finished < tl.today:
        steps.append((Activity.Status.DONE, finished))
    return steps
