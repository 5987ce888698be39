"""The webinar programme's filter: one FilterSet (django-filter) over the published series."""

import django_filters
from django.utils.translation import gettext_lazy as _

from frameworks.groups import target_group_choices

from .models import Series


def published_series():
    return Series.objects.filter(is_published=True).prefetch_related("sessions__speakers")


class SeriesFilter(django_filters.FilterSet):
    group = django_filters.ChoiceFilter(
        label=_("Target group"), empty_label=_("All"), method="for_group"
    )

    class Meta:
        model = Series
        fields = ["group"]

    def __init__(self, data=None, queryset=None, **kwargs):
        if queryset is None:
            queryset = published_series()
        super().__init__(data, queryset, **kwargs)
        self.filters["group"].extra["choices"] = target_group_choices()

    def for_group(self, queryset, name, value):
        # target_groups is a JSON list; SQLite has no "contains" on JSON, so compare here.
        keys = [s.pk for s in queryset.only("pk", "target_groups") if value in s.target_groups]
        return queryset.filter(pk__in=keys)
