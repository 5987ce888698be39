"""Workshops (coordinator and programme office), anonymous evaluation, and the library."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from assessments.access import get_round_for
from frameworks.groups import target_group_labels
from frameworks.models import FrameworkVersion, Goal
from lib.access import coordinator_required, staff_required
from lib.ratelimit import limit_per_address
from results.figures import round_results

from . import workshops
from .cases import propose_case as do_propose_case
from .filters import CaseFilter
from .forms import (
    CaseProposalForm,
    ConfirmForm,
    EvaluationForm,
    EvaluationLinksForm,
    ParticipantCountsForm,
    WorkshopRequestForm,
)
from .library import published_cases
from .models import Evaluation, Participant, WorkshopRequest
from .proposals import BUDGET, agenda, in_offered_order, propose

S = WorkshopRequest.Status


def _coordinator(request):
    coordinator = getattr(request.user, "coordinator", None)
    if coordinator is None:
        raise PermissionDenied(_("Only an organisation's coordinator can do this."))
    return coordinator


def workshops_for(user):
    requests = WorkshopRequest.objects.select_related("organisation")
    if user.is_staff:
        return requests
    coordinator = getattr(user, "coordinator", None)
    return (
        requests.filter(organisation_id=coordinator.organisation_id)
        if coordinator
        else requests.none()
    )


def get_workshop_for(user, pk) -> WorkshopRequest:
    workshop = workshops_for(user).filter(pk=pk).first()
    if workshop is None:
        raise Http404(_("No such workshop."))
    return workshop


# --- coordinator -------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
@coordinator_required
def propose_workshop(request, pk):
    round_ = get_round_for(request.user, pk)
    coordinator = _coordinator(request)
    if round_.organisation_id != coordinator.organisation_id:
        raise Http404(_("No such assessment round."))
    fmt = request.POST.get("format") or request.GET.get("format") or WorkshopRequest.Format.HALF_DAY
    if fmt not in BUDGET:
        fmt = WorkshopRequest.Format.HALF_DAY
    results = round_results(round_)
    proposal = propose(results, fmt)
    existing = workshops.open_request(round_.organisation)
    initial = {"format": fmt, "modules": [m.pk for m in proposal.modules]}
    form = WorkshopRequestForm(
        request.POST or None, initial=initial, budget=BUDGET, groups=proposal.groups
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                workshop = workshops.send_request(
                    organisation=round_.organisation,
                    round_=round_,
                    user=request.user,
                    # in the order the coordinator saw them, which the agenda keeps
                    module_ids=[m.pk for m in in_offered_order(data["modules"], proposal.groups)],
                    picks=proposal.picks,
                    format=data["format"],
                    wished_date_1=data["wished_date_1"],
                    wished_date_2=data["wished_date_2"],
                    expected_politicians=data["expected_politicians"],
                    expected_officials=data["expected_officials"],
                    expected_key_persons=data["expected_key_persons"],
                    message=data["message"],
                )
            except workshops.WorkshopRejected as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Your request was sent to the programme office."))
                return redirect("learning:workshop_detail", pk=workshop.pk)
        status = 400
    return render(
        request,
        "learning/propose.html",
        {
            "round": round_,
            "proposal": proposal,
            "form": form,
            "existing": existing,
            "budget": BUDGET[fmt],
        },
        status=status,
    )


@require_safe
@coordinator_required
def workshop_list(request):
    return render(
        request,
        "learning/workshop_list.html",
        {"workshops": workshops_for(request.user).annotate(n_participants=Count("participants"))},
    )


@require_safe
@coordinator_required
def workshop_detail(request, pk):
    return _detail(request, get_workshop_for(request.user, pk))


def _detail(request, workshop, *, confirm_form=None, participant_form=None, status=200):
    """The workshop's page; a form that was sent with an error comes back as it was typed."""
    modules = [rm.module for rm in workshop.modules.select_related("module")]
    labels = target_group_labels()
    participants = [
        {"target_group": labels.get(row["target_group"], row["target_group"]), "n": row["n"]}
        for row in Participant.objects.filter(request=workshop)
        .values("target_group")
        .annotate(n=Count("id"))
        .order_by("target_group")
    ]
    scheduled = workshop.scheduled_start
    start = timezone.localtime(scheduled).time() if scheduled else None
    if confirm_form is None and request.user.is_staff:
        confirm_form = ConfirmForm(instance=workshop)
    return render(
        request,
        "learning/workshop_detail.html",
        {
            "workshop": workshop,
            "agenda": agenda(modules, workshop.format, start),
            "goals": workshop.goals.all(),
            "participants": participants,
            "participant_form": participant_form or ParticipantCountsForm(),
            "history": workshop.history.select_related("by"),
            **_evaluation_context(workshop),
            "confirm_form": confirm_form,
        },
        status=status,
    )


