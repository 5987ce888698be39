"""The open data API, version 1, in the shape of Kolada's v3 (``/api/v1/``).

Read-only and without an account. The OpenAPI 3 description is generated from this module
and served at ``/api/v1/openapi.json``; the docs page is ``/api/`` (``api.views.docs``).
Every figure is a published figure of a closed round or resident pulse, read through
``api.data``.
"""

from datetime import date
from typing import Annotated, Literal

from django.http import HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Path, Query, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer
from pydantic import StringConstraints, WithJsonSchema

from . import data, rounds, tokens
from .identifiers import (
    GROUP_ID,
    KPI_GROUP_ID,
    KPI_ID,
    MAX_IDS,
    MAX_YEARS,
    MUNICIPALITY_ID,
    OU_ID,
    YEAR,
    BadIds,
    list_pattern,
    parse_groups,
    parse_kpi_groups,
    parse_kpis,
    parse_municipalities,
    parse_ous,
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


# Query-string id lists: the limits (25 ids, 100 years) count the ids of every repetition
# together, which a schema cannot say of repeated comma-separated values. The description
# therefore offers the repeated form, one id a value, at most as many values as ids allowed;
# the code also takes comma-separated values (as Kolada's clients send them) within the total.
ID_LISTS = {
    "kpi_id": (KPI_ID, MAX_IDS),
    "municipality_id": (MUNICIPALITY_ID, MAX_IDS),
    "year": (YEAR, MAX_YEARS),
    "ou_id": (OU_ID, MAX_IDS),
}


def _one_id_per_value(operations) -> None:
    for operation in operations.values():
        for parameter in operation.get("parameters", []):
            if parameter["in"] != "query" or parameter["name"] not in ID_LISTS:
                continue
            one, most = ID_LISTS[parameter["name"]]
            for option in parameter["schema"].get("anyOf", [parameter["schema"]]):
                if option.get("type") == "array":
                    option["items"]["pattern"] = f"^{one}$"
                    option["maxItems"] = most


class OpenDataAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs):
        """As generated, with the token marked optional (``{}`` among the requirements)
        everywhere but the round counts, which need it."""
        schema = super().get_openapi_schema(**kwargs)
        for path, operations in schema["paths"].items():
            _one_id_per_value(operations)
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
        "maturity in Sweden's municipalities and regions, and of their resident pulses (the "
        "share of residents who agree with each statement; a self-selected sample), in the "
        "shape of Kolada's API (v3). "
        'Only published figures of closed rounds and pulses are served; a value has status "", a '
        'suppressed one is null with status "..", and data that does not exist has no row. '
        "Every answer carries an ETag and Last-Modified keyed by the latest publication; ask "
        "with If-None-Match to get 304 when nothing changed. A parameter the address does not "
        "take is a 400 that names it. Anyone may read without an account, from any web site "
        "(CORS); a coordinator's or staff API token (Authorization: Bearer …) also reads round "
        "counts. Errors are in the language of Accept-Language (Swedish or English). "
        "Documentation: /api/"
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
    status: Literal["", ".."] = Field(
        description='"": a value; "..": suppressed (too few respondents, or hidden so that '
        "a small group cannot be worked out). A gender with nothing published has no value."
    )
    value: float | None = Field(
        description="Mean level 1–5, one decimal; for a resident pulse KPI (DL…R…) the share "
        "who agree, in whole percent (0–100)."
    )
    isdeleted: bool = Field(description="Always false: a published figure is never withdrawn.")
    x_n: int | None = Field(
        description="Respondents behind the value (perturbed); for the resident pulse, the "
        'residents who answered the statement, "don\'t know" included.'
    )
    x_ci95: list[float] | None = Field(
        description="95 % confidence interval [low, high], one decimal; null for groups and "
        "the resident pulse."
    )


