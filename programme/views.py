"""The programme office's pages: budget, reach, the resident pulse, partners, selection, report
and audit log.
Every view needs staff rights; every change goes through an action that writes the audit log."""

from django.contrib import messages
from django.core.paginator import InvalidPage, Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from assessments.models import Round
from lib.access import staff_required
from results import anonymity

from . import (
    budget,
    corrections,
    counts,
    documents,
    exports,
    loop,
    pulse_picture,
    reach,
    report,
    report_document,
    selection,
)
from .forms import (
    ConsultationForm,
    CostForm,
    GrantForm,
    LoopFilterForm,
    OverrideForm,
    PulseFilterForm,
    ReportSettingsForm,
    RepublishForm,
    SectionForm,
    WeightsForm,
)
from .models import AuditEntry, Consultation, Cost, Partner, ReportSection, SelectionOverride
from .partners import log_consultation

AUDIT_PAGE_SIZE = 50
LOOP_PAGE_SIZE = 25


@require_safe
@staff_required
def overview(request):
    years = budget.by_year()
    settings = report.report_settings()
    return render(
        request,
        "programme/overview.html",
        {
            "years": years,
            "total": budget.total(years),
            # in the report period, as the reach page and the report count
            "reached": len(
                reach.reached_organisation_ids(settings.period_start, settings.period_end)
            ),
            "settings": settings,
            "loop": loop.national_counts(),
            "counts": counts.counts(),  # so far, as the loop
            "counties": loop.by_county(),
            "groups": loop.by_kommungrupp(),
            "stages": loop.STAGES,
        },
    )


