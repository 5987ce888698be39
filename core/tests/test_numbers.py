from decimal import Decimal

from django.utils import translation

from lib.numbers import decimal


def test_a_decimal_has_a_comma_in_swedish_and_a_point_in_english():
    with translation.override("sv"):
        assert decimal(0.656, 2) == "0,66"
        assert decimal(2, 1) == "2,0"
    with translation.override("en"):
        assert decimal(0.656, 2) == "0.66"


def test_it_rounds_half_away_from_zero_like_floatformat():
    with translation.override("sv"):
        assert decimal(2.25, 1) == "2,3"
        assert decimal(0.125, 2) == "0,13"


def test_a_negative_number_has_a_minus_sign_and_none_is_empty():
    with translation.override("sv"):
        assert decimal(-1.25, 1) == "\u22121,3"
    assert decimal(None) == ""


def test_amounts_and_counts_are_grouped_by_a_thin_space_that_never_breaks():
    from django.template.defaultfilters import floatformat

    from lib.numbers import sek, whole

    with translation.override("sv"):
        assert sek(Decimal("10000000")) == "10\u202f000\u202f000,00\u00a0kr"
        assert sek(Decimal("-1234.5")) == "\u22121\u202f234,50\u00a0kr"
        assert whole(12345) == "12\u202f345"
        assert floatformat(12345, "0g") == "12\u202f345"  # the templates' way, same separator
        assert str(2026) == "2026"  # nothing is grouped unless asked: years stay whole
    with translation.override("en"):
        assert sek(Decimal("10000000")) == "10,000,000.00\u00a0kr"
        assert whole(12345) == "12,345"


def test_a_decimal_field_takes_a_comma_a_point_and_spaces_and_shows_a_comma():
    from django import forms

    from lib.forms import DecimalCommaField

    class Form(forms.Form):
        amount = DecimalCommaField(decimal_places=2)

    with translation.override("sv"):
        for typed in ("12 500,50", "12500.50", "12\u00a0500,5"):
            form = Form({"amount": typed})
            assert form.is_valid() and form.cleaned_data["amount"] == Decimal("12500.50"), typed
        assert 'value="3,5"' in str(Form(initial={"amount": Decimal("3.5")})["amount"])
        assert not Form({"amount": "tre"}).is_valid()
    with translation.override("en"):
        assert 'value="3.5"' in str(Form(initial={"amount": Decimal("3.5")})["amount"])
