"""Every change to an action plan goes through here, and each one writes a ``PlanEvent``."""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from learning.models import Case, CaseGoal, ModuleGoal, WorkshopRequest
from lib.numbers import decimal
from results.figures import round_results

from .models import ActionPlan, Activity, PlanEvent, PlanGoal

HELD = (WorkshopRequest.Status.HELD, WorkshopRequest.Status.EVALUATED)


class PlanRejected(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


def _figure_reason(row) -> str:
    figure = row.total
    return _("Mean %(mean)s (95 %% interval %(low)s–%(high)s), %(n)s respondents.") % {
        "mean": decimal(figure.mean, 1),
        "low": decimal(figure.low, 1),
        "high": decimal(figure.high, 1),
        "n": figure.respondents,
    }


@transaction.atomic
def plan_from_workshop(workshop: WorkshopRequest, user) -> ActionPlan:
    """A plan on the workshop's picked goals, each with the figures that picked it. Making it
    twice gives the plan already made."""
    if workshop.status not in HELD:
        raise PlanRejected(_("An action plan is made after the workshop has been held."))
    existing = ActionPlan.objects.filter(workshop=workshop).first()
    if existing:
        return existing
    plan = ActionPlan.objects.create(
        organisation_id=workshop.organisation_id,
        workshop=workshop,
        round_id=workshop.round_id,
        created_by=user,
    )
    goals = {goal.goal_key: goal for goal in workshop.goals.all()}
    PlanGoal.objects.bulk_create(
        PlanGoal(plan=plan, goal_key=key, goal_name=goal.goal_name, reasons=goal.reasons)
        for key, goal in goals.items()
    )
    PlanEvent.objects.create(plan=plan, kind=PlanEvent.Kind.CREATED, by=user)
    return plan


@transaction.atomic
def plan_from_round(round_, user) -> ActionPlan:
    """A plan on the round's weakest published goals, each with its figure. Making it twice
    gives the plan already made."""
    existing = ActionPlan.objects.filter(round=round_, workshop__isnull=True).first()
    if existing:
        return existing
    results = round_results(round_)
    if not (results.published and results.enough):
        raise PlanRejected(_("An action plan is made from published results."))
    weakest = results.weakest
    if not weakest:
        raise PlanRejected(_("These results show no goal figures to plan from."))
    plan = ActionPlan.objects.create(
        organisation_id=round_.organisation_id, round=round_, created_by=user
    )
    PlanGoal.objects.bulk_create(
        PlanGoal(
            plan=plan,
            goal_key=row.unit.key,
            goal_name=row.unit.name_sv,
            reasons=_figure_reason(row),
        )
        for row in weakest
    )
    PlanEvent.objects.create(plan=plan, kind=PlanEvent.Kind.CREATED, by=user)
    return plan


def parse_target(text) -> Decimal:
    try:
        value = Decimal(str(text).strip().replace(",", "."))
    except InvalidOperation:
        raise PlanRejected(_("Give the target level as a number from 1 to 5.")) from None
    if not value.is_finite() or not Decimal("1") <= value <= Decimal("5"):
        raise PlanRejected(_("Give the target level as a number from 1 to 5."))
    if value != value.quantize(Decimal("0.1")):
        raise PlanRejected(_("Give the target level with at most one decimal."))
    return value.quantize(Decimal("0.1"))


@transaction.atomic
def set_target(goal: PlanGoal, text, user) -> PlanGoal:
    value = parse_target(text)
    locked = PlanGoal.objects.select_for_update().get(pk=goal.pk)
    before = "" if locked.target is None else str(locked.target)
    locked.target = value
    locked.save(update_fields=["target"])
    PlanEvent.objects.create(
        plan_id=locked.plan_id,
        goal=locked,
        kind=PlanEvent.Kind.TARGET,
        from_value=before,
        to_value=str(value),
        by=user,
    )
    return locked


@transaction.atomic
def add_activity(goal: PlanGoal, user, *, what, responsible, due_on, note="") -> Activity:
    activity = Activity.objects.create(
        plan_id=goal.plan_id,
        goal=goal,
        what=what,
        responsible=responsible,
        due_on=due_on,
        note=note,
    )
    PlanEvent.objects.create(
        plan_id=goal.plan_id,
        activity=activity,
        goal=goal,
        kind=PlanEvent.Kind.ADDED,
        to_value=activity.status,
        by=user,
    )
    return activity


@transaction.atomic
def change_status(activity: Activity, status: str, user, note="") -> Activity:
    if status not in Activity.Status.values:
        raise PlanRejected(_("Choose one of the statuses in the list."))
    locked = Activity.objects.select_for_update().get(pk=activity.pk)
    if locked.status == status and not note:
        raise PlanRejected(_("The activity already has that status."))
    before = locked.status
    locked.status = status
    if note:
        locked.note = note
    locked.save(update_fields=["status", "note"])
    PlanEvent.objects.create(
        plan_id=locked.plan_id,
        activity=locked,
        goal_id=locked.goal_id,
        kind=PlanEvent.Kind.STATUS,
        from_value=before,
        to_value=status,
        note=note,
        by=user,
    )
    return locked


def suggestions(goal_keys) -> dict:
    """{goal key: {"modules": [...], "cases": [...]}}: workshop modules in the catalogue and
    published library cases on each goal, in two queries. Computed, never stored."""
    found = {key: {"modules": [], "cases": []} for key in goal_keys}
    for link in ModuleGoal.objects.filter(
        goal_key__in=goal_keys, module__is_active=True
    ).select_related("module"):
        found[link.goal_key]["modules"].append(link.module)
    for link in CaseGoal.objects.filter(
        goal_key__in=goal_keys, case__status=Case.Status.PUBLISHED
    ).select_related("case"):
        found[link.goal_key]["cases"].append(link.case)
    return found