class DataRow(Schema):
    kpi: str
    municipality: str
    period: int = Field(description="The year the round (or resident pulse) closed.")
    values: list[Value]
    x_framework_version: str
    x_round_kind: Literal["baseline", "follow_up", "other"] | None = Field(
        description="The organisation's round kind; null for the nation, groups and the "
        "resident pulse."
    )


class Page(Schema):
    count: int = Field(description="Rows on this page (the length of values), as in Kolada.")
    x_total: int = Field(
        description="Rows over all pages (data rows with nothing published are left out of "
        "their page, so the pages may hold fewer)."
    )
    next_url: str | None
    previous_url: str | None
    next_page: str | None = Field(description="The same as next_url (Kolada v2's name).")
    previous_page: str | None = Field(description="The same as previous_url.")


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
    operating_area: str = Field(
        description="The goal area (Swedish); empty for prerequisites; the questionnaire's name "
        "(Invånarpuls) for the resident pulse."
    )
    auspice: str = Field(description="Empty: Digilyft's own indicator, not one of Kolada's.")
    perspective: Literal["Självskattning", "Invånarpuls"] = Field(
        description="Självskattning (the organisation's self-assessment) or Invånarpuls (the "
        "resident pulse: residents who chose to answer, a self-selected sample)."
    )
    publication_date: date | None = Field(
        description="The day the latest figures of this indicator were published."
    )
    publ_period: str | None = Field(description="The latest year with published figures.")
    prel_publication_date: date | None = Field(description="Always null: nothing preliminary.")
    has_ou_data: bool = Field(description="Always false: no organisational units.")
    ou_publication_date: date | None = Field(description="Always null.")
    x_operating_area_en: str
    x_framework_version: str
    x_unit_kind: Literal["area", "goal", "prerequisite", "statement"] = Field(
        description="statement: a statement of the resident pulse."
    )
    x_unit_key: str
    x_target_group: str | None = Field(description="null: all respondents.")
    x_scale: Scale = Field(
        description="The range of value: 1–5 (a mean level) or, for the resident pulse, 0–100 "
        "(percent)."
    )


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


class KpiMember(Schema):
    member_id: str
    member_title: str


class KpiGroupOut(Schema):
    id: str
    title: str = Field(description="Swedish title.")
    x_title_en: str
    members: list[KpiMember]
    x_framework_version: str


class KpiGroupPage(Page):
    values: list[KpiGroupOut]


class OuPage(Page):
    values: list[dict] = Field(description="Always empty: Digilyft has no organisational units.")


class OuDataPage(Page):
    values: list[dict] = Field(description="Always empty: Digilyft has no organisational units.")


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


def _ids_param(pattern_of_one: str, example: str, description: str, most: int = MAX_IDS):
    return Path(
        ..., description=description, pattern=list_pattern(pattern_of_one, most), example=example
    )


KPI_PARAM = _ids_param(KPI_ID, "DL1G12,DL1G13", "KPI ids, comma-separated (at most 25).")
MUNICIPALITY_PARAM = _ids_param(
    MUNICIPALITY_ID, "0000,1287,GKB3", "Municipality, region or group ids (at most 25)."
)
YEAR_PARAM = _ids_param(
    YEAR, "2026", f"Years, comma-separated (at most {MAX_YEARS}).", most=MAX_YEARS
)
GROUP_PARAM = _ids_param(GROUP_ID, "GKB3,GL12", "Group ids, comma-separated (at most 25).")
KPI_GROUP_PARAM = _ids_param(KPI_GROUP_ID, "GDL1A1,GDL1P", "KPI group ids (at most 25).")
OU_PARAM = _ids_param(OU_ID, "V15E144001101", "Organisational unit ids (at most 25).")
PAGE = Query(1, ge=1, le=1_000_000, description="Page number, from 1.")
PER_PAGE = Query(MAX_PER_PAGE, ge=1, le=MAX_PER_PAGE, description="Rows per page (at most 5000).")
FROM_DATE = Query(
    None,
    description="Only rows whose figures were published (or corrected) on this day or later "
    "(YYYY-MM-DD), for incremental harvesting.",
)
PAGING = ("page", "per_page")
# A string checked by _since (pydantic's date would take "0" as 1970-01-01), described as a date.
FromDate = Annotated[str, WithJsonSchema({"type": "string", "format": "date"})]


