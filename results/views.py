"""Results of one round, for its organisation's coordinator and for staff."""

from types import SimpleNamespace

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from assessments.access import get_round_for
from lib.access import coordinator_required, staff_required
from lib.replica import reads_published

from . import charts
from .brief import brief
from .exports import build_workbook, national_csv, national_workbook, render_pdf
from .figures import GENDER_BUCKETS, round_results
from .filters import OrganisationFilter
from .forms import OrganisationTableForm
from .national import (
    PAGE_SIZE,
    Filters,
    default_version,
    goals_by_area,
    national_picture,
    sort_keys,
    sorted_standings,
)


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
        "brief": brief(results),
    }
    if results.published and results.enough:
        context["charts"] = {
            "areas": charts.means_by_group(results.areas, series),
            "distribution": charts.distribution(results.areas),
        }
    return context


@require_safe
@reads_published
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


@require_safe
@reads_published
@coordinator_required
def round_results_pdf(request, pk):
    round_ = get_round_for(request.user, pk)
    context = _context(round_, _published_results(round_))
    pdf = render_pdf(context, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename(round_, "pdf")}"'
    return response


@require_safe
@reads_published
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


def _national_request(request):
    """The national picture the GET parameters ask for: (picture or None, filter form, error
    response or None). Bad parameters get the page back with their message and status 400."""
    filterset = OrganisationFilter(request.GET or None)
    form = filterset.form
    if request.GET and not filterset.is_valid():
        return None, form, render(request, "results/national.html", {"form": form}, status=400)
    data = form.cleaned_data if request.GET else {}
    version = data.get("version") or default_version()
    if version is None:
        return None, form, None
    filters = Filters(
        county=data.get("county", ""),
        kind=data.get("kind", ""),
        kommungrupp=data.get("kommungrupp", ""),
    )
    return national_picture(version, filters), form, None


@require_safe
@reads_published
@staff_required
def national_dashboard(request):
    picture, form, error = _national_request(request)
    if error:
        return error
    if picture is None:
        return render(request, "results/national.html", {"form": form, "picture": None})
    table = OrganisationTableForm(request.GET, sort_keys=sort_keys(picture.goals))
    if not table.is_valid():
        return render(
            request, "results/national.html", {"form": form, "table_form": table}, status=400
        )
    sort = table.cleaned_data["sort"] or "code"
    descending = table.cleaned_data["order"] == "desc"
    standings = Paginator(sorted_standings(picture, sort, descending), PAGE_SIZE)
    participation = Paginator(picture.participation, PAGE_SIZE)
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
            "areas": goals_by_area(picture.goals),
            "standings": standings.get_page(table.cleaned_data["page"] or 1),
            "participation": participation.get_page(table.cleaned_data["ppage"] or 1),
            "sort": sort,
            "descending": descending,
        },
    )


def _national_filename(extension):
    return f"digilyft-nationell-bild.{extension}"


@require_safe
@reads_published
@staff_required
def national_xlsx(request):
    picture, _form, error = _national_request(request)
    if error:
        return error
    if picture is None:
        raise Http404(_("No round has been run yet."))
    response = HttpResponse(
        national_workbook(picture),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{_national_filename("xlsx")}"'
    return response


@require_safe
@reads_published
@staff_required
def national_csv_download(request):
    picture, _form, error = _national_request(request)
    if error:
        return error
    if picture is None:
        raise Http404(_("No round has been run yet."))
    response = HttpResponse(national_csv(picture), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_national_filename("csv")}"'
    return response
