from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from lib.forms import DecimalCommaField, NamedEmptyChoice
from lib.widgets import DateInput
from registry.models import Organisation

from .models import Consultation, Cost, Partner


class CostForm(NamedEmptyChoice, forms.ModelForm):
    accept_overrun = forms.BooleanField(
        label=_("I know this takes the year over its grant"), required=False
    )

    class Meta:
        model = Cost
        fields = ["activity", "date", "amount", "status", "note"]
        widgets = {"date": DateInput()}
        help_texts = {"amount": _("In SEK, e.g. 12500 or 12500.50.")}
        localized_fields = ["amount"]  # a Swedish user types 12500,50

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if amount <= 0:
            raise forms.ValidationError(_("The amount must be more than zero."))
        return amount


class GrantForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    amount = DecimalCommaField(
        label=_("Grant (SEK)"), min_value=Decimal("0"), max_digits=14, decimal_places=2
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=300)


class ConsultationForm(NamedEmptyChoice, forms.ModelForm):
    class Meta:
        model = Consultation
        fields = ["partner", "date", "topic", "outcome"]
        widgets = {"date": DateInput(), "outcome": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = Partner.objects.all()


class WeightsForm(forms.Form):
    need_weight = DecimalCommaField(
        label=_("Weight of need"), min_value=0, max_value=1, decimal_places=2
    )
    engagement_weight = DecimalCommaField(
        label=_("Weight of engagement"), min_value=0, max_value=1, decimal_places=2
    )
    spread_weight = DecimalCommaField(
        label=_("Weight of spread"), min_value=0, max_value=1, decimal_places=2
    )
    places = forms.IntegerField(label=_("Organisations to select"), min_value=1, max_value=311)


class OverrideForm(NamedEmptyChoice, forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.order_by("name")
    )
    include = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Include")), ("0", _("Exclude"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason (required)"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if len(reason) < 10:
            raise forms.ValidationError(
                _("Write the reason in a sentence or two; it is kept with the decision.")
            )
        return reason


class ReportSettingsForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    period_start = forms.DateField(label=_("Period from"), widget=DateInput())
    period_end = forms.DateField(label=_("Period to"), widget=DateInput())
    deadline = forms.DateField(label=_("Deadline"), widget=DateInput(), required=False)
    sender = forms.CharField(label=_("Sender"), max_length=300, required=False)
    recipient = forms.CharField(label=_("Recipient"), max_length=300, required=False)
    reference = forms.CharField(
        label=_("Reference number (diarienummer)"), max_length=100, required=False
    )
    kickoff = forms.DateField(label=_("Programme kick-off"), widget=DateInput(), required=False)
    reach_target = DecimalCommaField(
        label=_("Target: share of all municipalities and regions reached, in per cent"),
        min_value=0,
        max_value=100,
        decimal_places=1,
        required=False,
    )

    def clean_reach_target(self):
        """Typed as a percentage, stored as a share."""
        value = self.cleaned_data["reach_target"]
        return None if value is None else (value / 100).quantize(Decimal("0.001"))

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("period_start")
            and cleaned.get("period_end")
            and cleaned["period_end"] < cleaned["period_start"]
        ):
            self.add_error("period_end", _("The period must end on or after its start."))
        return cleaned


class SectionForm(forms.Form):
    title = forms.CharField(label=_("Heading"), max_length=200)
    body = forms.CharField(
        label=_("Text"), widget=forms.Textarea(attrs={"rows": 6}), required=False, max_length=20000
    )


class RepublishForm(forms.Form):
    reason = forms.CharField(
        label=_("Why are the results corrected? (required, kept in the audit log)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Write why the results are republished."))
        return reason


def county_choices() -> list[tuple[str, str]]:
    return list(
        Organisation.objects.order_by("county_code")
        .values_list("county_code", "county_name")
        .distinct()
    )


def group_choices() -> list[tuple[str, str]]:
    return [
        (code, name or code)
        for code, name in Organisation.objects.exclude(kommungrupp="")
        .order_by("kommungrupp")
        .values_list("kommungrupp", "kommungrupp_name")
        .distinct()
    ]


class ScopeForm(forms.Form):
    """A GET form of a county and a municipality group. Choices come from the registry, so an
    unknown code is a clear error, not an empty list."""

    county = forms.ChoiceField(label=_("County"), required=False)
    group = forms.ChoiceField(label=_("Municipality group"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        everyone = [("", _("All"))]
        self.fields["county"].choices = everyone + county_choices()
        self.fields["group"].choices = everyone + group_choices()

    def label_of(self, name: str) -> str:
        """The chosen value's name (the county's, the group's), or "" when none is chosen."""
        value = self.cleaned_data.get(name) or ""
        return str(dict(self.fields[name].choices).get(value, "")) if value else ""


class LoopFilterForm(ScopeForm):
    """The loop page's filters: county, municipality group, and a step reached."""

    stage = forms.ChoiceField(label=_("Has reached"), required=False)

    def __init__(self, *args, stages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage"].choices = [("", _("Any step"))] + list(stages)


class PulseFilterForm(ScopeForm):
    """The resident pulse page's filters: county, municipality group and the period (the
    report's, as the report to the funder counts, or all since the start)."""

    period = forms.ChoiceField(
        label=_("Period"),
        required=False,
        choices=[("", _("The report period")), ("all", _("All since the start"))],
    )