def _evaluation_context(workshop) -> dict:
    if workshop.status not in (S.HELD, S.EVALUATED):
        return {"summary": None}
    return {
        "summary": workshops.evaluation_summary(workshop),
        "codes": workshops.code_counts(workshop),
        "links_form": _links_form(workshop) if workshops.can_make_codes(workshop) else None,
        "evaluation_open": workshops.evaluation_open(workshop),
    }


@require_POST
@coordinator_required
def add_participant(request, pk):
    """Participants as counts per target group and gender, all in one form, all or none."""
    workshop = get_workshop_for(request.user, pk)
    form = ParticipantCountsForm(request.POST)
    if not form.is_valid():
        return _detail(request, workshop, participant_form=form, status=400)
    try:
        registered = workshops.register_participant_counts(workshop, form.counts())
    except workshops.WorkshopRejected as exc:
        form.add_error(None, exc.message)
        return _detail(request, workshop, participant_form=form, status=400)
    messages.success(
        request,
        ngettext("%(n)s participant registered.", "%(n)s participants registered.", registered)
        % {"n": registered},
    )
    return redirect("learning:workshop_detail", pk=workshop.pk)


# --- programme office ---------------------------------------------------------------------


@require_POST
@staff_required
def workshop_move(request, pk, to_status):
    workshop = get_workshop_for(request.user, pk)
    if to_status not in S.values:
        raise Http404(_("No such step."))
    fields = {}
    if to_status == S.CONFIRMED:
        form = ConfirmForm(request.POST, instance=workshop)
        if not form.is_valid():
            workshop.refresh_from_db()  # the bound form must not change what the page shows
            return _detail(request, workshop, confirm_form=form, status=400)
        fields = {name: form.cleaned_data[name] for name in [*form.Meta.fields, "video_link"]}
    try:
        workshops.move(workshop, to_status, request.user, **fields)
    except workshops.WorkshopRejected as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Status changed; the coordinator has been emailed."))
    return redirect("learning:workshop_detail", pk=workshop.pk)


# --- the evaluation: single-use links for the coordinator, answers from participants ---------

FRESH_LINKS = "learning_fresh_evaluation_links"  # session key: links to show once
SPENT_HERE = "learning_spent_evaluation_codes"  # session key: codes this browser has spent


def _links_form(workshop, data=None):
    first = workshop.evaluation_closes_on is None
    initial = {"count": workshop.participants.count() or workshop.expected_total or 1}
    return EvaluationLinksForm(data, initial=initial if first else {"count": 1}, first=first)


def _show_once(request, workshop, codes):
    request.session[FRESH_LINKS] = {"workshop": workshop.pk, "codes": codes}
    return redirect("learning:evaluation_links", pk=workshop.pk)


@require_POST
@coordinator_required
def make_evaluation_links(request, pk):
    """Open the evaluation (the first time) or add links; they are shown once, to print."""
    workshop = get_workshop_for(request.user, pk)
    form = _links_form(workshop, request.POST)
    if not form.is_valid():
        for error in form.errors.values():
            messages.error(request, error.as_text())
        return redirect("learning:workshop_detail", pk=workshop.pk)
    try:
        codes = workshops.make_codes(
            workshop, form.cleaned_data["count"], form.cleaned_data.get("closes_on")
        )
    except workshops.WorkshopRejected as exc:
        messages.error(request, exc.message)
        return redirect("learning:workshop_detail", pk=workshop.pk)
    return _show_once(request, workshop, codes)


@require_POST
@coordinator_required
def replace_evaluation_links(request, pk):
    workshop = get_workshop_for(request.user, pk)
    try:
        codes = workshops.replace_unused_codes(workshop)
    except workshops.WorkshopRejected as exc:
        messages.error(request, exc.message)
        return redirect("learning:workshop_detail", pk=workshop.pk)
    return _show_once(request, workshop, codes)


