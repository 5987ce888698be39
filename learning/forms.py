from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from frameworks.groups import target_group_choices
from lib.choices import Gender
from lib.forms import NamedEmptyChoice
from lib.widgets import DateInput

from .models import Case, WorkshopModule, WorkshopRequest


class ModuleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, module):
        return _("%(title)s (%(minutes)s min)") % {
            "title": module.title,
            "minutes": module.duration_minutes,
        }


class ModuleGroupsWidget(forms.CheckboxSelectMultiple):
    """Checkboxes in one fieldset per goal, the goal's name as its legend."""

    template_name = "learning/widgets/module_groups.html"


def group_label(group) -> str:
    if group.goal is None:
        return _("Modules for other goals")
    if group.chosen:
        return _("%(goal)s – a goal of the proposal") % {"goal": group.goal.name}
    return str(group.goal.name)


class WorkshopRequestForm(forms.Form):
    format = forms.ChoiceField(
        label=_("Format"), choices=WorkshopRequest.Format.choices, widget=forms.RadioSelect
    )
    modules = ModuleChoiceField(
        label=_("Modules"),
        queryset=WorkshopModule.objects.none(),
        widget=ModuleGroupsWidget,
        help_text=_(
            "Under the goals they serve, the proposal's goals first. The proposal is ticked. "
            "Untick to drop a module, tick another to add or swap; the agenda follows this order."
        ),
        error_messages={
            "invalid_choice": _("One of the chosen modules is no longer in the catalogue.")
        },
    )
    wished_date_1 = forms.DateField(label=_("First wished date"), widget=DateInput())
    wished_date_2 = forms.DateField(
        label=_("Second wished date"), widget=DateInput(), required=False
    )
    expected_politicians = forms.IntegerField(
        label=_("Expected politicians"), min_value=0, max_value=500, initial=0
    )
    expected_officials = forms.IntegerField(
        label=_("Expected leading officials"), min_value=0, max_value=500, initial=0
    )
    expected_key_persons = forms.IntegerField(
        label=_("Expected other key persons"), min_value=0, max_value=500, initial=0
    )
    message = forms.CharField(
        label=_("Message to the programme office"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )

    def __init__(self, *args, budget: dict, groups, **kwargs):
        """``groups``: the catalogue as ``learning.proposals.offered_modules`` orders it."""
        super().__init__(*args, **kwargs)
        self.budget = budget
        self.groups = groups
        field = self.fields["modules"]
        field.queryset = WorkshopModule.objects.filter(is_active=True)
        field.choices = [
            (group_label(group), [(m.pk, field.label_from_instance(m)) for m in group.modules])
            for group in groups
        ]

    def clean_wished_date_1(self):
        return self._future(self.cleaned_data["wished_date_1"])

    def clean_wished_date_2(self):
        value = self.cleaned_data.get("wished_date_2")
        return self._future(value) if value else value

    def _future(self, value):
        if value <= timezone.localdate():
            raise forms.ValidationError(_("Choose a date after today."))
        return value

    def clean(self):
        cleaned = super().clean()
        modules, fmt = cleaned.get("modules"), cleaned.get("format")
        if modules and fmt:
            minutes = sum(module.duration_minutes for module in modules)
            if minutes > self.budget[fmt]:
                self.add_error(
                    "modules",
                    _("The modules take %(minutes)s minutes; a %(format)s has room for %(budget)s.")
                    % {
                        "minutes": minutes,
                        "format": WorkshopRequest.Format(fmt).label.lower(),
                        "budget": self.budget[fmt],
                    },
                )
        if cleaned.get("expected_politicians", 0) + cleaned.get(
            "expected_officials", 0
        ) + cleaned.get("expected_key_persons", 0) == 0 and not self.errors.get(
            "expected_politicians"
        ):
            self.add_error(None, _("Enter how many you expect from at least one target group."))
        return cleaned


class ConfirmForm(forms.ModelForm):
    # Declared rather than generated so that a link typed without a scheme means https.
    video_link = forms.URLField(label=_("Video link"), required=False, assume_scheme="https")

    class Meta:
        model = WorkshopRequest
        fields = ["scheduled_start", "facilitator", "place"]
        widgets = {
            "scheduled_start": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            )
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scheduled_start"].required = True
        self.fields["facilitator"].required = True

    def clean_scheduled_start(self):
        value = self.cleaned_data["scheduled_start"]
        if value <= timezone.now():
            raise forms.ValidationError(_("Choose a time in the future."))
        return value

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("place") and not cleaned.get("video_link"):
            raise forms.ValidationError(_("Give a place or a video link."))
        return cleaned


NOT_STATED = "none"  # the field-name part for participants whose gender is not stated
MAX_PARTICIPANTS_AT_ONCE = 1000


class ParticipantCountsForm(forms.Form):
    """How many took part, per target group and gender, in one form: one number field per
    cell (``count_<group>_<gender>``), empty meaning none. All cells are taken or none."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.groups = []
        self.cells = {}  # field name -> (target group, gender or "")
        for group, group_label in target_group_choices():
            cells = []
            for gender, gender_label in [*Gender.choices, (NOT_STATED, _("Not stated"))]:
                name = f"count_{group}_{gender}"
                self.fields[name] = forms.IntegerField(
                    label=gender_label,
                    min_value=0,
                    max_value=500,
                    required=False,
                    widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "count"}),
                )
                cells.append(name)
                self.cells[name] = (group, "" if gender == NOT_STATED else gender)
            self.groups.append({"key": group, "label": group_label, "fields": cells})

    def grid(self):
        """The bound fields row by row (one row per target group), for the template."""
        return [
            {**group, "fields": [self[name] for name in group["fields"]]} for group in self.groups
        ]

    def counts(self) -> list[tuple[str, str, int]]:
        """(target group, gender or "", count) for every cell above zero."""
        return [
            (*self.cells[name], value)
            for name, value in self.cleaned_data.items()
            if name in self.cells and value
        ]

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        total = sum(value or 0 for value in cleaned.values())
        if total == 0:
            raise forms.ValidationError(_("Enter how many took part in at least one box."))
        if total > MAX_PARTICIPANTS_AT_ONCE:
            raise forms.ValidationError(
                _("At most %(max)s participants can be registered at once.")
                % {"max": MAX_PARTICIPANTS_AT_ONCE}
            )
        return cleaned


SCALE = [(str(value), str(value)) for value in range(1, 6)]


class EvaluationForm(forms.Form):
    relevance = forms.TypedChoiceField(
        label=_("The workshop dealt with what our organisation needs"),
        choices=SCALE,
        coerce=int,
        widget=forms.RadioSelect,
    )
    usefulness = forms.TypedChoiceField(
        label=_("I can use what I learnt in my work"),
        choices=SCALE,
        coerce=int,
        widget=forms.RadioSelect,
    )
    facilitation = forms.TypedChoiceField(
        label=_("The workshop was well led"), choices=SCALE, coerce=int, widget=forms.RadioSelect
    )
    overall = forms.TypedChoiceField(
        label=_("Overall, the workshop was worth the time"),
        choices=SCALE,
        coerce=int,
        widget=forms.RadioSelect,
    )


class EvaluationLinksForm(forms.Form):
    """How many single-use participant links to make; the first time also the closing day."""

    count = forms.IntegerField(label=_("Number of links"), min_value=1, max_value=200)
    closes_on = forms.DateField(
        label=_("The evaluation closes on"),
        required=False,
        widget=DateInput(),
        help_text=_("The results are shown from this day. Leave empty for two weeks from today."),
    )

    def __init__(self, *args, first, **kwargs):
        super().__init__(*args, **kwargs)
        if not first:
            del self.fields["closes_on"]

    def clean_closes_on(self):
        closes_on = self.cleaned_data["closes_on"]
        if closes_on is not None and closes_on <= timezone.localdate():
            raise forms.ValidationError(_("Choose a day after today."))
        return closes_on


class CaseProposalForm(NamedEmptyChoice, forms.ModelForm):
    goals = forms.MultipleChoiceField(
        label=_("Goals it illustrates"), widget=forms.CheckboxSelectMultiple
    )
    # Declared rather than generated so that a link typed without a scheme means https.
    link = forms.URLField(label=_("Link"), required=False, assume_scheme="https")

    class Meta:
        model = Case
        fields = [
            "title_sv",
            "welfare_area",
            "summary_sv",
            "what_was_done_sv",
            "what_it_gave_sv",
            "contact",
        ]
        labels = {
            "title_sv": _("Title"),
            "summary_sv": _("Summary in one sentence"),
            "what_was_done_sv": _("What was done"),
            "what_it_gave_sv": _("What it gave"),
        }
        help_texts = {"contact": _("A function or a unit, not a person's name.")}

    def __init__(self, *args, goals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goals"].choices = [(goal.key, goal.name) for goal in goals]