def _only(request, *names):
    """Kolada's parameters are honoured, never silently ignored: anything else is a 400 that
    names it."""
    unknown = sorted(set(request.GET) - set(names) - set(PAGING))
    if unknown:
        raise HttpError(
            400,
            _("Unknown parameter: %(unknown)s. This address takes: %(known)s.")
            % {
                "unknown": ", ".join(unknown),
                "known": ", ".join(sorted({*names, *PAGING})),
            },
        )


def _url(request, page: int) -> str:
    query = request.GET.copy()
    query["page"] = str(page)
    return request.build_absolute_uri(request.path) + "?" + query.urlencode()


def _envelope(request, items: list, page: int, per_page: int, render=lambda chunk: chunk):
    start = (page - 1) * per_page
    values = render(items[start : start + per_page])
    next_url = _url(request, page + 1) if start + per_page < len(items) else None
    previous_url = _url(request, page - 1) if page > 1 and items else None
    return {
        "values": values,
        "count": len(values),
        "x_total": len(items),
        "next_url": next_url,
        "previous_url": previous_url,
        "next_page": next_url,
        "previous_page": previous_url,
    }


def _since(from_date: str | None) -> date | None:
    if from_date is None:
        return None
    try:
        if len(from_date) != 10:  # fromisoformat also takes 20260101 and the like
            raise ValueError
        return date.fromisoformat(from_date)
    except ValueError:
        raise HttpError(
            400, _("from_date: %(value)s is not a date (YYYY-MM-DD).") % {"value": from_date}
        ) from None


def _parsed(parse, segment):
    if segment is None:
        return None
    try:
        return parse(segment)
    except BadIds as error:
        raise HttpError(400, str(error)) from None


def _data(request, kpi, municipality, year, page, per_page, from_date=None):
    since = _since(from_date)
    kpi_ids = _parsed(parse_kpis, kpi)
    municipality_ids = _parsed(parse_municipalities, municipality)
    years = _parsed(parse_years, year)
    stamp, catalogue = current_catalogue()

    def compute():
        keys = data.keys(catalogue, kpi_ids, municipality_ids, years, since)
        return _envelope(request, keys, page, per_page, lambda c: data.rows(catalogue, c))

    return cached_response(request, stamp, compute)


def _empty(request, page, per_page):
    """Kolada's organisational units (ou, oudata): Digilyft has none, so every answer is an
    empty page."""
    stamp, _catalogue = current_catalogue()
    return cached_response(request, stamp, lambda: _envelope(request, [], page, per_page))


DATA_DOC = (
    "Values by gender (T, K, M) of each (KPI, municipality, year) with a published round "
    "or resident pulse behind it; data that does not exist has no row. 0000 pools every "
    "organisation's shown figure; a group (GK…, GL…) pools its members' shown figures, with "
    "count the members that contributed. An organisation counts only where its own figure is "
    "shown. For the resident pulse (DL…R…) the value is the share who agree in whole percent; "
    "0000 and a group are the mean of the members' published shares weighted by their "
    "published respondents."
)
DATA_PARAMS = ("from_date",)


