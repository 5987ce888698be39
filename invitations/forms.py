from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Invitation

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class AddListForm(forms.Form):
    link = forms.TypedChoiceField(label=_("Target group"), coerce=int)
    language = forms.ChoiceField(
        label=_("Language of the mails"),
        choices=Invitation.Language.choices,
        help_text=_("For lines that do not say sv or en."),
    )
    addresses = forms.CharField(
        label=_("Addresses"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
        help_text=_("One address per line, optionally followed by ;sv or ;en."),
    )
    upload = forms.FileField(
        label=_("Or a file"),
        required=False,
        help_text=_("CSV (semicolons or commas, with or without a header) or Excel (.xlsx)."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.xlsx"}),
    )

    def __init__(self, *args, links=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["link"].choices = [(link.pk, link.target_group.name) for link in links]

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if upload and upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        if upload and not upload.name.lower().endswith((".csv", ".txt", ".xlsx")):
            raise forms.ValidationError(_("Upload a .csv, .txt or .xlsx file."))
        return upload

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("addresses", "").strip() and not cleaned.get("upload"):
            if not self.errors:
                raise forms.ValidationError(_("Paste addresses or choose a file."))
        return cleaned


class ReminderForm(forms.Form):
    days = forms.CharField(
        label=_("Reminders, days before closing"),
        required=False,
        max_length=40,
        help_text=_("For example “7, 2”. Leave empty for no reminders."),
    )

    def clean_days(self):
        raw = self.cleaned_data["days"].replace(";", ",")
        parts = [part.strip() for part in raw.split(",") if part.strip()]
        days = set()
        for part in parts:
            if not part.isascii() or not part.isdigit() or not 1 <= int(part) <= 60:
                raise forms.ValidationError(
                    _("“%(value)s” is not a whole number of days from 1 to 60.")
                    % {"value": part[:10]}
                )
            days.add(int(part))
        if len(days) > 5:
            raise forms.ValidationError(_("At most five reminders."))
        return sorted(days, reverse=True)


class OpenLinksForm(forms.Form):
    open_links = forms.BooleanField(
        label=_("Also accept answers through the shared links"), required=False
    )
