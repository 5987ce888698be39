from django import forms
from django.utils.translation import gettext_lazy as _


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
