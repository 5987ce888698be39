from django import forms
from django.utils.translation import gettext_lazy as _

from lib.forms import DecimalCommaField
from lib.widgets import DateInput

from .models import Activity, PlanGoal


class TargetForm(forms.Form):
    target = DecimalCommaField(
        label=_("Target level (1–5)"),
        min_value=1,
        max_value=5,
        max_digits=2,
        decimal_places=1,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 4}),
        error_messages={
            **dict.fromkeys(
                ["required", "invalid", "min_value", "max_value", "max_digits", "max_whole_digits"],
                _("Give the target level as a number from 1 to 5."),
            ),
            "max_decimal_places": _("Give the target level with at most one decimal."),
        },
    )


class ActivityForm(forms.Form):
    goal = forms.ModelChoiceField(
        label=_("Goal"), queryset=PlanGoal.objects.none(), empty_label=None
    )
    what = forms.CharField(label=_("What"), max_length=300)
    responsible = forms.CharField(
        label=_("Responsible role"),
        max_length=120,
        help_text=_("A role, not a person's name, e.g. “head of IT”."),
    )
    due_on = forms.DateField(label=_("By when"), widget=DateInput())
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, plan, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal"].queryset = plan.goals.with_names()
        self.fields["goal"].label_from_instance = lambda goal: goal.name


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Activity.Status.choices)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
