"""Action plans for an organisation's coordinator (and staff), and the programme's effect
page for the programme office."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from assessments.access import get_round_for
from learning.models import WorkshopRequest
from lib.access import coordinator_required, staff_required
from lib.replica import reads_published

from . import actions, documents, effect
from .forms import ActivityForm, StatusForm, TargetForm
from .models import ActionPlan, Activity, PlanEvent


def _own(queryset, user, field="organisation_id"):
    """Staff see all; a coordinator only their own organisation's; anyone else nothing."""
    if user.is_staff:
        return queryset
    coordinator = getattr(user, "coordinator", None)
    if coordinator is None:
        return queryset.none()
    return queryset.filter(**{field: coordinator.organisation_id})


def plans_for(user):
    return _own(ActionPlan.objects.select_related("organisation", "workshop", "round"), user)


def get_plan_for(user, pk) -> ActionPlan:
    plan = plans_for(user).filter(pk=pk).first()
    if plan is None:
        raise Http404(_("No such action plan."))
    return plan


def _workshop_for(user, pk) -> WorkshopRequest:
    workshop = _own(WorkshopRequest.objects.all(), user).filter(pk=pk).first()
    if workshop is None:
        raise Http404(_("No such workshop."))
    return workshop


@require_safe
@coordinator_required
def plan_list(request):
    workshops = _own(
        WorkshopRequest.objects.filter(status__in=actions.HELD).select_related("organisation"),
        request.user,
    ).exclude(plans__isnull=False)
    return render(
        request,
        "plans/plan_list.html",
        {"plans": plans_for(request.user), "workshops": workshops},
    )


@require_POST
@coordinator_required
def plan_from_workshop(request, pk):
    workshop = _workshop_for(request.user, pk)
    try:
        plan = actions.plan_from_workshop(workshop, request.user)
    except actions.PlanRejected as error:
        messages.error(request, error.message)
        return redirect("plans:list")
    return redirect("plans:detail", plan.pk)


@require_POST
@coordinator_required
def plan_from_round(request, pk):
    round_ = get_round_for(request.user, pk)
    try:
        plan = actions.plan_from_round(round_, request.user)
    except actions.PlanRejected as error:
        messages.error(request, error.message)
        return redirect("results:round_results", round_.pk)
    return redirect("plans:detail", plan.pk)


def _plan_context(plan, activity_form=None):
    goals = list(plan.goals.with_names())
    named = {goal.pk: goal for goal in goals}
    activities = list(plan.activities.all())
    by_goal = {goal.pk: [] for goal in goals}
    for activity in activities:
        activity.goal = named[activity.goal_id]  # with its name in the reader's language
        by_goal[activity.goal_id].append(activity)
    events = list(plan.events.select_related("activity", "by"))
    for event in events:
        if event.goal_id:
            event.goal = named[event.goal_id]
    suggestions = actions.suggestions([goal.goal_key for goal in goals])
    rows = [
        {
            "goal": goal,
            "activities": by_goal[goal.pk],
            "suggestions": suggestions[goal.goal_key],
            "target_form": TargetForm(
                initial={"target": goal.target},
                prefix=f"g{goal.pk}",
            ),
        }
        for goal in goals
    ]
    return {
        "plan": plan,
        "rows": rows,
        "activity_form": activity_form or ActivityForm(plan),
        "status_choices": Activity.Status.choices,
        "events": events,
        "event_kinds": PlanEvent.Kind,
    }


@require_safe
@coordinator_required
def plan_detail(request, pk):
    plan = get_plan_for(request.user, pk)
    return render(request, "plans/plan_detail.html", _plan_context(plan))


@require_POST
@coordinator_required
def set_target(request, pk, goal_pk):
    plan = get_plan_for(request.user, pk)
    goal = get_object_or_404(plan.goals, pk=goal_pk)
    form = TargetForm(request.POST, prefix=f"g{goal.pk}")
    try:
        if not form.is_valid():
            raise actions.PlanRejected(form.errors["target"][0])
        actions.set_target(goal, form.cleaned_data["target"], request.user)
    except actions.PlanRejected as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The target is saved."))
    return redirect("plans:detail", plan.pk)


@require_POST
@coordinator_required
def add_activity(request, pk):
    plan = get_plan_for(request.user, pk)
    form = ActivityForm(plan, request.POST)
    if not form.is_valid():
        context = _plan_context(plan, activity_form=form)
        return render(request, "plans/plan_detail.html", context, status=400)
    data = form.cleaned_data
    actions.add_activity(
        data["goal"],
        request.user,
        what=data["what"],
        responsible=data["responsible"],
        due_on=data["due_on"],
        note=data["note"],
    )
    messages.success(request, _("The activity is added."))
    return redirect("plans:detail", plan.pk)


@require_POST
@coordinator_required
def change_status(request, pk, activity_pk):
    plan = get_plan_for(request.user, pk)
    activity = get_object_or_404(plan.activities, pk=activity_pk)
    form = StatusForm(request.POST)
    try:
        if not form.is_valid():
            raise actions.PlanRejected(_("Choose one of the statuses in the list."))
        actions.change_status(
            activity, form.cleaned_data["status"], request.user, form.cleaned_data["note"]
        )
    except actions.PlanRejected as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The status is saved."))
    return redirect("plans:detail", plan.pk)


def _filename(plan, extension):
    return f"digilyft-handlingsplan-{slugify(plan.organisation.name)}-{plan.pk}.{extension}"


@require_safe
@coordinator_required
def plan_pdf(request, pk):
    plan = get_plan_for(request.user, pk)
    pdf = documents.pdf(_plan_context(plan), base_url=request.build_absolute_uri("/"))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename(plan, "pdf")}"'
    return response


@require_safe
@coordinator_required
def plan_docx(request, pk):
    plan = get_plan_for(request.user, pk)
    response = HttpResponse(
        documents.docx(_plan_context(plan)),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(plan, "docx")}"'
    return response


@require_safe
@reads_published
@staff_required
def effect_page(request):
    national = effect.national_effect()
    return render(
        request,
        "plans/effect.html",
        {
            "effects": national.goals,
            "organisations": national.organisations,
            "minimum": national.minimum,
        },
    )
