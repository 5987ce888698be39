"""The API's pages outside the generated part: the docs page and the bulk files."""

from django.http import JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import condition, require_safe

from . import bulk
from .catalogue import fingerprint
from .identifiers import MAX_IDS
from .v1 import MAX_PER_PAGE


def _etag(request, *args, **kwargs):
    return fingerprint().etag


def _last_modified(request, *args, **kwargs):
    return fingerprint().last_modified


@require_safe
def docs(request):
    base = request.build_absolute_uri("/api/v1/")
    examples = [
        (_("The indicators (KPIs)"), f"curl '{base}kpi'"),
        (_("Municipalities, regions and the whole country"), f"curl '{base}municipality'"),
        (_("Groups: kommungrupper and counties"), f"curl '{base}municipality_groups'"),
        (
            _("One goal in Trelleborg, the whole country and kommungrupp B3, in 2026"),
            f"curl '{base}data/kpi/DL1G12/municipality/1287,0000,GKB3/year/2026'",
        ),
        (
            _("Every goal area of version 1 in every organisation in 2026, 1000 rows a page"),
            f"curl '{base}data/kpi/DL1A1,DL1A2,DL1A3,DL1A4/year/2026?per_page=1000'",
        ),
        (
            _("Every published figure, as CSV, only if it changed since your last download"),
            f"curl -O -z figures.csv '{request.build_absolute_uri(reverse('api:bulk_csv'))}'",
        ),
    ]
    return render(
        request,
        "api/docs.html",
        {
            "examples": examples,
            "openapi_url": reverse("api_v1:openapi-json"),
            "licence": bulk.licence(),
            "max_ids": MAX_IDS,
            "max_per_page": MAX_PER_PAGE,
        },
    )


def _stream(chunks, content_type, filename):
    response = StreamingHttpResponse(chunks, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    info = bulk.licence()
    response["Link"] = f'<{info["licence_url"]}>; rel="license"'
    return response


@require_safe
@condition(etag_func=_etag, last_modified_func=_last_modified)
def bulk_csv(request):
    return _stream(bulk.csv_lines(), "text/csv; charset=utf-8", "digilyft-figures.csv")


@require_safe
@condition(etag_func=_etag, last_modified_func=_last_modified)
def bulk_json(request):
    return _stream(bulk.json_chunks(), "application/json", "digilyft-figures.json")


def not_found(request, rest=""):
    return JsonResponse(
        {"detail": _("There is no such address in the API. See %(url)s.") % {"url": "/api/"}},
        status=404,
    )
