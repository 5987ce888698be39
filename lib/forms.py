"""Form helpers shared by the apps (no models)."""

from django import forms
from django.utils.translation import gettext_lazy as _

DJANGO_EMPTY = "---------"
EMPTY_LABEL = _("Choose …")


class NamedEmptyChoice:
    """A form mixin: the empty choice of every select reads as words ("Välj …" in Swedish)
    rather than Django's "---------"."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        name_empty_choices(self)


def name_empty_choices(form) -> None:
    for field in form.fields.values():
        if isinstance(field, forms.ModelChoiceField):
            if field.empty_label == DJANGO_EMPTY:
                field.empty_label = EMPTY_LABEL
        elif isinstance(field, forms.ChoiceField):
            choices = list(field.choices)
            if any(value == "" and label == DJANGO_EMPTY for value, label in choices):
                field.choices = [
                    (value, EMPTY_LABEL if value == "" and label == DJANGO_EMPTY else label)
                    for value, label in choices
                ]