@require_safe
@staff_required
def loop_page(request):
    """Every organisation's loop, filtered by county (?county=), municipality group (?group=)
    and a step reached (?stage=), LOOP_PAGE_SIZE to a page; an unknown code or page is a 400
    with a message."""
    form = LoopFilterForm(request.GET or None, stages=loop.STAGES)
    context = {"form": form, "stages": loop.STAGES}
    if form.is_bound and not form.is_valid():
        context["error"] = _("There is no county, municipality group or step with that code.")
        return render(request, "programme/loop.html", context, status=400)
    chosen = form.cleaned_data if form.is_bound else {}
    organisations = loop.organisations_queryset(
        county_code=chosen.get("county", ""),
        kommungrupp=chosen.get("group", ""),
        stage=chosen.get("stage", ""),
    )
    try:
        page = Paginator(organisations, LOOP_PAGE_SIZE).page(request.GET.get("page") or 1)
    except InvalidPage:
        context["error"] = _("There is no such page of the list.")
        return render(request, "programme/loop.html", context, status=400)
    context.update(
        page=page,
        rows=loop.rows(page.object_list),
        filtered=any(chosen.get(name) for name in ("county", "group", "stage")),
        heading=" · ".join(label for label in map(form.label_of, ("county", "group")) if label)
        if form.is_bound
        else "",
        stage_label=form.label_of("stage") if form.is_bound else "",
    )
    return render(request, "programme/loop.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@staff_required
def budget_page(request):
    cost_form = CostForm(request.POST if request.POST.get("form") == "cost" else None)
    grant_form = GrantForm(request.POST if request.POST.get("form") == "grant" else None)
    warning, status = None, 200
    if request.POST.get("form") == "cost":
        if cost_form.is_valid():
            data = cost_form.cleaned_data
            warning = budget.would_go_over(data["date"], data["amount"])
            if warning and not data["accept_overrun"]:
                status = 400
            else:
                budget.add_cost(
                    request.user, **{k: v for k, v in data.items() if k != "accept_overrun"}
                )
                messages.success(request, _("The cost was added."))
                return redirect("programme:budget")
        else:
            status = 400
    elif request.POST.get("form") == "grant":
        if grant_form.is_valid():
            budget.set_grant(request.user, **grant_form.cleaned_data)
            messages.success(request, _("The grant was saved."))
            return redirect("programme:budget")
        status = 400
    years = budget.by_year()
    return render(
        request,
        "programme/budget.html",
        {
            "years": years,
            "total": budget.total(years),
            "activities": budget.by_activity(),
            "costs": Cost.objects.select_related("created_by")[:200],
            "cost_form": cost_form,
            "grant_form": grant_form,
            "warning": warning,
        },
        status=status,
    )


@require_POST
@staff_required
def delete_cost(request, pk):
    cost = Cost.objects.filter(pk=pk).first()
    if cost is None:
        raise Http404(_("No such cost."))
    budget.delete_cost(request.user, cost)
    messages.success(request, _("The cost was removed; the audit log keeps what it was."))
    return redirect("programme:budget")


def _reach_period(request):
    """The report's period (so the page shows the report's figures), or all time
    (``?period=all``)."""
    if request.GET.get("period") == "all":
        return None, None
    settings = report.report_settings()
    return settings.period_start, settings.period_end


@require_safe
@staff_required
def reach_page(request):
    return render(request, "programme/reach.html", _reach_context(request))


def _reach_context(request) -> dict:
    start, end = _reach_period(request)
    reached = reach.reached_organisation_ids(start, end)
    cells = reach.participants(start, end)
    return {
        "start": start,
        "end": end,
        "all_time": start is None,
        "reached": len(reached),
        "counts": counts.counts(start, end),
        "by_kind": reach.organisations_by("kind", reached),
        "by_county": reach.organisations_by("county_name", reached),
        "by_group": reach.organisations_by("kommungrupp", reached),
        "gender": reach.gender_analysis(cells),
        "totals": reach.activity_totals(cells),
        "threshold": anonymity.threshold(),
    }


def _xlsx(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=exports.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


@require_safe
@staff_required
def reach_xlsx(request):
    return _xlsx(exports.reach_workbook(_reach_context(request)), "digilyft-rackvidd")


@require_safe
@staff_required
def budget_xlsx(request):
    years = budget.by_year()
    return _xlsx(
        exports.budget_workbook(
            years, budget.total(years), budget.by_activity(), Cost.objects.order_by("date", "id")
        ),
        "digilyft-budget",
    )


@require_safe
@staff_required
def selection_xlsx(request):
    rows = selection.select(selection.settings_row())
    return _xlsx(exports.selection_workbook(rows), "digilyft-urval")


def _pulse_context(request) -> tuple[dict, int]:
    """The resident pulse page's figures (``programme.pulse_picture``) for the filters chosen:
    a county (?county=), a municipality group (?group=) and the report period or all since
    the start (?period=all); an unknown value is a 400 with a message."""
    form = PulseFilterForm(request.GET or None)
    context = {
        "form": form,
        "minimum": pulse_picture.MIN_ORGANISATIONS,
        "self_selected": pulse_picture.SELF_SELECTED,
    }
    if form.is_bound and not form.is_valid():
        context["error"] = _("There is no county, municipality group or period with that code.")
        return context, 400
    chosen = form.cleaned_data if form.is_bound else {}
    start, end = _reach_period(request)  # ?period=all: all since the start
    labels = map(form.label_of, ("county", "group")) if form.is_bound else ()
    scope = " · ".join(label for label in labels if label)
    context.update(
        picture=pulse_picture.picture(
            start,
            end,
            county=chosen.get("county", ""),
            kommungrupp=chosen.get("group", ""),
            scope=scope,
        ),
        filtered=bool(chosen.get("county") or chosen.get("group")),
        all_time=start is None,
        query=request.GET.urlencode(),
    )
    return context, 200


@require_safe
@staff_required
def pulse_page(request):
    context, status = _pulse_context(request)
    return render(request, "programme/pulse.html", context, status=status)


@require_safe
@staff_required
def pulse_xlsx(request):
    context, status = _pulse_context(request)
    if status != 200:
        return render(request, "programme/pulse.html", context, status=status)
    return _xlsx(exports.pulse_workbook(context["picture"]), "digilyft-invanarpuls")


@require_http_methods(["GET", "HEAD", "POST"])
@staff_required
def partners_page(request):
    form = ConsultationForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            log_consultation(**form.cleaned_data)
            messages.success(request, _("The consultation was logged."))
            return redirect("programme:partners")
    partners = Partner.objects.prefetch_related("modules", "sessions", "cases")
    return render(
        request,
        "programme/partners.html",
        {
            "partners": partners,
            "consultations": Consultation.objects.select_related("partner")[:200],
            "form": form,
        },
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@staff_required
def selection_page(request):
    config = selection.settings_row()
    weights = WeightsForm(
        request.POST if request.POST.get("form") == "weights" else None,
        initial={
            "need_weight": config.need_weight,
            "engagement_weight": config.engagement_weight,
            "spread_weight": config.spread_weight,
            "places": config.places,
        },
    )
    override = OverrideForm(request.POST if request.POST.get("form") == "override" else None)
    status = 200
    if request.POST.get("form") == "weights":
        if weights.is_valid():
            selection.set_weights(request.user, **weights.cleaned_data)
            messages.success(request, _("The weights were saved."))
            return redirect("programme:selection")
        status = 400
    elif request.POST.get("form") == "override":
        if override.is_valid():
            data = override.cleaned_data
            selection.set_override(
                request.user, data["organisation"], data["include"], data["reason"]
            )
            messages.success(request, _("The decision and its reason were saved."))
            return redirect("programme:selection")
        status = 400
    return render(
        request,
        "programme/selection.html",
        {
            "rows": selection.select(config),
            "config": config,
            "weights": weights,
            "override": override,
            "overrides": SelectionOverride.objects.select_related("organisation", "by"),
        },
        status=status,
    )


@require_POST
@staff_required
def withdraw_override(request, pk):
    override = SelectionOverride.objects.filter(pk=pk, withdrawn=False).first()
    if override is None:
        raise Http404(_("No such decision."))
    selection.withdraw_override(request.user, override)
    messages.success(request, _("The manual decision was withdrawn; it stays in the log."))
    return redirect("programme:selection")


SETTINGS_FIELDS = (
    "title",
    "period_start",
    "period_end",
    "deadline",
    "sender",
    "recipient",
    "reference",
    "kickoff",
)


def _report_context():
    settings = report.report_settings()
    return report.gather(settings.period_start, settings.period_end)


def _report_document():
    return report_document.describe(_report_context())


@require_http_methods(["GET", "HEAD", "POST"])
@staff_required
def report_page(request):
    current = report.report_settings()
    form = ReportSettingsForm(
        request.POST if request.POST.get("form") == "settings" else None,
        initial={
            **{name: getattr(current, name) for name in SETTINGS_FIELDS},
            "reach_target": None if current.reach_target is None else 100 * current.reach_target,
        },
    )
    status = 200
    if request.POST.get("form") == "settings":
        if form.is_valid():
            report.save_settings(request.user, **form.cleaned_data)
            messages.success(request, _("Saved."))
            return redirect("programme:report")
        status = 400
    elif request.POST.get("form") == "section":
        section_id = request.POST.get("section", "")
        section = (
            ReportSection.objects.filter(pk=int(section_id)).first()
            if section_id.isascii() and section_id.isdigit() and len(section_id) < 10
            else None
        )
        section_form = SectionForm(request.POST)
        if section is None:
            raise Http404(_("No such section."))
        if section_form.is_valid():
            report.save_section(request.user, section, **section_form.cleaned_data)
            messages.success(request, _("Saved."))
            return redirect("programme:report")
        messages.error(request, _("A section needs a heading."))
        status = 400
    context = _report_context()
    context.update(
        {
            "document": report_document.describe(context),
            "form": form,
            "section_forms": [
                (s, SectionForm(initial={"title": s.title, "body": s.body}))
                for s in context["sections"]
            ],
        }
    )
    return render(request, "programme/report.html", context, status=status)


@require_safe
@staff_required
def report_pdf(request):
    content = documents.pdf(_report_document(), base_url=request.build_absolute_uri("/"))
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="digilyft-rapport.pdf"'
    return response


@require_safe
@staff_required
def report_docx(request):
    response = HttpResponse(
        documents.docx(_report_document()),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = 'attachment; filename="digilyft-rapport.docx"'
    return response


@require_safe
@staff_required
def audit_page(request):
    """Every entry, newest first, AUDIT_PAGE_SIZE to a page; a bad page number is a 400."""
    pages = Paginator(AuditEntry.objects.all(), AUDIT_PAGE_SIZE)
    try:
        page = pages.page(request.GET.get("page") or 1)
    except InvalidPage:
        return render(
            request,
            "programme/audit.html",
            {"error": _("There is no such page of the audit log.")},
            status=400,
        )
    return render(request, "programme/audit.html", {"page": page, "entries": page.object_list})


@require_http_methods(["GET", "HEAD", "POST"])
@staff_required
def republish_round(request, pk):
    """Staff correct a closed round's published results: an explicit, audited action."""
    round_ = Round.objects.select_related("organisation", "publication").filter(pk=pk).first()
    if round_ is None or not hasattr(round_, "publication"):
        raise Http404(_("No published round with that number."))
    form = RepublishForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            corrections.republish(request.user, round_, form.cleaned_data["reason"])
        except corrections.CorrectionRefused as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The results were republished; the audit log says why."))
            return redirect("results:round_results", pk=round_.pk)
    return render(
        request,
        "programme/republish.html",
        {"round": round_, "form": form},
        status=400 if form.errors else 200,
    )
