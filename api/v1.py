"""The open data API, version 1, in the shape of Kolada's v3 (``/api/v1/``).

Read-only and without an account. The OpenAPI 3 description is generated from this module
and served at ``/api/v1/openapi.json``; the docs page is ``/api/`` (``api.views.docs``).
Every figure is a published figure of a closed round, read through ``api.data``.
"""

from datetime import date
from typing import Literal
from urllib.parse import urlencode

from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Path, Query, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer

from . import data, rounds, tokens
from .identifiers import (
    KPI_ID,
    MUNICIPALITY_ID,
    YEAR,
    BadIds,
    list_pattern,
    parse_kpis,
    parse_municipalities,
    parse_years,
)
from .limits import cached_response, current_catalogue
from .middleware import token_refused

MAX_PER_PAGE = 5000


class ApiTokenAuth(HttpBearer):
    """``Authorization: Bearer <token>`` is optional: without the header a request reads as
    anyone (``tokens.ANYONE``); with it, the token must be valid, or the answer is 401."""

    openapi_description = (
        "Optional. A coordinator's own API token (created and revoked on their page, shown "
        "once) reads their organisation's round counts (x_rounds); a staff token reads every "
        "organisation's. A token holder is not rate-limited. Published figures are the same "
        "with or without a token: a token never lifts suppression. An unknown or revoked "
        "token gets 401."
    )

    def __call__(self, request):
        if not request.headers.get(self.header):
            return tokens.ANYONE
        return super().__call__(request)

    def authenticate(self, request, token):
        # The rate-limit middleware has already looked the token up.
        if hasattr(request, "api_token"):
            return request.api_token
        return tokens.reader_for(token)


class OpenDataAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs):
        """As generated, with the token marked optional (``{}`` among the requirements)
        everywhere but the round counts, which need it."""
        schema = super().get_openapi_schema(**kwargs)
        for path, operations in schema["paths"].items():
            if "/x_rounds" in path:
                continue
            for operation in operations.values():
                security = operation.get("security")
                if security and {} not in security:
                    security.append({})
        return schema


api = OpenDataAPI(
    auth=ApiTokenAuth(),
    title="Digilyft open data",
    version="1",
    description=(
        "Published, anonymity-safe results of Digilyft's self-assessments of digital "
        "maturity in Sweden's municipalities and regions, in the shape of Kolada's API (v3). "
        "Only published figures of closed rounds are served; a suppressed value is null with "
        'status "..", a missing one null with status "-". Every answer carries an ETag and '
        "Last-Modified keyed by the latest publication; ask with If-None-Match to get 304 "
        "when nothing changed. Anyone may read without an account; a coordinator's or staff "
        "API token (Authorization: Bearer …) also reads round counts. Documentation: /api/"
    ),
    docs_url=None,
    urls_namespace="api_v1",
)


class Error(Schema):
    detail: str = Field(description="What was wrong, in words.")


class Value(Schema):
    gender: Literal["T", "K", "M"] = Field(description="T all, K women, M men.")
    count: int = Field(
        description="Organisations whose own published figure is in the value (0 when null)."
    )
    status: Literal["..", "-"] | None = Field(
        description='null: a value; "..": suppressed (too few respondents, or hidden so that '
        'a small group cannot be worked out); "-": nothing published.'
    )
    value: float | None = Field(description="Mean level 1–5, one decimal.")
    x_n: int | None = Field(description="Respondents behind the value.")
    x_ci95: list[float] | None = Field(
        description="95 % confidence interval [low, high], one decimal; null for groups."
    )


class DataRow(Schema):
    kpi: str
    municipality: str
    period: int = Field(description="The year the round closed.")
    values: list[Value]
    x_framework_version: str
    x_round_kind: Literal["baseline", "follow_up", "other"] | None = Field(
        description="The organisation's round kind; null for the nation and groups."
    )


class Page(Schema):
    count: int = Field(description="Rows over all pages.")
    next_url: str | None
    previous_url: str | None


class DataPage(Page):
    values: list[DataRow]


class Scale(Schema):
    min: int
    max: int


