from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from frameworks.models import FrameworkVersion
from lib.forms import NamedEmptyChoice
from lib.widgets import DateInput

from .models import Round, RoundLink


class RoundForm(NamedEmptyChoice, forms.ModelForm):
    class Meta:
        model = Round
        fields = ["name", "kind", "version", "opens_on", "closes_on"]
        widgets = {"opens_on": DateInput(), "closes_on": DateInput()}
        help_texts = {
            "name": _("For example “Baseline 2026”."),
            "opens_on": _("Date (YYYY-MM-DD)."),
            "closes_on": _("Date (YYYY-MM-DD). The links stop accepting answers after this day."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].queryset = FrameworkVersion.objects.filter(
            is_published=True
        ).select_related("framework")
        self.fields["version"].empty_label = None
        today = timezone.localdate()
        self.fields["opens_on"].initial = today
        self.fields["closes_on"].initial = today + timedelta(days=30)

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("opens_on"), cleaned.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error("closes_on", _("The closing date must be on or after the opening date."))
        if closes and closes < timezone.localdate():
            self.add_error("closes_on", _("The closing date has already passed."))
        return cleaned


class InvitedCountForm(forms.ModelForm):
    class Meta:
        model = RoundLink
        fields = ["invited_count"]

    def clean_invited_count(self):
        """Never fewer than the shared link has let in (submitted or still answering): the
        response rate cannot go above 100 %, and a begun answer keeps its place."""
        typed = self.cleaned_data["invited_count"]
        link = self.instance
        taken = RoundLink.objects.values_list("shared_begins", flat=True).get(pk=link.pk)
        if typed is not None and typed < taken:
            raise forms.ValidationError(
                _("%(count)s have already submitted or begun answering through the shared link.")
                % {"count": taken}
            )
        return typed