@require_safe
@coordinator_required
def evaluation_links(request, pk):
    """The printable page of links just made. Only hashes are kept, so it shows them once."""
    workshop = get_workshop_for(request.user, pk)
    fresh = request.session.get(FRESH_LINKS) or {}
    codes = []
    if fresh.get("workshop") == workshop.pk:
        codes = fresh["codes"]
        del request.session[FRESH_LINKS]
    links = [
        {"url": request.build_absolute_uri(reverse("learning:evaluate", args=[code]))}
        for code in codes
    ]
    response = render(
        request,
        "learning/evaluation_links.html",
        {
            "workshop": workshop,
            "links": links,
            "counts": workshops.code_counts(workshop),
        },
    )
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@coordinator_required
def close_evaluation(request, pk):
    workshop = get_workshop_for(request.user, pk)
    try:
        workshops.close_evaluation(workshop)
    except workshops.WorkshopRejected as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The evaluation is closed."))
    return redirect("learning:workshop_detail", pk=workshop.pk)


def _spent_here(request, code) -> bool:
    return workshops.hash_code(code) in request.session.get(SPENT_HERE, [])


def _remember_spent(request, code):
    spent = request.session.get(SPENT_HERE, [])
    request.session[SPENT_HERE] = [*spent, workshops.hash_code(code)][-20:]


def _refused(request, exc, workshop=None):
    return render(
        request,
        "learning/evaluate_closed.html",
        {"workshop": workshop, "message": exc.message, "status": exc.status},
        status=exc.status,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@limit_per_address("workshop-evaluate", "DIGILYFT_EVALUATIONS_PER_HOUR")
def evaluate(request, token):
    """A participant's single-use link: the form, and one evaluation stored when it is sent."""
    if request.method == "POST" and _spent_here(request, token):
        return redirect("learning:evaluate_thanks", token=token)  # a replay: nothing more stored
    try:
        workshop = workshops.workshop_for_code(token)
    except workshops.EvaluationRefused as exc:
        return _refused(request, exc)
    form = EvaluationForm(request.POST or None)
    if request.method == "GET":
        return render(request, "learning/evaluate.html", {"workshop": workshop, "form": form})
    if not form.is_valid():
        return render(
            request, "learning/evaluate.html", {"workshop": workshop, "form": form}, status=400
        )
    answers = {name: form.cleaned_data[name] for name in Evaluation.QUESTIONS}
    if not workshops.submit_evaluation(workshop, token, answers):
        return _refused(request, workshops.used_link())
    _remember_spent(request, token)
    return redirect("learning:evaluate_thanks", token=token)


@require_safe
def evaluate_thanks(request, token):
    if not _spent_here(request, token):
        raise Http404(_("This evaluation link is not valid. Check the address."))
    return render(request, "learning/evaluate_thanks.html")


# --- the good-practice library -------------------------------------------------------------


def _library_goals():
    """Goals of the newest framework version, to filter and label cases by goal key."""
    version = FrameworkVersion.objects.order_by("-created_at", "-number").first()
    return list(Goal.objects.filter(area__version=version)) if version else []


@require_safe
def library(request):
    cases = CaseFilter(request.GET or None, goals=_library_goals())
    if cases.is_bound and not cases.is_valid():
        return render(
            request, "learning/library.html", {"form": cases.form, "cases": None}, status=400
        )
    return render(
        request,
        "learning/library.html",
        {
            "form": cases.form,
            "cases": list(cases.qs),
            "searched": cases.is_bound,
            "widened": cases.widened,
        },
    )


@require_safe
def case_detail(request, key):
    case = published_cases().filter(key=key).first()
    if case is None:
        raise Http404(_("No such case in the library."))
    keys = set(case.goal_links.values_list("goal_key", flat=True))
    return render(
        request,
        "learning/case_detail.html",
        {"case": case, "goals": [goal for goal in _library_goals() if goal.key in keys]},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@coordinator_required
def propose_case(request):
    coordinator = _coordinator(request)
    form = CaseProposalForm(request.POST or None, goals=_library_goals())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        do_propose_case(
            organisation=coordinator.organisation,
            user=request.user,
            fields={name: data[name] for name in CaseProposalForm.Meta.fields},
            goal_keys=data["goals"],
            link=data["link"],
        )
        messages.success(
            request,
            _("Thank you. The programme office will review the case before it is published."),
        )
        return redirect("learning:library")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "learning/propose_case.html",
        {"form": form, "organisation": coordinator.organisation},
        status=status,
    )