class KpiOut(Schema):
    id: str
    title: str = Field(description="Swedish title.")
    description: str = Field(description="Swedish description.")
    x_title_en: str
    x_description_en: str
    is_divided_by_gender: bool
    municipality_type: Literal["A"] = Field(description="A: municipalities and regions.")
    operating_area: str = Field(description="The goal area (Swedish); empty for prerequisites.")
    x_operating_area_en: str
    x_framework_version: str
    x_unit_kind: Literal["area", "goal", "prerequisite"]
    x_unit_key: str
    x_target_group: str | None = Field(description="null: all respondents.")
    x_scale: Scale


class KpiPage(Page):
    values: list[KpiOut]


class MunicipalityOut(Schema):
    id: str
    title: str
    type: Literal["K", "L"] = Field(description="K municipality, L region or the country.")


class MunicipalityPage(Page):
    values: list[MunicipalityOut]


class Member(Schema):
    id: str
    title: str


class GroupOut(Schema):
    id: str
    title: str
    members: list[Member]
    x_kind: Literal["kommungrupp", "county"]


class GroupPage(Page):
    values: list[GroupOut]


ERRORS = {304: None, 400: Error, 401: Error, 404: Error, 429: Error}


PARSERS = {"kpi": parse_kpis, "municipality": parse_municipalities, "year": parse_years}


def _message(request, error: dict) -> str:
    """The parser's own words for a malformed id segment, else the validator's."""
    loc = [str(part) for part in error.get("loc", ())]
    if len(loc) == 2 and loc[0] == "path" and loc[1] in PARSERS:
        raw = (request.resolver_match.kwargs if request.resolver_match else {}).get(loc[1], "")
        try:
            PARSERS[loc[1]](raw)
        except BadIds as bad:
            return str(bad)
    where = ".".join(loc[1:]) or _("request")
    return f"{where}: {error.get('msg', '')}"


@api.exception_handler(AuthenticationError)
def bad_token(request, exc):
    return token_refused()


@api.exception_handler(ValidationError)
def bad_parameters(request, exc):
    detail = "; ".join(_message(request, error) for error in exc.errors)
    return api.create_response(request, {"detail": detail}, status=400)


def _ids_param(pattern_of_one: str, example: str, description: str):
    return Path(..., description=description, pattern=list_pattern(pattern_of_one), example=example)


KPI_PARAM = _ids_param(KPI_ID, "DL1G12,DL1G13", "KPI ids, comma-separated (at most 25).")
MUNICIPALITY_PARAM = _ids_param(
    MUNICIPALITY_ID, "0000,1287,GKB3", "Municipality, region or group ids (at most 25)."
)
YEAR_PARAM = _ids_param(YEAR, "2026", "Years, comma-separated (at most 25).")
PAGE = Query(1, ge=1, le=1_000_000, description="Page number, from 1.")
PER_PAGE = Query(MAX_PER_PAGE, ge=1, le=MAX_PER_PAGE, description="Rows per page (at most 5000).")


def _url(request, page: int) -> str:
    query = request.GET.copy()
    query["page"] = str(page)
    return request.build_absolute_uri(request.path) + "?" + urlencode(sorted(query.items()))


def _envelope(request, items: list, page: int, per_page: int, render=lambda chunk: chunk):
    start = (page - 1) * per_page
    chunk = items[start : start + per_page]
    return {
        "values": render(chunk),
        "count": len(items),
        "next_url": _url(request, page + 1) if start + per_page < len(items) else None,
        "previous_url": _url(request, page - 1) if page > 1 and items else None,
    }


def _parsed(parse, segment):
    if segment is None:
        return None
    try:
        return parse(segment)
    except BadIds as error:
        raise HttpError(400, str(error)) from None


def _data(request, kpi, municipality, year, page, per_page):
    kpi_ids = _parsed(parse_kpis, kpi)
    municipality_ids = _parsed(parse_municipalities, municipality)
    years = _parsed(parse_years, year)
    stamp, catalogue = current_catalogue()

    def compute():
        keys = data.keys(catalogue, kpi_ids, municipality_ids, years)
        return _envelope(request, keys, page, per_page, lambda c: data.rows(catalogue, c))

    return cached_response(request, stamp, compute)


