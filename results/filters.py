"""The national picture's filters: one FilterSet (django-filter) for the page and both of its
exports. The framework version is a parameter of the picture, not a filter of organisations,
so it is a field of the FilterSet's base form."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from frameworks.models import FrameworkVersion
from registry.models import Organisation


def filter_choices():
    counties = (
        Organisation.objects.values_list("county_code", "county_name")
        .distinct()
        .order_by("county_code")
    )
    groups = (
        Organisation.objects.filter(~Q(kommungrupp=""))
        .values_list("kommungrupp", "kommungrupp_name")
        .distinct()
        .order_by("kommungrupp")
    )
    return {
        "counties": list(counties),
        "kommungrupper": list(groups),
        "kinds": Organisation.Kind.choices,
    }


class VersionForm(forms.Form):
    version = forms.ModelChoiceField(
        label=_("Framework version"),
        queryset=FrameworkVersion.objects.filter(rounds__isnull=False).distinct(),
        required=False,
        empty_label=None,
    )


class OrganisationFilter(django_filters.FilterSet):
    county = django_filters.ChoiceFilter(
        field_name="county_code", label=_("County"), empty_label=_("All")
    )
    kind = django_filters.ChoiceFilter(field_name="kind", label=_("Kind"), empty_label=_("All"))
    kommungrupp = django_filters.ChoiceFilter(
        field_name="kommungrupp", label=_("Municipality group"), empty_label=_("All")
    )

    class Meta:
        model = Organisation
        fields = ["county", "kind", "kommungrupp"]
        form = VersionForm

    def __init__(self, data=None, queryset=None, **kwargs):
        if queryset is None:
            queryset = Organisation.objects.all()
        super().__init__(data, queryset, **kwargs)
        choices = filter_choices()
        self.filters["county"].extra["choices"] = choices["counties"]
        self.filters["kind"].extra["choices"] = list(choices["kinds"])
        self.filters["kommungrupp"].extra["choices"] = [
            (code, f"{code} {name}") for code, name in choices["kommungrupper"]
        ]

    def filter_queryset(self, queryset):
        """Only the organisation filters; the base form's version chooses the picture."""
        for name, value in self.form.cleaned_data.items():
            if name in self.filters:
                queryset = self.filters[name].filter(queryset, value)
        return queryset


def filtered_organisations(county="", kind="", kommungrupp=""):
    """The organisations the filters leave; a value no organisation has is refused
    (ValueError) rather than ignored, so a filter never silently widens the picture."""
    filterset = OrganisationFilter({"county": county, "kind": kind, "kommungrupp": kommungrupp})
    if not filterset.is_valid():
        raise ValueError(filterset.errors.as_json())
    return filterset.qs
