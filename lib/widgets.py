"""Form widgets every app's forms share."""

from django import forms


class DateInput(forms.DateInput):
    """The browser's date picker, with the value written as ISO 8601 (YYYY-MM-DD)."""

    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)