DATA_DOC = (
    "Values by gender (T, K, M) of each (KPI, municipality, year). 0000 pools every "
    "organisation's shown figure; a group (GK…, GL…) is the unweighted mean of its members' "
    "shown figures, with count the members that contributed. An organisation counts only "
    "where its own figure is shown."
)


@api.get(
    "/data/kpi/{kpi}/municipality/{municipality}/year/{year}",
    response={200: DataPage, **ERRORS},
    summary="Data by KPI, municipality and year",
    description=DATA_DOC + ' Rows with no published round have status "-".',
    tags=["data"],
)
def data_kpi_municipality_year(
    request,
    kpi: str = KPI_PARAM,
    municipality: str = MUNICIPALITY_PARAM,
    year: str = YEAR_PARAM,
    page: int = PAGE,
    per_page: int = PER_PAGE,
):
    return _data(request, kpi, municipality, year, page, per_page)


@api.get(
    "/data/kpi/{kpi}/year/{year}",
    response={200: DataPage, **ERRORS},
    summary="Data by KPI and year (the country and every organisation)",
    description=DATA_DOC,
    tags=["data"],
)
def data_kpi_year(
    request,
    kpi: str = KPI_PARAM,
    year: str = YEAR_PARAM,
    page: int = PAGE,
    per_page: int = PER_PAGE,
):
    return _data(request, kpi, None, year, page, per_page)


@api.get(
    "/data/kpi/{kpi}/municipality/{municipality}",
    response={200: DataPage, **ERRORS},
    summary="Data by KPI and municipality (every year)",
    description=DATA_DOC,
    tags=["data"],
)
def data_kpi_municipality(
    request,
    kpi: str = KPI_PARAM,
    municipality: str = MUNICIPALITY_PARAM,
    page: int = PAGE,
    per_page: int = PER_PAGE,
):
    return _data(request, kpi, municipality, None, page, per_page)


@api.get(
    "/data/municipality/{municipality}/year/{year}",
    response={200: DataPage, **ERRORS},
    summary="Data by municipality and year (every KPI)",
    description=DATA_DOC,
    tags=["data"],
)
def data_municipality_year(
    request,
    municipality: str = MUNICIPALITY_PARAM,
    year: str = YEAR_PARAM,
    page: int = PAGE,
    per_page: int = PER_PAGE,
):
    return _data(request, None, municipality, year, page, per_page)


def _matches(title: str, wanted: str | None) -> bool:
    return not wanted or wanted.casefold() in title.casefold()


TITLE = Query(None, max_length=200, description="Only those whose title contains this.")


def _kpi_out(kpi) -> dict:
    return {
        "id": str(kpi.id),
        "title": kpi.title_sv,
        "description": kpi.description_sv,
        "x_title_en": kpi.title_en,
        "x_description_en": kpi.description_en,
        "is_divided_by_gender": kpi.is_divided_by_gender,
        "municipality_type": "A",
        "operating_area": kpi.area_title_sv,
        "x_operating_area_en": kpi.area_title_en,
        "x_framework_version": kpi.version,
        "x_unit_kind": kpi.id.kind,
        "x_unit_key": kpi.unit_key,
        "x_target_group": kpi.target_group,
        "x_scale": {"min": 1, "max": 5},
    }


@api.get(
    "/kpi",
    response={200: KpiPage, **ERRORS},
    summary="Indicators",
    description="One KPI per published unit (goal area, goal, prerequisite) for all "
    "respondents and per target group; only the latter are not divided by gender.",
    tags=["metadata"],
)
def kpi_list(request, title: str | None = TITLE, page: int = PAGE, per_page: int = PER_PAGE):
    stamp, catalogue = current_catalogue()

    def compute():
        items = [
            _kpi_out(k)
            for k in catalogue.kpis.values()
            if _matches(k.title_sv, title) or _matches(k.title_en, title)
        ]
        return _envelope(request, items, page, per_page)

    return cached_response(request, stamp, compute)


