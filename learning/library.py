"""Searching the good-practice library.

The search first takes the words as typed: on PostgreSQL full-text with the Swedish
dictionary, so "e-tjänst" finds "e-tjänster" and results are ranked; on SQLite every word must
appear in some field. When that finds nothing, it widens once, and says so: a word then also
matches without å, ä, ö ("bistand" finds "bistånd") and with a small typo ("bistånt") —
on PostgreSQL through unaccent() and trigram word similarity (pg_trgm), on SQLite through the
folded copy of each case's text (``Case.search_text``). True cases always come before made-up
ones. Filters narrow by goal, welfare area, kind of organisation and county.
"""

import difflib
import re
from dataclasses import dataclass

from django.db import connection
from django.db.models import F, Q, QuerySet, Value
from django.db.models.functions import Coalesce, Concat, Lower

from lib.folding import fold

from .models import Case

_FIELDS = Case.SEARCHED_TEXTS
# A word shorter than this is only matched as written (folded): a typo in "och" is noise.
_TYPO_MIN_LENGTH = 4
# pg_trgm's word_similarity for one changed, missing or extra letter in a word of 5-9 letters
# lies around 0.5-0.7; below 0.5 unrelated words start to match.
_TRIGRAM_THRESHOLD = 0.5
# difflib's ratio for the same on SQLite (one edit in a five-letter word is 0.8).
_CLOSE_RATIO = 0.8


@dataclass
class LibrarySearch:
    cases: QuerySet
    widened: bool  # True when the words as typed found nothing and the forgiving match ran


def published_cases():
    return Case.objects.filter(status=Case.Status.PUBLISHED).select_related("organisation")


def search_cases(query: str = "", **filters) -> QuerySet:
    return search_library(query, **filters).cases


def search_library(
    query: str = "", goal: str = "", welfare_area: str = "", kind: str = "", county: str = ""
) -> LibrarySearch:
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
        return LibrarySearch(cases.distinct().order_by("is_illustrative", "title_sv"), False)
    postgres = connection.vendor == "postgresql"
    exact = _full_text(cases, query) if postgres else _every_word(cases, query)
    if exact.exists():
        return LibrarySearch(exact, False)
    words = fold(query).split()
    widened = _forgiving_postgres(cases, words) if postgres else _forgiving_sqlite(cases, words)
    return LibrarySearch(widened, True)


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
        .order_by("is_illustrative", "-rank", "title_sv")
    )


def _every_word(cases, query):
    for word in query.split():
        match = Q(organisation__name__icontains=word) | Q(example_organisation__icontains=word)
        for field in _FIELDS:
            match |= Q(**{f"{field}__icontains": word})
        cases = cases.filter(match)
    return cases.distinct().order_by("is_illustrative", "title_sv")


def _forgiving_postgres(cases, words):
    """Every word is in the unaccented text, or close to a word in it (trigram similarity);
    ranked by how close the words came."""
    from django.contrib.postgres.lookups import Unaccent
    from django.contrib.postgres.search import TrigramWordSimilarity

    parts = [F(name) for name in Case.SEARCHED_FIELDS]
    parts.append(Coalesce(F("organisation__name"), Value("")))
    document = Unaccent(Lower(Concat(*parts, output_field=Case._meta.get_field("summary_sv"))))
    cases = cases.annotate(folded=document)
    closeness = Value(0.0)
    for index, word in enumerate(words):
        name = f"closeness_{index}"
        cases = cases.annotate(**{name: TrigramWordSimilarity(word, "folded")})
        match = Q(folded__contains=word)
        if len(word) >= _TYPO_MIN_LENGTH:
            match |= Q(**{f"{name}__gte": _TRIGRAM_THRESHOLD})
        cases = cases.filter(match)
        closeness = closeness + F(name)
    return (
        cases.annotate(closeness=closeness)
        .distinct()
        .order_by("is_illustrative", "-closeness", "title_sv")
    )


def _forgiving_sqlite(cases, words):
    """Every word is in the folded copy, or one of the copy's words is close to it. The
    vocabulary is read from the few cases the filters left (the library holds dozens)."""
    vocabulary = sorted(
        {
            word
            for text in cases.values_list("search_text", flat=True)
            for word in re.findall(r"\w+", text)
        }
    )
    for word in words:
        match = Q(search_text__contains=word)
        if len(word) >= _TYPO_MIN_LENGTH:
            for close in difflib.get_close_matches(word, vocabulary, n=5, cutoff=_CLOSE_RATIO):
                match |= Q(search_text__contains=close)
        cases = cases.filter(match)
    return cases.distinct().order_by("is_illustrative", "title_sv")
