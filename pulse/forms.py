from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lib.widgets import DateInput

from .models import Pulse


class PulseForm(forms.ModelForm):
    class Meta:
        model = Pulse
        fields = ["opens_on", "closes_on"]
        widgets = {"opens_on": DateInput(), "closes_on": DateInput()}
        help_texts = {
            "opens_on": _("Date (YYYY-MM-DD)."),
            "closes_on": _("Date (YYYY-MM-DD). The link stops accepting answers after this day."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
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