@api.get(
    "/data/kpi/{kpi}/municipality/{municipality}/year/{year}",
    response={200: DataPage, **ERRORS},
    summary="Data by KPI, municipality and year",
    description=DATA_DOC,
    tags=["data"],
)
def data_kpi_municipality_year(
    request,
    kpi: str = KPI_PARAM,
    municipality: str = MUNICIPALITY_PARAM,
    year: str = YEAR_PARAM,
    from_date: FromDate | None = FROM_DATE,
    page: int = PAGE,
    per_page: int = PER_PAGE,
):
    _only(request, *DATA_PARAMS)
    return _data(request, kpi, municipality, year, page, per_page, from_date)


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
    from_date: FromDate | None = FROM_DATE,
    page: int = PAGE,
    per_page: int = PER_PAGE,
):
    _only(request, *DATA_PARAMS)
    return _data(request, kpi, None, year, page, per_page, from_date)


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
    from_date: FromDate | None = FROM_DATE,
    page: int = PAGE,
    per_page: int = PER_PAGE,
):
    _only(request, *DATA_PARAMS)
    return _data(request, kpi, municipality, None, page, per_page, from_date)


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
    from_date: FromDate | None = FROM_DATE,
    page: int = PAGE,
    per_page: int = PER_PAGE,
):
    _only(request, *DATA_PARAMS)
    return _data(request, None, municipality, year, page, per_page, from_date)


def _joined(values: list[str] | None) -> str | None:
    """Repeated parameters (kpi_id=A&kpi_id=B) and comma-separated ones (kpi_id=A,B) alike."""
    if not values:
        return None
    return ",".join(part for value in values for part in value.split(","))


QUERY_IDS = "Repeat the parameter or separate the ids by commas."
KPI_IDS = Query(None, description="KPI ids (at most 25). " + QUERY_IDS)
MUNICIPALITY_IDS = Query(
    None, description="Municipality, region or group ids (at most 25). " + QUERY_IDS
)
YEARS = Query(None, description=f"Years (at most {MAX_YEARS}). " + QUERY_IDS)
OU_IDS = Query(None, description="Organisational unit ids (at most 25). " + QUERY_IDS)
KpiIds = Annotated[str, StringConstraints(pattern=list_pattern(KPI_ID))]
MunicipalityIds = Annotated[str, StringConstraints(pattern=list_pattern(MUNICIPALITY_ID))]
Years = Annotated[str, StringConstraints(pattern=list_pattern(YEAR, MAX_YEARS))]
OuIds = Annotated[str, StringConstraints(pattern=list_pattern(OU_ID))]


def data_query(
    request,
    kpi_id: list[KpiIds] | None = KPI_IDS,
    municipality_id: list[MunicipalityIds] | None = MUNICIPALITY_IDS,
    year: list[Years] | None = YEARS,
    from_date: FromDate | None = FROM_DATE,
    page: int = PAGE,
    per_page: int = PER_PAGE,
):
    _only(request, "kpi_id", "municipality_id", "year", *DATA_PARAMS)
    kpi, municipality, years = _joined(kpi_id), _joined(municipality_id), _joined(year)
    return _data(request, kpi, municipality, years, page, per_page, from_date)


DATA_QUERY = dict(
    response={200: DataPage, **ERRORS},
    summary="Data by query string (kpi_id, municipality_id, year)",
    description=DATA_DOC + " Without any of kpi_id, municipality_id and year: every row, "
    "in pages (the bulk files are the cheaper way to take everything).",
    tags=["data"],
)
# Kolada v3's query-string form, with and without the slash clients put after it.
api.get("/data", operation_id="data_query", **DATA_QUERY)(data_query)
api.get("/data/", operation_id="data_query_slash", include_in_schema=False, **DATA_QUERY)(
    data_query
)


@api.get(
    "/oudata/kpi/{kpi}/ou/{ou}/year/{year}",
    response={200: OuDataPage, **ERRORS},
    summary="Data of organisational units (always empty)",
    description="Kolada's data of schools, care homes and other units: Digilyft has none.",
    tags=["data"],
)
def oudata_path(
    request,
    kpi: str = KPI_PARAM,
    ou: str = OU_PARAM,
    year: str = YEAR_PARAM,
    from_date: FromDate | None = FROM_DATE,
    page: int = PAGE,
    per_page: int = PER_PAGE,
):
    _only(request, *DATA_PARAMS)
    _since(from_date)
    _parsed(parse_kpis, kpi), _parsed(parse_ous, ou), _parsed(parse_years, year)
    return _empty(request, page, per_page)


