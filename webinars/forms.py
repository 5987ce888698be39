from django import forms
from django.utils.translation import gettext_lazy as _

from frameworks.groups import target_group_choices
from lib.choices import Gender
from registry.models import Organisation

from .models import Registration, Series

# An attendance export of even a very large webinar is far smaller.
MAX_ATTENDANCE_BYTES = 5 * 1024 * 1024


class OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, organisation):
        return organisation.name


class RegistrationForm(forms.ModelForm):
    organisation = OrganisationChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.order_by("name"),
        empty_label=_("Choose…"),
    )
    gender = forms.ChoiceField(
        label=_("Gender (optional)"),
        choices=[("", _("Prefer not to answer"))]
        + [c for c in Gender.choices if c[0] != Gender.UNDISCLOSED],
        required=False,
    )
    target_group = forms.ChoiceField(
        label=_("I take part as"), choices=target_group_choices, widget=forms.RadioSelect
    )

    class Meta:
        model = Registration
        fields = ["name", "email", "organisation", "target_group", "gender"]
        labels = {"name": _("Name"), "email": _("Email")}
        help_texts = {
            "email": _("We send a link to confirm your address; your place counts once you have.")
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].required = True
        self.fields["email"].required = True


class AttendanceUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Attendance file (CSV)"),
        help_text=_(
            "The streaming platform's export with the columns email, join_time and "
            "leave_time, separated by commas or semicolons."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_ATTENDANCE_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(mb)s MB. Nothing was imported.")
                % {"mb": MAX_ATTENDANCE_BYTES // (1024 * 1024)}
            )
        return upload


SCALE = [(str(value), str(value)) for value in range(1, 6)]


class EvaluationForm(forms.Form):
    relevance = forms.TypedChoiceField(
        label=_("The webinar dealt with what I need in my work"),
        choices=SCALE,
        coerce=int,
        widget=forms.RadioSelect,
    )
    usefulness = forms.TypedChoiceField(
        label=_("I can use what I learnt"), choices=SCALE, coerce=int, widget=forms.RadioSelect
    )
    overall = forms.TypedChoiceField(
        label=_("Overall, the webinar was worth the time"),
        choices=SCALE,
        coerce=int,
        widget=forms.RadioSelect,
    )


class CertificateMinimumForm(forms.ModelForm):
    """The attendance a series asks for before it offers a certificate."""

    class Meta:
        model = Series
        fields = ["certificate_min_minutes", "certificate_min_share"]
