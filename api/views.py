"""The API's pages outside the generated part: the docs page and the bulk files."""

from django.http import JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import condition, require_safe

from lib.replica import reads_published

from . import bulk
from .catalogue import fingerprint
from .identifiers import MAX_IDS, MAX_YEARS
from .limits import current_catalogue, etag
from .v1 import MAX_PER_PAGE


def _etag(request, *args, **kwargs):
    return fingerprint().etag


def _last_modified(request, *args, **kwargs):
    return fingerprint().last_modified


def _example_ids() -> dict:
    """Ids that exist in this installation for the examples, or typical ones before any
    round is published."""
    _stamp, catalogue = current_catalogue()
    totals = [k for k in catalogue.kpis.values() if k.target_group is None]
    goal = next((str(k.id) for k in totals if k.id.kind == "goal"), "DL1G1")
    areas = ",".join(str(k.id) for k in totals if k.id.kind == "area") or "DL1A1,DL1A2"
    served = sorted(catalogue.served.values(), key=lambda r: (r.year, r.round_id))
    org = next(
        (
            e.id
            for e in catalogue.entities.values()
            if served and e.members == (served[-1].organisation_id,)
        ),
        "1287",
    )
    group = next((e.id for e in catalogue.entities.values() if e.kind == "kommungrupp"), "GKB3")
    year = served[-1].year if served else timezone.localdate().year
    statement = next((str(k.id) for k in catalogue.kpis.values() if k.is_pulse), "DL1R1")
    pulses = sorted(catalogue.pulses.values(), key=lambda p: (p.year, p.pulse_id))
    pulse_org = next(
        (
            e.id
            for e in catalogue.entities.values()
            if pulses and e.members == (pulses[-1].organisation_id,)
        ),
        org,
    )
    return {
        "goal": goal,
        "areas": areas,
        "org": org,
        "group": group,
        "year": year,
        "statement": statement,
        "pulse_org": pulse_org,
    }


@require_safe
def docs(request):
    base = request.build_absolute_uri("/api/v1/")
    ids = _example_ids()
    examples = [
        (_("The indicators (KPIs)"), f"curl '{base}kpi'"),
        (_("Municipalities, regions and the whole country"), f"curl '{base}municipality'"),
        (_("Groups: kommungrupper and counties"), f"curl '{base}municipality_groups'"),
        (
            _("One goal in one organisation, the whole country and a kommungrupp, in one year"),
            f"curl '{base}data/kpi/{ids['goal']}/municipality/{ids['org']},0000,{ids['group']}"
            f"/year/{ids['year']}'",
        ),
        (
            _("One statement of the resident pulse in one organisation and the whole country"),
            f"curl '{base}data/kpi/{ids['statement']}/municipality/{ids['pulse_org']},0000'",
        ),
        (
            _("Every goal area in every organisation in one year, 1000 rows a page"),
            f"curl '{base}data/kpi/{ids['areas']}/year/{ids['year']}?per_page=1000'",
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
            "conditional_example": f"curl -i '{base}kpi' -H 'If-None-Match: {etag(fingerprint())}'",
            "token_example": (
                f"curl -H 'Authorization: Bearer dl_…' '{base}x_rounds/municipality/{ids['org']}'"
            ),
            "tokens_url": reverse("api:tokens"),
            "openapi_url": reverse("api_v1:openapi-json"),
            "licence": bulk.licence(),
            "client_calls": client_calls(ids),
            **usage_examples(base, request.build_absolute_uri(reverse("api:bulk_csv")), ids),
            "csv_url": request.build_absolute_uri(reverse("api:bulk_csv")),
            "max_ids": MAX_IDS,
            "max_years": MAX_YEARS,
            "max_per_page": MAX_PER_PAGE,
        },
    )