def oudata_query(
    request,
    kpi_id: list[KpiIds] | None = KPI_IDS,
    ou_id: list[OuIds] | None = OU_IDS,
    year: list[Years] | None = YEARS,
    from_date: FromDate | None = FROM_DATE,
    page: int = PAGE,
    per_page: int = PER_PAGE,
):
    _only(request, "kpi_id", "ou_id", "year", *DATA_PARAMS)
    _since(from_date)
    _parsed(parse_kpis, _joined(kpi_id)), _parsed(parse_ous, _joined(ou_id))
    _parsed(parse_years, _joined(year))
    return _empty(request, page, per_page)


OUDATA_QUERY = dict(
    response={200: OuDataPage, **ERRORS},
    summary="Data of organisational units by query string (always empty)",
    tags=["data"],
)
api.get("/oudata", operation_id="oudata_query", **OUDATA_QUERY)(oudata_query)
api.get("/oudata/", operation_id="oudata_query_slash", include_in_schema=False, **OUDATA_QUERY)(
    oudata_query
)


def _matches(text: str, wanted: str | None) -> bool:
    return not wanted or wanted.casefold() in text.casefold()


TITLE = Query(None, max_length=200, description="Only those whose title contains this.")
DESCRIPTION = Query(None, max_length=200, description="Only those whose description has this.")
OPERATING_AREA = Query(
    None, max_length=200, description="Only those whose goal area (operating_area) has this."
)


def _kpi_out(kpi, catalogue) -> dict:
    published_on, period = catalogue.latest(kpi)
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
        "auspice": "",
        "perspective": "Invånarpuls" if kpi.is_pulse else "Självskattning",
        "publication_date": published_on,
        "publ_period": str(period) if period is not None else None,
        "prel_publication_date": None,
        "has_ou_data": False,
        "ou_publication_date": None,
        "x_framework_version": kpi.version,
        "x_unit_kind": kpi.id.kind,
        "x_unit_key": kpi.unit_key,
        "x_target_group": kpi.target_group,
        "x_scale": {"min": 0, "max": 100} if kpi.is_pulse else {"min": 1, "max": 5},
    }


KPI_DOC = (
    "One KPI per published unit (goal area, goal, prerequisite) for all respondents and per "
    "target group; only the latter are not divided by gender. And one per statement of the "
    "resident pulse (DL…R…): the share of the residents who answered that agree, a "
    "self-selected sample."
)


def _kpis(request, ids, title, description, operating_area, page, per_page):
    wanted = None if ids is None else [str(k) for k in _parsed(parse_kpis, ids)]
    stamp, catalogue = current_catalogue()

    def compute():
        chosen = (
            [catalogue.kpis[k] for k in wanted if k in catalogue.kpis]
            if wanted is not None
            else list(catalogue.kpis.values())
        )
        items = [
            _kpi_out(k, catalogue)
            for k in chosen
            if (_matches(k.title_sv, title) or _matches(k.title_en, title))
            and (_matches(k.description_sv, description) or _matches(k.description_en, description))
            and (
                _matches(k.area_title_sv, operating_area)
                or _matches(k.area_title_en, operating_area)
            )
        ]
        return _envelope(request, items, page, per_page)

    return cached_response(request, stamp, compute)


@api.get(
    "/kpi",
    response={200: KpiPage, **ERRORS},
    summary="Indicators",
    description=KPI_DOC,
    tags=["metadata"],
)
def kpi_list(
    request,
    title: str | None = TITLE,
    description: str | None = DESCRIPTION,
    operating_area: str | None = OPERATING_AREA,
    page: int = PAGE,
    per_page: int = PER_PAGE,
):
    _only(request, "title", "description", "operating_area")
    return _kpis(request, None, title, description, operating_area, page, per_page)