@api.get(
    "/municipality",
    response={200: MunicipalityPage, **ERRORS},
    summary="Municipalities, regions and the country",
    description="0000 the whole country, four digits a municipality (its SCB code), 00 and "
    "the county code a region.",
    tags=["metadata"],
)
def municipality_list(
    request, title: str | None = TITLE, page: int = PAGE, per_page: int = PER_PAGE
):
    stamp, catalogue = current_catalogue()

    def compute():
        items = [
            {"id": e.id, "title": e.title, "type": e.organisation_type or "L"}
            for e in catalogue.entities.values()
            if e.kind in ("nation", "organisation") and _matches(e.title, title)
        ]
        return _envelope(request, items, page, per_page)

    return cached_response(request, stamp, compute)


@api.get(
    "/municipality_groups",
    response={200: GroupPage, **ERRORS},
    summary="Groups: kommungrupper (GK…) and counties (GL…)",
    tags=["metadata"],
)
def municipality_group_list(
    request, title: str | None = TITLE, page: int = PAGE, per_page: int = PER_PAGE
):
    stamp, catalogue = current_catalogue()

    def compute():
        by_org = {
            e.members[0]: {"id": e.id, "title": e.title}
            for e in catalogue.entities.values()
            if e.is_organisation
        }
        items = [
            {
                "id": e.id,
                "title": e.title,
                "members": [by_org[m] for m in e.members],
                "x_kind": e.kind,
            }
            for e in catalogue.entities.values()
            if e.kind in ("kommungrupp", "county") and _matches(e.title, title)
        ]
        return _envelope(request, items, page, per_page)

    return cached_response(request, stamp, compute)


class GroupCount(Schema):
    target_group: str = Field(description="The target group's key.")
    x_invited: int | None = Field(description="Invitations plus the number typed for the link.")
    x_started: int
    x_submitted: int
    x_response_rate: float | None = Field(description="Submitted over invited, 0–1.")
    x_answers_short: int = Field(
        description="More submitted answers before this group's results can be published "
        "(0: enough). Counted from submissions alone; the threshold itself decides."
    )


class RoundRow(Schema):
    municipality: str
    period: int = Field(description="The year the round closes (or closed).")
    title: str
    x_round: int
    x_status: Literal["scheduled", "open", "closed"]
    x_published: bool = Field(description="Its figures are served by the data endpoints.")
    x_opens_on: date
    x_closes_on: date
    x_framework_version: str
    x_round_kind: Literal["baseline", "follow_up", "other"]
    values: list[GroupCount]


class RoundPage(Page):
    values: list[RoundRow]


ROUNDS_DOC = (
    "Counts per round and target group, live while a round is open: invited, started, "
    "submitted, the response rate and how many more answers its results need — never a "
    "result (results come from the data endpoints, and only once published). Needs an API "
    "token: a coordinator's reads their own organisation, a staff token every organisation."
)


def _round_counts(request, municipality, page, per_page):
    reader = request.auth
    if not reader.has_token:
        raise AuthenticationError()
    ids = _parsed(parse_municipalities, municipality)
    try:
        organisations = rounds.readable_organisations(reader, ids)
    except rounds.NotReadable as refused:
        raise HttpError(404, str(refused)) from None
    body = _envelope(request, rounds.rounds_of(organisations), page, per_page, rounds.rows)
    response = api.create_response(request, body, status=200)
    # Live counts for one token holder: no shared copies, nothing kept.
    response["Cache-Control"] = "private, no-store"
    response["Vary"] = "Authorization, Cookie"
    return response


@api.get(
    "/x_rounds",
    response={200: RoundPage, **ERRORS},
    summary="Round counts of every organisation the token reads",
    description=ROUNDS_DOC,
    tags=["rounds (token)"],
)
def round_counts(request, page: int = PAGE, per_page: int = PER_PAGE) -> HttpResponse:
    return _round_counts(request, None, page, per_page)


@api.get(
    "/x_rounds/municipality/{municipality}",
    response={200: RoundPage, **ERRORS},
    summary="Round counts of some organisations",
    description=ROUNDS_DOC + " An organisation the token does not read is 404.",
    tags=["rounds (token)"],
)
def round_counts_of(
    request, municipality: str = MUNICIPALITY_PARAM, page: int = PAGE, per_page: int = PER_PAGE
) -> HttpResponse:
    return _round_counts(request, municipality, page, per_page)
