"""Form helpers shared by the apps (no models)."""

import re

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


class DecimalCommaField(forms.DecimalField):
    """A decimal number typed and shown as the language writes it: "3,5" in Swedish, "3.5" in
    English (a point is taken in Swedish too), spaces between thousands ignored ("12 500,50").

    A text box with a decimal keypad rather than a number box: a browser shows and takes a
    number box's value in its own language, whatever the page's, so a Swedish page could show
    "3.5" (or refuse "3,5") in an English browser."""

    widget = forms.TextInput(attrs={"inputmode": "decimal"})

    def __init__(self, **kwargs):
        kwargs.setdefault("localize", True)
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = re.sub(r"[\s\u00a0\u202f]", "", value)
        return super().to_python(value)