def client_calls(ids) -> list[tuple[str, str]]:
    """Each public call of the Kolada clients and what it gives here — the calls
    ``api/tests/test_kolada_clients.py`` runs, unchanged, against a live server."""
    works = _("Works: the same figures as the results pages.")
    listed = _("Works.")
    empty = _("An empty list: Digilyft has no organisational units.")
    return [
        ("koladapy: search_kpis(query, publication_date, operating_area)", listed),
        ("koladapy: get_kpi(id), get_kpis(ids)", listed),
        ("koladapy: get_kpi_groups(query), get_kpi_group(id)", listed),
        ("koladapy: get_municipalities(query, municipality_type)", listed),
        ("koladapy: get_municipality(id)", listed),
        ("koladapy: get_municipality_groups(query), get_municipality_group(id)", listed),
        ("koladapy: get_values(kpi_id, municipality_id, years, updated_since)", works),
        ("koladapy: get_data_as_dataframe(…, include_metadata=True)", works),
        ("koladapy: get_organizational_units(query, municipality)", empty),
        (
            "koladapy: get_organizational_unit(id)",
            _("The client's own “not found” error: the answer is empty."),
        ),
        ("koladapy: get_values(ou_id=…)", empty),
        ("pykolada: get_kpi(id, title, description, operating_area)", listed),
        ("pykolada: get_kpi_groups(id, title)", listed),
        ("pykolada: get_municipality(id, title)", listed),
        ("pykolada: get_municipality_groups(id, title)", listed),
        ("pykolada: get_data(kpi, municipality, year)", works),
        (
            "pykolada: get_data(kpi, municipality)",
            _("Works; its default years end in 2024, so later rounds need year=."),
        ),
        ("pykolada: query(endpoint, …), _make_request(url) (follows next_page)", listed),
        ("pykolada: get_ou(id, title), get_oudata(kpi, ou)", empty),
    ]


def usage_examples(base: str, csv_url: str, ids: dict) -> dict:
    """The examples of the docs page; the Python ones and the R one are run by
    ``api/tests/test_kolada_clients.py`` exactly as the page shows them."""
    read_csv = (
        "import pandas as pd\n\n"
        f'figures = pd.read_csv("{csv_url}", dtype={{"kpi": str, "municipality": str}})\n'
        'print(figures[figures["municipality"] == "' + ids["org"] + '"].head())'
    )
    koladapy = (
        "from koladapy import KoladaAPI\n\n"
        f'kolada = KoladaAPI(base_url="{base}")\n'
        f'values = kolada.get_data_as_dataframe(kpi_id="{ids["goal"]}", '
        f'municipality_id="{ids["org"]}", years={ids["year"]})\n'
        "print(values)"
    )
    # Base R only (no CRAN package): the tests run it with Rscript from Debian's r-base-core.
    r_example = (
        f'figures <- read.csv("{csv_url}",\n'
        '                    colClasses = c(kpi = "character", municipality = "character"))\n'
        f'goal <- subset(figures, kpi == "{ids["goal"]}" & period == {ids["year"]}'
        ' & gender == "T",\n'
        "               select = c(municipality, value, x_n, status))\n"
        "print(goal, row.names = FALSE)"
    )
    return {"python_examples": [read_csv, koladapy], "r_example": r_example}


def _stream(chunks, content_type, filename):
    response = StreamingHttpResponse(chunks, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    info = bulk.licence()
    response["Link"] = (
        f'<{info["licence_url"]}>; rel="license", '
        f'<{reverse("api:bulk_datapackage")}>; rel="describedby"'
    )
    return response


@require_safe
@reads_published
@condition(etag_func=_etag, last_modified_func=_last_modified)
def bulk_csv(request):
    return _stream(bulk.csv_lines(), "text/csv; charset=utf-8", "digilyft-figures.csv")


@require_safe
@reads_published
@condition(etag_func=_etag, last_modified_func=_last_modified)
def bulk_json(request):
    return _stream(bulk.json_chunks(), "application/json", "digilyft-figures.json")


@require_safe
@reads_published
@condition(etag_func=_etag, last_modified_func=_last_modified)
def bulk_datapackage(request):
    """The Frictionless descriptor of the bulk files, next to them (its paths are relative)."""
    descriptor = bulk.datapackage("figures.csv", "figures.json")
    response = JsonResponse(descriptor, json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Link"] = f'<{bulk.licence()["licence_url"]}>; rel="license"'
    return response


def not_found(request, rest=""):
    return JsonResponse(
        {"detail": _("There is no such address in the API. See %(url)s.") % {"url": "/api/"}},
        status=404,
    )
