"""The good-practice library's filters: one FilterSet (django-filter) that parses and checks the
page's query parameters; the search itself is `library.search_library`, so the ranking on
PostgreSQL and the word match on SQLite stay in one place."""

import django_filters
from django.utils.translation import gettext_lazy as _

from registry.models import Organisation

from .library import published_cases, search_library
from .models import Case, WelfareArea

SEARCH_FIELDS = ("q", "goal", "welfare_area", "kind", "county")


def county_choices():
    return list(
        Organisation.objects.values_list("county_code", "county_name")
        .distinct()
        .order_by("county_code")
    )


class CaseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), max_length=100)
    goal = django_filters.ChoiceFilter(label=_("Goal"), empty_label=_("All"))
    welfare_area = django_filters.ChoiceFilter(
        label=_("Welfare area"), choices=WelfareArea.choices, empty_label=_("All")
    )
    kind = django_filters.ChoiceFilter(label=_("Kind of organisation"), empty_label=_("All"))
    county = django_filters.ChoiceFilter(label=_("County"), empty_label=_("All"))

    class Meta:
        model = Case
        fields = list(SEARCH_FIELDS)

    def __init__(self, data=None, queryset=None, *, goals=(), **kwargs):
        if queryset is None:
            queryset = published_cases().order_by("is_illustrative", "title_sv")  # true first
        super().__init__(data, queryset, **kwargs)
        self.filters["goal"].extra["choices"] = [(goal.key, goal.name) for goal in goals]
        self.filters["kind"].extra["choices"] = list(Organisation.Kind.choices)
        self.filters["county"].extra["choices"] = county_choices()

    widened = False  # set by filter_queryset: the search forgave accents or typos

    def filter_queryset(self, queryset):
        """Every checked parameter goes to the one search (which ranks by relevance)."""
        data = {name: self.form.cleaned_data.get(name) or "" for name in SEARCH_FIELDS}
        search = search_library(data.pop("q"), **data)
        self.widened = search.widened
        return search.cases
