"""Searching the good-practice library.

On PostgreSQL the search is full-text with the Swedish dictionary, so "e-tjänst" finds
"e-tjänster" and results are ranked; on SQLite (development) every word must appear in some
field. Filters narrow by goal, welfare area, kind of organisation and county.
"""

from django.db import connection
from django.db.models import Q

from .models import Case

_FIELDS = (
    "title_sv",
    "summary_sv",
    "what_was_done_sv",
    "what_it_gave_sv",
    "title_en",
    "summary_en",
)


def published_cases():
    return Case.objects.filter(status=Case.Status.PUBLISHED).select_related("organisation")


def search_cases(
    query: str = "", goal: str = "", welfare_area: str = "", kind: str = "", county: str = ""
):
    cases = published_cases()
    if goal:
        cases = cases.filter(goal_links__goal_key=goal)
    if welfare_area:
        cases = cases.filter(welfare_area=welfare_area)
    if kind:
        cases = cases.filter(Q(organisation__kind=kind) | Q(example_kind=kind))
    if county:
        cases = cases.filter(organisation__county_code=county)
    query = (query or "").strip()
    if not query:
        return cases.distinct().order_by("title_sv")
    if connection.vendor == "postgresql":
        return _full_text(cases, query)
    return _every_word(cases, query)


def _full_text(cases, query):
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

    vector = (
        SearchVector("title_sv", weight="A", config="swedish")
        + SearchVector("summary_sv", weight="B", config="swedish")
        + SearchVector("what_was_done_sv", "what_it_gave_sv", weight="C", config="swedish")
        + SearchVector("organisation__name", "example_organisation", weight="B", config="simple")
    )
    search = SearchQuery(query, config="swedish", search_type="websearch")
    return (
        cases.annotate(document=vector, rank=SearchRank(vector, search))
        .filter(document=search)
        .distinct()
        .order_by("-rank", "title_sv")
    )


def _every_word(cases, query):
    for word in query.split():
        match = Q(organisation__name__icontains=word) | Q(example_organisation__icontains=word)
        for field in _FIELDS:
            match |= Q(**{f"{field}__icontains": word})
        cases = cases.filter(match)
    return cases.distinct().order_by("title_sv")
