"""Results of one round, for its organisation's coordinator and for staff."""

from types import SimpleNamespace

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from assessments.access import coordinator_required, get_round_for, staff_required
from plans.progress import plan_progress

from . import charts
from .exports import build_workbook, render_pdf
from .figures import GENDER_BUCKETS, round_results
from .forms import NationalFilterForm
from .national import Filters, default_version, national_picture


def _context(round_, results=None):
    results = results or round_results(round_)
    goal_rows = {area.pk: results.goals_of(area) for area in (row.unit for row in results.areas)}
    series = [(_("Total"), lambda row: row.total)] + [
        (group.name, lambda row, pk=group.pk: row.by_group.get(pk)) for group in results.groups
    ]
    context = {
        "round": round_,
        "results": results,
        "areas": [row.unit for row in results.areas],
        "goal_rows": goal_rows,
        "genders": GENDER_BUCKETS,
        "steps": [1, 2, 3, 4, 5],
        "plan_progress": plan_progress(round_, results) if results.enough else [],
    }
    if results.published and results.enough:
        context["charts"] = {
            "areas": charts.means_by_group(results.areas, series),
            "distribution": charts.distribution(results.areas),
        }
    return context


@require_GET
@coordinator_required
def round_results_page(request, pk):
    round_ = get_round_for(request.user, pk)
    return render(request, "results/round_results.html", _context(round_))


def _published_results(round_):
    """The round's published results, or 404 for a download before they exist."""
    results = round_results(round_)
    if not (results.published and results.enough):
        raise Http404(_("These results are not published (yet), so there is nothing to download."))
    return results


def _filename(round_, extension):
    return f"digilyft-{slugify(round_.organisation.name)}-{slugify(round_.name)}.{extension}"


@require_GET
@coordinator_required
def round_results_pdf(request, pk):
    round_ = get_round_for(request.user, pk)
    context = _context(round_, _published_results(round_))
    pdf = render_pdf(context, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename(round_, "pdf")}"'
    return response


@require_GET
@coordinator_required
def round_results_xlsx(request, pk):
    round_ = get_round_for(request.user, pk)
    workbook = build_workbook(_published_results(round_))
    response = HttpResponse(
        workbook,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(round_, "xlsx")}"'
    return response


@require_GET
@staff_required
def national_dashboard(request):
    form = NationalFilterForm(request.GET or None)
    if request.GET and not form.is_valid():
        return render(request, "results/national.html", {"form": form}, status=400)
    data = form.cleaned_data if request.GET else {}
    version = data.get("version") or default_version()
    if version is None:
        return render(request, "results/national.html", {"form": form, "picture": None})
    filters = Filters(
        county=data.get("county", ""),
        kind=data.get("kind", ""),
        kommungrupp=data.get("kommungrupp", ""),
    )
    picture = national_picture(version, filters)
    chart_rows = [
        SimpleNamespace(unit=goal, total=picture.national[goal.pk]) for goal in picture.goals
    ]
    return render(
        request,
        "results/national.html",
        {
            "form": form,
            "picture": picture,
            "chart": charts.means_by_group(chart_rows, [(_("National"), lambda row: row.total)]),
        },
    )
