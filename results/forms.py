from django import forms
from django.utils.translation import gettext_lazy as _

from frameworks.models import FrameworkVersion

from .national import filter_choices


class NationalFilterForm(forms.Form):
    version = forms.ModelChoiceField(
        label=_("Framework version"),
        queryset=FrameworkVersion.objects.filter(rounds__isnull=False).distinct(),
        required=False,
        empty_label=None,
    )
    county = forms.ChoiceField(label=_("County"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    kommungrupp = forms.ChoiceField(label=_("Municipality group"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = filter_choices()
        every = [("", _("All"))]
        self.fields["county"].choices = every + choices["counties"]
        self.fields["kind"].choices = every + list(choices["kinds"])
        self.fields["kommungrupp"].choices = every + [
            (code, f"{code} {name}") for code, name in choices["kommungrupper"]
        ]


class OrganisationTableForm(forms.Form):
    """How the national organisation tables are sorted and which page is shown (GET)."""

    sort = forms.ChoiceField(label=_("Sort by"), required=False)
    order = forms.ChoiceField(
        label=_("Order"),
        required=False,
        choices=[("asc", _("ascending")), ("desc", _("descending"))],
    )
    page = forms.IntegerField(label=_("Page"), required=False, min_value=1)
    ppage = forms.IntegerField(
        label=_("Page of the participation table"), required=False, min_value=1
    )

    def __init__(self, *args, sort_keys=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sort"].choices = [(key, key) for key in sort_keys]