@api.get(
    "/kpi/{kpi}",
    response={200: KpiPage, **ERRORS},
    summary="Indicators by id",
    description=KPI_DOC + " An unknown id has no row.",
    tags=["metadata"],
)
def kpi_items(request, kpi: str = KPI_PARAM, page: int = PAGE, per_page: int = PER_PAGE):
    _only(request)
    return _kpis(request, kpi, None, None, None, page, per_page)


def _kpi_groups(catalogue) -> list[dict]:
    """The natural groups of indicators: each goal area (the area, its goals, and the same
    per target group), each framework version's foundational prerequisites and each pulse
    questionnaire version's statements."""
    groups = {}
    for kpi in catalogue.kpis.values():
        version_id = kpi.id.version_id
        if kpi.is_pulse:
            key = f"GDL{version_id}R"
        elif kpi.area_id is not None:
            key = f"GDL{version_id}A{kpi.area_id}"
        else:
            key = f"GDL{version_id}P"
        group = groups.setdefault(key, {"id": key, "members": [], "version": kpi.version})
        if (kpi.id.kind == "area" and kpi.target_group is None) or kpi.is_pulse:
            group["title_sv"], group["title_en"] = kpi.area_title_sv, kpi.area_title_en
        group["members"].append({"member_id": str(kpi.id), "member_title": kpi.title_sv})
    result = []
    for key, group in groups.items():
        if key.endswith("P"):
            with translation.override("sv"):
                title_sv = _("Foundational prerequisites")
            with translation.override("en"):
                title_en = _("Foundational prerequisites")
        else:
            title_sv, title_en = group["title_sv"], group["title_en"]
        result.append(
            {
                "id": key,
                "title": title_sv,
                "x_title_en": title_en,
                "members": group["members"],
                "x_framework_version": group["version"],
            }
        )
    return result


def _kpi_group_list(request, ids, title, page, per_page):
    wanted = None if ids is None else _parsed(parse_kpi_groups, ids)
    stamp, catalogue = current_catalogue()

    def compute():
        groups = _kpi_groups(catalogue)
        if wanted is not None:
            by_id = {g["id"]: g for g in groups}
            groups = [by_id[i] for i in wanted if i in by_id]
        items = [
            g for g in groups if _matches(g["title"], title) or _matches(g["x_title_en"], title)
        ]
        return _envelope(request, items, page, per_page)

    return cached_response(request, stamp, compute)


KPI_GROUP_DOC = (
    "Each goal area (GDL…A…: the area and its goals, for all respondents and per target group), "
    "each framework version's foundational prerequisites (GDL…P) and each resident pulse "
    "questionnaire's statements (GDL…R)."
)


@api.get(
    "/kpi_groups",
    response={200: KpiGroupPage, **ERRORS},
    summary="Groups of indicators",
    description=KPI_GROUP_DOC,
    tags=["metadata"],
)
def kpi_group_list(request, title: str | None = TITLE, page: int = PAGE, per_page: int = PER_PAGE):
    _only(request, "title")
    return _kpi_group_list(request, None, title, page, per_page)


@api.get(
    "/kpi_groups/{kpi_group}",
    response={200: KpiGroupPage, **ERRORS},
    summary="Groups of indicators by id",
    description=KPI_GROUP_DOC + " An unknown id has no row.",
    tags=["metadata"],
)
def kpi_group_items(
    request, kpi_group: str = KPI_GROUP_PARAM, page: int = PAGE, per_page: int = PER_PAGE
):
    _only(request)
    return _kpi_group_list(request, kpi_group, None, page, per_page)


MUNICIPALITY_TYPE = Query(
    None, description="K: municipalities only; L: regions (and the whole country) only."
)


