"""Numbers in running text, written as the active language writes them.

``decimal(0.66, 2)`` is "0,66" in Swedish and "0.66" in English: the separators come from
Django's format files for the active language (``django.utils.formats``, with our Swedish
additions in ``digilyft/formats/sv``), so numbers put into a translated sentence read like the
numbers the templates show (``floatformat``).

Amounts and large counts are grouped by thousands with a space that never breaks (Swedish
"10 000 000,00 kr" uses U+202F, a thin one), and "kr" is held to its number by a no-break space,
so that no line ever breaks inside a number or an amount.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format

MINUS = "\u2212"  # the minus sign, not a hyphen
NO_BREAK = "\u00a0"  # between a number and its unit: "12 kr", "95 %"


def _signed(text: str) -> str:
    return MINUS + text[1:] if text.startswith("-") else text


def decimal(value, places: int = 1, *, grouped: bool = False) -> str:
    """``value`` rounded half away from zero (as ``floatformat`` rounds) to ``places``
    decimals, with the active language's decimal separator (and thousands separator when
    ``grouped``); "" for None. Negative numbers get a real minus sign (−)."""
    if value is None:
        return ""
    step = Decimal(1).scaleb(-places)
    rounded = Decimal(str(value)).quantize(step, rounding=ROUND_HALF_UP)
    return _signed(
        number_format(rounded, decimal_pos=places, use_l10n=True, force_grouping=grouped)
    )


def whole(value) -> str:
    """A count grouped by thousands: "12 345" in Swedish, "12,345" in English; "" for None."""
    return decimal(value, 0, grouped=True)


def sek(value) -> str:
    """Exact SEK with öre, grouped, that no line can break: "1 234 567,50 kr"; "" for None."""
    return "" if value is None else f"{decimal(value, 2, grouped=True)}{NO_BREAK}kr"
