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