def _municipalities(request, ids, title, kinds, page, per_page):
    wanted = None if ids is None else _parsed(parse_municipalities, ids)
    stamp, catalogue = current_catalogue()

    def compute():
        entities = (
            [catalogue.entities[i] for i in wanted if i in catalogue.entities]
            if wanted is not None
            else list(catalogue.entities.values())
        )
        items = [
            {"id": e.id, "title": e.title, "type": e.organisation_type or "L"}
            for e in entities
            if e.kind in ("nation", "organisation")
            and _matches(e.title, title)
            and all((e.organisation_type or "L") == kind for kind in kinds)
        ]
        return _envelope(request, items, page, per_page)

    return cached_response(request, stamp, compute)


MUNICIPALITY_DOC = (
    "0000 the whole country, four digits a municipality (its SCB code), 00 and the county "
    "code a region."
)


@api.get(
    "/municipality",
    response={200: MunicipalityPage, **ERRORS},
    summary="Municipalities, regions and the country",
    description=MUNICIPALITY_DOC,
    tags=["metadata"],
)
def municipality_list(
    request,
    title: str | None = TITLE,
    type: Literal["K", "L"] | None = MUNICIPALITY_TYPE,  # Kolada's name
    region_type: Literal["K", "L"] | None = Query(None, description="The same as type."),
    page: int = PAGE,
    per_page: int = PER_PAGE,
):
    _only(request, "title", "type", "region_type")
    kinds = {type, region_type} - {None}
    return _municipalities(request, None, title, kinds, page, per_page)


@api.get(
    "/municipality/{municipality}",
    response={200: MunicipalityPage, **ERRORS},
    summary="Municipalities, regions and the country by id",
    description=MUNICIPALITY_DOC + " An unknown id has no row.",
    tags=["metadata"],
)
def municipality_items(
    request, municipality: str = MUNICIPALITY_PARAM, page: int = PAGE, per_page: int = PER_PAGE
):
    _only(request)
    return _municipalities(request, municipality, None, set(), page, per_page)


def _groups(request, ids, title, page, per_page):
    wanted = None if ids is None else _parsed(parse_groups, ids)
    stamp, catalogue = current_catalogue()

    def compute():
        by_org = {
            e.members[0]: {"id": e.id, "title": e.title}
            for e in catalogue.entities.values()
            if e.is_organisation
        }
        entities = (
            [catalogue.entities[i] for i in wanted if i in catalogue.entities]
            if wanted is not None
            else list(catalogue.entities.values())
        )
        items = [
            {
                "id": e.id,
                "title": e.title,
                "members": [by_org[m] for m in e.members],
                "x_kind": e.kind,
            }
            for e in entities
            if e.kind in ("kommungrupp", "county") and _matches(e.title, title)
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
    _only(request, "title")
    return _groups(request, None, title, page, per_page)


@api.get(
    "/municipality_groups/{group}",
    response={200: GroupPage, **ERRORS},
    summary="Groups by id",
    description="An unknown id has no row.",
    tags=["metadata"],
)
def municipality_group_items(
    request, group: str = GROUP_PARAM, page: int = PAGE, per_page: int = PER_PAGE
):
    _only(request)
    return _groups(request, group, None, page, per_page)


OU_DOC = "Kolada's schools, care homes and other units: Digilyft has none, so always empty."


@api.get(
    "/ou",
    response={200: OuPage, **ERRORS},
    summary="Organisational units (always empty)",
    description=OU_DOC,
    tags=["metadata"],
)
def ou_list(
    request,
    title: str | None = TITLE,
    municipality: str | None = Query(None, max_length=200, description="Municipality ids."),
    page: int = PAGE,
    per_page: int = PER_PAGE,
):
    _only(request, "title", "municipality")
    return _empty(request, page, per_page)


@api.get(
    "/ou/{ou}",
    response={200: OuPage, **ERRORS},
    summary="Organisational units by id (always empty)",
    description=OU_DOC,
    tags=["metadata"],
)
def ou_items(request, ou: str = OU_PARAM, page: int = PAGE, per_page: int = PER_PAGE):
    _only(request)
    _parsed(parse_ous, ou)
    return _empty(request, page, per_page)


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
    _only(request)
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
    _only(request)
    return _round_counts(request, municipality, page, per_page)
